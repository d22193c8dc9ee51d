// The configurations the LUT-LLM hardware regression (hardware.test.ts) simulates, apart from the
// test logic, so the three-tool lint (tb/cleanliness.test.ts) covers exactly what is simulated.
// The order of `combinations` is part of the regression: seeds are derived from a case's index.

import { lutLlmConfig, type LutLlmConfig } from '../../../generators/lut-llm/config.js';
import { DISTANCES } from '../../../contracts/lut-llm-layer.js';
import type { RegressionConfig } from '../regression-config.js';

/**
 * Small enough that each Verilator build takes seconds: 6 PEs in 3 chains of 2 (an odd argmin
 * tree), tables of 2 beats with 2 padding rows, 4 lookups per cycle, 2 chunks per group.
 */
export function smallConfig(overrides: Partial<LutLlmConfig> = {}): LutLlmConfig {
  return lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4, ...overrides });
}

const ACTS = ['fp32', 'fp16', 'int16'] as const;
const TABLE_BITS = [4, 8] as const;

/**
 * Positions in parallel on some variants (the rest keep one stage). With 2 chunks and maxP 16:
 * P' 2 gives U 1 < P' (two index banks per unit); P' 3 gives U = P' = 3 and 2 centroids per PE;
 * P' 4 gives U 2 < P'; searchUnits 4 at P' 2 gives U > P' (two banks per stage) and 4 centroids per
 * PE; searchUnits 1 at P' 3 is below the lookup rate (the lookups wait for the search); groupCols
 * 16 at P' 2 gives U 1 < P' with 2 centroids per PE. P' 1 keeps k = 2 (chunks 2). Several search
 * units only on int16 variants, whose PEs are small. Random K and K = maxK = 32 leave P a
 * non-multiple of 3 (and, at random K, of 2 and 4).
 */
const PARALLEL_POSITIONS: ReadonlyMap<number, Partial<LutLlmConfig>> = new Map<number, Partial<LutLlmConfig>>([
  [1, { positionsPerCycle: 4 }],
  [2, { positionsPerCycle: 2 }],
  [5, { positionsPerCycle: 2, searchUnits: 4 }],
  [8, { positionsPerCycle: 3, searchUnits: 1 }],
  [11, { positionsPerCycle: 3 }],
  [13, { positionsPerCycle: 2 }],
  [16, { positionsPerCycle: 2, groupCols: 16 }],
]);

export const combinations = DISTANCES.flatMap((distance, d) =>
  ACTS.flatMap((act, a) => TABLE_BITS.map((tableBits, b) => ({ distance, act, tableBits, dequant: (d + a + b) % 2 === 1, positionsPerCycle: 1, ...PARALLEL_POSITIONS.get(d * 6 + a * 2 + b) }))),
);

// By default a half of the 18 that still covers every pair of values of any two of distance, act,
// table width and dequant (chosen by exhaustive search); all 18 under make regress. Each variant
// is a Verilator build of its own, and the default suite has a 10-minute budget.
const PAIRWISE = new Set([0, 2, 5, 6, 8, 11, 13, 15, 16]);

/** The variants the main regression runs: the pairwise-covering half, or all under make regress. */
export function variantsOf(regress: boolean): typeof combinations {
  return regress ? combinations : combinations.filter((_, i) => PAIRWISE.has(i));
}

/** groupCols = lookupsPerCycle: one chunk, so at T = 1 every step adds into word 0 (two positions per step). */
export const FORWARDING_CONFIG = smallConfig({ groupCols: 4, lookupsPerCycle: 4, act: 'int16', positionsPerCycle: 2 });

export const ODD_SHAPE_CONFIGS: readonly LutLlmConfig[] = [
  // Chains of 3, 3, 3 and 1 PEs; positions dealt to 3 units, the last group of positions partial.
  { v: 3, ca: 10, cw: 5, groupCols: 6, lookupsPerCycle: 2, maxK: 30, maxT: 3, searchUnits: 3, distance: 'l1', act: 'int16' },
  // FP32 l2 over v = 3: squares, then two sequential FP32 sums; chains of one PE. 3 positions per
  // step from one unit: 3 index banks (a bank row of 3, not a power of two), P = 10 and 8 ragged.
  { v: 3, ca: 3, cw: 5, groupCols: 6, lookupsPerCycle: 2, maxK: 30, maxT: 3, distance: 'l2', act: 'fp32', dequant: true, positionsPerCycle: 3 },
  { v: 1, ca: 2, cw: 2, groupCols: 3, lookupsPerCycle: 3, maxK: 5, maxT: 1, distance: 'l2', act: 'int16', tableBits: 4 },
].map((shape) => lutLlmConfig.parse(shape));

/** The engines behind the throttling wrapper (throttledEngine), in the order their seeds follow. */
export const THROTTLED_CONFIGS: readonly LutLlmConfig[] = ([{ distance: 'l1', dequant: true }, { distance: 'linf', groupCols: 4 }] as const).map(
  (overrides) => smallConfig({ act: 'int16', ...overrides }),
);

/** The engine that runs on both simulators. */
export const ICARUS_CONFIG = smallConfig({ act: 'int16', distance: 'l2', tableBits: 8, dequant: true, positionsPerCycle: 2 });

/** The cycle-count check: two positions per step. */
export const BUSY_CONFIG = smallConfig({ act: 'int16', distance: 'linf', tableBits: 4, positionsPerCycle: 2 });

/** Make regress only: Ca 16 and 64 with the paper's chains of 16, Cw 16, 8 lookups per cycle. */
export const LARGER_CONFIGS: readonly LutLlmConfig[] = [16, 64].map((ca, i) =>
  lutLlmConfig.parse({ v: 2, ca, cw: 16, groupCols: 16, lookupsPerCycle: 8, maxK: 64, maxT: 4, distance: DISTANCES[i]! }),
);

export function lutLlmRegressionConfigs(regress: boolean): RegressionConfig[] {
  const of = (config: LutLlmConfig, origin: string): RegressionConfig => ({ generator: 'lut-llm', config, origin });
  const test = 'lut-llm/hardware.test.ts';
  return [
    ...variantsOf(regress).map((variant) => of(smallConfig(variant), test)),
    of(FORWARDING_CONFIG, `${test} (forwarding)`),
    ...ODD_SHAPE_CONFIGS.map((config) => of(config, `${test} (odd shapes)`)),
    ...THROTTLED_CONFIGS.map((config) => of(config, `${test} (throttled; the engine inside the wrapper)`)),
    of(ICARUS_CONFIG, `${test} (Icarus)`),
    of(BUSY_CONFIG, `${test} (cycles)`),
    ...(regress ? LARGER_CONFIGS.map((config) => of(config, `${test} (larger searches)`)) : []),
  ];
}
