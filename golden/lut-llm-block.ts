// The golden LUT-LLM decoder block: the order of operations of docs/design/lut-llm-block.md followed
// literally, every non-linear step one soft-float FP32 operation in the stated order, the four
// projections by the golden LUT-LLM engine (search, lookups, dequantization) on FP32 activations.
// The hardware block matches this bit for bit. Values are FP32 bit patterns (Uint32Array), so NaN
// payloads and signed zeros travel exactly as the hardware's do.

import { FP32 } from '../contracts/fp-format.js';
import { blockDimsProblem, projectionShape, type BlockProjection, type LutLlmBlockDims, type LutLlmBlockModel } from '../contracts/lut-llm-block.js';
import type { LutLlmLayer } from '../contracts/lut-llm-layer.js';
import { activationIndices, lutLlmAccumulate, lutLlmDequantize } from './lut-llm.js';
import { fpAdd, fpCompare, fpExp, fpMul, fpNeg, fpReciprocal, fpRsqrt } from './softfloat.js';

const MUL = { a: FP32, b: FP32, out: FP32 } as const;
const add = (a: number, b: number): number => fpAdd(FP32, a, b);
const mul = (a: number, b: number): number => fpMul(MUL, a, b);
const neg = (a: number): number => fpNeg(FP32, a);
const exp = (a: number): number => fpExp(FP32, a);
const recip = (a: number): number => fpReciprocal(FP32, a);
const rsqrt = (a: number): number => fpRsqrt(FP32, a);
const greater = (a: number, b: number): boolean => fpCompare(FP32, a, b) === 'gt';
const POSITIVE_ZERO = 0;

const box = new Float32Array(1);
const boxBits = new Uint32Array(box.buffer);
/** The FP32 pattern of a float64 value rounded once (nearest even): the spec's fp32(c). */
export function fp32Bits(value: number): number {
  box[0] = value;
  return boxBits[0]!;
}

/** RoPE's angle for pair i at `position`, in float64 exactly as docs/design/lut-llm-block.md writes it. */
export function ropeAngle(theta: number, headDim: number, i: number, position: number): number {
  const invFreq = Math.pow(theta, -(2 * i) / headDim);
  return position * invFreq;
}

/** The KV cache of one block: K and V as FP32 patterns [maxSeq, kvHeads, headDim]. */
export interface BlockKvCache {
  readonly keys: Uint32Array;
  readonly values: Uint32Array;
  /** Positions 0 .. filled-1 hold entries. */
  filled: number;
}

export function emptyBlockCache(dims: LutLlmBlockDims): BlockKvCache {
  const words = dims.maxSeq * dims.kvHeads * dims.headDim;
  return { keys: new Uint32Array(words), values: new Uint32Array(words), filled: 0 };
}

/** Each round's activation indices [T, P], as the engine chose them: the float64 reference reuses them. */
export type BlockIndices = Record<BlockProjection, Uint8Array>;

export interface GoldenBlockResult {
  /** [T, H] float32 (a view of FP32 patterns: NaN payloads are the hardware's). */
  readonly y: Float32Array;
  readonly cache: BlockKvCache;
  readonly indices: BlockIndices;
  /** What each round's engine took, [T, K] (h, att, h2, the SiLU product): for error checks and debugging. */
  readonly engineInputs: Record<BlockProjection, Float32Array>;
}

/** out[i] = mul(mul(x[i], r), w[i]), r = rsqrt(add(mul(s, fp32(1/n)), fp32(eps))), s in order of i. */
function rmsnorm(x: Uint32Array, at: number, n: number, w: Uint32Array, eps: number, out: Uint32Array, outAt: number): void {
  let s = POSITIVE_ZERO;
  for (let i = 0; i < n; i++) s = add(s, mul(x[at + i]!, x[at + i]!));
  const r = rsqrt(add(mul(s, fp32Bits(1 / n)), fp32Bits(eps)));
  for (let i = 0; i < n; i++) out[outAt + i] = mul(mul(x[at + i]!, r), w[i]!);
}

