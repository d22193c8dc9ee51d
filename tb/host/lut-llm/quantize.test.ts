// The offline quantizer: deterministic k-means, the codebooks, indices and tables it derives, the
// table quantization (one scale per layer, or one per scale group of columns), and the end-to-end
// error of the golden pipeline.

import { describe, expect, it } from 'vitest';
import { lutLlmConfig, type LutLlmConfig } from '../../../generators/lut-llm/config.js';
import { assignL2, kmeans } from '../../../host/lut-llm/kmeans.js';
import { quantizeLayer, roundHalfEven } from '../../../host/lut-llm/quantize.js';
import { denseReference, lutLlmForward, relativeError } from '../../../golden/lut-llm.js';
import { syntheticLlmData } from '../../../golden/lut-llm.js';
import { FP16 } from '../../../contracts/fp-format.js';
import { fpRound } from '../../../golden/softfloat.js';
import type { LlmActivations, LutLlmLayer } from '../../../contracts/lut-llm-layer.js';
import { mulberry32 } from '../../../golden/random.js';

const config = (overrides: Partial<LutLlmConfig> = {}): LutLlmConfig => lutLlmConfig.parse({ groupCols: 16, lookupsPerCycle: 16, ...overrides });

describe('kmeans', () => {
  const blobs = (): Float64Array => {
    const random = mulberry32(9);
    const centers = [[0, 0], [10, 0], [0, 10]];
    return Float64Array.from({ length: 300 * 2 }, (_, i) => centers[Math.floor(i / 2) % 3]![i % 2]! + (random() - 0.5));
  };

  it('finds well-separated clusters and is deterministic per seed', () => {
    const points = blobs();
    const centroids = kmeans(points, 300, 2, 3, { seed: 1 });
    const found = Array.from({ length: 3 }, (_, c) => [Math.round(centroids[c * 2]!), Math.round(centroids[c * 2 + 1]!)].join(','));
    expect(found.sort()).toEqual(['0,0', '0,10', '10,0']);
    expect(kmeans(points, 300, 2, 3, { seed: 1 })).toEqual(centroids);
    for (let seed = 0; seed < 5; seed++) expect(Array.from(kmeans(points, 300, 2, 3, { seed }), Math.round).sort()).toEqual([0, 0, 0, 0, 10, 10]);
  });

  it('duplicates centroids when there are fewer distinct points than k', () => {
    const points = Float64Array.of(1, 2, 1, 2, 5, 5);
    const centroids = kmeans(points, 3, 2, 5, { seed: 3 });
    expect(centroids.every(Number.isFinite)).toBe(true);
    const distinct = new Set(Array.from({ length: 5 }, (_, c) => `${centroids[c * 2]},${centroids[c * 2 + 1]}`));
    expect([...distinct].sort()).toEqual(['1,2', '5,5']);
    // A single point, many centroids.
    expect(Array.from(kmeans(Float64Array.of(4), 1, 1, 3, { seed: 0 }))).toEqual([4, 4, 4]);
  });

  it('stops at maxIterations and reports each iteration', () => {
    let iterations = 0;
    kmeans(blobs(), 300, 2, 8, { seed: 2, maxIterations: 2, onIteration: () => iterations++ });
    expect(iterations).toBe(2);
  });

  it('assigns ties to the lowest index', () => {
    expect(Array.from(assignL2(Float64Array.of(0, 1, 2), 3, 1, Float64Array.of(1, -1, 1, 3), 4))).toEqual([0, 0, 0]);
    expect(Array.from(assignL2(Float64Array.of(2), 1, 1, Float64Array.of(1, 3), 2))).toEqual([0]);
  });
});

describe('roundHalfEven', () => {
  it('sends ties to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001, -3.7, 7].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3, -4, 7]);
  });
});

const fp32 = (T: number, K: number, data: Float32Array): LlmActivations => ({ T, K, act: 'fp32', data });

