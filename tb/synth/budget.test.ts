// Budgets are pure functions over reports: checked here without running Yosys.

import { describe, expect, it } from 'vitest';
import { checkBudget, formatBudgetDiff, parseBudget, withBaseline } from '../../synth/budget.js';
import { SynthInputError } from '../../synth/runner.js';
import { COMPARABILITY_NOTE, type SynthReport } from '../../synth/synthesize.js';

const cmos: SynthReport = {
  target: 'cmos', top: 'dut', transistors: 1050, cells: 200, depth: 12, memoryBits: 0,
  flavour: 'embedded', yosys: 'test', boothMultipliers: true, cellTypes: {}, flattened: true, modules: {}, note: COMPARABILITY_NOTE,
};
const xilinx: SynthReport = {
  target: 'xilinx', top: 'dut', lut: 90, ff: 40, carry: 2, lutram: 0, bram: 1.5, uram: 0, dsp: 0,
  flavour: 'embedded', yosys: 'test', boothMultipliers: true, cellTypes: {}, flattened: true, modules: {}, note: COMPARABILITY_NOTE,
};

describe('budgets', () => {
  it('passes when every figure is within its limit and its baseline growth', () => {
    const budget = parseBudget({ growthPercent: 5, limits: { xilinx: { lut: 100, bram: 2 } }, baseline: { cmos: { transistors: 1000, cells: 200, depth: 12 } } }, 'b.json');
    expect(checkBudget(budget, [cmos, xilinx])).toEqual({ checked: 5, violations: [] });
  });

  it('reports each exceeded figure with what allowed it, as a readable table', () => {
    const budget = parseBudget({ growthPercent: 2, limits: { xilinx: { lut: 80 } }, baseline: { cmos: { transistors: 1000, depth: 12 } } }, 'b.json');
    const { checked, violations } = checkBudget(budget, [cmos, xilinx]);
    expect(checked).toBe(3);
    expect(violations).toEqual([
      { target: 'cmos', figure: 'transistors', actual: 1050, allowed: 1020, source: 'baseline 1,000 +2%' },
      { target: 'xilinx', figure: 'lut', actual: 90, allowed: 80, source: 'limit' },
    ]);
    expect(formatBudgetDiff(violations)).toBe(
      [
        '  target  figure       allowed  actual  over          budget',
        '  cmos    transistors  1,020    1,050   +30 (+2.9%)   baseline 1,000 +2%',
        '  xilinx  lut          80       90      +10 (+12.5%)  limit',
      ].join('\n'),
    );
  });

  it('rejects unknown targets and misspelt figures instead of never checking them', () => {
    expect(() => parseBudget({ limits: { asic: { area: 1 } } }, 'b.json')).toThrow(new SynthInputError("invalid budget 'b.json': unknown target 'asic' in limits (known: cmos, osu018, xilinx, ice40)"));
    expect(() => parseBudget({ baseline: { xilinx: { luts: 1 } } }, 'b.json')).toThrow(/unknown figure 'luts' for xilinx in baseline \(known: lut, ff/);
    expect(() => parseBudget({ growthPercent: -1 }, 'b.json')).toThrow(/invalid budget 'b.json' at growthPercent/);
    expect(() => parseBudget({ extra: 1 }, 'b.json')).toThrow(SynthInputError);
  });

  it('a baseline replaces the targets it covers and keeps the rest of the budget', () => {
    const budget = withBaseline({ growthPercent: 3, limits: { xilinx: { lut: 5 } }, baseline: { ice40: { lut: 7 } } }, [cmos]);
    expect(budget).toEqual({
      growthPercent: 3,
      limits: { xilinx: { lut: 5 } },
      baseline: { ice40: { lut: 7 }, cmos: { transistors: 1050, cells: 200, depth: 12, memoryBits: 0 } },
    });
  });
});
