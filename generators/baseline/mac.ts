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

