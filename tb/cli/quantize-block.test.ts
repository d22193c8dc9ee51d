// `lutforge quantize-block` end to end in-process (fast tier: no simulator): synthetic float
// weights written with writeBlockWeights, the command run on them, and the model it writes read
// back and run through the golden block; then bad weights directories and calibration files,
// each exit 2 with one line naming the file, nothing written.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { goldenBlock } from '../../golden/lut-llm-block.js';
import { readBlockModel } from '../../host/lut-llm-block/model-files.js';
import { blockWeightFiles } from '../../host/lut-llm-block/weights.js';
import { encodeNpy } from '../../host/npy.js';
import { writeDirectoryAtomically } from '../../host/atomic.js';
import type { QuantizeBlockSummary } from '../../cli/commands/quantize-block.js';
import { listTree, makeTempDir, removeTempDir, runIn } from './cli-harness.js';
import { CALIB_T, TINY_ENGINE, tinyBlock } from '../fixtures/tiny-block.js';

const ENGINE = Object.entries(TINY_ENGINE).flatMap(([key, value]) => ['--set', `${key}=${String(value)}`]);

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

/** A case directory holding the tiny block's weights (as `w/`) and its calibration rows (as X.npy). */
async function inputs(name: string): Promise<string> {
  const cwd = join(dir, name);
  const { weights, calib } = tinyBlock();
  await writeDirectoryAtomically(join(cwd, 'w'), blockWeightFiles(weights));
  await writeFile(join(cwd, 'X.npy'), encodeNpy(calib, [CALIB_T, 64]));
  return cwd;
}

describe('quantize-block', () => {
  it('writes the model quantizeBlock makes, which the golden block runs, and reports its error against the float block', { timeout: 30_000 }, async () => {
    const cwd = await inputs('e2e');
    const run = await runIn(cwd, ['quantize-block', '--weights', 'w', '--calib', 'X.npy', '--out', 'model', ...ENGINE, '--json'], registry);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as QuantizeBlockSummary;
    expect(summary.T).toBe(CALIB_T);
    expect(summary.error.T).toBe(16);
    expect(summary.error.y).toBeGreaterThan(0);
    expect(summary.error.y).toBeLessThan(0.3);
    const { files, x } = tinyBlock();
    const read = await readBlockModel(join(cwd, 'model'), 'model');
    expect(read.model).toEqual(files.model);
    expect(new Uint32Array(goldenBlock(read.model, x).y.buffer)).toEqual(new Uint32Array(goldenBlock(files.model, x).y.buffer));

    const text = await runIn(cwd, ['quantize-block', '--weights', 'w', '--calib', 'X.npy', '--out', 'model', ...ENGINE, '--progress'], registry);
    expect(text.code).toBe(0);
    // P (1 + G) codebooks per projection: qkv 32 * 17, o 32 * 9, gate_up 32 * 33, down 64 * 9.
    expect(text.stderr).toMatch(/quantize \[.*\] 2464\/2464 codebooks/);
    expect(text.stdout).toMatch(/^quantized the block 'w' \(hidden 64, intermediate 128, 4 heads, 2 kv heads, headDim 16\) -> model\/: v = 2, ca = 16, cw = 8, tableBits = 8, groupCols = 8, calibrated on T = 64 tokens\n/);
    expect(text.stdout).toMatch(/\nrelative error against the float block \(calibration 'X\.npy', first T = 16\): y 0\.\d+, update y - x 0\.\d+\n$/);
  });
});

const BAD: readonly { readonly name: string; readonly edit: (cwd: string) => Promise<void>; readonly argv?: readonly string[]; readonly message: RegExp }[] = [
  { name: 'a missing weight', edit: (cwd) => rm(join(cwd, 'w/w_o.npy')), message: /^lutforge: cannot read --weights file 'w\/w_o\.npy': no such file or directory/ },
  { name: 'a weight of the wrong shape', edit: (cwd) => writeFile(join(cwd, 'w/w_k.npy'), encodeNpy(new Float32Array(64 * 16), [64, 16])), message: /^lutforge: 'w\/w_k\.npy' has shape \(64, 16\), expected \(64, 32\) = \[hidden, kvHeads \* headDim\] \(from config\.json\)$/ },
  { name: 'a weight holding NaN', edit: (cwd) => writeFile(join(cwd, 'w/q_norm.npy'), encodeNpy(Float32Array.from({ length: 16 }, (_, i) => (i === 2 ? Number.NaN : 1)), [16])), message: /^lutforge: 'w\/q_norm\.npy' holds NaN at flat index 2; weights must be finite$/ },
  {
    name: 'heads not a multiple of kvHeads',
    edit: async (cwd) => {
      const config = JSON.parse(await readFile(join(cwd, 'w/config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(cwd, 'w/config.json'), JSON.stringify({ ...config, kvHeads: 3 }));
    },
    message: /^lutforge: 'w\/config\.json': config\.heads: heads must be a multiple of kvHeads/,
  },
  { name: 'groupCols not dividing headDim', edit: async () => undefined, argv: ['--set', 'groupCols=32'], message: /^lutforge: 'w\/config\.json' with the engine keys: config\.engine\.groupCols: engine\.groupCols must divide headDim/ },
  { name: 'calibration of another width', edit: (cwd) => writeFile(join(cwd, 'X.npy'), encodeNpy(new Float32Array(4 * 32), [4, 32])), message: /^lutforge: 'X\.npy' \(--calib\) has shape \(4, 32\): 32 columns, the block's hidden = 64 \('w\/config\.json'\)$/ },
  { name: 'calibration holding inf', edit: (cwd) => writeFile(join(cwd, 'X.npy'), encodeNpy(Float32Array.from({ length: 2 * 64 }, (_, i) => (i === 70 ? Infinity : 0)), [2, 64])), message: /^lutforge: 'X\.npy' \(--calib\) holds Infinity at \[1, 6\]; calibration activations must be finite$/ },
  { name: '--out holding other work', edit: (cwd) => writeFile(join(cwd, 'model'), 'mine'), message: /^lutforge: cannot write output directory 'model': it exists and is not a directory$/ },
];

describe('quantize-block on bad inputs', () => {
  it.each(BAD)('$name: exit 2, one line naming the file, nothing written', { timeout: 15_000 }, async ({ name, edit, argv, message }) => {
    const cwd = await inputs(name.replace(/\W+/g, '-'));
    await edit(cwd);
    const before = await listTree(cwd);
    const run = await runIn(cwd, ['quantize-block', '--weights', 'w', '--calib', 'X.npy', '--out', 'model', ...ENGINE, ...(argv ?? [])], registry);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(await listTree(cwd)).toEqual(before);
  });
});
