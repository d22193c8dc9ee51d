// The example generators' configurations that examples.test.ts lints, apart from the test logic,
// so tb/cleanliness.test.ts and the simulator agreement there take the same list.

import { registry } from '../../generators/index.js';
import type { RegressionConfig } from './regression-config.js';

export const exampleConfigurations: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['counter', {}],
  ['counter', { modulo: 16 }],
  ['counter', { modulo: 1000 }],
  ['adder-tree', {}],
  ['adder-tree', { inputs: 1, width: 3 }],
  ['adder-tree', { inputs: 7, width: 12, signed: true }],
  ['adder-tree', { inputs: 13, width: 5, signed: true, levelsPerStage: 2 }],
  ['fifo', {}],
  ['fifo', { depth: 1, width: 1 }],
  ['fifo', { depth: 5, width: 70 }],
];

export function exampleRegressionConfigs(): RegressionConfig[] {
  return exampleConfigurations.map(([generator, config]) => {
    const spec = registry.get(generator);
    if (spec === undefined) throw new Error(`no generator ${generator}`);
    return { generator, config: spec.schema.parse(config), origin: 'examples.test.ts' };
  });
}
