// The CI synthesis check: every registered generator, at a small size, synthesized on every gate
// target (each run starts with `check -assert` and the latch check, so passing means the emitted
// Verilog is clean for Yosys). `make regress` (LUTFORGE_REGRESS=1) adds the large sizes on cmos and
// the standard-cell target, whose mapping and timing of every generator would add minutes to
// `make test`; there the standard-cell flow is tested on the counter, the tensor core and MAC.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { figuresOf, synthesizeAll, type SynthReport } from '../../synth/synthesize.js';
import { SYNTH_TARGETS } from '../../synth/targets.js';

/** Small sizes for the default suite; generators not listed run with their defaults. */
const SMALL: Readonly<Record<string, Record<string, unknown>>> = {
  'tensor-core': { n: 8, maxK: 256 },
  mac: { n: 8, maxK: 256 },
  add: { n: 8, maxK: 256 },
  'lut-llm': { ca: 8, cw: 4, groupCols: 16, lookupsPerCycle: 8, maxK: 64, maxT: 4 },
  'dot-product': { units: 8, maxK: 256 },
};

/** Large sizes for `make regress`; generators not listed run with their defaults only. */
const LARGE: Readonly<Record<string, Record<string, unknown>>> = {
  counter: { modulo: 2 ** 32 },
  'adder-tree': { inputs: 256, width: 16, levelsPerStage: 2 },
  fifo: { width: 64, depth: 64 },
  'tensor-core': {},
  mac: {},
  add: {},
  'lut-llm': {},
  'dot-product': {},
};

/**
 * Registered generators this check leaves out, each synthesized elsewhere. The decoder block takes
 * minutes to synthesize even at its smallest (it holds a whole LUT-LLM engine and seven FP32
 * kernels): `scripts/bench-lut-llm-block.ts` synthesizes it for xilinx, its simulated test runs
 * Yosys `check -assert` on it, and `make regress` synthesizes a small one below.
 */
const ELSEWHERE = new Set(['lut-llm-block']);
const names = [...registry.keys()].filter((name) => !ELSEWHERE.has(name)).sort();
const TARGETS = SYNTH_TARGETS.filter((target) => target !== 'osu018' || process.env.LUTFORGE_REGRESS);
let cacheDir: string;
const small = new Map<string, SynthReport>();

function designOf(name: string, config: Record<string, unknown>) {
  const spec = registry.get(name);
  if (spec === undefined) throw new Error(`no generator ${name}`);
  return spec.generate(spec.schema.parse(config));
}

beforeAll(async () => {
  // A fresh cache: this is the check that the Verilog of today passes today's Yosys.
  cacheDir = await mkdtemp(join(tmpdir(), 'lutforge-synth-examples-'));
  const jobs = names.flatMap((name) => TARGETS.map((target) => ({ design: designOf(name, SMALL[name] ?? {}), target, name })));
  const results = await synthesizeAll(jobs, { cacheDir });
  results.forEach((result, index) => small.set(`${jobs[index]?.name}/${result.report.target}`, result.report));
  // Every generator on every target from a cold cache: minutes when the other test files share the cores.
}, 600_000);
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('every registered generator at its default (small) size', () => {
  it('is registered at all', () => {
    expect(names).toEqual(expect.arrayContaining(['adder-tree', 'counter', 'fifo']));
  });

  it.each(names)('%s passes check -assert and synthesizes to non-zero logic on every target', (name) => {
    for (const target of TARGETS) {
      const report = small.get(`${name}/${target}`);
      expect(report, `${name} on ${target}`).toBeDefined();
      if (report === undefined) continue;
      const figures = figuresOf(report.target, report);
      const logic = target === 'cmos' || target === 'osu018' ? figures.cells : figures.lut;
      expect(logic, `${name} on ${target}`).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(!process.env.LUTFORGE_REGRESS)('large sizes (make regress)', () => {
  // xilinx only: ice40 has no distributed RAM for the engine's dequantization pairs.
  it('lut-llm-block synthesizes for xilinx and passes check -assert', async () => {
    const [result] = await synthesizeAll([{ design: designOf('lut-llm-block', { maxSeq: 8, maxT: 1 }), target: 'xilinx' }], { cacheDir });
    expect(result?.report.target).toBe('xilinx');
    if (result?.report.target === 'xilinx') expect(figuresOf('xilinx', result.report).lut).toBeGreaterThan(0);
  }, 3_600_000);

  it.each(Object.keys(LARGE))('%s synthesizes on cmos and passes check -assert', async (name) => {
    const [result] = await synthesizeAll([{ design: designOf(name, LARGE[name] ?? {}), target: 'cmos' }], { cacheDir });
    expect(result?.report.target).toBe('cmos');
    if (result?.report.target === 'cmos') expect(result.report.cells).toBeGreaterThan(0);
  });
});
