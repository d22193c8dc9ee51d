// The block model directory: what writeBlockModel writes reads back to the same block (the golden
// gives the same y), and every broken directory fails with one UsageError line (exit 2) naming
// the file and what is wrong.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenBlock } from '../../../golden/lut-llm-block.js';
import { UsageError } from '../../../host/errors.js';
import { layerFiles } from '../../../host/lut-llm/layer-files.js';
import { readBlockModel, writeBlockModel } from '../../../host/lut-llm-block/model-files.js';
import { engineConfigOf } from '../../../host/lut-llm-block/model-config.js';
import { encodeNpy } from '../../../host/npy.js';
import { writeDirectoryAtomically } from '../../../host/atomic.js';
import { listTree, makeTempDir, removeTempDir } from '../../cli/cli-harness.js';
import { tinyBlock } from '../../fixtures/tiny-block.js';

let root: string;
beforeAll(async () => {
  root = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(root);
});

/** A fresh copy of the tiny model as `name/`, changed by `edit`. */
async function model(name: string, edit: (dir: string) => Promise<void> = async () => undefined): Promise<string> {
  const dir = join(root, name);
  await writeBlockModel(dir, tinyBlock().files);
  await edit(dir);
  return dir;
}

async function editConfig(dir: string, change: (config: Record<string, unknown> & { engine: Record<string, unknown> }) => void): Promise<void> {
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown> & { engine: Record<string, unknown> };
  change(config);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
}

describe('writeBlockModel and readBlockModel', () => {
  it('round-trips the block: same config, norms and layers, the same golden y bit for bit', async () => {
    const { files, x } = tinyBlock();
    const dir = await model('round-trip');
    expect(await listTree(dir)).toEqual(
      ['config.json', 'files.f', 'input_norm.npy', 'k_norm.npy', 'post_norm.npy', 'q_norm.npy'].concat(
        ...['down', 'gate_up', 'o', 'qkv'].map((sub) => [sub, ...['act_codebook.npy', 'config.json', 'files.f', 'scale.npy', 'table.npy', 'weight_codebook.npy', 'weight_index.npy', 'zero.npy'].map((file) => `${sub}/${file}`)]),
      ).sort(),
    );
    const read = await readBlockModel(dir, 'model');
    expect(read.config).toEqual(files.config);
    expect(read.model).toEqual(files.model);
    expect(new Uint32Array(goldenBlock(read.model, x).y.buffer)).toEqual(new Uint32Array(goldenBlock(files.model, x).y.buffer));
    expect(read.model.qkv.scale).toHaveLength(4 + 2 * 2);
  });
});

const BAD: readonly { readonly name: string; readonly edit: (dir: string) => Promise<void>; readonly message: RegExp }[] = [
  { name: 'no config.json', edit: (dir) => rm(join(dir, 'config.json')), message: /^'m\/config\.json' is missing; a block model directory starts with its config\.json$/ },
  { name: 'config.json not JSON', edit: (dir) => writeFile(join(dir, 'config.json'), '{"hidden": 64,'), message: /^block model config 'm\/config\.json' is not valid JSON/ },
  { name: 'a missing projection', edit: (dir) => rm(join(dir, 'gate_up'), { recursive: true }), message: /^'m\/gate_up\/' is missing: the block needs the gate_up projection's layer directory/ },
  { name: 'a missing norm', edit: (dir) => rm(join(dir, 'q_norm.npy')), message: /^cannot read the block model file 'm\/q_norm\.npy': no such file or directory/ },
  { name: 'a norm of the wrong length', edit: (dir) => writeFile(join(dir, 'k_norm.npy'), encodeNpy(new Float32Array(8), [8])), message: /^'m\/k_norm\.npy' has shape \(8,\), expected \(16,\) \(headDim in config\.json\)$/ },
  {
    name: 'a projection of the wrong shape',
    edit: async (dir) => {
      const { files } = tinyBlock();
      await writeDirectoryAtomically(join(dir, 'o'), layerFiles(files.model.down, engineConfigOf(files.config)));
    },
    message: /^'m\/o\/' is K = 128, N = 64 \(weight_index\.npy\); the o projection of this block is K = 64, N = 64 \(from config\.json\)$/,
  },
  { name: 'heads not a multiple of kvHeads', edit: (dir) => editConfig(dir, (c) => void (c.kvHeads = 3)), message: /^'m\/config\.json': config\.heads: heads must be a multiple of kvHeads/ },
  { name: 'odd headDim', edit: (dir) => editConfig(dir, (c) => void (c.headDim = 15)), message: /^'m\/config\.json': config\.headDim: headDim must be even/ },
  { name: 'headDim not a multiple of groupCols', edit: (dir) => editConfig(dir, (c) => void (c.engine.groupCols = 32)), message: /^'m\/config\.json': config\.engine\.groupCols: engine\.groupCols must divide headDim/ },
  { name: 'an engine key the layers were not quantized with', edit: (dir) => editConfig(dir, (c) => void (c.engine.ca = 32)), message: /^'m\/qkv\/config\.json' has ca = 16, the model's engine\.ca is 32 \('config\.json'\); the four projections share one engine$/ },
  { name: 'an engine that cannot be built', edit: (dir) => editConfig(dir, (c) => void (c.engine.lookupsPerCycle = 3)), message: /^'m\/config\.json': config\.engine\.lookupsPerCycle: lookupsPerCycle must divide groupCols/ },
  { name: 'an engine key the block owns', edit: (dir) => editConfig(dir, (c) => void (c.engine.maxK = 4096)), message: /^'m\/config\.json': config\.engine\.maxK: unknown parameter/ },
  {
    name: 'QKV without per-head scales',
    edit: async (dir) => {
      await writeFile(join(dir, 'qkv/scale.npy'), encodeNpy(Float32Array.of(1), [1]));
      await writeFile(join(dir, 'qkv/zero.npy'), encodeNpy(Float32Array.of(0), [1]));
    },
    message: /^'m\/qkv\/scale\.npy' holds 1 scale groups; the qkv projection has one per head, heads \+ 2 kvHeads = 8$/,
  },
];

describe('readBlockModel on broken directories', () => {
  it.each(BAD)('$name: one UsageError line naming the file', async ({ name, edit, message }) => {
    const dir = await model(name.replace(/\W+/g, '-'), edit);
    const failure = readBlockModel(dir, 'm');
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(message);
    await failure.catch((error: Error) => expect(error.message).not.toContain('\n'));
  });

  it('names a model path that is not a directory', async () => {
    await writeFile(join(root, 'plain'), '');
    await expect(readBlockModel(join(root, 'plain'), 'plain')).rejects.toThrow(/^the block model 'plain' is not a directory/);
    await expect(readBlockModel(join(root, 'absent'), 'absent')).rejects.toThrow(/^cannot read the block model directory 'absent': no such file or directory/);
  });
});
