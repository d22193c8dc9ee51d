// `lutforge synth` in-process on real Yosys: the real `counter` and `fifo` generators plus
// hand-written designs for what the DSL cannot produce (a hierarchy of fixtures, Verilog that
// Yosys rejects, a latch). The synthesis cache (toolchain/cache-dir.ts) makes every
// run after the first of each design a cache hit.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import type { EmittedDesign } from '../../dsl/design.js';
import { counterGenerator } from '../../generators/examples/counter.js';
import { fifoGenerator } from '../../generators/examples/fifo.js';
import { createRegistry, defineGenerator } from '../../generators/registry.js';
import { counter as hierarchicalCounter, syntaxError } from '../fixtures/designs.js';
import { handWrittenLatch } from '../synth/fixtures.js';
import { listTree, makeTempDir, removeTempDir } from './cli-harness.js';
import { OWN_DESIGN_NOTE } from '../../synth/report.js';
import { COMPARABILITY_NOTE } from '../../synth/synthesize.js';

function fixture(name: string, design: EmittedDesign) {
  return defineGenerator({ name, description: `fixture ${name}`, schema: z.strictObject({}), generate: () => design });
}

const registry = createRegistry([
  counterGenerator,
  fifoGenerator,
  fixture('hier', hierarchicalCounter),
  fixture('broken', syntaxError),
  fixture('latch', handWrittenLatch),
  // A registered generator with a throughput is one of the papers' engines to `synth`.
  { ...counterGenerator, name: 'engine-like', throughput: () => ({ perCycle: 1, unit: 'MAC' }) },
]);

let cwd: string;
beforeAll(async () => {
  cwd = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(cwd);
});

async function lutforge(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    registry,
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('lutforge synth', () => {
  it('prints a markdown table on cmos by default, with what its figures compare with', async () => {
    const run = await lutforge('synth', 'counter', '--set', 'modulo=16');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('### counter on `cmos`');
    expect(run.stdout).toMatch(/\| \*\*counter\*\* \(total, flattened\) \| 1 \| [\d,]+ \| \d+ \| \d+ \|/);
    // The papers have no counter.
    expect(run.stdout).toContain(OWN_DESIGN_NOTE);
    expect(run.stdout).not.toMatch(/papers/);
    expect(run.stderr).toBe('');
  });

  it("compares a design that does matrix work with the papers' ratios", async () => {
    const run = await lutforge('synth', 'engine-like', '--set', 'modulo=16');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(COMPARABILITY_NOTE);
  });

  it('gives the JSON report the same note as the text one', async () => {
    const own = await lutforge('synth', 'counter', '--set', 'modulo=16', '--json');
    expect((JSON.parse(own.stdout) as { note: string }).note).toBe(OWN_DESIGN_NOTE);
    const engine = await lutforge('synth', 'engine-like', '--set', 'modulo=16', '--json');
    expect(JSON.parse(engine.stdout) as { note: string; throughput: unknown }).toMatchObject({ note: COMPARABILITY_NOTE, throughput: { perCycle: 1, unit: 'MAC' } });
  });

  it('--no-flatten sums the hierarchy and says so', async () => {
    const run = await lutforge('synth', 'counter', '--set', 'modulo=16', '--no-flatten');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\| \*\*counter\*\* \(total, summed over the hierarchy\) \| 1 \| [\d,]+ \| \d+ \| \d+ \|/);
    expect(run.stdout).not.toMatch(/flattened/);
  });

  it('--json: stdout holds only the report, with the documented top-level keys', async () => {
    const run = await lutforge('synth', 'counter', '--set', 'modulo=16', '--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ target: 'cmos', top: 'counter' });
    for (const key of ['transistors', 'cells', 'depth', 'modules']) expect(report).toHaveProperty(key);
  });

  it('several targets: a JSON array, the per-module breakdown, the report file and a line per finished design on stderr', async () => {
    const run = await lutforge('synth', 'hier', '--target', 'cmos,ice40', '-t', 'xilinx', '--json', '--progress', '--out', 'reports/hier.json');
    expect(run.code, run.stderr).toBe(0);
    const reports = JSON.parse(run.stdout) as { target: string; modules: Record<string, unknown> }[];
    expect(reports.map((report) => report.target)).toEqual(['cmos', 'ice40', 'xilinx']);
    for (const report of reports) expect(Object.keys(report.modules)).toEqual(['increment8', 'counter']);
    expect(JSON.parse(await readFile(join(cwd, 'reports', 'hier.json'), 'utf8'))).toEqual(reports);
    // Off a terminal, one line per finished design, in the order they finish.
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('synth: '));
    expect(lines).toEqual([1, 2, 3].map((done) => expect.stringMatching(new RegExp(`^synth: ${done}/3 counter on \\w+ done( \\(cached\\))?$`))));
    expect(lines.map((line) => / on (\w+) /.exec(line)?.[1]).sort()).toEqual(['cmos', 'ice40', 'xilinx']);
  });

  it('--write-baseline stores the figures, then the budget passes, then a tighter one fails with a diff', async () => {
    const written = await lutforge('synth', 'fifo', '--budget', 'budget.json', '--write-baseline');
    expect(written.code, written.stderr).toBe(0);
    const budget = JSON.parse(await readFile(join(cwd, 'budget.json'), 'utf8')) as { baseline: { cmos: Record<string, number> } };
    expect(Object.keys(budget.baseline.cmos)).toEqual(['transistors', 'cells', 'depth', 'memoryBits']);
    expect((await lutforge('synth', 'fifo', '--budget', 'budget.json')).code).toBe(0);

    const cells = budget.baseline.cmos.cells ?? 0;
    await writeFile(join(cwd, 'tight.json'), JSON.stringify({ limits: { cmos: { cells: cells - 1 } } }));
    const run = await lutforge('synth', 'fifo', '--budget', 'tight.json');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('### fifo on `cmos`'); // the report still comes out
    expect(run.stderr).toContain("lutforge: budget 'tight.json' exceeded (1 of 1 figure):");
    expect(run.stderr).toMatch(new RegExp(`cmos +cells +${cells - 1} +${cells} +\\+1 \\(\\+[\\d.]+%\\) +limit`));
  });

  it('a budget that names an unknown figure is bad input', async () => {
    await writeFile(join(cwd, 'typo.json'), JSON.stringify({ limits: { cmos: { area: 5 } } }));
    const run = await lutforge('synth', 'fifo', '--budget', 'typo.json');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("lutforge: invalid budget 'typo.json': unknown figure 'area' for cmos in limits (known: transistors, cells, depth, memoryBits)\n");
  });
});

describe('lutforge synth: bad input exits 2 and writes no report', () => {
  it.each([
    [['broken'], /^lutforge: Yosys rejected design 'broken' in `read_verilog broken.v`:\nbroken.v:5: ERROR: syntax error, unexpected ';'\n$/],
    [['counter', '--target', 'asic'], /^lutforge: unknown synthesis target 'asic' \(known: cmos, osu018, xilinx, ice40\)\n$/],
    [['latch', '--target', 'ice40'], /^lutforge: design 'latch' has a latch: 'latch.q' /],
    [['counter', '--yosys', 'docker'], /^lutforge: unknown Yosys flavour 'docker' \(known: embedded, system\)\n$/],
  ])('%j', async (args, message) => {
    const before = await listTree(cwd);
    const run = await lutforge('synth', ...args, '--out', 'bad/report.json', '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect((await listTree(cwd)).filter((path) => path.startsWith('bad'))).toEqual([]);
    expect(before.some((path) => path.startsWith('bad'))).toBe(false);
  });
});
