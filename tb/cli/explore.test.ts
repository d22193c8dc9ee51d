// `lutforge explore` end to end on the real generators at tiny sizes: real Yosys, real Verilator.
// One temporary folder serves the whole file, so later runs find the earlier ones' caches, which
// is itself under test (a re-run measures nothing).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { listTree, makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';
import { FAST_TIER } from '../test-tiers.js';

let cwd: string;
beforeAll(async () => {
  cwd = await makeTempDir();
});
afterAll(async () => removeTempDir(cwd));

const explore = (argv: readonly string[]): Promise<CliRun> => runIn(cwd, ['explore', ...argv], registry);

const tiny = { m: 1, n: 2, k: 2, maxK: 16 };
const SPACE = {
  name: 'tiny',
  workloads: { gemv: { M: 1, K: 16, N: 4, seed: 3 } },
  groups: [
    { generator: 'tensor-core', name: 'lut', set: tiny, product: { wbits: [1, 2] } },
    { generator: 'mac', name: 'mac', set: { ...tiny, wbits: 2 } },
    { generator: 'tensor-core', name: 'lut-run', set: { ...tiny, wbits: 2 }, workloads: ['gemv'], targets: [] },
  ],
};

interface ResultsFile {
  totalPoints: number;
  shards: { index: number; count: number }[];
  points: { index: number; id?: string; cached?: boolean; error?: string; density?: { cmos?: number }; workloads?: Record<string, { mismatches: number; cycles: number; idealCycles: number }> }[];
}

async function readResults(dir: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(cwd, dir, 'results.json'), 'utf8')) as ResultsFile;
}

/** The measured content of the points, without the cache flags that differ between runs. */
const measured = (results: ResultsFile) => results.points.map(({ cached: _cached, ...point }) => point);

