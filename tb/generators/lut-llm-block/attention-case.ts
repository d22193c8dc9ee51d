// The decoder block's attention kernel bit for bit against the order of operations of docs/design/lut-llm-block.md computed in the
// test from the golden soft-float (attention-harness.ts), simulated in kernels.test.ts (4 heads
// over 2 kv heads, head dimension 8, 8 positions): a prefill batch (kv of positions 0..2, then
// queries at 0..2 over that cache), decode steps (kv of one position, then its query), and a
// batch of two positions whose values hold an infinity in a key and a NaN and an infinity in
// values, queried at 6 and at S-1 = 7; two queries run throttled. The unthrottled queries take
// exactly the cycles attentionCyclesPerToken gives.

import { expect } from 'vitest';
import { attentionCyclesPerToken, attentionKvCycles, type AttentionParams } from '../../../generators/lut-llm-block/attention.js';
import { SeededRandom } from '../../../golden/random.js';
import { type Cache, expectedAttention, fp32, kvBeats, qBeats, sequencedAttention } from './attention-harness.js';
import type { KernelCase } from './kernel-harness.js';

export const ATTENTION_PARAMS: AttentionParams = { heads: 4, kvHeads: 2, headDim: 8, maxSeq: 8 };
const POSITIVE_INF = 0x7f800000;
const NAN = 0x7fc00000;

function randomWords(random: SeededRandom, n: number): Uint32Array {
  return Uint32Array.from({ length: n }, () => fp32((random.unit() - 0.5) * 4));
}

/** One step of the run: kv of some positions, then one query. */
interface Step {
  readonly kv: readonly number[];
  readonly query: number;
  readonly throttle: boolean;
}

const STEPS: readonly Step[] = [
  { kv: [0, 1, 2], query: 0, throttle: false },
  { kv: [], query: 1, throttle: true },
  { kv: [], query: 2, throttle: false },
  { kv: [3], query: 3, throttle: false },
  { kv: [4], query: 4, throttle: false },
  { kv: [5], query: 5, throttle: true },
  { kv: [6, 7], query: 6, throttle: false },
  { kv: [], query: 7, throttle: false },
];

/** Equals the order of operations of docs/design/lut-llm-block.md bit for bit over a prefill batch, decode steps and IEEE specials, in the cycles of its formula. */
export function attentionCase(): KernelCase {
  const PARAMS = ATTENTION_PARAMS;
  const { heads, kvHeads, headDim, maxSeq } = PARAMS;
  const random = new SeededRandom(22);
  const rowWords = kvHeads * headDim;
  const cache: Cache = {
    k: Array.from({ length: maxSeq }, () => randomWords(random, rowWords)),
    v: Array.from({ length: maxSeq }, () => randomWords(random, rowWords)),
  };
  // Position 6: +inf in a key of kv head 1 (heads 2 and 3 see an infinite score from 6 on).
  cache.k[6]![1 * headDim + 3] = POSITIVE_INF;
  // Position 7: a NaN and +inf in values of kv head 0 (heads 0 and 1, elements 5 and 1, query 7).
  cache.v[7]![5] = NAN;
  cache.v[7]![1] = POSITIVE_INF;
  const queries = STEPS.map(() => randomWords(random, heads * headDim));
  // Signed zero and a subnormal in the first query.
  queries[0]![0] = 0x80000000;
  queries[0]![1] = 0x00000003;

  const inputs: { kv: bigint[][]; q: bigint[][]; fence: bigint[][] } = { kv: [], q: [], fence: [] };
  const expected: bigint[][] = [];
  for (const step of STEPS) {
    for (const position of step.kv) inputs.kv.push(...kvBeats(cache, position));
    inputs.q.push(...qBeats(queries[step.query]!, step.query));
    inputs.fence.push([BigInt(inputs.kv.length), step.throttle ? 1n : 0n]);
    expected.push(...expectedAttention(PARAMS, cache, queries[step.query]!, step.query).map((value) => [BigInt(value)]));
  }
  const queryBeats = heads * headDim;
  return {
    design: sequencedAttention(PARAMS, 0x5eed),
    inputs,
    expected,
    indices: (beat) => ({ query: Math.floor(beat / queryBeats), head: Math.floor(beat / headDim) % heads, i: beat % headDim }),
    check: (cycles) => {
      // The specials do reach the outputs (so their propagation is checked), and only where they should.
      const isNaN = (word: bigint[]): boolean => (Number(word[0]) & 0x7fffffff) > POSITIVE_INF;
      const outputsOf = (query: number): bigint[][] => expected.slice(query * queryBeats, (query + 1) * queryBeats);
      expect(outputsOf(7).filter(isNaN).length).toBeGreaterThan(0);
      expect(outputsOf(5).filter(isNaN)).toEqual([]);
      expect(outputsOf(7).filter((word) => Number(word[0]) === POSITIVE_INF).length).toBeGreaterThan(0);

      // Between two unthrottled queries the kernel takes the next one's kv, then the query itself. (A
      // throttled query's fence, loaded once the previous query is in, throttles that one's outputs.)
      const lastOut = STEPS.map((_, n) => cycles[(n + 1) * queryBeats - 1]!);
      const checked: number[] = [];
      for (let n = 1; n < STEPS.length; n++) {
        if (STEPS[n - 1]!.throttle || STEPS[n]!.throttle || STEPS[n + 1]?.throttle === true) continue;
        checked.push(n);
        const formula = STEPS[n]!.kv.length * attentionKvCycles(PARAMS) + attentionCyclesPerToken(PARAMS, STEPS[n]!.query);
        expect(lastOut[n]! - lastOut[n - 1]!, `cycles of query ${n}`).toBe(formula);
      }
      expect(checked).toEqual([3, 7]);
    },
  };
}
