// The layer directory: a round trip through writeLayer / readLayer, the atomic replacement, and
// one UsageError naming the file for every way a directory can disagree with itself or the config.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeNpy, type NpyWritable } from '../../../host/npy.js';
import { lutLlmConfig, type LutLlmConfig } from '../../../generators/lut-llm/config.js';
import { LAYER_FILES, readLayer, readLayerConfig, writeLayer } from '../../../host/lut-llm/layer-files.js';
import { quantizeLayer } from '../../../host/lut-llm/quantize.js';
import { syntheticLlmData } from '../../../golden/lut-llm.js';
import type { LutLlmLayer } from '../../../contracts/lut-llm-layer.js';
import { UsageError } from '../../../host/errors.js';

const config = (overrides: Partial<LutLlmConfig> = {}): LutLlmConfig =>
  lutLlmConfig.parse({ groupCols: 8, lookupsPerCycle: 8, ca: 4, cw: 4, ...overrides });

function smallLayer(act: 'fp32' | 'int16' = 'fp32'): LutLlmLayer {
  const [K, N, T] = [6, 20, 12];
  const data = syntheticLlmData(K, N, T, 1, 3);
  const calib = act === 'int16' ? { T, K, act, data: Int16Array.from(data.calib, (x) => Math.round(x * 100)) } : { T, K, act, data: data.calib };
  return quantizeLayer(data.W, calib, config({ act }), { seed: 4 });
}

// Local helpers rather than tb/cli/cli-harness.ts, which loads the whole CLI program.
const listTree = async (root: string): Promise<string[]> => (await readdir(root, { recursive: true })).sort();

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'lutforge-layer-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('writeLayer and readLayer', () => {
  it('round-trip a layer, fp32 and int16', async () => {
    for (const act of ['fp32', 'int16'] as const) {
      const layer = smallLayer(act);
      expect([layer.P, layer.N, layer.G]).toEqual([3, 20, 3]);
      await writeLayer(join(cwd, act), layer);
      expect(await listTree(join(cwd, act))).toEqual(['act_codebook.npy', 'files.f', 'scale.npy', 'table.npy', 'weight_codebook.npy', 'weight_index.npy', 'zero.npy']);
      const back = await readLayer(join(cwd, act), config({ act }), act);
      expect(back).toEqual(layer);
      expect(back.actCodebook).toBeInstanceOf(act === 'int16' ? Int16Array : Float32Array);
    }
  });

  it("reads a layer another tool wrote in NumPy's defaults (int64 indices and table, float64 centroids) as the same layer", async () => {
    const layer = smallLayer();
    const dir = join(cwd, 'numpy');
    await writeLayer(dir, layer);
    const int64 = (values: Uint8Array): BigInt64Array => BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
    const { P, N, G, ca, cw, v } = layer;
    await writeFile(join(dir, 'weight_index.npy'), encodeNpy(int64(layer.weightIndex), [P, N]));
    await writeFile(join(dir, 'table.npy'), encodeNpy(int64(layer.table), [P, G, ca, cw]));
    await writeFile(join(dir, 'act_codebook.npy'), encodeNpy(Float64Array.from(layer.actCodebook), [P, ca, v]));
    await writeFile(join(dir, 'scale.npy'), encodeNpy(Float64Array.from(layer.scale), [1]));
    expect(await readLayer(dir, config(), 'numpy')).toEqual(layer);
  });

  it('remembers the configuration in config.json when given one, and reads it back (none for a layer without)', async () => {
    const layer = smallLayer();
    await writeLayer(join(cwd, 'with'), layer, { config: config({ maxT: 7 }) });
    expect(await readLayerConfig(join(cwd, 'with'), 'with')).toEqual(config({ maxT: 7 }));
    await writeLayer(join(cwd, 'without'), layer);
    expect(await readLayerConfig(join(cwd, 'without'), 'without')).toBeUndefined();
    await writeFile(join(cwd, 'with', 'config.json'), '[1]');
    await expect(readLayerConfig(join(cwd, 'with'), 'with')).rejects.toThrow("layer config 'with/config.json' must hold a JSON object, not an array");
  });

  it('replaces its own earlier output (files.f marks it) but no foreign directory', async () => {
    const dir = join(cwd, 'layer');
    await writeLayer(dir, smallLayer());
    expect(await readFile(join(dir, 'files.f'), 'utf8')).toBe(`${Object.values(LAYER_FILES).join('\n')}\n`);
    await writeLayer(dir, smallLayer('int16'));
    expect((await readLayer(dir, config({ act: 'int16' }), 'layer')).actCodebook).toBeInstanceOf(Int16Array);
    await mkdir(join(cwd, 'mine'));
    await writeFile(join(cwd, 'mine', 'notes.txt'), 'keep');
    await expect(writeLayer(join(cwd, 'mine'), smallLayer(), { displayPath: 'mine' })).rejects.toThrow(/cannot write output directory 'mine'.*no files.f/);
    expect(await listTree(join(cwd, 'mine'))).toEqual(['notes.txt']);
  });
});

