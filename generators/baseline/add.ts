// The ADD baseline (bit-serial, as in UNPU): per weight bit plane each unit adds the activations
// whose bit is set, shifts by the plane and accumulates; no tables. It shares the serial engine,
// its streams and its zero-point correction with the LUT Tensor Core, so only the unit differs.

import { z } from 'zod';
import { emitVerilog, type ModuleDef } from '../../api/index.js';
import { type EngineIo, serialEngine } from '../matmul-engine/serial-engine.js';
import { operandLimits, packSerial, tileSteps, unpackResults } from '../../contracts/serial-packing.js';
import type { MatmulEngine } from '../matmul-engine/interface.js';
import { defineGenerator } from '../registry.js';
import { tileConfigFields } from '../matmul-engine/tile-config.js';
import { serialEngineParams } from '../matmul-engine/engine-params.js';

export const addConfig = z.strictObject({
  ...tileConfigFields,
  k: tileConfigFields.k.describe('activations per unit and step'),
  wbits: tileConfigFields.wbits.describe('weight bits (bit planes, one per cycle)'),
  act: z
    .enum(['int8', 'int16'], { error: 'the ADD baseline takes integer activations (int8, int16); floating-point activations run on tensor-core and mac' })
    .default('int8')
    .describe('activation format: int8 or int16 (integer adders)'),
});
export type AddConfig = z.output<typeof addConfig>;

const addTop = serialEngine('add_engine');

export function buildAddEngine(config: AddConfig): ModuleDef<EngineIo> {
  return addTop(serialEngineParams(config, 'unsigned', 'gated-add'));
}

export const addGenerator = defineGenerator({
  name: 'add',
  description: 'ADD baseline: bit-serial add-or-skip dot products (UNPU-style; W1-4, INT8/INT16 activations), same tile and streams as the tensor core',
  schema: addConfig,
  generate: (config) => emitVerilog(buildAddEngine(config)),
  throughput: (config) => ({ perCycle: (config.m * config.n * config.k) / config.wbits, unit: 'MAC' }),
});

// The ADD unit reads bits as {0,1}: the packing's unsigned layout (no inversion, Z as is).
const packing = (config: AddConfig) => ({ ...config, symmetric: false, reinterpret: false });

export const addEngine: MatmulEngine<AddConfig> = {
  name: 'add',
  generator: addGenerator,
  limits: (config) => operandLimits(config),
  idealCycles: (config, dims) => tileSteps(config, dims) * config.wbits,
  pack: (config, operands) => packSerial(packing(config), operands),
  unpack: (config, dims, beats) => unpackResults(config, dims, beats),
};
