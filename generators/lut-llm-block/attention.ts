// The decoder block's causal grouped-query attention (docs/design/lut-llm-block.md, the order of operations and the hardware): a stream
// kernel that owns the KV cache and runs every FP32 operation of the attention in the order the
// spec fixes, one after another, on one multiplier, one adder, one comparator, one exponential and
// one reciprocal, so it agrees bit for bit with the golden block.
//
// Streams: `kv` (Bundle {value, position}): for one position, NKV*D k values (head g, then i) then
// NKV*D v values, written to K[position] and V[position]; `q` (the same bundle): NH*D values of one
// token (head a, then i), which attends positions 0..position; `out`: NH*D values att[a*D+i].
// kv beats are taken only between queries, before a waiting query (the top sends a batch's kv
// before its queries). Positions at or above maxSeq are outside the contract (the top never
// sends them).
//
// Memories (block RAM, read one cycle after the address): K and V, S*NKV*D words each at
// (position*NKV + g)*D + i; the scores, S words (sc[j], then e[j] in place); the query, NH*D words.
//
// Pipeline: an issue stage steps the loops and addresses the memories; one cycle later the execute
// stage finds the words and does that step's operations. Per head a (g = floor(a / (NH/NKV))):
//   QK_MAC   (p+1)*D  d = add(i == 0 ? +0 : d, mul(q[a][i], K[j][g][i]))
//   QK_SCORE  p+1     sc = mul(d, fp32(1/sqrt(D))); m = sc if j == 0 or greater(sc, m); store sc[j]
//   GAP       1       lets sc[p] reach the memory before EXP_A reads sc[0] (p = 0)
//   EXP_A     p+1     t = add(sc[j], neg(m))
//   EXP_B     p+1     e = exp(t); z = add(j == 0 ? +0 : z, e); store e[j]
//   RECIP     1       r = recip(z)
//   AV_MAC   D*(p+1)  o = add(j == 0 ? +0 : o, mul(e[j], V[j][g][i]))
//   AV_OUT    D       out = mul(o, r), one `out` beat (the pipeline holds while it waits)
// The exponent needs two adds per score (t, then z), hence two steps on the one adder.

import { z } from 'zod';
import { float32Bits, type StreamPorts } from './common.js';
import { bitsFor, Bool, Bundle, type Expr, FP32, fpAdd, fpCompare, fpExp, fpMul, fpNeg, fpReciprocal, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, type Signal, Stream, UInt } from '../../api/index.js';

export const attentionParams = z
  .strictObject({
    heads: z.number().int().min(1).max(1024).describe('query heads NH'),
    kvHeads: z.number().int().min(1).max(1024).describe('key/value heads NKV (divides NH)'),
    headDim: z.number().int().min(1).max(4096).describe('head dimension D'),
    maxSeq: z.number().int().min(1).max(1 << 20).describe('positions the KV cache holds'),
  })
  .refine((params) => params.heads % params.kvHeads === 0, { message: 'heads must be a multiple of kvHeads', path: ['heads'] });
export type AttentionParams = z.output<typeof attentionParams>;

/**
 * Cycles the kernel takes per query token at position p with every stream ready: NH*D to take the
 * query, then per head (p+1)*(2D+3) + D + 2 (see the header's table). With a query waiting, the
 * next token's first beat is taken this many cycles after the previous one's.
 */
export function attentionCyclesPerToken(params: Pick<AttentionParams, 'heads' | 'headDim'>, position: number): number {
  const { heads, headDim } = params;
  return heads * headDim + heads * ((position + 1) * (2 * headDim + 3) + headDim + 2);
}

/** Cycles to take one position's kv beats: 2*NKV*D, one a cycle. */
export function attentionKvCycles(params: Pick<AttentionParams, 'kvHeads' | 'headDim'>): number {
  return 2 * params.kvHeads * params.headDim;
}


export interface AttentionIo {
  readonly kv: StreamPorts<{ value: Signal; position: Signal }>;
  readonly q: StreamPorts<{ value: Signal; position: Signal }>;
  readonly out: StreamPorts<Signal>;
}

/** The kernel for checked parameters; its module is `lut_llm_attention`. */
export function buildAttention(params: AttentionParams): ModuleDef<AttentionIo> {
  return attentionGenerator({ ...attentionParams.parse(params) });
}

/** The FP32 pattern nearest a float64 value (rounded once). */

// The steps, in the order a head goes through them.
const QK_MAC = 0;
const QK_SCORE = 1;
const GAP = 2;
const EXP_A = 3;
const EXP_B = 4;
const RECIP = 5;
const AV_MAC = 6;
const AV_OUT = 7;

