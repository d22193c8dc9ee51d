// The synthesis flow on real Yosys: every target on a small hierarchical design, the per-module
// breakdown, the cache, the system Yosys against the embedded one, and bad input.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownReport } from '../../synth/report.js';
import { SynthInputError, type YosysFlavour } from '../../synth/runner.js';
import { CELL_NOTE, COMPARABILITY_NOTE, synthesize, synthesizeAll, type SynthReport } from '../../synth/synthesize.js';
import { FIGURE_KEYS, SYNTH_TARGETS } from '../../synth/targets.js';
import { combinationalLoop, counter, syntaxError } from '../fixtures/designs.js';
import { handWrittenLatch } from './fixtures.js';

const systemYosys = (() => {
  try {
    execFileSync(process.env.YOSYS ?? 'yosys', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let cacheDir: string;
const reports = new Map<string, SynthReport>();

// One parallel batch for the whole file: the fixture counter (increment8 inside counter) on
// every target, so each test below only reads results.
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'lutforge-synth-'));
  const results = await synthesizeAll(SYNTH_TARGETS.map((target) => ({ design: counter, target })), { cacheDir });
  for (const { report } of results) reports.set(report.target, report);
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function reportFor(target: string): SynthReport {
  const report = reports.get(target);
  if (report === undefined) throw new Error(`no ${target} report`);
  return report;
}

describe('every target', () => {
  it.each(SYNTH_TARGETS)('%s reports its figures at the top level, for the top and per module', (target) => {
    const report = reportFor(target);
    expect(report).toMatchObject({ target, top: 'counter', flavour: 'embedded', note: target === 'osu018' ? CELL_NOTE : COMPARABILITY_NOTE });
    for (const key of FIGURE_KEYS[target]) expect(typeof (report as unknown as Record<string, unknown>)[key]).toBe('number');
    // The standard-cell flow maps the flattened design: its one module is the top.
    expect(Object.keys(report.modules)).toEqual(target === 'osu018' ? ['counter'] : ['increment8', 'counter']);
  });

  it('cmos: transistors, gates and depth; the hierarchy adds up to the flattened top', () => {
    const report = reportFor('cmos');
    if (report.target !== 'cmos') throw new Error('unreachable');
    const { increment8, counter: top } = report.modules;
    expect(top?.instances).toEqual({ increment8: 1 });
    expect(top?.cellTypes).toMatchObject({ $_DFF_P_: 8 });
    expect(report.transistors).toBe((increment8?.transistors ?? 0) + (top?.transistors ?? 0));
    expect(report.cells).toBe((increment8?.cells ?? 0) + (top?.cells ?? 0));
    // The flattened path runs through the incrementer and on into the counter's mux.
    expect(report.depth).toBeGreaterThan(Math.max(increment8?.depth ?? 0, top?.depth ?? 0));
    for (const type of Object.keys(report.cellTypes)) expect(type).toMatch(/^\$_(NAND|NOR|NOT|AOI3|OAI3|AOI4|OAI4|DFF_P)_$/);
  });

  it('without flattening, sums the hierarchy: the same totals, a depth that stops at module edges', async () => {
    const { report } = await synthesize(counter, 'cmos', { cacheDir, flatten: false });
    const flat = reportFor('cmos');
    if (report.target !== 'cmos' || flat.target !== 'cmos') throw new Error('unreachable');
    expect(flat.flattened).toBe(true);
    expect(report.flattened).toBe(false);
    expect({ transistors: report.transistors, cells: report.cells, memoryBits: report.memoryBits }).toEqual({
      transistors: flat.transistors,
      cells: flat.cells,
      memoryBits: flat.memoryBits,
    });
    expect(report.cellTypes).toEqual(flat.cellTypes);
    expect(report.depth).toBe(Math.max(...Object.values(report.modules).map((module) => module.depth)));
    expect(report.depth).toBeLessThan(flat.depth);
  });

  it('xilinx: 8 flip-flops in the counter, the carry chain in the incrementer', () => {
    const report = reportFor('xilinx');
    if (report.target !== 'xilinx') throw new Error('unreachable');
    expect(report).toMatchObject({ ff: 8, bram: 0, uram: 0, dsp: 0, lutram: 0 });
    expect(report.modules.counter).toMatchObject({ ff: 8, carry: 0 });
    expect(report.modules.increment8?.ff).toBe(0);
    expect(report.modules.increment8?.carry).toBeGreaterThan(0);
  });

  it('ice40: 8 flip-flops and LUT4s, no RAM or DSP', () => {
    const report = reportFor('ice40');
    if (report.target !== 'ice40') throw new Error('unreachable');
    expect(report).toMatchObject({ ff: 8, bram: 0, dsp: 0 });
    expect(report.lut).toBe((report.modules.increment8?.lut ?? 0) + (report.modules.counter?.lut ?? 0));
  });

  it('renders a markdown table with the per-module breakdown and the comparability note', () => {
    const text = markdownReport([reportFor('cmos')]);
    expect(text).toContain('| module | instances | transistors | cells | depth |');
    expect(text).toMatch(/\| \*\*counter\*\* \(total, flattened\) \| 1 \| \d+ \| \d+ \| \d+ \|/);
    expect(text).toMatch(/\| increment8 \| 1 \| \d+ \| \d+ \| \d+ \|/);
    expect(text).toContain(COMPARABILITY_NOTE);
  });
});

describe('the cache', () => {
  it('answers an unchanged design without running Yosys, with the same report', async () => {
    const again = await synthesize(counter, 'cmos', { cacheDir });
    expect(again.cached).toBe(true);
    expect(again.report).toEqual(reportFor('cmos'));
  });

  it('misses when the Verilog changes', async () => {
    const changed = { ...counter, modules: counter.modules.map((m) => ({ ...m, text: `${m.text}// edited\n` })) };
    expect((await synthesize(changed, 'cmos', { cacheDir })).cached).toBe(false);
  });
});

describe.skipIf(!systemYosys)('the system Yosys', () => {
  // Booth encoding needs Yosys 0.33 or later: the flag says which, and the counter has no multiplier.
  it.each(SYNTH_TARGETS.filter((target) => target !== 'osu018'))('gives the same %s figures as the embedded one on a small design', async (target) => {
    const { report, cached } = await synthesize(counter, target, { flavour: 'system', cacheDir });
    expect(cached).toBe(false);
    expect(report.flavour).toBe('system');
    expect(report.yosys).toMatch(/^Yosys \d+\.\d+/);
    const { flavour: _f, yosys: _y, boothMultipliers: _b, ...rest } = report;
    const { flavour: _f2, yosys: _y2, boothMultipliers: _b2, ...embedded } = reportFor(target);
    expect(rest).toEqual(embedded);
  });

  // ABC differs between the two builds, so the cells do too: the same library, a close area.
  it('maps to the same standard cells as the embedded one, within 15% of its area', async () => {
    const { report } = await synthesize(counter, 'osu018', { flavour: 'system', cacheDir });
    const embedded = reportFor('osu018');
    if (report.target !== 'osu018' || embedded.target !== 'osu018') throw new Error('unreachable');
    expect(Math.abs(report.areaUm2 - embedded.areaUm2) / embedded.areaUm2).toBeLessThan(0.15);
    expect(report.cellTypes).toHaveProperty('DFFPOSX1', 8);
    expect(report.criticalPathNs).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  it('Verilog that Yosys rejects: Yosys’ own message', async () => {
    const failure = synthesize(syntaxError, 'cmos', { cacheDir: null });
    await expect(failure).rejects.toBeInstanceOf(SynthInputError);
    await expect(failure).rejects.toThrow(/Yosys rejected design 'broken' in `read_verilog broken.v`:\nbroken.v:5: ERROR: syntax error, unexpected ';'/);
  });

  it('an unknown target', async () => {
    await expect(synthesize(counter, 'asic7nm', { cacheDir: null })).rejects.toThrow(
      new SynthInputError("unknown synthesis target 'asic7nm' (known: cmos, osu018, xilinx, ice40)"),
    );
  });

  it.each(SYNTH_TARGETS.flatMap((target) => [[target, 'embedded'], ...(systemYosys ? [[target, 'system']] : [])] as [string, YosysFlavour][]))(
    'a hand-written latch fails %s (%s Yosys), naming the signal', async (target, flavour) => {
    await expect(synthesize(handWrittenLatch, target, { flavour, cacheDir: null })).rejects.toThrow(
      new SynthInputError("design 'latch' has a latch: 'latch.q' (a combinational signal not assigned on every path)"),
    );
  });

  it('a combinational loop fails check -assert, listing its cells', async () => {
    const failure = synthesize(combinationalLoop, 'cmos', { cacheDir: null });
    await expect(failure).rejects.toThrow(/design 'comb_loop' fails the design rule check \(check -assert\):\nWarning: found logic loop in module comb_loop/);
    await expect(failure).rejects.toThrow(/ERROR: Found 1 problems in 'check -assert'/);
  });
});