describe('lutforge explore', () => {
  beforeAll(async () => {
    await writeFile(join(cwd, 'space.json'), JSON.stringify(SPACE, null, 2));
  });

  it.skipIf(FAST_TIER)('measures every point, writes JSON, CSV and plots, and checks workloads against golden', async () => {
    const run = await explore(['--space', 'space.json', '--out', 'full']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/explored 4 of 4 points of 'tiny' in [\d.]+ s \(0 taken from the cache\) -> full/);
    expect(run.stdout).toMatch(/highest density/);
    expect(await listTree(join(cwd, 'full'))).toEqual(['density.svg', 'files.f', 'pareto.svg', 'results.csv', 'results.json']);

    const results = await readResults('full');
    expect(results.totalPoints).toBe(4);
    expect(results.shards).toEqual([{ index: 1, count: 1 }]);
    const [w1, w2, mac, lutRun] = results.points;
    // Density is MACs per cycle per 1,000 transistors: W1 does twice the work of W2 per cycle.
    expect(w1!.density!.cmos!).toBeGreaterThan(w2!.density!.cmos!);
    expect(mac!.density!.cmos!).toBeGreaterThan(0);
    expect(lutRun!.workloads!['gemv']!.mismatches).toBe(0);
    expect(lutRun!.workloads!['gemv']!.cycles).toBeGreaterThanOrEqual(lutRun!.workloads!['gemv']!.idealCycles);

    const csv = (await readFile(join(cwd, 'full', 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^index,group,generator,label,/);
    expect(csv[0]).toContain('density.cmos');
    expect(csv[0]).toContain('gemv.mismatches');
    expect(await readFile(join(cwd, 'full', 'pareto.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it.skipIf(FAST_TIER)('re-runs from the cache, with the same results, one progress line per point', async () => {
    const run = await explore(['--space', 'space.json', '--out', 'again', '--progress']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\(4 taken from the cache\)/);
    // Off a terminal: a line per point as it finishes (in any order), named by what varies.
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.map((line) => /^explore: (\d)\/4 /.exec(line)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(lines.map((line) => line.replace(/^explore: \d\/4 /, '')).sort()).toEqual(
      ['lut wbits=1', 'lut wbits=2', 'lut-run wbits=2', 'mac wbits=2'].map((name) => `${name} done (cached)`),
    );
    expect(measured(await readResults('again'))).toEqual(measured(await readResults('full')));
  });

  it.skipIf(FAST_TIER)('splits into shards that merge into the unsharded results', async () => {
    for (const shard of ['1/3', '2/3', '3/3']) {
      const run = await explore(['--space', 'space.json', '--shard', shard, '--out', `shard-${shard[0]}`]);
      expect(run.code).toBe(0);
    }
    expect((await readResults('shard-1')).points.map((point) => point.index)).toEqual([0, 3]);
    const merge = await explore(['merge', 'shard-1', 'shard-2', 'shard-3', '--out', 'merged']);
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(0);
    const merged = await readResults('merged');
    expect(merged.shards).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    expect(measured(merged)).toEqual(measured(await readResults('full')));
  });

  it.skipIf(FAST_TIER)('refuses an incomplete merge unless asked, writing nothing', async () => {
    const partial = await explore(['merge', 'shard-1', 'shard-3', '--out', 'partial']);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/the shards hold 3 of 4 points \(missing point 1; shards present: 1\/3, 3\/3 of 3\); nothing written/);
    expect(await listTree(cwd)).not.toContain('partial');
    // --out and --json are explore's options too; after merge's own, they still reach merge.
    const allowed = await explore(['merge', 'shard-1', 'shard-3', '--allow-partial', '--out', 'partial', '--json']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect((await readResults('partial')).points).toHaveLength(3);
    expect((JSON.parse(allowed.stdout) as ResultsFile).points).toHaveLength(3);
  });

  it.skipIf(FAST_TIER)('refuses to merge results of different spaces', async () => {
    await writeFile(join(cwd, 'other.json'), JSON.stringify({ ...SPACE, name: 'other', groups: [SPACE.groups[1]] }));
    expect((await explore(['--space', 'other.json', '--out', 'other'])).code).toBe(0);
    const run = await explore(['merge', 'full', 'other', '--out', 'mixed']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/'other\/results\.json' explores another space \(other, digest \w+\) than 'full\/results\.json' \(tiny/);
  });
});

describe('lutforge explore --progress off a terminal', () => {
  it('prints one line per finished point, named by what varies, and no bar', async () => {
    // Points whose generator throws fail before any tool runs, which keeps this in the fast tier.
    const dir = await makeTempDir();
    try {
      const groups = [{ generator: 'crashing', name: 'first' }, { generator: 'crashing', name: 'second' }, { generator: 'crashing', name: 'third' }];
      await writeFile(join(dir, 'space.json'), JSON.stringify({ name: 'crash', groups }));
      const run = await runIn(dir, ['explore', '--space', 'space.json', '--progress', '--jobs', '1']);
      expect(run.code).toBe(1);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines.slice(0, 3)).toEqual(['explore: 1/3 first failed', 'explore: 2/3 second failed', 'explore: 3/3 third failed']);
      expect(lines.slice(3)).toEqual(['lutforge: explore: 3 points failed; the results are written']);
    } finally {
      await removeTempDir(dir);
    }
  });
});

describe('lutforge explore: bad input', () => {
  const badSpaces: [string, unknown, RegExp][] = [
    ['an unknown generator', { name: 'x', groups: [{ generator: 'tensorcore' }] }, /groups\[0\]: unknown generator 'tensorcore' \(known: /],
    ['an unknown parameter', { name: 'x', groups: [{ generator: 'tensor-core', set: { colour: 1 } }] }, /tensor-core: config\.colour: unknown parameter/],
    ['an empty product', { name: 'x', groups: [{ generator: 'tensor-core', product: { k: [] } }] }, /groups\[0\]\.product\.k: an empty value list makes the product empty/],
    ['a bad value', { name: 'x', groups: [{ generator: 'tensor-core', product: { wbits: [2, 9] } }] }, /config\.wbits: Too big.*\(got 9\)/],
  ];
  for (const [what, space, message] of badSpaces) {
    it(`rejects ${what} with exit 2, writing nothing`, async () => {
      const dir = await makeTempDir();
      try {
        await writeFile(join(dir, 'bad.json'), JSON.stringify(space));
        const run = await runIn(dir, ['explore', '--space', 'bad.json'], registry);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^lutforge: space 'bad\.json': /);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(await listTree(dir)).toEqual(['bad.json']);
      } finally {
        await removeTempDir(dir);
      }
    });
  }

  it('rejects a shard out of range, a missing or malformed space file, and bad --jobs', async () => {
    const dir = await makeTempDir();
    try {
      await writeFile(join(dir, 'space.json'), JSON.stringify({ name: 'x', groups: [{ generator: 'counter' }] }));
      await writeFile(join(dir, 'broken.json'), '{"name": "x",\n "groups": [}');
      const cases: [string[], RegExp][] = [
        [['--space', 'space.json', '--shard', '3/2'], /--shard 3\/2: the shard index must lie in 1\.\.2/],
        [['--space', 'space.json', '--shard', '0/2'], /must lie in 1\.\.2/],
        [['--space', 'space.json', '--jobs', '0'], /--jobs 0: expected a whole number of at least 1/],
        [['--space', 'missing.json'], /cannot read space file 'missing\.json': no such file or directory/],
        [['--space', 'broken.json'], /'broken\.json' is not valid JSON: .* at line 2, column 13/],
        [[], /explore needs --space <file>/],
        [['merge', 'nowhere'], /cannot read 'nowhere\/results\.json': no such file or directory/],
      ];
      for (const [argv, message] of cases) {
        const run = await runIn(dir, ['explore', ...argv], registry);
        expect(run.code, argv.join(' ')).toBe(2);
        expect(run.stderr).toMatch(message);
      }
      expect(await listTree(dir)).toEqual(['broken.json', 'space.json']);
    } finally {
      await removeTempDir(dir);
    }
  });
});
