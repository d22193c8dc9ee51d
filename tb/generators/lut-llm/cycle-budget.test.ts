// The structural cycle budget of a LUT-LLM run: the ideal is the analytic one, and the replay of
// the lookup loop gives the cycles the simulations measured (the README's benchmark and the run
// from issue 20); the simulated comparison is in tb/cli/run-lut-llm.test.ts.

import { describe, expect, it } from 'vitest';
import { lutLlmConfig } from '../../../generators/lut-llm/config.js';
import { lutLlmCycleBudget, type LutLlmCycleBudget } from '../../../generators/lut-llm/cycle-budget.js';
import { lutLlmIdealCycles } from '../../../generators/lut-llm/pack.js';

const total = (budget: LutLlmCycleBudget): number => budget.ideal + budget.idleLanes + budget.fill + budget.drain + budget.tableLoading;
const dims = (T: number, K: number, N: number, groupCols = 512) => ({ T, P: K / 2, N, G: Math.ceil(N / groupCols) });

describe('lutLlmCycleBudget', () => {
  it('has the analytic ideal and counts the idle lanes of a ragged last chunk', () => {
    const config = lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4 });
    const budget = lutLlmCycleBudget(config, dims(3, 32, 19, 8));
    expect(budget.ideal).toBe(lutLlmIdealCycles(config, { T: 3, P: 16, N: 19 }));
    expect(budget.ideal).toBe(228);
    // 19 columns take 5 chunks of 4: 20 lanes per (token, position), one idle.
    expect(budget.idleLanes).toBe(3 * 16 * 20 / 4 - 228);
    expect(budget).toEqual({ ideal: 228, idleLanes: 12, fill: 10, drain: 5, tableLoading: 0 });
  });

  it("gives the default engine's measured cycles: 32,797 for 2048 x 2048 at T = 1 (README), 522 for the 128 x 64 layer at T = 4", () => {
    const config = lutLlmConfig.parse({});
    expect(total(lutLlmCycleBudget(lutLlmConfig.parse({ maxK: 2048 }), dims(1, 2048, 2048)))).toBe(32_797);
    expect(total(lutLlmCycleBudget(lutLlmConfig.parse({ maxK: 2048 }), dims(32, 2048, 2048)))).toBe(1_048_605);
    // 64 columns are one chunk: a table of 8 beats serves 4 steps, so loading is half the run.
    expect(lutLlmCycleBudget(config, dims(4, 128, 64))).toEqual({ ideal: 256, idleLanes: 0, fill: 24, drain: 5, tableLoading: 237 });
  });

  it('hides table loading once the tokens use a table as long as it takes to load, and drains 3 more cycles with dequant', () => {
    const config = lutLlmConfig.parse({ dequant: true });
    expect(lutLlmCycleBudget(config, dims(8, 128, 64)).tableLoading).toBe(0);
    expect(lutLlmCycleBudget(config, dims(8, 128, 64)).drain).toBe(8);
  });
});
