// The golden block against its float64 reference within the running error bound
// (docs/design/lut-llm-block.md, "Golden model and its error bound"), prefill against decode, and
// NaN / infinity propagation by the IEEE rules of the operations performed.

import { describe, expect, it } from 'vitest';
import { emptyBlockCache, goldenBlock } from '../../golden/lut-llm-block.js';
import { lutLinearReference, referenceBlock, type Bounded } from '../../golden/lut-llm-block-reference.js';
import type { BlockProjection } from '../../contracts/lut-llm-block.js';
import { blockRelativeErrors } from '../../host/lut-llm-block/quantize-block.js';
import { tinyBlock } from '../fixtures/tiny-block.js';

const bits = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);
const H = 64;

describe('goldenBlock against the float64 reference', () => {
  it('stays within the derived bound at every element of y and of every engine input, and the bound is tight', () => {
    const { files, x } = tinyBlock();
    const golden = goldenBlock(files.model, x);
    // The engine's output depends on its input only through the indices, which the reference
    // shares: so the norms, RoPE, attention and SiLU are checked at the engine inputs, not at y.
    const inputs = {} as Record<BlockProjection, Bounded[]>;
    const exactEngine = lutLinearReference(files.model, golden.indices);
    const y = referenceBlock(files.model, (projection, input, T) => {
      inputs[projection] = [...input];
      return exactEngine(projection, input, T);
    }, x);
    /** The largest share of the bound used, and the largest bound against the array's largest value. */
    const check = (what: string, got: Float32Array, reference: readonly Bounded[], K: number): { ratio: number; relativeBound: number } => {
      let ratio = 0;
      let bound = 0;
      let largest = 0;
      reference.forEach(({ v, e }, i) => {
        const difference = Math.abs(got[i]! - v);
        expect(difference, `${what}[${Math.floor(i / K)}][${i % K}] = ${got[i]} vs ${v} +- ${e}`).toBeLessThanOrEqual(e);
        ratio = Math.max(ratio, difference / e);
        bound = Math.max(bound, e);
        largest = Math.max(largest, Math.abs(v));
      });
      if (process.env.BLOCK_FIGURES) console.log(what, { ratio, bound, largest, relativeBound: bound / largest });
      return { ratio, relativeBound: bound / largest };
    };
    const atY = check('y', golden.y, y, H);
    // Not vacuous: the golden uses a fair part of the bound, and the bound stays near FP32 precision.
    expect(atY.ratio).toBeGreaterThan(0.05);
    expect(atY.relativeBound).toBeLessThan(1e-4);
    for (const projection of ['qkv', 'o', 'gateUp', 'down'] as const) {
      const K = files.model[projection].P * files.model[projection].v;
      const at = check(projection, golden.engineInputs[projection], inputs[projection], K);
      expect(at.ratio, projection).toBeGreaterThan(0.01);
      expect(at.relativeBound, projection).toBeLessThan(1e-2);
    }
  });

  it('is within a quantization-sized distance of the unquantized float block', () => {
    const { files, weights, calib, x } = tinyBlock();
    // Measured 0.187 (calibration rows) and 0.391 (other rows): the four projections' LUT-LLM
    // errors (0.10 to 0.23 each at this tiny size), not the FP32 arithmetic.
    expect(blockRelativeErrors(files, weights, calib).y).toBeLessThan(0.3);
    expect(blockRelativeErrors(files, weights, x).y).toBeLessThan(0.6);
  });
});

describe('goldenBlock prefill and decode', () => {
  it('gives the same y bit for bit for T at once, token by token, and in uneven chunks over a persisting cache', () => {
    const { files, x } = tinyBlock();
    const prefill = bits(goldenBlock(files.model, x).y);
    for (const chunks of [Array.from({ length: 16 }, () => 1), [5, 1, 10]]) {
      const cache = emptyBlockCache(files.model.dims);
      const pieces: number[] = [];
      let p0 = 0;
      for (const T of chunks) {
        const { y } = goldenBlock(files.model, x.subarray(p0 * H, (p0 + T) * H), p0, cache);
        pieces.push(...bits(y));
        p0 += T;
      }
      expect(Uint32Array.from(pieces), `chunks ${chunks.join(' ')}`).toEqual(prefill);
      expect(cache.filled).toBe(16);
    }
  });

  it('refuses a position the cache cannot attend from and runs past maxSeq', () => {
    const { files, x } = tinyBlock();
    expect(() => goldenBlock(files.model, x.subarray(0, H), 3)).toThrow(/p0 = 3: the cache holds positions 0 \.\. -1/);
    const cache = emptyBlockCache(files.model.dims);
    goldenBlock(files.model, x.subarray(0, 8 * H), 0, cache);
    expect(() => goldenBlock(files.model, x, 8, cache)).toThrow(/positions 8 \.\. 23 exceed maxSeq = 16/);
  });
});

describe('goldenBlock special values', () => {
  // A NaN in x[t][i] makes the sum of squares NaN, so every h[t] is NaN; an infinity makes it
  // +inf, rsqrt(+inf) = +0, so h[t][i] = inf * 0 = NaN and the rest of h[t] is +-0. Either way the
  // engine's search sees NaN distances at the positions holding a NaN and picks centroid 0 there
  // (NaN distances tie and the lower index wins), so q, k, v, the attention and every projection
  // output stay finite: only the residual path carries the special value, to y[t][i] alone.
  // Earlier tokens cannot see it (causal); later ones attend over the token's finite keys and values.
  const cases = [
    { name: 'NaN', value: Number.NaN, expected: (y: number) => Number.isNaN(y) },
    { name: '+inf', value: Infinity, expected: (y: number) => y === Infinity },
    { name: '-inf', value: -Infinity, expected: (y: number) => y === -Infinity },
  ];
  it.each(cases)('$name at x[5][3] reaches y[5][3] only; earlier tokens are unchanged, later ones finite', ({ value, expected }) => {
    const { files, x } = tinyBlock();
    const clean = goldenBlock(files.model, x);
    const poisoned = x.slice();
    poisoned[5 * H + 3] = value;
    const run = goldenBlock(files.model, poisoned);
    expect(bits(run.y).subarray(0, 5 * H)).toEqual(bits(clean.y).subarray(0, 5 * H));
    expect(expected(run.y[5 * H + 3]!)).toBe(true);
    run.y.forEach((y, i) => {
      if (i !== 5 * H + 3) expect(Number.isFinite(y), `y[${Math.floor(i / H)}][${i % H}] = ${y}`).toBe(true);
    });
    const { P, v } = files.model.qkv;
    const nanPositions = Number.isNaN(value) ? Array.from({ length: P }, (_, p) => p) : [Math.floor(3 / v)];
    for (const round of ['qkv', 'gateUp'] as const) {
      for (const p of nanPositions) expect(run.indices[round][5 * P + p], `${round} position ${p}`).toBe(0);
    }
  });

  it('keeps a NaN y when the residual input is NaN, with the canonical NaN pattern', () => {
    const { files, x } = tinyBlock();
    const poisoned = x.slice();
    poisoned[3] = Number.NaN;
    expect(bits(goldenBlock(files.model, poisoned).y)[3]).toBe(0x7fc0_0000);
  });
});