/** Every table entry q of column group g with the exact dot product of its centroid pair. */
function* tableEntriesOf(layer: LutLlmLayer, g: number): Generator<{ q: number; dot: number }> {
  const { P, G, ca, cw, v } = layer;
  for (let p = 0; p < P; p++) {
    for (let a = 0; a < ca; a++) {
      for (let w = 0; w < cw; w++) {
        let dot = 0;
        for (let i = 0; i < v; i++) dot += layer.actCodebook[(p * ca + a) * v + i]! * layer.weightCodebook[((p * G + g) * cw + w) * v + i]!;
        yield { q: layer.table[((p * G + g) * ca + a) * cw + w]!, dot };
      }
    }
  }
}

describe('quantizeLayer', () => {
  const [K, N, T] = [32, 40, 64];
  const data = syntheticLlmData(K, N, T, T, 5);

  it('builds codebooks, indices and tables of the documented shapes (ragged last group)', () => {
    const layer = quantizeLayer(data.W, fp32(T, K, data.calib), config(), { seed: 1 });
    expect([layer.P, layer.N, layer.G, layer.v, layer.ca, layer.cw, layer.groupCols, layer.tableBits]).toEqual([16, 40, 3, 2, 64, 16, 16, 8]);
    expect(layer.actCodebook).toBeInstanceOf(Float32Array);
    expect([layer.actCodebook.length, layer.weightCodebook.length, layer.weightIndex.length, layer.table.length]).toEqual([16 * 64 * 2, 16 * 3 * 16 * 2, 16 * 40, 16 * 3 * 64 * 16]);
    expect([layer.scale.length, layer.zero.length]).toEqual([1, 1]);
    expect(Number.isInteger(layer.zero[0])).toBe(true);
    expect(Math.max(...layer.table)).toBe(255);
    expect(Math.min(...layer.table)).toBe(0);
    expect(Math.max(...layer.weightIndex)).toBeLessThan(16);
  });

  it('indexes each column by its nearest stored weight centroid and quantizes the true dot products', () => {
    const layer = quantizeLayer(data.W, fp32(T, K, data.calib), config({ tableBits: 4 }), { seed: 2 });
    const { P, G, cw, v } = layer;
    const [scale, zero] = [layer.scale[0]!, layer.zero[0]!];
    for (let p = 0; p < P; p++) {
      for (let n = 0; n < N; n++) {
        const g = Math.floor(n / 16);
        const dist = (w: number): number =>
          Array.from({ length: v }, (_, i) => (data.W[(p * v + i) * N + n]! - layer.weightCodebook[((p * G + g) * cw + w) * v + i]!) ** 2).reduce((a, b) => a + b);
        const chosen = layer.weightIndex[p * N + n]!;
        for (let w = 0; w < cw; w++) expect(dist(chosen)).toBeLessThanOrEqual(dist(w));
      }
    }
    let worst = 0;
    for (let g = 0; g < G; g++) {
      for (const { q, dot } of tableEntriesOf(layer, g)) worst = Math.max(worst, Math.abs((q - zero) * scale - dot) / scale);
    }
    // Half a step, plus at most one step where the integer zero point pushed the top entry past 15.
    expect(worst).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('is deterministic per seed and reports progress per codebook', () => {
    const calls: [number, number][] = [];
    const a = quantizeLayer(data.W, fp32(T, K, data.calib), config(), { seed: 7, onProgress: (done, total) => calls.push([done, total]) });
    expect(quantizeLayer(data.W, fp32(T, K, data.calib), config(), { seed: 7 })).toEqual(a);
    expect(quantizeLayer(data.W, fp32(T, K, data.calib), config(), { seed: 8 }).actCodebook).not.toEqual(a.actCodebook);
    expect(calls.length).toBe(16 + 16 * 3);
    expect(calls.at(-1)).toEqual([64, 64]);
  });

  it('gets closer to x @ W with 8-bit tables than with 4-bit ones, on calibration and holdout', () => {
    const errors = ([4, 8] as const).map((tableBits) => {
      const layer = quantizeLayer(data.W, fp32(T, K, data.calib), config({ tableBits }), { seed: 0 });
      return [relativeError(layer, fp32(T, K, data.calib), data.W, 'linf'), relativeError(layer, fp32(T, K, data.holdout), data.W, 'linf')] as const;
    });
    const [[calib4, holdout4], [calib8, holdout8]] = errors as [readonly [number, number], readonly [number, number]];
    expect(calib8).toBeLessThan(calib4);
    expect(holdout8).toBeLessThan(holdout4);
    expect(calib8).toBeLessThan(0.5);
    expect(holdout8).toBeLessThan(0.6);
  });

  it("is much worse with the paper's fractional zero point at 4 bits", () => {
    const exact = quantizeLayer(data.W, fp32(T, K, data.calib), config({ tableBits: 4 }), { zeroPoint: 'exact' });
    const integer = quantizeLayer(data.W, fp32(T, K, data.calib), config({ tableBits: 4 }));
    expect(Number.isInteger(exact.zero[0])).toBe(false);
    expect(relativeError(integer, fp32(T, K, data.calib), data.W, 'linf')).toBeLessThan(relativeError(exact, fp32(T, K, data.calib), data.W, 'linf'));
  });

  it('rounds (half to even) and clamps int16 activation centroids', () => {
    const extremes = Int16Array.from({ length: 8 * 4 }, (_, i) => [-32768, 32767, 3, 4][i % 4]!);
    const layer = quantizeLayer(Float32Array.from({ length: 4 * 3 }, (_, i) => i - 5), { T: 8, K: 4, act: 'int16', data: extremes }, config({ act: 'int16', ca: 3, cw: 2 }));
    expect(layer.actCodebook).toBeInstanceOf(Int16Array);
    expect(Array.from(layer.actCodebook)).toEqual([-32768, 32767, -32768, 32767, -32768, 32767, 3, 4, 3, 4, 3, 4]);
    // Clusters {(0,0), (1,1)} and {(1,1), (2,2)} have the means 0.5 and 1.5: 0 and 2.
    for (const [low, want] of [[0, 0], [1, 2]] as const) {
      const data = Int16Array.of(low, low, low + 1, low + 1, 100, 100);
      const mean = quantizeLayer(Float32Array.of(1, 1), { T: 3, K: 2, act: 'int16', data }, config({ act: 'int16', ca: 2, cw: 2 }));
      expect(Array.from(mean.actCodebook).sort((a, b) => a - b)).toEqual([want, want, 100, 100]);
    }
  });

  it('takes float16 calibration patterns', () => {
    const bits = Uint16Array.from(data.calib, (x) => fpRound(FP16, x));
    const layer = quantizeLayer(data.W, { T, K, act: 'fp16', data: bits }, config({ act: 'fp16' }));
    expect(relativeError(layer, { T, K, act: 'fp16', data: bits }, data.W, 'linf')).toBeLessThan(0.5);
  });

  it('uses scale 1 when every table entry is the same', () => {
    const layer = quantizeLayer(new Float32Array(4 * 3), fp32(2, 4, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8)), config({ ca: 2, cw: 2 }));
    expect([layer.scale[0], layer.zero[0], Math.max(...layer.table)]).toEqual([1, 0, 0]);
  });

  it('rejects shapes and values it cannot quantize', () => {
    expect(() => quantizeLayer(new Float32Array(9), fp32(1, 3, new Float32Array(3)), config())).toThrow(/K = 3 is not a multiple of v = 2/);
    expect(() => quantizeLayer(new Float32Array(9), fp32(1, 4, new Float32Array(4)), config())).toThrow(/not K = 4 rows/);
    expect(() => quantizeLayer(Float32Array.of(1, NaN), fp32(1, 2, new Float32Array(2)), config())).toThrow(/W\[1\]\[0\] is NaN/);
    expect(() => quantizeLayer(Float32Array.of(1, 2), fp32(1, 2, Float32Array.of(0, Infinity)), config())).toThrow(/x\[0\]\[1\] is Infinity/);
  });
});

describe('quantizeLayer with scale groups', () => {
  // N = 48: three whole column groups of 16.
  const [K, N, T] = [32, 48, 64];
  const data = syntheticLlmData(K, N, T, T, 6);
  // Column group g scaled by 8^g, like heads of very different magnitudes.
  const spread = Float32Array.from(data.W, (w, i) => w * 8 ** Math.floor((i % N) / 16));

  it('is the one-scale quantization at S = 1', () => {
    const layer = quantizeLayer(data.W, fp32(T, K, data.calib), config(), { seed: 3 });
    expect(quantizeLayer(data.W, fp32(T, K, data.calib), config(), { seed: 3, scaleGroups: 1 })).toEqual(layer);
  });

  it("quantizes each scale group's tables with its own pair, spanning its own range", () => {
    const layer = quantizeLayer(spread, fp32(T, K, data.calib), config({ tableBits: 4 }), { seed: 2, scaleGroups: 3 });
    const { G } = layer;
    expect([layer.scale.length, layer.zero.length]).toEqual([3, 3]);
    // Ranges 8x apart: so are the scales.
    expect(layer.scale[1]! / layer.scale[0]!).toBeGreaterThan(2);
    expect(layer.scale[2]! / layer.scale[1]!).toBeGreaterThan(2);
    for (let g = 0; g < G; g++) {
      const [scale, zero] = [layer.scale[g]!, layer.zero[g]!];
      let [worst, low, high] = [0, Infinity, -Infinity];
      for (const { q, dot } of tableEntriesOf(layer, g)) {
        worst = Math.max(worst, Math.abs((q - zero) * scale - dot) / scale);
        [low, high] = [Math.min(low, q), Math.max(high, q)];
      }
      expect(worst).toBeLessThanOrEqual(1 + 1e-6);
      expect([low, high]).toEqual([0, 15]);
    }
  });

  it('gets much closer to x @ W than one scale on the smallest column group, and no farther overall when groups are alike', () => {
    const layerOf = (W: Float32Array, S: number) => quantizeLayer(W, fp32(T, K, data.calib), config(), { seed: 1, scaleGroups: S });
    // || y - x @ W || / || x @ W || over column group 0's columns of the holdout.
    const groupZeroError = (W: Float32Array, S: number): number => {
      const x = fp32(T, K, data.holdout);
      const y = lutLlmForward(layerOf(W, S), x, 'linf');
      const reference = denseReference(x, W, N);
      let [diff, norm] = [0, 0];
      for (let i = 0; i < reference.length; i++) {
        if (i % N >= 16) continue;
        diff += (y[i]! - reference[i]!) ** 2;
        norm += reference[i]! ** 2;
      }
      return Math.sqrt(diff / norm);
    };
    // 0.17 against 0.63 (8-bit tables): one scale spends a step of the largest group on the smallest.
    expect(groupZeroError(spread, 3)).toBeLessThan(groupZeroError(spread, 1) / 3);
    const error = (S: number): number => relativeError(layerOf(data.W, S), fp32(T, K, data.holdout), data.W, 'linf');
    expect(error(3)).toBeLessThanOrEqual(error(1) * 1.05);
  });

  it('rejects S that does not divide N into whole column groups', () => {
    const quantize = (S: number) => () => quantizeLayer(data.W, fp32(T, K, data.calib), config(), { scaleGroups: S });
    expect(quantize(5)).toThrow(/^S = 5 scale groups do not divide N = 48 columns$/);
    expect(quantize(6)).toThrow(/^S = 6 scale groups of N \/ S = 8 columns are not whole column groups of groupCols = 16/);
    expect(quantize(0)).toThrow(/positive integer/);
  });
});
