// The markdown report is a pure function over reports: checked here without running Yosys, on a
// two-module hierarchy (a top with two instances of a child).

import { describe, expect, it } from 'vitest';
import { markdownReport, OWN_DESIGN_NOTE } from '../../synth/report.js';
import { COMPARABILITY_NOTE, type SynthReport } from '../../synth/synthesize.js';

function report(flattened: boolean): SynthReport {
  const child = { transistors: 100, cells: 20, depth: 4, memoryBits: 0, cellTypes: {}, instances: {} };
  const own = { transistors: 10, cells: 2, depth: 2, memoryBits: 0, cellTypes: {}, instances: { child: 2 } };
  return {
    target: 'cmos', top: 'top', transistors: 210, cells: 42, depth: 6, memoryBits: 0,
    flavour: 'embedded', yosys: 'test', boothMultipliers: true, cellTypes: {}, flattened, modules: { child, top: own }, note: COMPARABILITY_NOTE,
  };
}

describe('markdownReport', () => {
  it('says the instances are counted in the flattened top when it is flattened', () => {
    const text = markdownReport([report(true)]);
    expect(text).toContain('| **top** (total, flattened) | 1 | 210 | 42 | 6 |');
    expect(text).toContain('| child | 2 | 100 | 20 | 4 |');
    expect(text).toContain('"instances" says how often it occurs in the flattened top.');
  });

  it('speaks of no flattened top under --no-flatten, and says how the total is made', () => {
    const text = markdownReport([report(false)]);
    expect(text).toContain('| **top** (total, summed over the hierarchy) | 1 | 210 | 42 | 6 |');
    expect(text).not.toMatch(/flattened/);
    expect(text).toContain('"instances" says how often it occurs in the design, and the total sums each module\'s figures times its instances.');
  });

  it("compares with the papers' ratios only for the papers' engines", () => {
    expect(markdownReport([report(true)])).toContain(COMPARABILITY_NOTE);
    const own = markdownReport([report(true)], { comparedToPapers: false });
    expect(own).toContain(OWN_DESIGN_NOTE);
    expect(own).not.toMatch(/papers/);
  });
});
