// The ADD baseline (bit-serial, as in UNPU): per weight bit plane each unit adds the activations
// whose bit is set, shifts by the plane and accumulates; no tables. It shares the serial engine,
// its streams and its zero-point correction with the LUT Tensor Core, so only the unit differs.

import { z } from 'zod';
import { emitVerilog, type ModuleDef } from '../../dsl/index.js';
import { ACT_FORMATS, engineWidths } from '../lut-tensor-core/config.js';
import { serialEngine, type EngineIo } from '../lut-tensor-core/engine.js';
import { ceilDiv, operandLimits, packSerial, unpackOutputs } from '../lut-tensor-core/pack.js';
import type { MatmulEngine } from '../matmul.js';
import { defineGenerator } from '../registry.js';

export const addConfig = z.strictObject({
  m: z.number().int().min(1).max(16).default(2).describe('activation rows per tile'),
  n: z.number().int().min(1).max(256).default(64).describe('output columns per tile'),
  k: z.number().int().min(1).max(8).default(4).describe('activations summed per unit and cycle'),
  wbits: z.number().int().min(1).max(4).default(2).describe('weight bits: bit planes per weight, one per cycle'),
  act: z.enum(ACT_FORMATS).default('int8').describe('activation format'),
  maxK: z.number().int().min(1).max(1 << 20).default(16384).describe('largest reduction length K the accumulators must hold'),
});
export type AddConfig = z.output<typeof addConfig>;

const addTop = serialEngine('add_engine');

export function buildAddEngine(config: AddConfig): ModuleDef<EngineIo> {
  const widths = engineWidths(config);
  return addTop({
    m: config.m,
    n: config.n,
    k: config.k,
    wbits: config.wbits,
    actBits: widths.actBits,
    entryBits: widths.entryBits,
    rowSumBits: widths.rowSumBits,
    accBits: widths.accBits,
    outBits: widths.outBits,
    maxGroups: widths.maxGroups,
    table: 'unsigned',
    lookup: 'gated-add',
  });
}

export const addGenerator = defineGenerator({
  name: 'add',
  description: 'ADD baseline: bit-serial add-or-skip dot products (UNPU-style), same tile and streams as the tensor core',
  schema: addConfig,
  generate: (config) => emitVerilog(buildAddEngine(config)),
});

// The ADD unit reads bits as {0,1}: the packing's unsigned layout (no inversion, Z as is).
const packing = (config: AddConfig) => ({ ...config, symmetric: false, reinterpret: false });

export const addEngine: MatmulEngine<AddConfig> = {
  name: 'add',
  generator: addGenerator,
  limits: (config) => operandLimits(config),
  idealCycles: (config, { M, K, N }) => ceilDiv(M, config.m) * ceilDiv(N, config.n) * ceilDiv(K, config.k) * config.wbits,
  pack: (config, operands) => packSerial(packing(config), operands),
  unpack: (config, dims, beats) => unpackOutputs(config, operandLimits(config).outBits, dims, beats),
};
