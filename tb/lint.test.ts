import { describe, expect, it } from 'vitest';
import { formatLintReport, lintEverywhere } from './lint.js';
import { combinationalLoop, counter, unusedInput } from './fixtures/designs.js';

describe('lintEverywhere', () => {
  it('is ok when all three tools are clean', async () => {
    const report = await lintEverywhere(counter);
    expect(report.ok, formatLintReport(report)).toBe(true);
    expect(formatLintReport(report)).toBe('');
  });

  it('fails when any one tool complains, and says which', async () => {
    const unused = await lintEverywhere(unusedInput);
    expect(unused.ok).toBe(false);
    expect([unused.verilator.ok, unused.icarus.ok, unused.yosys.ok]).toEqual([false, true, true]);
    expect(formatLintReport(unused)).toMatch(/^--- verilator ---\n%Warning-UNUSEDSIGNAL/);

    const loop = await lintEverywhere(combinationalLoop);
    expect(loop.yosys.ok).toBe(false);
    expect(loop.verilator.messages).toContain('UNOPTFLAT');
  });
});
