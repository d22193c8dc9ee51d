// The float64 reference of the decoder block (docs/design/lut-llm-block.md, "Golden model and its
// error bound"): the same operations as golden/lut-llm-block.ts in float64, each value carrying a
// bound on how far the FP32 golden block can be from it (running error analysis: every FP32 operation
// adds at most u = 2^-24 relative plus 2^-150 absolute, each new operator its ulp bound, and the
// inputs' bounds are propagated through the exact derivative). The linear layers are pluggable: the
// LUT-LLM engine's exact semantics on the golden's own activation indices, or dense float weights
// (the unquantized block, which also calibrates the quantizer).

import { blockDimsProblem, projectionShape, type BlockProjection, type LutLlmBlockDims, type LutLlmBlockModel } from '../contracts/lut-llm-block.js';
import type { LutLlmLayer } from '../contracts/lut-llm-layer.js';
import { ropeAngle, type BlockIndices } from './lut-llm-block.js';
import { lutLlmAccumulate } from './lut-llm.js';

/** A float64 value and a bound on |golden FP32 value - value|. */
export interface Bounded {
  readonly v: number;
  readonly e: number;
}

/**
 * The golden's new operators (fpExp, fpReciprocal, fpRsqrt), in ulps of the exact result of their
 * own input: tb/golden/softfloat/functions.test.ts bounds them by 0.519, 0.523 and 0.531 ulp
 * (docs/design/floating-point.md: over every significand, and a dense sweep for exp); 1 ulp leaves a margin.
 */
export const OPERATOR_ULPS = { exp: 1, recip: 1, rsqrt: 1 } as const;

/** FP32 rounding (2^-24) plus the reference's own float64 rounding (2^-52). */
const U = 2 ** -24 + 2 ** -52;
/** Half the smallest FP32 subnormal: the absolute rounding error below 2^-126. */
const TINY = 2 ** -150;
const ULP = 2 ** -23;
const SUBNORMAL_ULP = 2 ** -149;

const exact = (v: number): Bounded => ({ v, e: 0 });
/** fp32(c): the constant rounded once. */
const constant = (v: number): Bounded => ({ v, e: U * Math.abs(v) + TINY });
const rounded = (v: number, d: number): Bounded => ({ v, e: Number.isFinite(v) ? d + U * (Math.abs(v) + d) + TINY : Infinity });
const add = (a: Bounded, b: Bounded): Bounded => rounded(a.v + b.v, a.e + b.e);
const mul = (a: Bounded, b: Bounded): Bounded => rounded(a.v * b.v, Math.abs(a.v) * b.e + Math.abs(b.v) * a.e + a.e * b.e);
const neg = (a: Bounded): Bounded => ({ v: -a.v, e: a.e });
/** A new operator's result within `ulps` of the exact function of its (perturbed) input. */
const approximated = (v: number, d: number, ulps: number): Bounded => ({
  v,
  e: Number.isFinite(v) && Number.isFinite(d) ? d + ulps * (ULP * (Math.abs(v) + d) + SUBNORMAL_ULP) + 2 ** -52 * Math.abs(v) : Infinity,
});
// exp(a + e) - exp(a) bounds |exp(a') - exp(a)| for |a' - a| <= e (exp is increasing and convex).
const exp = (a: Bounded): Bounded => approximated(Math.exp(a.v), Math.exp(a.v) * Math.expm1(a.e), OPERATOR_ULPS.exp);
function recip(a: Bounded): Bounded {
  const low = Math.abs(a.v) - a.e;
  return approximated(1 / a.v, low > 0 ? a.e / (Math.abs(a.v) * low) : Infinity, OPERATOR_ULPS.recip);
}
function rsqrt(a: Bounded): Bounded {
  const low = a.v - a.e;
  return approximated(1 / Math.sqrt(a.v), low > 0 ? 1 / Math.sqrt(low) - 1 / Math.sqrt(a.v) : Infinity, OPERATOR_ULPS.rsqrt);
}
/** max is 1-Lipschitz in the largest input error. */
const max = (a: Bounded, b: Bounded): Bounded => ({ v: Math.max(a.v, b.v), e: Math.max(a.e, b.e) });

/** What the reference needs of a block besides its linear layers. */
export interface ReferenceBlockNorms {
  readonly dims: LutLlmBlockDims;
  readonly inputNorm: Float32Array;
  readonly postNorm: Float32Array;
  readonly qNorm: Float32Array;
  readonly kNorm: Float32Array;
}

/** A projection applied to T rows of K inputs, giving T rows of N outputs. */
export type ReferenceLinear = (projection: BlockProjection, input: readonly Bounded[], T: number) => Bounded[];

function rmsnorm(x: readonly Bounded[], at: number, n: number, w: Float32Array, eps: number): Bounded[] {
  let s = exact(0);
  for (let i = 0; i < n; i++) s = add(s, mul(x[at + i]!, x[at + i]!));
  const r = rsqrt(add(mul(s, constant(1 / n)), constant(eps)));
  return Array.from({ length: n }, (_, i) => mul(mul(x[at + i]!, r), exact(w[i]!)));
}

