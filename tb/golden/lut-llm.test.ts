// The LUT-LLM golden kernels against plain definitions: the search against a float64 argmin (where
// distances are well apart) and against Math.fround arithmetic (FP32 add, sub and mul of FP32
// operands rounded once from float64 are exact, so fround is an independent bit-exact reference),
// the tie and NaN rules, exact int16 distances, and the accumulation against a direct loop.

import { describe, expect, it } from 'vitest';
import { FP16, FP32 } from '../../contracts/fp-format.js';
import { activationIndices, denseReference, lutLlmAccumulate, lutLlmDequantize, lutLlmForward, nearestCentroid, relativeError, syntheticLlmData } from '../../golden/lut-llm.js';
import { fpConvert, fpDecode, fpRound } from '../../golden/softfloat.js';
import type { LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import type { Distance, LlmActFormat } from '../../contracts/lut-llm-layer.js';
import { mulberry32 } from '../../golden/random.js';

const DISTANCES: readonly Distance[] = ['linf', 'l1', 'l2'];
const bitsOf = (values: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(values).buffer));

/** The definition with float64 distances: the argmin, or undefined when the two best are too close to call. */
function float64Argmin(x: readonly number[], cb: readonly number[], ca: number, v: number, distance: Distance): number | undefined {
  const ds = Array.from({ length: ca }, (_, c) => {
    const d = x.map((xi, i) => xi - cb[c * v + i]!);
    if (distance === 'linf') return Math.max(...d.map(Math.abs));
    if (distance === 'l1') return d.reduce((s, e) => s + Math.abs(e), 0);
    return d.reduce((s, e) => s + e * e, 0);
  });
  const order = ds.map((d, c) => [d, c] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [best, second] = order;
  if (second !== undefined && second[0] - best![0] <= 1e-4 * Math.max(1e-30, best![0])) return undefined;
  return best![1];
}

/** The config.ts order in Math.fround arithmetic; a NaN distance ranks above every number. */
function froundArgmin(x: readonly number[], cb: readonly number[], ca: number, v: number, distance: Distance): number {
  let best = 0;
  let bestDistance = NaN;
  for (let c = 0; c < ca; c++) {
    const d = x.map((xi, i) => Math.fround(xi - cb[c * v + i]!));
    let dist: number;
    if (distance === 'linf') dist = Math.max(...d.map(Math.abs)); // NaN if any is NaN
    else if (distance === 'l1') dist = d.slice(1).reduce((s, e) => Math.fround(s + Math.abs(e)), Math.abs(d[0]!));
    else dist = d.slice(1).reduce((s, e) => Math.fround(s + Math.fround(e * e)), Math.fround(d[0]! * d[0]!));
    const better = c === 0 || (!Number.isNaN(dist) && (Number.isNaN(bestDistance) || dist < bestDistance));
    if (better) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}

describe('nearestCentroid', () => {
  it('agrees with a float64 argmin when the distances are well apart (fp32, every distance)', () => {
    const random = mulberry32(11);
    let compared = 0;
    for (const distance of DISTANCES) {
      for (let trial = 0; trial < 300; trial++) {
        const v = 1 + (trial % 4);
        const ca = 2 + (trial % 30);
        const x = Array.from({ length: v }, () => Math.fround((random() - 0.5) * 8));
        const cb = Array.from({ length: ca * v }, () => Math.fround((random() - 0.5) * 8));
        const want = float64Argmin(x, cb, ca, v, distance);
        if (want === undefined) continue;
        expect(nearestCentroid(bitsOf(x), bitsOf(cb), ca, v, distance, 'fp32')).toBe(want);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(800);
  });

  it('is bit-exact with Math.fround arithmetic, near-ties, subnormals and huge values included', () => {
    const random = mulberry32(5);
    // Few distinct values make exact ties and rounding-decided orders common.
    const palette = [0, -0, 0.5, -1, 1.000000119, 3, 1e-40, -1e-42, 3e38, -3e38, 1e20, 0.1];
    const pick = (): number => Math.fround(palette[Math.floor(random() * palette.length)]! * (random() < 0.3 ? 1 + random() * 1e-6 : 1));
    for (const distance of DISTANCES) {
      for (let trial = 0; trial < 2000; trial++) {
        const v = 1 + (trial % 8);
        const ca = 2 + (trial % 9);
        const x = Array.from({ length: v }, pick);
        const cb = Array.from({ length: ca * v }, pick);
        expect(nearestCentroid(bitsOf(x), bitsOf(cb), ca, v, distance, 'fp32'), `${distance} x=${x} cb=${cb}`).toBe(froundArgmin(x, cb, ca, v, distance));
      }
    }
  });

  it('sends exact ties to the lowest index', () => {
    for (const distance of DISTANCES) {
      // Centroids 2 and 5 are the same nearest point; +1 and -1 are equally far from 0.
      const cb = [9, 9, 4, 4, 1, 2, 9, 9, 9, 9, 1, 2];
      expect(nearestCentroid(bitsOf([1, 2]), bitsOf(cb), 6, 2, distance, 'fp32')).toBe(2);
      expect(nearestCentroid(bitsOf([0]), bitsOf([5, 1, -1, 1]), 4, 1, distance, 'fp32')).toBe(1);
      // A codebook of one repeated centroid, and -0 against +0.
      expect(nearestCentroid(bitsOf([0.25, -3]), bitsOf(new Array<number>(16).fill(0.5)), 8, 2, distance, 'fp32')).toBe(0);
      expect(nearestCentroid(bitsOf([-0]), bitsOf([1, 0, -0]), 3, 1, distance, 'fp32')).toBe(1);
      expect(nearestCentroid([7, -7], [3, 3, 7, -7, 7, -7], 3, 2, distance, 'int16')).toBe(1);
    }
  });

  it('lets NaN distances lose and picks index 0 when every distance is NaN', () => {
    const NAN = 0x7fc0_0000;
    const OTHER_NAN = 0xffc1_2345; // any NaN input gives the canonical NaN distance
    for (const distance of DISTANCES) {
      expect(nearestCentroid([NAN, ...bitsOf([1])], bitsOf([0, 0, 5, 5]), 2, 2, distance, 'fp32')).toBe(0);
      expect(nearestCentroid([OTHER_NAN, OTHER_NAN], bitsOf([0, 0, 5, 5, 1, 1]), 3, 2, distance, 'fp32')).toBe(0);
      // A NaN centroid loses even to an infinitely distant one.
      expect(nearestCentroid(bitsOf([1, 1]), [NAN, ...bitsOf([1, 3e38, 1])], 2, 2, distance, 'fp32')).toBe(1);
      expect(nearestCentroid(bitsOf([1, 1]), [...bitsOf([1]), NAN, ...bitsOf([Infinity, 1])], 2, 2, distance, 'fp32')).toBe(1);
      // inf - inf is NaN: the infinite centroid loses to a finite one at infinite distance.
      expect(nearestCentroid(bitsOf([Infinity]), bitsOf([Infinity, 0, 5]), 3, 1, distance, 'fp32')).toBe(1);
    }
  });

  it('computes int16 distances exactly at the extremes', () => {
    const v = 8;
    const x = new Array<number>(v).fill(-32768);
    const far = new Array<number>(v).fill(32767);
    const oneCloser = [...far.slice(0, v - 1), 32766]; // 65535^2 * 8 against 65535^2 * 7 + 65534^2
    for (const distance of DISTANCES) {
      expect(nearestCentroid(x, [...far, ...oneCloser], 2, v, distance, 'int16')).toBe(distance === 'linf' ? 0 : 1);
      expect(nearestCentroid(x, [...oneCloser, ...far], 2, v, distance, 'int16')).toBe(0);
      expect(nearestCentroid(x, [...far, ...new Array<number>(v).fill(32766)], 2, v, distance, 'int16')).toBe(1);
    }
    // 65535^2 * 7 + 1 against 65535^2 * 7: one apart, which FP32 (or float32 squares) would call a tie.
    const base = [...new Array<number>(v - 1).fill(-32768), 0];
    const plusOne = [...new Array<number>(v - 1).fill(32767), 1];
    const exact = [...new Array<number>(v - 1).fill(32767), 0];
    expect(Math.fround(65535 ** 2 * 7 + 1)).toBe(Math.fround(65535 ** 2 * 7));
    for (const distance of DISTANCES) expect(nearestCentroid(base, [...plusOne, ...exact], 2, v, distance, 'int16')).toBe(distance === 'linf' ? 0 : 1);
  });
});

/** A layer with random codebooks, indices and table (not a meaningful quantization). */
function randomLayer(P: number, N: number, groupCols: number, act: LlmActFormat, seed: number): LutLlmLayer {
  const random = mulberry32(seed);
  const [v, ca, cw, tableBits] = [2, 6, 4, 8];
  const G = Math.ceil(N / groupCols);
  const values = (n: number): number[] => Array.from({ length: n }, () => (random() - 0.5) * 4);
  return {
    P, N, G, v, ca, cw, groupCols, tableBits,
    actCodebook: act === 'int16' ? Int16Array.from(values(P * ca * v), (x) => Math.round(x * 5000)) : Float32Array.from(values(P * ca * v)),
    weightCodebook: Float32Array.from(values(P * G * cw * v)),
    weightIndex: Uint8Array.from({ length: P * N }, () => Math.floor(random() * cw)),
    table: Uint8Array.from({ length: P * G * ca * cw }, () => Math.floor(random() * 256)),
    scale: Float32Array.of(0.037),
    zero: Float32Array.of(101.3),
  };
}

describe('activationIndices', () => {
  it('searches every (token, position) with the widened activations', () => {
    const P = 5;
    const T = 7;
    const random = mulberry32(3);
    for (const act of ['fp32', 'fp16', 'int16'] as const) {
      const layer = randomLayer(P, 9, 4, act, 8);
      const values = Array.from({ length: T * P * 2 }, () => (random() - 0.5) * 4);
      const data =
        act === 'fp32' ? Float32Array.from(values) : act === 'fp16' ? Uint16Array.from(values, (x) => fpRound(FP16, x)) : Int16Array.from(values, (x) => Math.round(x * 5000));
      const search = act === 'fp32' ? bitsOf(data) : act === 'fp16' ? Array.from(data, (b) => fpConvert(FP16, FP32, b)) : Array.from(data);
      const codebook = act === 'int16' ? Array.from(layer.actCodebook) : bitsOf(layer.actCodebook);
      for (const distance of DISTANCES) {
        const aIdx = activationIndices(layer, { T, K: P * 2, act, data }, distance);
        for (let t = 0; t < T; t++) {
          for (let p = 0; p < P; p++) {
            const x = search.slice((t * P + p) * 2, (t * P + p) * 2 + 2);
            expect(aIdx[t * P + p]).toBe(nearestCentroid(x, codebook.slice(p * 12, p * 12 + 12), 6, 2, distance, act));
          }
        }
      }
    }
  });

  it('rejects activations whose K or encoding does not fit the layer', () => {
    const layer = randomLayer(3, 4, 4, 'fp32', 1);
    expect(() => activationIndices(layer, { T: 1, K: 4, act: 'fp32', data: new Float32Array(4) }, 'linf')).toThrow(/K = 4/);
    expect(() => activationIndices(layer, { T: 1, K: 6, act: 'int16', data: new Int16Array(6) }, 'linf')).toThrow(/Int16Array/);
  });
});

describe('lutLlmAccumulate and lutLlmDequantize', () => {
  it('sums table[p][g(n)][a][w] like a direct triple loop, with a ragged last group', () => {
    const [P, N, groupCols, T] = [6, 40, 16, 5];
    const layer = randomLayer(P, N, groupCols, 'fp32', 21);
    expect(layer.G).toBe(3);
    const random = mulberry32(4);
    const aIdx = Uint8Array.from({ length: T * P }, () => Math.floor(random() * layer.ca));
    const acc = lutLlmAccumulate(layer, aIdx, T);
    for (let t = 0; t < T; t++) {
      for (let n = 0; n < N; n++) {
        let sum = 0;
        for (let p = 0; p < P; p++) {
          const g = Math.floor(n / groupCols);
          sum += layer.table[((p * layer.G + g) * layer.ca + aIdx[t * P + p]!) * layer.cw + layer.weightIndex[p * N + n]!]!;
        }
        expect(acc[t * N + n]).toBe(sum);
      }
    }
  });

  it('dequantizes with the float32 steps of the formula', () => {
    const layer = { ...randomLayer(3, 2, 2, 'fp32', 2), scale: Float32Array.of(0.1), zero: Float32Array.of(7.7) };
    const acc = Int32Array.of(0, 1, 765, 23);
    const offset = Math.fround(Math.fround(Math.fround(7.7) * Math.fround(0.1)) * 3);
    expect(Array.from(lutLlmDequantize(layer, acc))).toEqual(Array.from(acc, (a) => Math.fround(Math.fround(a * Math.fround(0.1)) - offset)));
    // It is sum_p (q_p - zero) * scale, up to float32 rounding.
    expect(lutLlmDequantize(layer, Int32Array.of(30, 30))[0]).toBeCloseTo((10 - 7.7) * 3 * 0.1, 5);
  });

  it('dequantizes each column with the pair of its scale group (N / S consecutive columns)', () => {
    // N = 8 in S = 4 scale groups of 2 columns (column groups of 2), T = 2 rows.
    const scale = Float32Array.of(0.1, 0.25, 3, 0.007);
    const zero = Float32Array.of(7.7, 0, 2.5, 200);
    const layer = { ...randomLayer(5, 8, 2, 'fp32', 3), scale, zero };
    const acc = Int32Array.from({ length: 16 }, (_, i) => i * 37);
    const y = lutLlmDequantize(layer, acc);
    for (let i = 0; i < 16; i++) {
      const s = Math.floor((i % 8) / 2);
      const alone = lutLlmDequantize({ ...layer, scale: scale.subarray(s, s + 1), zero: zero.subarray(s, s + 1) }, acc);
      expect(y[i]).toBe(alone[i]);
    }
    expect(() => lutLlmDequantize({ ...layer, scale: new Float32Array(3), zero: new Float32Array(3) }, acc)).toThrow(/3 scales and 3 zero points do not split N = 8/);
    expect(() => lutLlmDequantize({ ...layer, zero: new Float32Array(2) }, acc)).toThrow(/4 scales and 2 zero points/);
  });
});

describe('denseReference', () => {
  it('multiplies in float64, float16 patterns decoded', () => {
    const W = Float32Array.of(1, 2, 3, 4, 5, 6); // [3, 2]
    const fp32 = denseReference({ T: 1, K: 3, act: 'fp32', data: Float32Array.of(0.5, -1, 2) }, W, 2);
    expect(Array.from(fp32)).toEqual([0.5 - 3 + 10, 1 - 4 + 12]);
    const bits = Uint16Array.from([0.5, -1, 2], (x) => fpRound(FP16, x));
    expect(Array.from(denseReference({ T: 1, K: 3, act: 'fp16', data: bits }, W, 2))).toEqual(Array.from(fp32));
    expect(fpDecode(FP16, bits[1]!)).toBe(-1);
    expect(Array.from(denseReference({ T: 1, K: 3, act: 'int16', data: Int16Array.of(1, 2, -3) }, W, 2))).toEqual([1 + 6 - 15, 2 + 8 - 18]);
  });

  it('measures the relative error of the golden pipeline in the Frobenius norm', () => {
    const layer = randomLayer(2, 3, 2, 'fp32', 6);
    const x = { T: 2, K: 4, act: 'fp32' as const, data: Float32Array.of(1, -2, 0.5, 3, 0, 1, 2, -1) };
    const W = Float32Array.from({ length: 12 }, (_, i) => (i % 5) - 2);
    const y = lutLlmForward(layer, x, 'l2');
    const ref = denseReference(x, W, 3);
    const norm = (values: ArrayLike<number>): number => Math.hypot(...Array.from(values));
    expect(relativeError(layer, x, W, 'l2')).toBeCloseTo(norm(Array.from(y, (v, i) => v - ref[i]!)) / norm(ref), 12);
    expect(relativeError(layer, { ...x, data: new Float32Array(8) }, W, 'l2')).toBe(Infinity);
  });

  it('builds synthetic data deterministically with outlier channels', () => {
    const a = syntheticLlmData(64, 8, 16, 4, 1);
    expect(syntheticLlmData(64, 8, 16, 4, 1)).toEqual(a);
    expect([a.W.length, a.calib.length, a.holdout.length]).toEqual([512, 1024, 256]);
    expect(Math.max(...Array.from(a.calib, Math.abs))).toBeGreaterThan(8);
  });
});
