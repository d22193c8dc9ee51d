// Golden kernels of the LUT-LLM linear layer (docs/design/lut-llm.md): the nearest-centroid search
// in exactly the order contracts/lut-llm-layer.ts states (FP32 through the soft-float, so the
// hardware can be compared bit for bit), the integer table-lookup accumulation, the dequantization,
// and a float64 dense product to measure how far the whole scheme is from x @ W.

import { FP16, FP32 } from '../contracts/fp-format.js';
import { fpAdd, fpConvert, fpDecode, fpMul, fpSub } from './softfloat.js';
import { dequantOffset, scaleGroupOf, type Distance, type LlmActFormat, type LlmActivations, type LutLlmLayer } from '../contracts/lut-llm-layer.js';
import { mulberry32 } from './random.js';

const FP32_MUL = { a: FP32, b: FP32, out: FP32 } as const;
const ABS_MASK = 0x7fff_ffff;

/**
 * The search over one position: x at x[xAt..xAt+v), centroid c at codebook[cbAt + c*v ..]. Float
 * encodings are FP32 bit patterns; a distance is never negative, so its pattern (below 2^31, the
 * canonical NaN 0x7fc00000 above every number) compares as an unsigned number. Integer distances
 * stay below 2^53 (65535^2 * 8), so plain numbers are exact. Nothing is allocated per centroid.
 */
function search(
  x: ArrayLike<number>,
  xAt: number,
  codebook: ArrayLike<number>,
  cbAt: number,
  ca: number,
  v: number,
  distance: Distance,
  float: boolean,
): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0, at = cbAt; c < ca; c++, at += v) {
    let d: number;
    if (float) {
      if (distance === 'linf') {
        d = 0;
        for (let i = 0; i < v; i++) {
          const e = (fpSub(FP32, x[xAt + i]!, codebook[at + i]!) & ABS_MASK) >>> 0;
          if (e > d) d = e;
        }
      } else if (distance === 'l1') {
        d = (fpSub(FP32, x[xAt]!, codebook[at]!) & ABS_MASK) >>> 0;
        for (let i = 1; i < v; i++) d = fpAdd(FP32, d, (fpSub(FP32, x[xAt + i]!, codebook[at + i]!) & ABS_MASK) >>> 0);
      } else {
        const e0 = fpSub(FP32, x[xAt]!, codebook[at]!);
        d = fpMul(FP32_MUL, e0, e0);
        for (let i = 1; i < v; i++) {
          const e = fpSub(FP32, x[xAt + i]!, codebook[at + i]!);
          d = fpAdd(FP32, d, fpMul(FP32_MUL, e, e));
        }
      }
    } else {
      d = 0;
      for (let i = 0; i < v; i++) {
        const e = x[xAt + i]! - codebook[at + i]!;
        if (distance === 'linf') d = Math.max(d, Math.abs(e));
        else d += distance === 'l1' ? Math.abs(e) : e * e;
      }
    }
    // Strictly smaller: equal distances keep the lower index.
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/**
 * Index of the nearest of `ca` centroids (codebook: ca * v values) to the sub-vector x (v values).
 * Float activations (fp32, fp16 already widened) as FP32 bit patterns, int16 as integers.
 */
export function nearestCentroid(
  x: ArrayLike<number>,
  codebook: ArrayLike<number>,
  ca: number,
  v: number,
  distance: Distance,
  act: LlmActFormat,
): number {
  if (x.length < v || codebook.length < ca * v) throw new RangeError(`nearestCentroid: need ${v} values and ${ca * v} centroid values, got ${x.length} and ${codebook.length}`);
  return search(x, 0, codebook, 0, ca, v, distance, act !== 'int16');
}

/** The activations in the search's encoding: FP32 bit patterns for float formats, integers for int16. */
function searchEncoding(x: LlmActivations): Uint32Array | Int16Array {
  const { data, act } = x;
  if (act === 'int16') {
    if (!(data instanceof Int16Array)) throw new TypeError('act = int16 activations must be an Int16Array');
    return data;
  }
  if (act === 'fp32') {
    if (!(data instanceof Float32Array)) throw new TypeError('act = fp32 activations must be a Float32Array');
    return new Uint32Array(data.buffer, data.byteOffset, data.length);
  }
  if (!(data instanceof Uint16Array)) throw new TypeError('act = fp16 activations must be a Uint16Array of float16 bit patterns');
  // FP16 -> FP32 is exact: the search sees the very values the hardware widens to.
  return Uint32Array.from(data, (bits) => fpConvert(FP16, FP32, bits));
}

function checkLayerActs(layer: LutLlmLayer, x: LlmActivations): void {
  if (x.K !== layer.P * layer.v) throw new RangeError(`activations have K = ${x.K}, the layer K = P * v = ${layer.P * layer.v}`);
  if (x.data.length !== x.T * x.K) throw new RangeError(`activations hold ${x.data.length} values, T * K = ${x.T * x.K}`);
  if ((x.act === 'int16') !== layer.actCodebook instanceof Int16Array) {
    throw new TypeError(`act = ${x.act} activations need a ${x.act === 'int16' ? 'Int16Array' : 'Float32Array'} activation codebook`);
  }
}

/** a_idx [T, P]: each activation sub-vector's nearest centroid of its position. */
export function activationIndices(layer: LutLlmLayer, x: LlmActivations, distance: Distance): Uint8Array {
  checkLayerActs(layer, x);
  const { P, v, ca } = layer;
  const xs = searchEncoding(x);
  const cb = layer.actCodebook;
  const codebook = cb instanceof Int16Array ? cb : new Uint32Array(cb.buffer, cb.byteOffset, cb.length);
  const float = x.act !== 'int16';
  const out = new Uint8Array(x.T * P);
  for (let t = 0; t < x.T; t++) {
    for (let p = 0; p < P; p++) out[t * P + p] = search(xs, (t * P + p) * v, codebook, p * ca * v, ca, v, distance, float);
  }
  return out;
}

/** acc [T, N] = sum_p table[p][g(n)][aIdx[t][p]][wIdx[p][n]], g(n) = floor(n / groupCols). */
export function lutLlmAccumulate(layer: LutLlmLayer, aIdx: Uint8Array, T: number): Int32Array {
  const { P, N, G, ca, cw, groupCols, table, weightIndex } = layer;
  if (aIdx.length !== T * P) throw new RangeError(`aIdx holds ${aIdx.length} indices, T * P = ${T * P}`);
  const acc = new Int32Array(T * N);
  for (let t = 0; t < T; t++) {
    const row = t * N;
    for (let p = 0; p < P; p++) {
      const a = aIdx[t * P + p]!;
      for (let g = 0; g < G; g++) {
        // Row T[p][g][a][*], the one the hardware reads for this (token, position, group).
        const rowAt = ((p * G + g) * ca + a) * cw;
        const end = Math.min(N, (g + 1) * groupCols);
        for (let n = g * groupCols; n < end; n++) acc[row + n]! += table[rowAt + weightIndex[p * N + n]!]!;
      }
    }
  }
  return acc;
}

/**
 * y = fround(fround(acc * scale[s]) - offset[s]), offset[s] = fround(fround(zero[s] * scale[s]) * P),
 * s the column's scale group (floor(n / (N / S))). acc is [T, N].
 */
export function lutLlmDequantize(layer: LutLlmLayer, acc: Int32Array): Float32Array {
  const { N, P, scale, zero } = layer;
  const S = scale.length;
  if (zero.length !== S || S < 1 || N % S !== 0) throw new RangeError(`${S} scales and ${zero.length} zero points do not split N = ${N} columns into equal scale groups`);
  if (acc.length % N !== 0) throw new RangeError(`acc holds ${acc.length} values, not rows of N = ${N}`);
  const offsets = Float32Array.from(scale, (s, i) => dequantOffset(s, zero[i]!, P));
  const y = new Float32Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    const s = scaleGroupOf(i % N, N, S);
    y[i] = Math.fround(Math.fround(acc[i]! * scale[s]!) - offsets[s]!);
  }
  return y;
}