describe('scale groups in the layer directory', () => {
  // N = 24: three whole column groups of 8, so S = 3 pairs of 8 columns.
  const grouped = (): LutLlmLayer => {
    const [K, N, T] = [6, 24, 12];
    const data = syntheticLlmData(K, N, T, 1, 3);
    return quantizeLayer(data.W, { T, K, act: 'fp32', data: data.calib }, config(), { seed: 4, scaleGroups: 3 });
  };

  it('writes scale.npy and zero.npy of shape [S] and reads them back', async () => {
    const layer = grouped();
    expect([layer.scale.length, layer.zero.length]).toEqual([3, 3]);
    await writeLayer(join(cwd, 'grouped'), layer);
    const header = (await readFile(join(cwd, 'grouped', 'scale.npy'))).toString('latin1', 10, 80);
    expect(header).toContain("'shape':(3,)");
    expect(await readLayer(join(cwd, 'grouped'), config(), 'grouped')).toEqual(layer);
  });

  it('reads a layer of one pair written as [1] (every layer before scale groups)', async () => {
    const layer = smallLayer();
    await writeLayer(join(cwd, 'old'), layer);
    await writeFile(join(cwd, 'old', 'scale.npy'), encodeNpy(Float32Array.from(layer.scale), [1]));
    const back = await readLayer(join(cwd, 'old'), config(), 'old');
    expect([back.scale.length, back.scale[0]]).toEqual([1, layer.scale[0]]);
  });

  it('names the scale group of a bad pair', async () => {
    const dir = join(cwd, 'bad');
    await writeLayer(dir, grouped());
    await writeFile(join(dir, 'scale.npy'), encodeNpy(Float32Array.of(1, NaN, 1), [3]));
    await expect(readLayer(dir, config(), 'bad')).rejects.toThrow(/^'bad\/scale.npy' holds NaN at \[1\]; the scale must be finite and positive$/);
    await writeFile(join(dir, 'scale.npy'), encodeNpy(Float32Array.of(1, 1, 1), [3]));
    await writeFile(join(dir, 'zero.npy'), encodeNpy(Float32Array.of(0, 0, -Infinity), [3]));
    await expect(readLayer(dir, config(), 'bad')).rejects.toThrow(/^'bad\/zero.npy' holds -Infinity at \[2\]; the zero point must be finite$/);
  });
});