function rope(x: Bounded[], theta: number, position: number): Bounded[] {
  const D = x.length;
  const half = D / 2;
  const out = x.slice();
  for (let i = 0; i < half; i++) {
    const angle = ropeAngle(theta, D, i, position);
    const c = constant(Math.cos(angle));
    const s = constant(Math.sin(angle));
    out[i] = add(mul(x[i]!, c), mul(neg(x[i + half]!), s));
    out[i + half] = add(mul(x[i + half]!, c), mul(x[i]!, s));
  }
  return out;
}

/** The block over x [T, H] at positions 0 .. T-1, in float64 with bounds: y [T * H]. */
export function referenceBlock(norms: ReferenceBlockNorms, linear: ReferenceLinear, x: Float32Array): Bounded[] {
  const { hidden: H, intermediate: I, heads: NH, kvHeads: NKV, headDim: D, ropeTheta, rmsEps } = norms.dims;
  const problem = blockDimsProblem(norms.dims);
  if (problem !== undefined) throw new RangeError(problem);
  const T = x.length / H;
  const xs = Array.from(x, exact);
  const h = Array.from({ length: T }, (_, t) => rmsnorm(xs, t * H, H, norms.inputNorm, rmsEps)).flat();
  const qkv = linear('qkv', h, T);
  const qkvN = (NH + 2 * NKV) * D;
  const q: Bounded[][] = [];
  const keys: Bounded[][] = [];
  const values: Bounded[][] = [];
  for (let t = 0; t < T; t++) {
    for (let a = 0; a < NH; a++) q.push(rope(rmsnorm(qkv, t * qkvN + a * D, D, norms.qNorm, rmsEps), ropeTheta, t));
    for (let g = 0; g < NKV; g++) {
      keys.push(rope(rmsnorm(qkv, t * qkvN + (NH + g) * D, D, norms.kNorm, rmsEps), ropeTheta, t));
      const at = t * qkvN + (NH + NKV + g) * D;
      values.push(qkv.slice(at, at + D));
    }
  }
  const scoreScale = constant(1 / Math.sqrt(D));
  const att: Bounded[] = [];
  for (let t = 0; t < T; t++) {
    for (let a = 0; a < NH; a++) {
      const g = Math.floor(a / (NH / NKV));
      const qa = q[t * NH + a]!;
      const sc = Array.from({ length: t + 1 }, (_, j) => {
        let d = exact(0);
        for (let i = 0; i < D; i++) d = add(d, mul(qa[i]!, keys[j * NKV + g]![i]!));
        return mul(d, scoreScale);
      });
      const m = sc.reduce(max);
      const e = sc.map((s) => exp(add(s, neg(m))));
      const r = recip(e.reduce(add, exact(0)));
      for (let i = 0; i < D; i++) {
        let o = exact(0);
        for (let j = 0; j <= t; j++) o = add(o, mul(e[j]!, values[j * NKV + g]![i]!));
        att.push(mul(o, r));
      }
    }
  }
  const oOut = linear('o', att, T);
  const x2 = xs.map((value, i) => add(value, oOut[i]!));
  const h2 = Array.from({ length: T }, (_, t) => rmsnorm(x2, t * H, H, norms.postNorm, rmsEps)).flat();
  const gu = linear('gateUp', h2, T);
  const one = constant(1);
  const act: Bounded[] = [];
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < I; j++) {
      const gate = gu[t * 2 * I + j]!;
      act.push(mul(mul(gate, recip(add(one, exp(neg(gate))))), gu[t * 2 * I + I + j]!));
    }
  }
  const downOut = linear('down', act, T);
  return x2.map((value, i) => add(value, downOut[i]!));
}

function layerOf(model: LutLlmBlockModel, projection: BlockProjection): LutLlmLayer {
  return model[projection];
}

/**
 * The LUT-LLM engine's exact semantics on the golden's activation indices: acc from the tables,
 * then acc * scale - zero * scale * P in float64, bounded by the golden's three FP32 roundings.
 * Taking the golden's indices keeps the search's discrete choice (which no error bound can cover:
 * a last-bit change of an activation may pick another centroid) out of the comparison.
 */
export function lutLinearReference(model: LutLlmBlockModel, indices: BlockIndices): ReferenceLinear {
  return (projection, _input, T) => {
    const layer = layerOf(model, projection);
    const acc = lutLlmAccumulate(layer, indices[projection], T);
    const { N, P, scale, zero } = layer;
    const S = scale.length;
    return Array.from(acc, (count, i) => {
      const s = Math.floor((i % N) / (N / S));
      const offset = mul(mul(exact(zero[s]!), exact(scale[s]!)), exact(P));
      return add(mul(exact(count), exact(scale[s]!)), neg(offset));
    });
  };
}

/** The unquantized block's projections: x @ W in float64, W [K, N]. `capture` sees each projection's input values. */
export function denseLinear(
  dims: LutLlmBlockDims,
  weights: Readonly<Record<BlockProjection, Float32Array>>,
  capture?: (projection: BlockProjection, input: Float64Array, T: number) => void,
): ReferenceLinear {
  return (projection, input, T) => {
    const { K, N } = projectionShape(dims, projection);
    const W = weights[projection];
    const xs = Float64Array.from(input, (value) => value.v);
    capture?.(projection, xs, T);
    const out = new Float64Array(T * N);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < K; k++) {
        const a = xs[t * K + k]!;
        for (let n = 0; n < N; n++) out[t * N + n]! += a * W[k * N + n]!;
      }
    }
    return Array.from(out, exact);
  };
}