/** Rotate-half RoPE of v[at .. at+D) in place at `position`. */
function rope(v: Uint32Array, at: number, D: number, theta: number, position: number): void {
  const half = D / 2;
  for (let i = 0; i < half; i++) {
    const angle = ropeAngle(theta, D, i, position);
    const c = fp32Bits(Math.cos(angle));
    const s = fp32Bits(Math.sin(angle));
    const lo = v[at + i]!;
    const hi = v[at + i + half]!;
    v[at + i] = add(mul(lo, c), mul(neg(hi), s));
    v[at + i + half] = add(mul(hi, c), mul(lo, s));
  }
}

/** ENGINE(layer, a) for T rows of FP32 patterns: the golden LUT-LLM pipeline with dequantization. */
function engine(layer: LutLlmLayer, a: Uint32Array, T: number, model: LutLlmBlockModel): { out: Uint32Array; indices: Uint8Array } {
  const K = layer.P * layer.v;
  const data = new Float32Array(a.buffer, a.byteOffset, T * K);
  const indices = activationIndices(layer, { T, K, act: 'fp32', data }, model.distance);
  const y = lutLlmDequantize(layer, lutLlmAccumulate(layer, indices, T));
  return { out: new Uint32Array(y.buffer, y.byteOffset, y.length), indices };
}

