// The LUT-LLM engine in Verilator against the golden model (golden/lut-llm.ts), bit for bit:
// distance x activation format x table width (a pairwise-covering half by default, every one under
// make regress), with the hardware dequantization on and off in a checkerboard so each pair of
// those sees both. Each variant runs four layers back to back:
// T = 1 with a ragged last group, T = maxT at K = maxK, a single position and column, and either
// NaN, infinities, signed zeros and subnormals (float formats) or full tables at maxK (int16);
// codebooks have ties and repeated centroids. Some variants look up 2 to 4 positions per step
// (cases.ts: fewer, as many and more search units than stages, 1 to 4 centroids per PE, P not a
// multiple of the stages). Then the corners: consecutive updates of one accumulator word, odd
// shapes with several search units, throttled streams, scale groups (a (scale, zero) pair per N / S
// columns) in the odd-shape and throttled dequant engines, Icarus, and the cycle count against the
// ideal and the structural replay. Each Verilator build takes a few seconds (6 PEs per unit, 4
// lookups per cycle per stage).

import { describe, expect, it } from 'vitest';
import type { LutLlmConfig } from '../../../generators/lut-llm/config.js';
import { lutLlmCycleBudget } from '../../../generators/lut-llm/cycle-budget.js';
import { lutLlmIdealCycles } from '../../../generators/lut-llm/pack.js';
import { seededRandom } from '../matmul-regression.js';
import { BUSY_CONFIG, combinations, FORWARDING_CONFIG, ICARUS_CONFIG, LARGER_CONFIGS, ODD_SHAPE_CONFIGS, smallConfig, THROTTLED_CONFIGS, variantsOf } from './cases.js';
import { expectLutLlmMatchesGolden, throttledEngine, type LutLlmRun } from './engine-harness.js';
import { randomLayer } from './random-layer.js';

const REGRESS = process.env['LUTFORGE_REGRESS'] === '1';

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

// A pairwise-covering half of the 18 combinations by default, all of them under make regress
// (see cases.ts).
const variants = variantsOf(REGRESS);

describe.concurrent('lut-llm engine on Verilator equals the golden model', () => {
  it.each(variants)('$distance, $act, $tableBits-bit tables, dequant $dequant, $positionsPerCycle positions per step', async (variant) => {
    const config = smallConfig(variant);
    const seed = combinations.indexOf(variant) + 1;
    await expectLutLlmMatchesGolden(config, standardRuns(config, seed));
    if (REGRESS) await expectLutLlmMatchesGolden(config, standardRuns(config, seed + 100));
  });

  it('forwards the sum when one accumulator word is updated in consecutive cycles (T * chunks = 1), 2 positions per step', async () => {
    const config = FORWARDING_CONFIG;
    await expectLutLlmMatchesGolden(config, [
      randomLayer(config, { T: 1, K: 32, N: 9, seed: 41 }),
      randomLayer(config, { T: 2, K: 14, N: 4, seed: 42 }),
    ]);
  });

  it('handles odd shapes: v 3 and v 1, Ca 10 and 3, Cw 5, 3 search units, 3 positions per step from 1 unit, chunks of 2 and 3 columns', async () => {
    for (const [i, config] of ODD_SHAPE_CONFIGS.entries()) {
      const runs = [
        randomLayer(config, { T: config.maxT, K: config.maxK, N: 13, seed: 50 + i }),
        randomLayer(config, { T: 1, K: config.maxK - 2 * config.v, N: 5, seed: 60 + i }),
        // With dequant, a pair per column group, then per two: three chunks and T tokens per pair.
        ...(config.dequant ? [4, 2].map((S, j) => randomLayer(config, { T: 2, K: 4 * config.v, N: 4 * config.groupCols, seed: 70 + j, scaleGroups: S })) : []),
      ];
      await expectLutLlmMatchesGolden(config, runs);
    }
  });

  it('holds while out is refused and waits for late beats on every stream (throttled), forwarding included', async () => {
    for (const [i, config] of THROTTLED_CONFIGS.entries()) {
      // With dequant, also three pairs arriving on a throttled `scales` stream.
      const grouped = config.dequant ? [randomLayer(config, { T: 2, K: 6, N: 3 * config.groupCols, seed: 97, scaleGroups: 3 })] : [];
      await expectLutLlmMatchesGolden(config, [...standardRuns(config, 90 + i), ...grouped], { design: throttledEngine(config, 1234 + i) });
    }
  });

  it('Icarus agrees with Verilator, cycle for cycle (the second simulator)', async () => {
    const config = ICARUS_CONFIG;
    // The short runs (a ragged T = 1 layer, a single position and column): Icarus is slow.
    const [ragged, , single] = standardRuns(config, 95);
    const runs = [ragged!, single!];
    const verilator = await expectLutLlmMatchesGolden(config, runs);
    const icarus = await expectLutLlmMatchesGolden(config, runs, { simulator: 'icarus' });
    expect(icarus.cycles).toBe(verilator.cycles);
  });

  it('keeps the lookups busy: no bubble per table at T = 1 or T = 4, a start-up of a few dozen cycles, as the replay says', async () => {
    // 32 tables per run (16 positions, 2 per step, 4 groups): one bubble per table would cost 32 cycles.
    const config = BUSY_CONFIG;
    for (const T of [1, 4]) {
      const run = randomLayer(config, { T, K: 32, N: 32, seed: 100 + T });
      const { cycles } = await expectLutLlmMatchesGolden(config, [run]);
      const dims = { T, P: 16, N: 32, G: 4 };
      const ideal = lutLlmIdealCycles(config, dims);
      expect(ideal).toBe((T * 16 * 8) / 2);
      expect(cycles - ideal).toBeLessThanOrEqual(30);
      const budget = lutLlmCycleBudget(config, dims);
      expect(cycles).toBe(budget.ideal + budget.idleLanes + budget.fill + budget.drain + budget.tableLoading + budget.searchWaits);
    }
  });

  it.runIf(REGRESS)('larger searches: Ca 16 and 64 with the paper\'s chains of 16, Cw 16, 8 lookups per cycle', async () => {
    for (const [i, config] of LARGER_CONFIGS.entries()) {
      await expectLutLlmMatchesGolden(config, standardRuns(config, 110 + i));
    }
  });
});