/** The activations as float64 values (float16 patterns decoded exactly). */
export function activationValues(x: LlmActivations): Float64Array {
  if (x.act === 'fp16') return Float64Array.from(x.data, (bits) => fpDecode(FP16, bits));
  return Float64Array.from(x.data);
}

/** x @ W in float64, [T, N]; W is [K, N]. */
export function denseReference(x: LlmActivations, W: Float32Array, N: number): Float64Array {
  const { T, K } = x;
  if (W.length !== K * N) throw new RangeError(`W holds ${W.length} values, K * N = ${K * N}`);
  const xs = activationValues(x);
  const y = new Float64Array(T * N);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      const a = xs[t * K + k]!;
      for (let n = 0; n < N; n++) y[t * N + n]! += a * W[k * N + n]!;
    }
  }
  return y;
}

/** The layer's output for x by the golden pipeline (search, lookups, dequantization), float32 [T, N]. */
export function lutLlmForward(layer: LutLlmLayer, x: LlmActivations, distance: Distance): Float32Array {
  return lutLlmDequantize(layer, lutLlmAccumulate(layer, activationIndices(layer, x, distance), x.T));
}

/**
 * || y - x @ W ||_F / || x @ W ||_F with y the dequantized golden output; 0 when both are zero.
 * Needs the search distance, which is part of the configuration, not of the layer.
 */
export function relativeError(layer: LutLlmLayer, x: LlmActivations, W: Float32Array, distance: Distance): number {
  const y = lutLlmForward(layer, x, distance);
  const reference = denseReference(x, W, layer.N);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const e = y[i]! - r;
    diff += e * e;
    norm += r * r;
  }
  if (norm === 0) return diff === 0 ? 0 : Infinity;
  return Math.sqrt(diff / norm);
}

/** Synthetic layer data with LLM-like outliers, for tests, the benchmark and the demo. */
export interface SyntheticLlmData {
  /** [K, N]: N(0, 1/K) with 1% of the entries 6x larger. */
  readonly W: Float32Array;
  /** [T, K] and [holdoutT, K]: N(0, 1) with the same 3% of channels (at least one) 8x larger. */
  readonly calib: Float32Array;
  readonly holdout: Float32Array;
}

export function syntheticLlmData(K: number, N: number, T: number, holdoutT: number, seed: number): SyntheticLlmData {
  const random = mulberry32(seed);
  // Box-Muller; 1 - u keeps the logarithm finite.
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const W = Float32Array.from({ length: K * N }, () => (gaussian() / Math.sqrt(K)) * (random() < 0.01 ? 6 : 1));
  const outlier = Array.from({ length: K }, () => random() < 0.03);
  outlier[Math.floor(random() * K)] = true;
  const acts = (rows: number): Float32Array => Float32Array.from({ length: rows * K }, (_, i) => gaussian() * (outlier[i % K] ? 8 : 1));
  return { W, calib: acts(T), holdout: acts(holdoutT) };
}