function patterns(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

function checkModel(model: LutLlmBlockModel): void {
  const problem = blockDimsProblem(model.dims);
  if (problem !== undefined) throw new RangeError(problem);
  const layers: Record<BlockProjection, LutLlmLayer> = { qkv: model.qkv, o: model.o, gateUp: model.gateUp, down: model.down };
  for (const [name, layer] of Object.entries(layers) as [BlockProjection, LutLlmLayer][]) {
    const { K, N } = projectionShape(model.dims, name);
    if (layer.P * layer.v !== K || layer.N !== N) throw new RangeError(`the ${name} projection is K = ${layer.P * layer.v}, N = ${layer.N}; the block needs K = ${K}, N = ${N}`);
    if (layer.actCodebook instanceof Int16Array) throw new RangeError(`the ${name} projection has int16 activations; the block's engine takes FP32`);
  }
}

/**
 * Runs the block on x [T, H] at positions p0 .. p0+T-1 over `cache` (a fresh one when absent; it
 * must hold positions 0 .. p0-1) and returns y [T, H], the cache (now filled to p0 + T) and the
 * engine's activation indices. Prefill (T tokens at once) and decode (one at a time, the cache
 * passed on) give the same y bit for bit: the engine's rows are independent and every token's
 * keys and values are cached before any query of the batch attends.
 */
export function goldenBlock(model: LutLlmBlockModel, x: Float32Array, p0 = 0, cache?: BlockKvCache): GoldenBlockResult {
  checkModel(model);
  const { hidden: H, intermediate: I, heads: NH, kvHeads: NKV, headDim: D, ropeTheta, rmsEps, maxSeq } = model.dims;
  if (x.length % H !== 0) throw new RangeError(`x holds ${x.length} values, not rows of hidden = ${H}`);
  const T = x.length / H;
  const kv = cache ?? emptyBlockCache(model.dims);
  if (!Number.isSafeInteger(p0) || p0 < 0 || p0 > kv.filled) throw new RangeError(`p0 = ${p0}: the cache holds positions 0 .. ${kv.filled - 1}, so the next token is at ${kv.filled} or earlier`);
  if (p0 + T > maxSeq) throw new RangeError(`positions ${p0} .. ${p0 + T - 1} exceed maxSeq = ${maxSeq}`);
  const xs = patterns(x);
  const qkvN = (NH + 2 * NKV) * D;
  const group = NH / NKV;
  const scoreScale = fp32Bits(1 / Math.sqrt(D));
  const inputNorm = patterns(model.inputNorm);
  const qNorm = patterns(model.qNorm);
  const kNorm = patterns(model.kNorm);

  const h = new Uint32Array(T * H);
  for (let t = 0; t < T; t++) rmsnorm(xs, t * H, H, inputNorm, rmsEps, h, t * H);
  const qkv = engine(model.qkv, h, T, model);

  // Per-head norms and RoPE; every token's k, v enters the cache before any query attends.
  const q = new Uint32Array(T * NH * D);
  for (let t = 0; t < T; t++) {
    const p = p0 + t;
    const row = t * qkvN;
    for (let a = 0; a < NH; a++) {
      rmsnorm(qkv.out, row + a * D, D, qNorm, rmsEps, q, (t * NH + a) * D);
      rope(q, (t * NH + a) * D, D, ropeTheta, p);
    }
    for (let g = 0; g < NKV; g++) {
      const at = (p * NKV + g) * D;
      rmsnorm(qkv.out, row + (NH + g) * D, D, kNorm, rmsEps, kv.keys, at);
      rope(kv.keys, at, D, ropeTheta, p);
      kv.values.set(qkv.out.subarray(row + (NH + NKV + g) * D, row + (NH + NKV + g + 1) * D), at);
    }
  }
  kv.filled = Math.max(kv.filled, p0 + T);

  const att = new Uint32Array(T * NH * D);
  const sc = new Uint32Array(maxSeq);
  const e = new Uint32Array(maxSeq);
  for (let t = 0; t < T; t++) {
    const p = p0 + t;
    for (let a = 0; a < NH; a++) {
      const g = Math.floor(a / group);
      const qAt = (t * NH + a) * D;
      for (let j = 0; j <= p; j++) {
        const kAt = (j * NKV + g) * D;
        let d = POSITIVE_ZERO;
        for (let i = 0; i < D; i++) d = add(d, mul(q[qAt + i]!, kv.keys[kAt + i]!));
        sc[j] = mul(d, scoreScale);
      }
      let m = sc[0]!;
      for (let j = 1; j <= p; j++) if (greater(sc[j]!, m)) m = sc[j]!;
      for (let j = 0; j <= p; j++) e[j] = exp(add(sc[j]!, neg(m)));
      let z = POSITIVE_ZERO;
      for (let j = 0; j <= p; j++) z = add(z, e[j]!);
      const r = recip(z);
      for (let i = 0; i < D; i++) {
        let o = POSITIVE_ZERO;
        for (let j = 0; j <= p; j++) o = add(o, mul(e[j]!, kv.values[(j * NKV + g) * D + i]!));
        att[qAt + i] = mul(o, r);
      }
    }
  }

  const oOut = engine(model.o, att, T, model);
  const x2 = new Uint32Array(T * H);
  for (let i = 0; i < T * H; i++) x2[i] = add(xs[i]!, oOut.out[i]!);
  const h2 = new Uint32Array(T * H);
  const postNorm = patterns(model.postNorm);
  for (let t = 0; t < T; t++) rmsnorm(x2, t * H, H, postNorm, rmsEps, h2, t * H);
  const gu = engine(model.gateUp, h2, T, model);
  const one = fp32Bits(1);
  const act = new Uint32Array(T * I);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < I; j++) {
      const gate = gu.out[t * 2 * I + j]!;
      const up = gu.out[t * 2 * I + I + j]!;
      act[t * I + j] = mul(mul(gate, recip(add(one, exp(neg(gate))))), up);
    }
  }
  const downOut = engine(model.down, act, T, model);
  const y = new Uint32Array(T * H);
  for (let i = 0; i < T * H; i++) y[i] = add(x2[i]!, downOut.out[i]!);
  return {
    y: new Float32Array(y.buffer),
    cache: kv,
    indices: { qkv: qkv.indices, o: oOut.indices, gateUp: gu.indices, down: downOut.indices },
    engineInputs: { qkv: new Float32Array(h.buffer), o: new Float32Array(att.buffer), gateUp: new Float32Array(h2.buffer), down: new Float32Array(act.buffer) },
  };
}
