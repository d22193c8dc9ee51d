// The structural cycle budget of a LUT-LLM run: the ideal is the analytic one, and the replay of
// the lookup loop gives the cycles the simulations measured (the README's benchmark, the run from
// issue 20 re-measured with centroidsPerPe, and issue 21's engines with positions in parallel,
// all Verilator); the simulated comparisons are in tb/cli/run-lut-llm.test.ts and the cycle
// check of tb/generators/lut-llm/hardware.test.ts.

import { describe, expect, it } from 'vitest';
import { lutLlmConfig } from '../../../generators/lut-llm/config.js';
import { lutLlmCycleBudget, type LutLlmCycleBudget } from '../../../generators/lut-llm/cycle-budget.js';
import { lutLlmIdealCycles } from '../../../generators/lut-llm/pack.js';

const total = (budget: LutLlmCycleBudget): number => budget.ideal + budget.idleLanes + budget.fill + budget.drain + budget.tableLoading + budget.searchWaits;
const dims = (T: number, K: number, N: number, groupCols = 512) => ({ T, P: K / 2, N, G: Math.ceil(N / groupCols) });

describe('lutLlmCycleBudget', () => {
  it('has the analytic ideal and counts the idle lanes of a ragged last chunk', () => {
    const config = lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4 });
    const budget = lutLlmCycleBudget(config, dims(3, 32, 19, 8));
    expect(budget.ideal).toBe(lutLlmIdealCycles(config, { T: 3, P: 16, N: 19 }));
    expect(budget.ideal).toBe(228);
    // 19 columns take 5 chunks of 4: 20 lanes per (token, position), one idle.
    expect(budget.idleLanes).toBe(3 * 16 * 20 / 4 - 228);
    expect(budget).toEqual({ ideal: 228, idleLanes: 12, fill: 12, drain: 5, tableLoading: 0, searchWaits: 0 });
  });

  it("gives the default engine's measured cycles: 32,844 for 2048 x 2048 at T = 1 (README), 2,117 for the 128 x 64 layer at T = 4", () => {
    const config = lutLlmConfig.parse({});
    expect(total(lutLlmCycleBudget(lutLlmConfig.parse({ maxK: 2048 }), dims(1, 2048, 2048)))).toBe(32_844);
    expect(total(lutLlmCycleBudget(lutLlmConfig.parse({ maxK: 2048 }), dims(32, 2048, 2048)))).toBe(1_048_652);
    // 64 columns are one chunk: a step every cycle would take a new index every 4 cycles at T = 4,
    // but each PE handles 8 centroids (sized for 8 chunks), so the search gives one every 8 cycles
    // and hides the table loading. Its chain of 8 such PEs takes 64 cycles of the fill.
    expect(lutLlmCycleBudget(config, dims(4, 128, 64))).toEqual({ ideal: 256, idleLanes: 0, fill: 71, drain: 5, tableLoading: 0, searchWaits: 1785 });
  });

  it('gives the measured cycles of engines with positions in parallel (Verilator)', () => {
    const small = (overrides: object) => lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4, ...overrides });
    // P' 2 from one unit (U < P'), P' 3 from 3 units with 2 centroids per PE, P' 4 from 2 units.
    expect(total(lutLlmCycleBudget(small({ positionsPerCycle: 2 }), dims(1, 32, 19, 8)))).toBe(60);
    expect(lutLlmCycleBudget(small({ positionsPerCycle: 2 }), dims(3, 14, 8, 8))).toEqual({ ideal: 21, idleLanes: 3, fill: 13, drain: 5, tableLoading: 0, searchWaits: 0 });
    expect(total(lutLlmCycleBudget(small({ positionsPerCycle: 3 }), dims(1, 32, 19, 8)))).toBe(49);
    expect(total(lutLlmCycleBudget(small({ positionsPerCycle: 3 }), dims(4, 30, 5, 8)))).toBe(57);
    expect(lutLlmCycleBudget(small({ positionsPerCycle: 4, searchUnits: 2, act: 'int16' }), dims(4, 30, 5, 8))).toEqual({ ideal: 19, idleLanes: 13, fill: 14, drain: 5, tableLoading: 0, searchWaits: 0 });
    // U 4 > P' 2 with 4 centroids per PE: the search keeps the average rate but not every token's.
    expect(lutLlmCycleBudget(small({ positionsPerCycle: 2, searchUnits: 4, act: 'int16' }), dims(3, 14, 8, 8))).toEqual({ ideal: 21, idleLanes: 3, fill: 15, drain: 5, tableLoading: 0, searchWaits: 4 });
    // A single column group of 2 chunks where the search is sized for 4: search-bound.
    expect(lutLlmCycleBudget(small({ positionsPerCycle: 2, groupCols: 16, act: 'int16' }), dims(4, 30, 5, 16))).toEqual({ ideal: 38, idleLanes: 26, fill: 20, drain: 5, tableLoading: 0, searchWaits: 48 });
  });

  it('hides table loading once the tokens use a table as long as it takes to load, and drains 3 more cycles with dequant', () => {
    const config = lutLlmConfig.parse({ dequant: true });
    expect(lutLlmCycleBudget(config, dims(8, 128, 64)).tableLoading).toBe(0);
    expect(lutLlmCycleBudget(config, dims(8, 128, 64)).drain).toBe(8);
  });
});
