// The MAC baseline as a registered generator and as a matrix engine (`lutforge run mac`).

import { z } from 'zod';
import { emitVerilog, type ModuleDef } from '../../api/index.js';
import type { EngineIo } from '../matmul-engine/serial-engine.js';
import { operandLimits, packMac, tileSteps, unpackResults } from '../../contracts/serial-packing.js';
import type { MatmulEngine } from '../matmul-engine/interface.js';
import { defineGenerator } from '../registry.js';
import { macTop } from '../matmul-engine/mac-array.js';
import { isFloatAct } from '../../contracts/engine-widths.js';
import { tileConfigFields } from '../matmul-engine/tile-config.js';
import { macEngineParams } from '../matmul-engine/engine-params.js';

export const macConfig = z
  .strictObject({
    ...tileConfigFields,
    k: tileConfigFields.k.describe('activation/weight products per unit and cycle'),
    wbits: tileConfigFields.wbits.describe('weight bits: codes 0..2^wbits-1, dequantized (q - z) and multiplied whole, one k-group per cycle'),
    act: tileConfigFields.act.describe('activation format: int8, int16, or fp16, bf16, fp8e4m3 (weights converted to it, FP32 products and accumulation)'),
    narrowWeights: z.boolean().default(false).describe('multiply by (wbits+1)-bit weights instead of activation-width ones (best case for MAC)'),
  })
  .refine((config) => !config.narrowWeights || !isFloatAct(config.act), {
    message: 'narrowWeights applies to integer activations; floating-point MACs take weights in the activation format',
    path: ['narrowWeights'],
  });
export type MacConfig = z.output<typeof macConfig>;

export function buildMacEngine(config: MacConfig): ModuleDef<EngineIo> {
  return macTop(macEngineParams(config));
}

export const macGenerator = defineGenerator({
  name: 'mac',
  description: 'MAC baseline: dequantize W1-4 codes to the activation format, multiply and accumulate (INT8/INT16 or FP16/BF16/FP8 activations), same tile and streams as the tensor core',
  schema: macConfig,
  generate: (config) => emitVerilog(buildMacEngine(config)),
  throughput: (config) => ({ perCycle: config.m * config.n * config.k, unit: 'MAC' }),
});

export const macEngine: MatmulEngine<MacConfig> = {
  name: 'mac',
  generator: macGenerator,
  limits: (config) => operandLimits(config),
  // A whole k-group of n columns per cycle: no bit planes.
  idealCycles: (config, dims) => tileSteps(config, dims),
  pack: (config, operands) => packMac(config, operands),
  unpack: (config, dims, beats) => unpackResults(config, dims, beats),
};

