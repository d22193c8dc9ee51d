// The MAC baseline as a registered generator and as a matrix engine (`lutforge run mac`).

import { z } from 'zod';
import { emitVerilog, type ModuleDef } from '../../api/index.js';
import { tileConfigFields } from '../lut-tensor-core/config.js';
import type { EngineIo } from '../lut-tensor-core/engine.js';
import { operandLimits, packMac, tileSteps, unpackResults } from '../../contracts/serial-packing.js';
import type { MatmulEngine } from '../matmul.js';
import { defineGenerator } from '../registry.js';
import { type MacEngineParams, macTop } from './mac.js';
import { engineWidths, floatFormatOf, isFloatAct } from '../../contracts/engine-widths.js';

export const macConfig = z
  .strictObject({
    ...tileConfigFields,
    narrowWeights: z.boolean().default(false).describe('multiply by (wbits+1)-bit weights instead of activation-width ones (best case for MAC)'),
  })
  .refine((config) => !config.narrowWeights || !isFloatAct(config.act), {
    message: 'narrowWeights applies to integer activations; floating-point MACs take weights in the activation format',
    path: ['narrowWeights'],
  });
export type MacConfig = z.output<typeof macConfig>;

/** The MAC array's parameters for a tile configuration (shared by the engine and the dot-product array). */
export function macEngineParams(config: MacConfig): MacEngineParams {
  const widths = engineWidths(config);
  const float = floatFormatOf(config.act);
  return {
    m: config.m,
    n: config.n,
    k: config.k,
    wbits: config.wbits,
    actBits: widths.actBits,
    weightBits: config.narrowWeights ? config.wbits + 1 : widths.actBits,
    // Every partial sum is bounded by the largest result: no doubling as in the serial engines.
    accBits: widths.outBits,
    outBits: widths.outBits,
    maxGroups: widths.maxGroups,
    ...(float === undefined ? {} : { float }),
  };
}

export function buildMacEngine(config: MacConfig): ModuleDef<EngineIo> {
  return macTop(macEngineParams(config));
}

export const macGenerator = defineGenerator({
  name: 'mac',
  description: 'MAC baseline: dequantize to the activation format, multiply and accumulate, same tile and streams',
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

