// The dot-product arrays the simulation test (simulation.test.ts) drives, apart from the test
// logic, so the three-tool lint (tb/cleanliness.test.ts) covers exactly what is simulated. The
// order is part of the test: seeds are derived from a case's index.

import { dotProductConfig, type DotProductConfig } from '../../../generators/dot-product/config.js';
import type { RegressionConfig } from '../regression-config.js';

export const CASES: readonly Record<string, unknown>[] = [
  { kind: 'lut', units: 3, k: 4, wbits: 3 },
  { kind: 'lut-local', table: 'unsigned', units: 4, k: 3, wbits: 2 },
  { kind: 'add', units: 2, k: 3, wbits: 3 },
  { kind: 'mac', units: 4, k: 4, wbits: 2 },
];

export function dotProductConfigOf(overrides: Record<string, unknown>): DotProductConfig {
  return dotProductConfig.parse({ maxK: 64, ...overrides });
}

export function dotProductRegressionConfigs(): RegressionConfig[] {
  return CASES.map((overrides) => ({ generator: 'dot-product', config: dotProductConfigOf(overrides), origin: 'dot-product/simulation.test.ts' }));
}
