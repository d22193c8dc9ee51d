// The configurations the MAC and ADD baseline regressions simulate (regression.test.ts for integer
// activations, fp-regression.test.ts for floating point), apart from the test logic, so the
// three-tool lint (tb/cleanliness.test.ts) covers exactly what is simulated. The order of each
// list is part of the regressions: seeds are derived from a case's index.

import { addConfig, type AddConfig } from '../../../generators/baseline/add.js';
import { macConfig, type MacConfig } from '../../../generators/baseline/mac.js';
import { pairwiseCover } from '../pairwise.js';
import type { RegressionConfig } from '../regression-config.js';

const ACTS = ['int8', 'int16'] as const;

/** Every wbits x act x narrowWeights; a case's seed is its index here. */
export const macCases = [1, 2, 3, 4].flatMap((wbits) => ACTS.flatMap((act) => [false, true].map((narrowWeights) => ({ wbits, act, narrowWeights }))));

/** The MAC variants simulated: 8 covering every pair of settings by default, all 16 under make regress. */
export function macCasesFor(regress: boolean): typeof macCases {
  return regress ? macCases : pairwiseCover(macCases, [(c) => c.wbits, (c) => c.act, (c) => c.narrowWeights]);
}

/** Every wbits x act (all run by default: every pair already needs all 8). */
export const addCases = [1, 2, 3, 4].flatMap((wbits) => ACTS.map((act) => ({ wbits, act })));

// A small tile keeps each Verilator build to a few seconds; k = 3 for odd wbits checks k != 4.
export function macConfigOf(variant: Partial<MacConfig>): MacConfig {
  return macConfig.parse({ m: 2, n: 3, k: (variant.wbits ?? 2) % 2 === 1 ? 3 : 4, maxK: 48, ...variant });
}

export function addConfigOf(variant: Partial<AddConfig>): AddConfig {
  return addConfig.parse({ m: 2, n: 3, k: (variant.wbits ?? 2) % 2 === 1 ? 3 : 4, maxK: 48, ...variant });
}

/** The MAC cycle-count check: a K long enough that the pipeline start-up is small beside it. */
export const MAC_BUSY_CONFIG = macConfig.parse({ m: 2, n: 4, k: 4, wbits: 2, maxK: 256 });

/** The ADD engine that runs on both simulators. */
export const ADD_ICARUS_CONFIG = addConfig.parse({ m: 2, n: 3, k: 4, wbits: 2, maxK: 48 });

/** The floating-point MAC variants: every activation format once (all run by default). */
export const macFpCases: readonly Partial<MacConfig>[] = [
  { act: 'fp16', wbits: 2, k: 4 },
  { act: 'bf16', wbits: 4, k: 3 },
  { act: 'fp8e4m3', wbits: 1, k: 4 },
];

export function macFpConfigOf(variant: Partial<MacConfig>): MacConfig {
  return macConfig.parse({ m: 2, n: 3, k: 4, maxK: 40, ...variant });
}

/** Every baseline configuration the regressions simulate (all 16 MAC variants under make regress). */
export function baselineRegressionConfigs(regress: boolean): RegressionConfig[] {
  const mac = (config: MacConfig, origin: string): RegressionConfig => ({ generator: 'mac', config, origin });
  const add = (config: AddConfig, origin: string): RegressionConfig => ({ generator: 'add', config, origin });
  return [
    ...macCasesFor(regress).map((variant) => mac(macConfigOf(variant), 'baseline/regression.test.ts (mac)')),
    mac(MAC_BUSY_CONFIG, 'baseline/regression.test.ts (mac cycles)'),
    ...addCases.map((variant) => add(addConfigOf(variant), 'baseline/regression.test.ts (add)')),
    add(ADD_ICARUS_CONFIG, 'baseline/regression.test.ts (add, Icarus)'),
    ...macFpCases.map((variant) => mac(macFpConfigOf(variant), 'baseline/fp-regression.test.ts')),
  ];
}
