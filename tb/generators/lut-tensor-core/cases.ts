// The configurations the tensor-core regressions simulate (regression.test.ts for integer
// activations, fp-regression.test.ts for floating point), apart from the test logic, so the
// three-tool lint (tb/cleanliness.test.ts) covers exactly what is simulated. The order of each
// list is part of the regressions: seeds are derived from a case's index.

import { tensorCoreConfig, type TensorCoreConfig } from '../../../generators/lut-tensor-core/config.js';
import { pairwiseCover } from '../pairwise.js';
import type { RegressionConfig } from '../regression-config.js';

const VARIANTS = [
  { symmetric: true, reinterpret: true },
  { symmetric: false, reinterpret: true },
  { symmetric: false, reinterpret: false },
] as const;

/** Every wbits x act x table variant x precompute placement; a case's seed is its index here. */
export const intCases = [1, 2, 3, 4].flatMap((wbits) =>
  (['int8', 'int16'] as const).flatMap((act) =>
    VARIANTS.flatMap((variant) => (['shared', 'per-unit'] as const).map((precompute) => ({ wbits, act, precompute, ...variant }))),
  ),
);

function tableOf(variant: { readonly symmetric: boolean; readonly reinterpret: boolean }): string {
  return variant.reinterpret ? (variant.symmetric ? 'symmetric' : 'naive') : 'unsigned';
}

/** The integer variants simulated: 12 covering every pair of settings by default, all 48 under make regress. */
export function intCasesFor(regress: boolean): typeof intCases {
  return regress ? intCases : pairwiseCover(intCases, [(c) => c.wbits, (c) => c.act, tableOf, (c) => c.precompute]);
}

export function intConfigOf(overrides: Partial<TensorCoreConfig>): TensorCoreConfig {
  // A small tile keeps each Verilator build to a few seconds; k = 3 for odd wbits checks k != 4.
  const k = (overrides.wbits ?? 2) % 2 === 1 ? 3 : 4;
  return tensorCoreConfig.parse({ m: 2, n: 3, k, maxK: 48, ...overrides });
}

/** The engine that runs on both simulators. */
export const INT_ICARUS_CONFIG = intConfigOf({ wbits: 2 });

/** The cycle-count check: a K long enough that the pipeline start-up is small beside it. */
export const INT_BUSY_CONFIG = tensorCoreConfig.parse({ m: 2, n: 4, k: 4, wbits: 2, maxK: 256 });

const symmetric = { symmetric: true, reinterpret: true } as const;
const naive = { symmetric: false, reinterpret: true } as const;
const unsigned = { symmetric: false, reinterpret: false } as const;

// Each variant is a Verilator build of tens of seconds (an FP32 adder per unit): the default run
// covers every format, weight width and table kind once; make regress adds the rest.
const FP_DEFAULT_CASES: readonly Partial<TensorCoreConfig>[] = [
  { act: 'fp16', wbits: 2, k: 4, ...symmetric },
  { act: 'bf16', wbits: 4, k: 3, ...symmetric },
  { act: 'fp8e4m3', wbits: 1, k: 5, ...symmetric },
  { act: 'fp16', wbits: 1, k: 2, ...naive },
  { act: 'bf16', wbits: 3, k: 2, ...unsigned },
];

const FP_REGRESS_CASES: readonly Partial<TensorCoreConfig>[] = [
  { act: 'fp16', wbits: 4, k: 4, ...symmetric },
  { act: 'fp8e4m3', wbits: 2, k: 4, ...symmetric },
  { act: 'bf16', wbits: 2, k: 4, ...naive },
  { act: 'fp8e4m3', wbits: 2, k: 1, ...symmetric },
  { act: 'fp16', wbits: 4, k: 3, ...unsigned },
];

/** The floating-point variants: the default ones, then (under make regress) the rest. */
export function fpCases(regress: boolean): readonly Partial<TensorCoreConfig>[] {
  return regress ? [...FP_DEFAULT_CASES, ...FP_REGRESS_CASES] : FP_DEFAULT_CASES;
}

export function fpConfigOf(variant: Partial<TensorCoreConfig>): TensorCoreConfig {
  return tensorCoreConfig.parse({ m: 2, n: 3, maxK: 40, ...variant });
}

/** The floating-point engine that runs on both simulators. */
export const FP_ICARUS_CONFIG = tensorCoreConfig.parse({ m: 2, n: 3, k: 4, maxK: 40, act: 'fp16' });

export function tensorCoreRegressionConfigs(regress: boolean): RegressionConfig[] {
  const of = (config: TensorCoreConfig, origin: string): RegressionConfig => ({ generator: 'tensor-core', config, origin });
  return [
    ...intCasesFor(regress).map((variant) => of(intConfigOf(variant), 'lut-tensor-core/regression.test.ts')),
    of(INT_ICARUS_CONFIG, 'lut-tensor-core/regression.test.ts (Icarus)'),
    of(INT_BUSY_CONFIG, 'lut-tensor-core/regression.test.ts (cycles)'),
    ...fpCases(regress).map((variant) => of(fpConfigOf(variant), 'lut-tensor-core/fp-regression.test.ts')),
    of(FP_ICARUS_CONFIG, 'lut-tensor-core/fp-regression.test.ts (Icarus)'),
  ];
}
