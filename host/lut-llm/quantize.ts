// The offline quantizer of a LUT-LLM linear layer (docs/design/lut-llm.md, vector quantization):
// activation codebooks per position from calibration activations, weight codebooks and indices per
// (position, column group) from W, the 2D tables of centroid dot products, and an asymmetric scale / zero
// point per scale group (one for the layer by default, or one per N / S consecutive columns). Everything the hardware later reads is derived from the STORED values (float32
// or int16 centroids, float32 scale and zero), so the golden model and the hardware see exactly
// what this produced.

import { activationValues } from '../../golden/lut-llm.js';
import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import { scaleGroupProblem, type LlmActivations, type LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import { kmeans, nearestL2 } from './kmeans.js';

export interface QuantizeOptions {
  /** Seed of every k-means initialisation (default 0): same seed, same layer, byte for byte. */
  readonly seed?: number;
  /** Called after each codebook: `done` of `total` = P activation codebooks + P * G weight codebooks. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * 'integer' (default): zp = roundHalfEven(-min / scale), so a table entry of 0 is represented
   * exactly and the many near-zero entries carry no common bias; 'exact': zp = -min / scale as
   * the paper writes it, whose fractional part becomes a bias of up to scale / 2 per entry that
   * the accumulation adds up P times (relative error 35 instead of 0.84 at 4 bits, K = N = 256).
   */
  readonly zeroPoint?: 'integer' | 'exact';
  /**
   * S (default 1): one (scale, zero) pair per N / S consecutive columns, each from the dot products
   * of its own columns' tables (the release's per-head pairs). S must divide N into whole column
   * groups (contracts/lut-llm-layer.ts scaleGroupProblem).
   */
  readonly scaleGroups?: number;
}

const INT16_MIN = -32768;
const INT16_MAX = 32767;

/** Round to nearest, ties to even (Math.round sends ties up). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A distinct, well-mixed seed per codebook, so codebooks do not share one random sequence. */
function codebookSeed(seed: number, kind: number, p: number, g: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(kind + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f) ^ Math.imul(p + 1, 0x165667b1);
  h = Math.imul(h ^ (h >>> 13), 0x85ebca6b) ^ Math.imul(g + 1, 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Quantizes W [K, N] (K from the calibration activations) for the configuration's v, ca, cw,
 * groupCols and tableBits. Throws a RangeError when the shapes do not fit.
 */
export function quantizeLayer(W: Float32Array, calib: LlmActivations, config: LutLlmConfig, options: QuantizeOptions = {}): LutLlmLayer {
  const { v, ca, cw, groupCols, tableBits } = config;
  const K = calib.K;
  const T = calib.T;
  if (K % v !== 0) throw new RangeError(`K = ${K} is not a multiple of v = ${v}`);
  if (W.length % K !== 0 || W.length === 0) throw new RangeError(`W holds ${W.length} values, not K = ${K} rows`);
  if (calib.data.length !== T * K || T < 1) throw new RangeError(`calibration holds ${calib.data.length} values, T * K = ${T * K}`);
  // k-means has no answer for NaN or infinity: a poisoned mean would poison a whole codebook.
  const badW = W.findIndex((value) => !Number.isFinite(value));
  if (badW >= 0) throw new RangeError(`W[${Math.floor(badW / (W.length / K))}][${badW % (W.length / K)}] is ${W[badW]}`);
  const xs = activationValues(calib);
  const badX = xs.findIndex((value) => !Number.isFinite(value));
  if (badX >= 0) throw new RangeError(`calibration x[${Math.floor(badX / K)}][${badX % K}] is ${xs[badX]}`);
  const N = W.length / K;
  const P = K / v;
  const G = Math.ceil(N / groupCols);
  const S = options.scaleGroups ?? 1;
  const badScaleGroups = scaleGroupProblem(N, groupCols, S);
  if (badScaleGroups !== undefined) throw new RangeError(badScaleGroups);
  const seed = options.seed ?? 0;
  const total = P + P * G;
  let done = 0;
  const progress = (): void => options.onProgress?.(++done, total);

  // Activation codebooks [P, Ca, v]: position p clusters the T calibration sub-vectors x[t][p*v..].
  const actCodebook = calib.act === 'int16' ? new Int16Array(P * ca * v) : new Float32Array(P * ca * v);
  const points = new Float64Array(Math.max(T, groupCols) * v);
  for (let p = 0; p < P; p++) {
    for (let t = 0; t < T; t++) for (let i = 0; i < v; i++) points[t * v + i] = xs[t * K + p * v + i]!;
    const centroids = kmeans(points.subarray(0, T * v), T, v, ca, { seed: codebookSeed(seed, 0, p, 0) });
    for (let j = 0; j < ca * v; j++) {
      const value = centroids[j]!;
      // Int16 hardware compares integers: the centroid is rounded like any other int16 value.
      actCodebook[p * ca * v + j] = calib.act === 'int16' ? Math.min(INT16_MAX, Math.max(INT16_MIN, roundHalfEven(value))) : value;
    }
    progress();
  }

  // Weight codebooks [P, G, Cw, v] and indices [P, N]: the columns of group g at position p are
  // the points (W[p*v][n], ..., W[p*v+v-1][n]); each column stores its nearest STORED centroid.
  const weightCodebook = new Float32Array(P * G * cw * v);
  const weightIndex = new Uint8Array(P * N);
  const stored = new Float64Array(cw * v);
  for (let p = 0; p < P; p++) {
    for (let g = 0; g < G; g++) {
      const first = g * groupCols;
      const cols = Math.min(N, first + groupCols) - first;
      for (let j = 0; j < cols; j++) for (let i = 0; i < v; i++) points[j * v + i] = W[(p * v + i) * N + first + j]!;
      const group = points.subarray(0, cols * v);
      const centroids = kmeans(group, cols, v, cw, { seed: codebookSeed(seed, 1, p, g) });
      const at = (p * G + g) * cw * v;
      weightCodebook.set(centroids, at);
      stored.set(weightCodebook.subarray(at, at + cw * v));
      for (let j = 0; j < cols; j++) weightIndex[p * N + first + j] = nearestL2(group, j, stored, cw, v);
      progress();
    }
  }

  // Scale group s takes column groups [s * G / S, (s + 1) * G / S): whole ones when S > 1.
  const groupsPerScale = Math.ceil(G / S);
  const { table, scale, zero } = quantizeTables(actCodebook, weightCodebook, { P, G, ca, cw, v, tableBits, S, groupsPerScale }, options.zeroPoint ?? 'integer');
  return { P, N, G, v, ca, cw, groupCols, tableBits, actCodebook, weightCodebook, weightIndex, table, scale, zero };
}

/**
 * T[p][g][a][w] = dot(actCentroid[p][a], weightCentroid[p][g][w]) in float64 (exact enough that
 * the only rounding that matters is the b-bit quantization), then one asymmetric scale and zero
 * point per scale group over the entries of its column groups: scale = (max - min) / (2^b - 1),
 * zp = -min / scale (rounded to an integer unless 'exact'), both stored as float32 and used as
 * stored; q = clamp(roundHalfEven(T / scale + zp), 0, 2^b - 1).
 */
function quantizeTables(
  actCodebook: Float32Array | Int16Array,
  weightCodebook: Float32Array,
  dims: {
    readonly P: number;
    readonly G: number;
    readonly ca: number;
    readonly cw: number;
    readonly v: number;
    readonly tableBits: number;
    readonly S: number;
    readonly groupsPerScale: number;
  },
  zeroPoint: 'integer' | 'exact',
): { table: Uint8Array; scale: Float32Array; zero: Float32Array } {
  const { P, G, ca, cw, v, tableBits, S, groupsPerScale } = dims;
  const dots = new Float64Array(P * G * ca * cw);
  const min = new Float64Array(S).fill(Infinity);
  const max = new Float64Array(S).fill(-Infinity);
  for (let p = 0; p < P; p++) {
    for (let g = 0; g < G; g++) {
      const s = Math.floor(g / groupsPerScale);
      for (let a = 0; a < ca; a++) {
        const aAt = (p * ca + a) * v;
        const rowAt = ((p * G + g) * ca + a) * cw;
        for (let w = 0; w < cw; w++) {
          const wAt = ((p * G + g) * cw + w) * v;
          let dot = 0;
          for (let i = 0; i < v; i++) dot += actCodebook[aAt + i]! * weightCodebook[wAt + i]!;
          dots[rowAt + w] = dot;
          if (dot < min[s]!) min[s] = dot;
          if (dot > max[s]!) max[s] = dot;
        }
      }
    }
  }
  const levels = 2 ** tableBits - 1;
  const scale = new Float32Array(S);
  const zero = new Float32Array(S);
  for (let s = 0; s < S; s++) {
    const [low, high] = [min[s]!, max[s]!];
    scale[s] = high === low ? 1 : (high - low) / levels;
    // + 0 turns -0 (from min = 0) into 0, so zero.npy never holds a negative zero.
    zero[s] = (zeroPoint === 'integer' ? roundHalfEven(-low / scale[s]!) : -low / scale[s]!) + 0;
    if (!(scale[s]! > 0 && Number.isFinite(scale[s]!) && Number.isFinite(zero[s]!))) {
      throw new RangeError(`the table range [${low}, ${high}]${S > 1 ? ` of scale group ${s}` : ''} cannot be quantized with a float32 scale and zero point`);
    }
  }
  const table = new Uint8Array(dots.length);
  const groupEntries = ca * cw;
  for (let i = 0; i < dots.length; i++) {
    const s = Math.floor((Math.floor(i / groupEntries) % G) / groupsPerScale);
    table[i] = Math.min(levels, Math.max(0, roundHalfEven(dots[i]! / scale[s]! + zero[s]!)));
  }
  return { table, scale, zero };
}
