// The LUT-LLM engine in Verilator against the golden model (tb/golden/lut-llm.ts), bit for bit:
// distance x activation format x table width (a pairwise-covering half by default, every one under
// make regress), with the hardware dequantization on and off in a checkerboard so each pair of
// those sees both. Each variant runs four layers back to back:
// T = 1 with a ragged last group, T = maxT at K = maxK, a single position and column, and either
// NaN, infinities, signed zeros and subnormals (float formats) or full tables at maxK (int16);
// codebooks have ties and repeated centroids. Then the corners: consecutive updates of one
// accumulator word, odd shapes with several search units, throttled streams, Icarus, and the cycle
// count against the ideal. Each Verilator build takes a few seconds (6 PEs, 4 lookups per cycle).

import { describe, expect, it } from 'vitest';
import { lutLlmConfig, type LutLlmConfig } from '../../../generators/lut-llm/config.js';
import { lutLlmIdealCycles } from '../../../generators/lut-llm/pack.js';
import { seededRandom } from '../matmul-regression.js';
import { expectLutLlmMatchesGolden, throttledEngine, type LutLlmRun } from './engine-harness.js';
import { randomLayer } from './random-layer.js';

const REGRESS = process.env['LUTFORGE_REGRESS'] === '1';

/**
 * Small enough that each Verilator build takes seconds: 6 PEs in 3 chains of 2 (an odd argmin
 * tree), tables of 2 beats with 2 padding rows, 4 lookups per cycle, 2 chunks per group.
 */
function smallConfig(overrides: Partial<LutLlmConfig> = {}): LutLlmConfig {
  return lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4, ...overrides });
}

/** Four runs back to back (see the header). */
function standardRuns(config: LutLlmConfig, seed: number): LutLlmRun[] {
  const random = seededRandom(seed);
  const v = config.v;
  const extreme =
    config.act === 'int16'
      ? randomLayer(config, { T: 2, K: config.maxK, N: 6, seed: seed * 10 + 4, fullTables: true })
      : randomLayer(config, { T: config.maxT, K: 6 * v, N: 5, seed: seed * 10 + 4, specials: true });
  return [
    randomLayer(config, { T: 1, K: v * random(1, config.maxK / v), N: random(1, 3 * config.groupCols), seed: seed * 10 + 1 }),
    randomLayer(config, { T: config.maxT, K: config.maxK, N: 2 * config.groupCols + random(1, config.groupCols - 1), seed: seed * 10 + 2 }),
    randomLayer(config, { T: random(2, config.maxT), K: v, N: 1, seed: seed * 10 + 3 }),
    extreme,
  ];
}

const DISTANCES = ['linf', 'l1', 'l2'] as const;
const ACTS = ['fp32', 'fp16', 'int16'] as const;
const TABLE_BITS = [4, 8] as const;
const combinations = DISTANCES.flatMap((distance, d) =>
  ACTS.flatMap((act, a) => TABLE_BITS.map((tableBits, b) => ({ distance, act, tableBits, dequant: (d + a + b) % 2 === 1 }))),
);

// By default a half of the 18 that still covers every pair of values of any two of distance, act,
// table width and dequant (chosen by exhaustive search); all 18 under make regress. Each variant
// is a Verilator build of its own, and the default suite has a 10-minute budget.
const PAIRWISE = new Set([0, 2, 5, 6, 8, 11, 13, 15, 16]);
const variants = REGRESS ? combinations : combinations.filter((_, i) => PAIRWISE.has(i));

