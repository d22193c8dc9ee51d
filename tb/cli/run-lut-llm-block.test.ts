// `lutforge run lut-llm-block` in-process: bad inputs exit 2 naming the file, nothing written (fast
// tier); one simulated prefill with the report and the float weights. The run uses the block
// configuration of tb/generators/lut-llm-block/block.test.ts (maxT 4), so both share one
// Verilator build.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { blockCycleModelMismatches } from '../../generators/lut-llm-block/cycle-model.js';
import { goldenBlock } from '../../golden/lut-llm-block.js';
import { writeBlockModel } from '../../host/lut-llm-block/model-files.js';
import { blockWeightFiles } from '../../host/lut-llm-block/weights.js';
import { encodeNpy, readNpy } from '../../host/npy.js';
import { writeDirectoryAtomically } from '../../host/atomic.js';
import type { BlockReport } from '../../cli/commands/run-lut-llm-block.js';
import { blockRuns } from '../../cli/commands/run-lut-llm-block.js';
import { FAST_TIER } from '../test-tiers.js';
import { listTree, makeTempDir, removeTempDir, runIn } from './cli-harness.js';
import { TINY_DIMS, tinyBlock } from '../fixtures/tiny-block.js';

const H = TINY_DIMS.hidden;
let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

/** A case directory with the tiny block's model (`model/`), float weights (`w/`) and T rows of X (`X.npy`). */
async function inputs(name: string, T: number): Promise<string> {
  const cwd = join(dir, name);
  const { weights, files, x } = tinyBlock();
  await writeBlockModel(join(cwd, 'model'), files);
  await writeDirectoryAtomically(join(cwd, 'w'), blockWeightFiles(weights));
  const rows = new Float32Array(T * H);
  for (let t = 0; t < T; t++) rows.set(x.subarray((t % TINY_DIMS.maxSeq) * H, (t % TINY_DIMS.maxSeq + 1) * H), t * H);
  await writeFile(join(cwd, 'X.npy'), encodeNpy(rows, [T, H]));
  return cwd;
}

describe('run lut-llm-block', () => {
  it('cuts prefill into runs of maxT and decode into single tokens', () => {
    expect(blockRuns(10, 4, false)).toEqual([4, 4, 2]);
    expect(blockRuns(3, 4, true)).toEqual([1, 1, 1]);
  });

  interface BadRun {
    readonly name: string;
    readonly T: number;
    readonly prepare: (cwd: string) => Promise<void>;
    readonly argv: readonly string[];
    readonly message: RegExp;
  }
  it.each<BadRun>([
    { name: 'T above maxSeq', T: 17, prepare: async () => {}, argv: [], message: /^lutforge: 'X\.npy' \(--act\) has T = 17 tokens; the block's KV cache holds maxSeq = 16 positions \('model\/config\.json'\)$/ },
    { name: 'a missing projection', T: 2, prepare: (cwd: string) => rm(join(cwd, 'model', 'o'), { recursive: true }), argv: [], message: /^lutforge: 'model\/o\/' is missing/ },
    { name: 'X of the wrong width', T: 2, prepare: (cwd: string) => writeFile(join(cwd, 'X.npy'), encodeNpy(new Float32Array(2 * 32), [2, 32])), argv: [], message: /^lutforge: 'X\.npy' \(--act\) has shape \(2, 32\): 32 columns; the block 'model' has hidden = 64$/ },
    { name: 'a matrix-engine option', T: 2, prepare: async () => {}, argv: ['--layer', 'model/qkv'], message: /^lutforge: lut-llm-block takes its weights from --model <dir>, not --layer$/ },
    { name: 'no model', T: 2, prepare: async () => {}, argv: ['--model', 'nowhere'], message: /^lutforge: cannot read the block model directory 'nowhere'/ },
  ])('refuses $name with exit 2, writing nothing', async ({ name, T, prepare, argv, message }) => {
    const cwd = await inputs(name.replace(/ /g, '-'), T);
    await prepare(cwd);
    const before = await listTree(cwd);
    const model = argv.includes('--model') ? [] : ['--model', 'model'];
    const run = await runIn(cwd, ['run', 'lut-llm-block', ...model, '--act', 'X.npy', '--out', 'Y.npy', '--report', 'r.json', ...argv], registry);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(await listTree(cwd)).toEqual(before);
  });

  it('names the option a matrix engine does not take', async () => {
    const cwd = await inputs('lut-llm-model', 2);
    const run = await runIn(cwd, ['run', 'lut-llm', '--layer', 'model/qkv', '--model', 'model', '--act', 'X.npy', '--out', 'Y.npy'], registry);
    expect(run).toMatchObject({ code: 2, stderr: 'lutforge: --model, --weights and --decode are lut-llm-block options; lut-llm does not take them\n' });
  });

  it.skipIf(FAST_TIER)('runs X through the simulated block: Y is the golden block\'s, the report splits the cycles', { timeout: 600_000 }, async () => {
    const T = 6;
    const cwd = await inputs('run', T);
    const run = await runIn(cwd, ['run', 'lut-llm-block', '--model', 'model', '--act', 'X.npy', '--out', 'Y.npy', '--weights', 'w', '--set', 'maxT=4', '--report', 'r.json'], registry);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^lut-llm-block \(verilator, prefill\): Y \(6, 64\) float32 -> Y\.npy, bit-exact with the golden block\n/);
    const y = await readNpy(join(cwd, 'Y.npy'), 'Y');
    const x = (await readNpy(join(cwd, 'X.npy'), 'X')).data as Float32Array;
    expect(new Uint32Array((y.data as Float32Array).buffer)).toEqual(new Uint32Array(goldenBlock(tinyBlock().files.model, x).y.buffer));
    const report = JSON.parse(await readFile(join(cwd, 'r.json'), 'utf8')) as BlockReport;
    expect(report.runs.map((r) => [r.tokens, r.firstPosition])).toEqual([[4, 0], [2, 4]]);
    expect(blockCycleModelMismatches(report.config, report.runs)).toEqual([]);
    expect(report.accuracy.goldenMismatches).toBe(0);
    expect(report.accuracy.vsReference).toBeLessThan(1e-4);
    expect(report.accuracy.vsFloatBlock).toBeGreaterThan(report.accuracy.vsReference);
    const { parts, rounds, total } = report.cyclesPerToken;
    const sum = parts.engineRounds + parts.attention + parts.norms + parts.silu + parts.io + parts.stalls;
    expect(sum).toBeCloseTo(total, 9);
    expect(rounds.qkv + rounds.o + rounds.gateUp + rounds.down).toBeCloseTo(parts.engineRounds, 9);
    expect(parts.engineLookups).toBeLessThan(parts.engineRounds);
  });

  // A traced build of the block is a second Verilator model (about a minute of CPU): regress only.
  it.skipIf(FAST_TIER || process.env['LUTFORGE_REGRESS'] !== '1')('writes the VCD of --wave beside Y, in decode, with --json', { timeout: 600_000 }, async () => {
    const cwd = await inputs('wave', 2);
    const run = await runIn(cwd, ['run', 'lut-llm-block', '--model', 'model', '--act', 'X.npy', '--out', 'Y.npy', '--set', 'maxT=4', '--decode', '--wave', '--json'], registry);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as BlockReport;
    expect(report.mode).toBe('decode');
    expect(report.files.wave).toBe(join(cwd, 'Y.vcd'));
    const vcd = await readFile(join(cwd, 'Y.vcd'), 'utf8');
    expect(vcd).toMatch(/\$scope module lut_llm_block \$end/);
    expect(vcd).toMatch(/ cache_length /);
  });
});