const attentionGenerator = moduleGenerator('lut_llm_attention', (m: ModuleBuilder, params: AttentionParams): AttentionIo => {
  const { heads, kvHeads, headDim, maxSeq } = params;
  const group = heads / kvHeads;
  const rowWords = kvHeads * headDim;
  const positionBits = bitsFor(maxSeq);
  const word = UInt(32);
  const kv = m.input('kv', Stream(Bundle({ value: word, position: UInt(positionBits) })));
  const q = m.input('q', Stream(Bundle({ value: word, position: UInt(positionBits) })));
  const out = m.output('out', Stream(word));

  const cacheWords = maxSeq * rowWords;
  const keys = m.memory('k_cache', { shape: word, depth: Math.max(2, cacheWords), style: 'block' });
  const values = m.memory('v_cache', { shape: word, depth: Math.max(2, cacheWords), style: 'block' });
  const scores = m.memory('scores', { shape: word, depth: Math.max(2, maxSeq), style: 'block' });
  const query = m.memory('query', { shape: word, depth: Math.max(2, heads * headDim), style: 'block' });
  const cacheBits = keys.addressWidth;
  const queryBits = query.addressWidth;
  const scoreBits = scores.addressWidth;

  // ---- loading: kv beats into the cache, q beats into the query buffer ----
  const busy = m.reg('busy', Bool, { init: 0 });
  const kvIndex = m.reg('kv_index', UInt(bitsFor(rowWords)), { init: 0 });
  const kvSecondHalf = m.reg('kv_values', Bool, { init: 0 });
  const queryIndex = m.reg('query_index', UInt(queryBits), { init: 0 });
  // A query is taken whole before the work starts; kv goes first when both wait between queries.
  const between = m.node('between_queries', busy.not().and(queryIndex.eq(0)));
  kv.ready.assign(between);
  q.ready.assign(busy.not().and(queryIndex.ne(0).or(kv.valid.not())));
  const kvTake = m.node('kv_take', kv.valid.and(kv.ready));
  const qTake = m.node('q_take', q.valid.and(q.ready));
  const kvAddress = m.node('kv_address', kv.data.position.mul(lit(rowWords, UInt(bitsFor(rowWords + 1)))).addWrap(kvIndex).resize(cacheBits));
  keys.write(kvAddress, kv.data.value, kvTake.and(kvSecondHalf.not()));
  values.write(kvAddress, kv.data.value, kvTake.and(kvSecondHalf));
  m.when(kvTake, () => {
    m.when(kvIndex.eq(rowWords - 1), () => {
      kvIndex.assign(0);
      kvSecondHalf.assign(kvSecondHalf.not());
    }).otherwise(() => kvIndex.assign(kvIndex.addWrap(1)));
  });
  query.write(queryIndex, q.data.value, qTake);
  const lastQueryBeat = queryIndex.eq(heads * headDim - 1);
  const start = m.node('start', qTake.and(lastQueryBeat));
  m.when(qTake, () => queryIndex.assign(mux(lastQueryBeat, lit(0, UInt(queryBits)), queryIndex.addWrap(1))));
  const position = m.reg('position', UInt(positionBits), { enable: start });
  position.assign(q.data.position);

  // ---- the issue stage: loops over heads, steps, j and i ----
  const step = m.reg('step', UInt(3), { init: 0 });
  const head = m.reg('head', UInt(bitsFor(heads)), { init: 0 });
  const headInGroup = m.reg('head_in_group', UInt(bitsFor(group)), { init: 0 });
  const queryBase = m.reg('query_base', UInt(queryBits), { init: 0 }); // a*D
  const kvHeadBase = m.reg('kv_head_base', UInt(cacheBits), { init: 0 }); // g*D
  const j = m.reg('j', UInt(positionBits), { init: 0 });
  const rowBase = m.reg('row_base', UInt(cacheBits), { init: 0 }); // j*NKV*D
  const i = m.reg('i', UInt(bitsFor(headDim)), { init: 0 });

  // The execute stage's step; `advance` is low only while an output waits for a full `out`.
  const execValid = m.reg('exec_valid', Bool, { init: 0 });
  const execStep = m.reg('exec_step', UInt(3), { init: 0 });
  const execFirst = m.reg('exec_first', Bool, { init: 0 });
  const execJ = m.reg('exec_j', UInt(positionBits), { init: 0 });
  const outFull = m.reg('out_full', Bool, { init: 0 });
  const execIs = (s: number): Expr => execValid.and(execStep.eq(s));
  const advance = m.node('advance', execIs(AV_OUT).and(outFull).and(out.ready.not()).not());
  const issue = m.node('issue', busy.and(advance));
  const is = (s: number): Expr => step.eq(s);

  const lastI = i.eq(headDim - 1);
  const lastJ = j.eq(position);
  const zeroJ = lit(0, UInt(positionBits));
  const zeroRow = lit(0, UInt(cacheBits));
  // Modulo the width, like the head bases below: with maxSeq 1 one row fills the cache.
  const nextRow = rowBase.addWrap(lit(rowWords % 2 ** cacheBits, UInt(cacheBits)));
  // The loop over j = 0..p: the next position (and its cache row) in step `again`, or after p,
  // position 0 in step `done`.
  const nextPosition = (done: number, again: number, rows: boolean): void => {
    m.when(lastJ, () => {
      j.assign(zeroJ);
      if (rows) rowBase.assign(zeroRow);
      step.assign(done);
    }).otherwise(() => {
      j.assign(j.addWrap(1));
      if (rows) rowBase.assign(nextRow);
      step.assign(again);
    });
  };
  m.when(issue, () => {
    m.switch(step)
      .is(QK_MAC, () => {
        m.when(lastI, () => {
          i.assign(0);
          step.assign(QK_SCORE);
        }).otherwise(() => i.assign(i.addWrap(1)));
      })
      .is(QK_SCORE, () => nextPosition(GAP, QK_MAC, true))
      .is(GAP, () => step.assign(EXP_A))
      .is(EXP_A, () => step.assign(EXP_B))
      .is(EXP_B, () => nextPosition(RECIP, EXP_A, false))
      .is(RECIP, () => step.assign(AV_MAC))
      .is(AV_MAC, () => nextPosition(AV_OUT, AV_MAC, true))
      .is(AV_OUT, () => {
        step.assign(mux(lastI, lit(QK_MAC, UInt(3)), lit(AV_MAC, UInt(3))));
        m.when(lastI.not(), () => i.assign(i.addWrap(1))).otherwise(() => {
          i.assign(0);
          // The next head: its query words, and the next kv head after every NH/NKV heads.
          m.when(head.eq(heads - 1), () => busy.assign(0));
          head.assign(mux(head.eq(heads - 1), lit(0, head.shape), head.addWrap(1)));
          // D modulo the width: the same sum where it matters, and it fits when one head fills the memory.
          queryBase.assign(queryBase.addWrap(lit(headDim % 2 ** queryBits, UInt(queryBits))));
          m.when(headInGroup.eq(group - 1), () => {
            headInGroup.assign(0);
            kvHeadBase.assign(kvHeadBase.addWrap(lit(headDim % 2 ** cacheBits, UInt(cacheBits))));
          }).otherwise(() => headInGroup.assign(headInGroup.addWrap(1)));
        });
      });
  });
  m.when(start, () => {
    busy.assign(1);
    for (const counter of [step, head, headInGroup, queryBase, kvHeadBase, j, rowBase, i]) counter.assign(0);
  });
  m.when(advance, () => {
    execValid.assign(busy);
    execStep.assign(step);
    execFirst.assign(mux(is(QK_MAC), i.eq(0), j.eq(0)));
    execJ.assign(j);
  });

  // Every memory is read every issued cycle at the address the step needs (the others ignore it).
  const cacheAddress = m.node('cache_address', rowBase.addWrap(kvHeadBase).addWrap(i.resize(cacheBits)));
  const queryWord = query.read(queryBase.addWrap(i.resize(queryBits)), { enable: issue, name: 'query_word' });
  const keyWord = keys.read(cacheAddress, { enable: issue, name: 'key_word' });
  const valueWord = values.read(cacheAddress, { enable: issue, name: 'value_word' });
  const scoreWord = scores.read(j.resize(scoreBits), { enable: issue, name: 'score_word' });

  // ---- the execute stage ----
  const acc = m.reg('acc', word); // d, then t, then o
  const max = m.reg('max', word);
  const sum = m.reg('sum', word); // z
  const recip = m.reg('recip', word); // r
  const outWord = m.reg('out_word', word);
  const zero = lit(0, word);
  const scale = lit(float32Bits(1 / Math.sqrt(headDim)), word);
  const fp32 = { a: FP32, b: FP32, out: FP32 };

  const macQk = execIs(QK_MAC);
  const score = execIs(QK_SCORE);
  const expA = execIs(EXP_A);
  const expB = execIs(EXP_B);
  const macAv = execIs(AV_MAC);
  const output = execIs(AV_OUT);
  const productA = m.node('product_a', mux(macQk, queryWord, mux(macAv, scoreWord, acc)));
  const productB = m.node('product_b', mux(macQk, keyWord, mux(macAv, valueWord, mux(score, scale, recip))));
  const product = m.node('product', fpMul(m, 'multiply', productA, productB, fp32));
  const exponential = m.node('exponential', fpExp(m, 'exp', acc, FP32));
  const sumA = m.node('sum_a', mux(expA, scoreWord, mux(execFirst, zero, mux(expB, sum, acc))));
  const sumB = m.node('sum_b', mux(expA, fpNeg(max, FP32), mux(expB, exponential, product)));
  const added = m.node('added', fpAdd(m, 'add', sumA, sumB, FP32));
  const greater = fpCompare(product, max, FP32).gt;
  const reciprocal = m.node('reciprocal_of_sum', fpReciprocal(m, 'reciprocal', sum, FP32));

  scores.write(execJ.resize(scoreBits), mux(score, product, exponential), advance.and(score.or(expB)));
  m.when(advance, () => {
    m.when(macQk.or(expA).or(macAv), () => acc.assign(added));
    m.when(score.and(execFirst.or(greater)), () => max.assign(product));
    m.when(expB, () => sum.assign(added));
    m.when(execIs(RECIP), () => recip.assign(reciprocal));
    m.when(output, () => outWord.assign(product));
  });
  m.when(advance.and(output), () => outFull.assign(1)).elseWhen(out.ready, () => outFull.assign(0));
  out.valid.assign(outFull);
  out.data.assign(outWord);
  return { kv, q, out };
});