describe.concurrent('lut-llm engine on Verilator equals the golden model', () => {
  it.each(variants)('$distance, $act, $tableBits-bit tables, dequant $dequant', async (variant) => {
    const config = smallConfig(variant);
    const seed = combinations.indexOf(variant) + 1;
    await expectLutLlmMatchesGolden(config, standardRuns(config, seed));
    if (REGRESS) await expectLutLlmMatchesGolden(config, standardRuns(config, seed + 100));
  });

  it('forwards the sum when one accumulator word is updated in consecutive cycles (T * chunks = 1)', async () => {
    // groupCols = lookupsPerCycle: one chunk, so at T = 1 every step adds into word 0.
    const config = smallConfig({ groupCols: 4, lookupsPerCycle: 4, act: 'int16' });
    await expectLutLlmMatchesGolden(config, [
      randomLayer(config, { T: 1, K: 32, N: 9, seed: 41 }),
      randomLayer(config, { T: 2, K: 14, N: 4, seed: 42 }),
    ]);
  });

  it('handles odd shapes: v 3 and v 1, Ca 10 and 3, Cw 5, 3 search units, chunks of 2 and 3 columns', async () => {
    const shapes = [
      // Chains of 3, 3, 3 and 1 PEs; positions dealt to 3 units, the last group of positions partial.
      { v: 3, ca: 10, cw: 5, groupCols: 6, lookupsPerCycle: 2, maxK: 30, maxT: 3, searchUnits: 3, distance: 'l1', act: 'int16' },
      // FP32 l2 over v = 3: squares, then two sequential FP32 sums; chains of one PE.
      { v: 3, ca: 3, cw: 5, groupCols: 6, lookupsPerCycle: 2, maxK: 30, maxT: 3, distance: 'l2', act: 'fp32', dequant: true },
      { v: 1, ca: 2, cw: 2, groupCols: 3, lookupsPerCycle: 3, maxK: 5, maxT: 1, distance: 'l2', act: 'int16', tableBits: 4 },
    ] as const;
    for (const [i, shape] of shapes.entries()) {
      const config = lutLlmConfig.parse(shape);
      const runs = [
        randomLayer(config, { T: config.maxT, K: config.maxK, N: 13, seed: 50 + i }),
        randomLayer(config, { T: 1, K: config.maxK - 2 * config.v, N: 5, seed: 60 + i }),
      ];
      await expectLutLlmMatchesGolden(config, runs);
    }
  });

  it('holds while out is refused and waits for late beats on every stream (throttled), forwarding included', async () => {
    const variants: Partial<LutLlmConfig>[] = [{ distance: 'l1', dequant: true }, { distance: 'linf', groupCols: 4 }];
    for (const [i, overrides] of variants.entries()) {
      const config = smallConfig({ act: 'int16', ...overrides });
      await expectLutLlmMatchesGolden(config, standardRuns(config, 90 + i), { design: throttledEngine(config, 1234 + i) });
    }
  });

  it('Icarus agrees with Verilator, cycle for cycle (the second simulator)', async () => {
    const config = smallConfig({ act: 'int16', distance: 'l2', tableBits: 8, dequant: true });
    const runs = standardRuns(config, 95).slice(0, 2);
    const verilator = await expectLutLlmMatchesGolden(config, runs);
    const icarus = await expectLutLlmMatchesGolden(config, runs, { simulator: 'icarus' });
    expect(icarus.cycles).toBe(verilator.cycles);
  });

  it('keeps the lookups busy: no bubble per table at T = 1 or T = 4, a start-up of a few dozen cycles', async () => {
    // 64 tables per run: one bubble per table would cost 64 cycles.
    const config = smallConfig({ act: 'int16', distance: 'linf', tableBits: 4 });
    for (const T of [1, 4]) {
      const run = randomLayer(config, { T, K: 32, N: 32, seed: 100 + T });
      const { cycles } = await expectLutLlmMatchesGolden(config, [run]);
      const ideal = lutLlmIdealCycles(config, { T, P: 16, N: 32 });
      expect(ideal).toBe(T * 16 * 8);
      expect(cycles - ideal).toBeLessThanOrEqual(30);
    }
  });

  it.runIf(REGRESS)('larger searches: Ca 16 and 64 with the paper\'s chains of 16, Cw 16, 8 lookups per cycle', async () => {
    for (const [i, ca] of [16, 64].entries()) {
      const config = lutLlmConfig.parse({ v: 2, ca, cw: 16, groupCols: 16, lookupsPerCycle: 8, maxK: 64, maxT: 4, distance: DISTANCES[i]! });
      await expectLutLlmMatchesGolden(config, standardRuns(config, 110 + i));
    }
  });
});