describe('readLayer rejects', () => {
  /** Writes a good layer, then lets `spoil` overwrite one file. */
  async function spoiled(spoil: (dir: string, layer: LutLlmLayer) => Promise<void>): Promise<string> {
    const dir = join(cwd, 'L');
    const layer = smallLayer();
    await writeLayer(dir, layer);
    await spoil(dir, layer);
    return dir;
  }
  const put = (dir: string, file: string, data: NpyWritable, shape: number[]): Promise<void> => writeFile(join(dir, file), encodeNpy(data, shape));

  const cases: [string, (dir: string, layer: LutLlmLayer) => Promise<void>, RegExp, Partial<LutLlmConfig>?][] = [
    ['a missing file', (dir) => rm(join(dir, 'table.npy')), /cannot read the layer file 'L\/table.npy': no such file/],
    ['a wrong dtype', (dir) => put(dir, 'table.npy', new Uint16Array(3 * 3 * 4 * 4).fill(300), [3, 3, 4, 4]), /'L\/table.npy' has dtype uint16 and holds 300 at \[0, 0, 0, 0\], which uint8 cannot hold \(0..255\); in-range values can be saved with .astype\(np.uint8\)/],
    ['a float codebook for act=int16', () => Promise.resolve(), /'L\/act_codebook.npy' has dtype float32 and holds [\d.-]+ at \[0, 0, 0\], which int16 for act=int16 cannot hold \(not an integer\)/, { act: 'int16' }],
    ['a float64 codebook off the float32 grid', (dir, l) => put(dir, 'weight_codebook.npy', Float64Array.from(l.weightCodebook, (x, i) => (i === 1 ? 0.1 : x)), [3, 3, 4, 2]), /'L\/weight_codebook.npy' has dtype float64 and holds 0.1 at \[0, 0, 0, 1\], which float32 cannot hold exactly; round it with .astype\(np.float32\)/],
    ['a wrong rank', (dir, l) => put(dir, 'weight_index.npy', l.weightIndex, [60]), /'L\/weight_index.npy' has shape \(60,\) \(1 dimension\); the layer needs 2 dimensions \(P, N\)/],
    ['P differing between files', (dir, l) => put(dir, 'weight_index.npy', l.weightIndex, [2, 30]), /'L\/weight_index.npy' has shape \(2, 30\): dimension P is 2, expected 3 \(P of act_codebook.npy\)/],
    ['Ca against the config', () => Promise.resolve(), /'L\/act_codebook.npy' has shape \(3, 4, 2\): dimension Ca is 4, expected 8 \(the config's ca\)/, { ca: 8 }],
    ['v against the config', () => Promise.resolve(), /'L\/act_codebook.npy' has shape \(3, 4, 2\): dimension v is 2, expected 3 \(the config's v\)/, { v: 3, maxK: 3000 }],
    ['Cw against the config', () => Promise.resolve(), /'L\/weight_codebook.npy' has shape \(3, 3, 4, 2\): dimension Cw is 4, expected 2 \(the config's cw\)/, { cw: 2 }],
    ['G against groupCols', () => Promise.resolve(), /'L\/weight_codebook.npy' has shape \(3, 3, 4, 2\): dimension G is 3, expected 2 \(ceil\(N \/ groupCols\) = ceil\(20 \/ 16\), N from weight_index.npy\)/, { groupCols: 16 }],
    ['G of the table', (dir, l) => put(dir, 'table.npy', l.table.subarray(0, 3 * 2 * 16), [3, 2, 4, 4]), /'L\/table.npy' has shape \(3, 2, 4, 4\): dimension G is 2, expected 3/],
    ['K above maxK', () => Promise.resolve(), /'L\/act_codebook.npy' holds P = 3 positions, K = P \* v = 6, more than the config's maxK = 4/, { maxK: 4 }],
    ['an index out of range', (dir, l) => put(dir, 'weight_index.npy', Uint8Array.from(l.weightIndex, (x, i) => (i === 27 ? 4 : x)), [3, 20]), /'L\/weight_index.npy' has index 4 at position 1, column 7; indices must be below cw = 4/],
    ['a table entry too wide', (dir, l) => put(dir, 'table.npy', Uint8Array.from(l.table, (x, i) => (i === 100 ? 16 : x % 16)), [3, 3, 4, 4]), /'L\/table.npy' has entry 16 at \[2, 0, 1, 0\]; entries must be below 2\^tableBits = 16/, { tableBits: 4 }],
    ['a zero scale', (dir) => put(dir, 'scale.npy', Float32Array.of(0), [1]), /'L\/scale.npy' holds 0; the scale must be finite and positive/],
    ['a negative scale', (dir) => put(dir, 'scale.npy', Float32Array.of(-1), [1]), /'L\/scale.npy' holds -1/],
    ['an infinite scale', (dir) => put(dir, 'scale.npy', Float32Array.of(Infinity), [1]), /'L\/scale.npy' holds Infinity/],
    ['a NaN zero point', (dir) => put(dir, 'zero.npy', Float32Array.of(NaN), [1]), /'L\/zero.npy' holds NaN; the zero point must be finite/],
    ['two scales splitting a column group', (dir) => put(dir, 'scale.npy', Float32Array.of(1, 2), [2]), /^'L\/scale.npy' has shape \(2,\): S = 2 scale groups of N \/ S = 10 columns are not whole column groups of groupCols = 8 .* \(N from weight_index.npy\)$/],
    ['three scales not dividing N', (dir) => put(dir, 'scale.npy', Float32Array.of(1, 2, 3), [3]), /^'L\/scale.npy' has shape \(3,\): S = 3 scale groups do not divide N = 20 columns \(N from weight_index.npy\)$/],
    ['zero points disagreeing with the scales', (dir) => put(dir, 'zero.npy', Float32Array.of(1, 2), [2]), /^'L\/zero.npy' has shape \(2,\): dimension S is 2, expected 1 \(one zero point per scale of scale.npy\)$/],
    ['a scale matrix', (dir) => put(dir, 'scale.npy', Float32Array.of(1), [1, 1]), /'L\/scale.npy' has shape \(1, 1\) \(2 dimensions\); the layer needs 1 dimension \(S\)/],
    ['a NaN centroid', (dir, l) => put(dir, 'weight_codebook.npy', Float32Array.from(l.weightCodebook, (x, i) => (i === 5 ? NaN : x)), [3, 3, 4, 2]), /'L\/weight_codebook.npy' holds NaN at \[0, 0, 2, 1\]; centroids must be finite/],
  ];
  for (const [name, spoil, message, overrides] of cases) {
    it(name, async () => {
      const dir = await spoiled(spoil);
      const error = await readLayer(dir, config(overrides), 'L').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    });
  }
});
