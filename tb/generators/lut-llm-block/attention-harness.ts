// The attention kernel's test bench: the expectation, computed from the golden soft-float following
// the order of operations of docs/design/lut-llm-block.md literally (not from the kernel), and a wrapper that sequences the
// kernel's streams the way the block's top does.
//
// The stream harness feeds every input stream at once, so the wrapper's `fence` stream says, per
// query, how many kv beats the kernel must have taken before that query's first q beat may pass
// (the top sends a batch's kv before its queries, and no later kv before them), and whether that query (and the kv beats before
// it) runs throttled: kv, q and out then open only in some cycles (a 16-bit LFSR), so the kernel
// waits on empty inputs and holds while a result is refused.

import { Bool, Bundle, defineModule, mux, Stream, UInt, type Expr, type ModuleDef } from '../../../dsl/index.js';
import { FP32 } from '../../../contracts/fp-format.js';
import { type AttentionParams, buildAttention } from '../../../generators/lut-llm-block/attention.js';
import { fpAdd, fpCompare, fpExp, fpMul, fpNeg, fpReciprocal } from '../../../golden/softfloat.js';

const MUL = { a: FP32, b: FP32, out: FP32 };
const add = (a: number, b: number): number => fpAdd(FP32, a, b);
const mul = (a: number, b: number): number => fpMul(MUL, a, b);
const neg = (a: number): number => fpNeg(FP32, a);
const exp = (a: number): number => fpExp(FP32, a);
const recip = (a: number): number => fpReciprocal(FP32, a);
const greater = (a: number, b: number): boolean => fpCompare(FP32, a, b) === 'gt';
/** The FP32 pattern nearest a float64 value. */
export const fp32 = (value: number): number => new Uint32Array(new Float32Array([value]).buffer)[0]!;

/** The KV cache as the test writes it: k[position][g*D + i], v likewise (FP32 patterns). */
export interface Cache {
  readonly k: Uint32Array[];
  readonly v: Uint32Array[];
}

/**
 * att[a*D + i] for the query q (NH*D patterns) at position p over the cache, operation by
 * operation as the order of operations of docs/design/lut-llm-block.md writes it.
 */
export function expectedAttention(params: AttentionParams, cache: Cache, q: Uint32Array, p: number): number[] {
  const { heads: NH, kvHeads: NKV, headDim: D } = params;
  const G = NH / NKV;
  const att: number[] = [];
  for (let a = 0; a < NH; a++) {
    const g = Math.floor(a / G);
    const K = (j: number, i: number): number => cache.k[j]![g * D + i]!;
    const V = (j: number, i: number): number => cache.v[j]![g * D + i]!;
    const sc: number[] = [];
    for (let j = 0; j <= p; j++) {
      let d = 0;
      for (let i = 0; i < D; i++) d = add(d, mul(q[a * D + i]!, K(j, i)));
      sc[j] = mul(d, fp32(1 / Math.sqrt(D)));
    }
    let m = sc[0]!;
    for (let j = 1; j <= p; j++) if (greater(sc[j]!, m)) m = sc[j]!;
    const e: number[] = [];
    for (let j = 0; j <= p; j++) e[j] = exp(add(sc[j]!, neg(m)));
    let z = 0;
    for (let j = 0; j <= p; j++) z = add(z, e[j]!);
    const r = recip(z);
    for (let i = 0; i < D; i++) {
      let o = 0;
      for (let j = 0; j <= p; j++) o = add(o, mul(e[j]!, V(j, i)));
      att[a * D + i] = mul(o, r);
    }
  }
  return att;
}

/** kv beats for one position: NKV*D k values then NKV*D v values, each with the position. */
export function kvBeats(cache: Cache, position: number): bigint[][] {
  return [...cache.k[position]!, ...cache.v[position]!].map((value) => [BigInt(value), BigInt(position)]);
}

/** q beats of one query. */
export function qBeats(q: Uint32Array, position: number): bigint[][] {
  return Array.from(q, (value) => [BigInt(value), BigInt(position)]);
}

/** The kernel behind the sequencing wrapper described in the header; stream names kv, q, out, fence. */
export function sequencedAttention(params: AttentionParams, seed: number): ModuleDef {
  const kernel = buildAttention(params);
  const queryBeats = params.heads * params.headDim;
  return defineModule('attention_sequenced', (m) => {
    const inner = m.instance(kernel, 'kernel').io;
    const positionShape = inner.kv.data.position.shape;
    const kv = m.input('kv', Stream(Bundle({ value: UInt(32), position: positionShape })));
    const q = m.input('q', Stream(Bundle({ value: UInt(32), position: positionShape })));
    const out = m.output('out', Stream(UInt(32)));
    const fence = m.input('fence', Stream(Bundle({ kv_beats: UInt(16), throttle: Bool })));

    const lfsr = m.reg('lfsr', UInt(16), { init: (seed & 0xffff) | 1 });
    lfsr.assign(mux(lfsr.bit(0), lfsr.shr(1).xor(0xb400), lfsr.shr(1)));
    const loaded = m.reg('fence_loaded', Bool, { init: 0 });
    const fenceKv = m.reg('fence_kv', UInt(16), { init: 0 });
    const throttle = m.reg('throttle', Bool, { init: 0 });
    const kvTaken = m.reg('kv_taken', UInt(16), { init: 0 });
    const qPassed = m.reg('q_passed', UInt(16), { init: 0 });
    fence.ready.assign(loaded.not());
    const gate = (open: Expr): Expr => throttle.not().or(open);
    // Inputs open about three cycles in four when throttled, out one in four.
    const kvOpen = m.node('kv_open', loaded.and(kvTaken.lt(fenceKv)).and(gate(lfsr.bit(1).or(lfsr.bit(8)))));
    const qOpen = m.node('q_open', loaded.and(kvTaken.ge(fenceKv)).and(gate(lfsr.bit(2).or(lfsr.bit(9)))));
    const outOpen = m.node('out_open', gate(lfsr.bit(3).and(lfsr.bit(10))));

    inner.kv.valid.assign(kv.valid.and(kvOpen));
    kv.ready.assign(inner.kv.ready.and(kvOpen));
    inner.kv.data.value.assign(kv.data.value);
    inner.kv.data.position.assign(kv.data.position);
    inner.q.valid.assign(q.valid.and(qOpen));
    q.ready.assign(inner.q.ready.and(qOpen));
    inner.q.data.value.assign(q.data.value);
    inner.q.data.position.assign(q.data.position);
    out.valid.assign(inner.out.valid.and(outOpen));
    inner.out.ready.assign(out.ready.and(outOpen));
    out.data.assign(inner.out.data);

    m.when(kv.valid.and(kv.ready), () => kvTaken.assign(kvTaken.addWrap(1)));
    const qPass = q.valid.and(q.ready);
    const lastOfQuery = qPassed.eq(queryBeats - 1);
    m.when(qPass, () => qPassed.assign(mux(lastOfQuery, 0, qPassed.addWrap(1))));
    m.when(fence.valid.and(fence.ready), () => {
      loaded.assign(1);
      fenceKv.assign(fence.data.kv_beats);
      throttle.assign(fence.data.throttle);
    }).elseWhen(qPass.and(lastOfQuery), () => loaded.assign(0));
    return {};
  });
}
