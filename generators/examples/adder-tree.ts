// Example: the sum of N signed or unsigned inputs as a balanced adder tree, optionally pipelined.
// The building block of every dot-product unit.

import { z } from 'zod';
import { adderTree, adderTreeLatency, defineModule, emitVerilog, type ModuleDef, pipelinedAdderTree, SInt, UInt, Vec } from '../../api/index.js';
import { defineGenerator } from '../registry.js';

export const adderTreeConfig = z.strictObject({
  inputs: z.number().int().min(1).max(4096).default(8).describe('number of values summed'),
  width: z.number().int().min(1).max(64).default(8).describe('bits per input'),
  signed: z.boolean().default(false).describe('two\'s complement inputs'),
  levelsPerStage: z.number().int().min(0).max(16).default(0).describe('adder levels between registers; 0 = combinational'),
});
export type AdderTreeConfig = z.output<typeof adderTreeConfig>;

/** Output width: enough for the sum of `inputs` values of `width` bits. */
export function adderTreeOutputWidth(config: AdderTreeConfig): number {
  return config.width + Math.ceil(Math.log2(config.inputs));
}

export function adderTreeLatencyOf(config: AdderTreeConfig): number {
  return config.levelsPerStage === 0 ? 0 : adderTreeLatency(config.inputs, config.levelsPerStage);
}

export function buildAdderTree(config: AdderTreeConfig): ModuleDef {
  const element = config.signed ? SInt(config.width) : UInt(config.width);
  const outWidth = adderTreeOutputWidth(config);
  return defineModule(
    'adder_tree',
    (m) => {
      const values = m.input('values', Vec(config.inputs, element));
      const sum = m.output('sum', config.signed ? SInt(outWidth) : UInt(outWidth));
      const total = config.levelsPerStage === 0 ? adderTree(values) : pipelinedAdderTree(m, 'tree', values, { levelsPerStage: config.levelsPerStage });
      sum.assign(total);
      return { values, sum };
    },
    { params: config },
  );
}

export const adderTreeGenerator = defineGenerator({
  name: 'adder-tree',
  description: 'balanced adder tree over N inputs, optionally pipelined (example)',
  schema: adderTreeConfig,
  generate: (config) => emitVerilog(buildAdderTree(config)),
});
