// The FP32 function models (exp, 1/x, 1/sqrt(x)) against float64: the IEEE special cases the
// block contract lists, exact results where there are any, flush-to-zero, and the error in ulps
// against Math.exp, 1/x and 1/Math.sqrt on edges, thresholds and random values, bounded by the
// figures measured once over every significand (1/x, 1/sqrt(x): their error depends only on the
// significand and the exponent's parity) and over a dense sweep of |x| < 128 (exp). The bounds
// are documented in docs/design/floating-point.md; the hardware matches these models bit for bit
// (tb/dsl/lib/fp/functions.test.ts).

import { describe, expect, it } from 'vitest';
import { BF16, FP32 } from '../../../contracts/fp-format.js';
import { fpExp, fpReciprocal, fpRsqrt } from '../../../golden/softfloat.js';
import { SeededRandom } from '../../../golden/random.js';
import { EDGES_32, f32Round, f32Value, hex, randomFp32, SIGN32 } from '../softfloat-reference.js';

const REGRESS = process.env.LUTFORGE_REGRESS !== undefined && process.env.LUTFORGE_REGRESS !== '' && process.env.LUTFORGE_REGRESS !== '0';

/** Largest error in FP32 ulps measured over the sets named in the header (see docs/design). */
const BOUND = { exp: 0.519, reciprocal: 0.523, rsqrt: 0.531 } as const;

const INF = 0x7f800000;
const NAN = 0x7fc00000;
const bits = (x: number): number => f32Round(x);

/**
 * |result - reference| in units of the FP32 ulp at the reference (2^-149 at the bottom), with
 * infinity and every reference beyond 2^128 (the next power of two past the largest finite value)
 * counted as 2^128.
 */
function ulpError(result: number, reference: number): number {
  const clamp = (x: number): number => Math.sign(x) * Math.min(Math.abs(x), 2 ** 128);
  const value = clamp(result);
  const magnitude = Math.abs(clamp(reference));
  const ulp = 2 ** Math.max(-149, (magnitude === 0 ? -149 : Math.floor(Math.log2(magnitude))) - 23);
  return Math.abs(value - clamp(reference)) / ulp;
}

interface Sweep {
  readonly max: number;
  readonly worst: string;
  readonly wrongNaNs: string[];
}

/** The largest error of `model` against `reference` over `patterns`, and NaNs where they should not be. */
function sweep(patterns: Iterable<number>, model: (bits: number) => number, reference: (x: number) => number): Sweep {
  let max = 0;
  let worst = '';
  const wrongNaNs: string[] = [];
  for (const pattern of patterns) {
    const x = f32Value(pattern);
    const got = model(pattern);
    const want = reference(x);
    if (Number.isNaN(want) || got === NAN) {
      if (!(Number.isNaN(want) && got === NAN) && wrongNaNs.length < 8) wrongNaNs.push(`${hex(pattern)} (${x}) -> ${hex(got)}, float64 says ${want}`);
      continue;
    }
    const error = ulpError(f32Value(got), want);
    if (error > max) {
      max = error;
      worst = `${hex(pattern)} (${x}) -> ${f32Value(got)}, float64 ${want}`;
    }
  }
  return { max, worst, wrongNaNs };
}

function expectWithin(result: Sweep, bound: number): void {
  expect(result.wrongNaNs).toEqual([]);
  expect(result.max, `worst: ${result.worst}`).toBeLessThanOrEqual(bound);
}

/** Patterns a few ulps either side of the given values, both signs. */
function around(values: readonly number[]): number[] {
  return values.flatMap((v) => [-4, -3, -2, -1, 0, 1, 2, 3, 4].flatMap((d) => [bits(v) + d, bits(v) + d + SIGN32]));
}

/** Every `step`-th significand of the binades with exponent fields `fields`; all of them under LUTFORGE_REGRESS. */
function* significands(fields: readonly number[], step: number): Generator<number> {
  for (const field of fields) for (let fraction = 0; fraction < 2 ** 23; fraction += REGRESS ? 1 : step) yield field * 2 ** 23 + fraction;
}

function randomPatterns(seed: number, count: number, make: (rng: SeededRandom) => number = randomFp32): number[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => make(rng));
}

/** Random FP32 values with |x| in [2^-32, 128), where e^x is neither 1 nor out of range. */
function expOperand(rng: SeededRandom): number {
  return (rng.chance(0.5) ? SIGN32 : 0) + rng.between(95, 133) * 2 ** 23 + (rng.next32() >>> 9);
}

describe('fpExp / fpReciprocal / fpRsqrt special cases', () => {
  const cases: readonly (readonly [string, (b: number) => number, number, number])[] = [
    ['exp(NaN)', (b) => fpExp(FP32, b), 0xffc00001, NAN],
    ['exp(+inf)', (b) => fpExp(FP32, b), INF, INF],
    ['exp(-inf)', (b) => fpExp(FP32, b), INF + SIGN32, 0],
    ['exp(+0)', (b) => fpExp(FP32, b), 0, bits(1)],
    ['exp(-0)', (b) => fpExp(FP32, b), SIGN32, bits(1)],
    ['exp(largest)', (b) => fpExp(FP32, b), 0x7f7fffff, INF],
    ['exp(-largest)', (b) => fpExp(FP32, b), 0xff7fffff, 0],
    ['exp(89)', (b) => fpExp(FP32, b), bits(89), INF],
    ['exp(-104)', (b) => fpExp(FP32, b), bits(-104), 0],
    ['recip(+0)', (b) => fpReciprocal(FP32, b), 0, INF],
    ['recip(-0)', (b) => fpReciprocal(FP32, b), SIGN32, INF + SIGN32],
    ['recip(+inf)', (b) => fpReciprocal(FP32, b), INF, 0],
    ['recip(-inf)', (b) => fpReciprocal(FP32, b), INF + SIGN32, SIGN32],
    ['recip(NaN)', (b) => fpReciprocal(FP32, b), 0x7f800001, NAN],
    ['recip(smallest subnormal)', (b) => fpReciprocal(FP32, b), 1, INF],
    ['rsqrt(+0)', (b) => fpRsqrt(FP32, b), 0, INF],
    ['rsqrt(-0)', (b) => fpRsqrt(FP32, b), SIGN32, INF + SIGN32],
    ['rsqrt(+inf)', (b) => fpRsqrt(FP32, b), INF, 0],
    ['rsqrt(-inf)', (b) => fpRsqrt(FP32, b), INF + SIGN32, NAN],
    ['rsqrt(-1)', (b) => fpRsqrt(FP32, b), bits(-1), NAN],
    ['rsqrt(-smallest subnormal)', (b) => fpRsqrt(FP32, b), SIGN32 + 1, NAN],
    ['rsqrt(NaN)', (b) => fpRsqrt(FP32, b), 0xff800001, NAN],
  ];
  it.each(cases)('%s', (_what, model, operand, expected) => {
    expect(hex(model(operand))).toBe(hex(expected));
  });

  it('gives exact results where they are representable: 1/2^k, 1/sqrt(4^k), e^0', () => {
    for (let k = -126; k <= 127; k++) {
      expect(hex(fpReciprocal(FP32, bits(2 ** k))), `1/2^${k}`).toBe(hex(bits(2 ** -k)));
      expect(hex(fpReciprocal(FP32, bits(-(2 ** k)))), `-1/2^${k}`).toBe(hex(bits(-(2 ** -k))));
    }
    for (let k = -74; k <= 63; k++) expect(hex(fpRsqrt(FP32, bits(4 ** k))), `1/sqrt(4^${k})`).toBe(hex(bits(2 ** -k)));
    // Subnormal operands are normalized first: 1/sqrt(2^-148) = 2^74, 1/2^-127 = 2^127, 1/2^-128 overflows.
    expect(hex(fpRsqrt(FP32, 2))).toBe(hex(bits(2 ** 74)));
    expect(hex(fpReciprocal(FP32, 2 ** 22))).toBe(hex(bits(2 ** 127)));
    expect(hex(fpReciprocal(FP32, 2 ** 21))).toBe(hex(INF));
    expect(hex(fpExp(FP32, 0))).toBe(hex(bits(1)));
  });

  it('reads subnormal operands as zeros and writes subnormal results as zeros under flushSubnormals', () => {
    const flush = { flushSubnormals: true };
    expect(fpReciprocal(FP32, 5, flush)).toBe(INF);
    expect(fpReciprocal(FP32, SIGN32 + 5, flush)).toBe(INF + SIGN32);
    expect(fpRsqrt(FP32, 5, flush)).toBe(INF);
    expect(fpRsqrt(FP32, SIGN32 + 5, flush)).toBe(INF + SIGN32);
    expect(fpExp(FP32, SIGN32 + 5, flush)).toBe(bits(1));
    // 1/2^127 and e^-100 are subnormal: kept by default, flushed to zero on request.
    expect(fpReciprocal(FP32, bits(2 ** 127))).toBe(bits(2 ** -127));
    expect(fpReciprocal(FP32, bits(-(2 ** 127)), flush)).toBe(SIGN32);
    expect(f32Value(fpExp(FP32, bits(-100)))).toBeGreaterThan(0);
    expect(fpExp(FP32, bits(-100), flush)).toBe(0);
  });

  it('models FP32 only and checks the pattern', () => {
    expect(() => fpExp(BF16, 0)).toThrow(/fpExp models FP32 only .*got bf16/);
    expect(() => fpReciprocal(BF16, 0)).toThrow(/fpReciprocal models FP32 only/);
    expect(() => fpRsqrt(FP32, -1)).toThrow(/not a 32-bit pattern/);
  });
});

describe('fpExp / fpReciprocal / fpRsqrt accuracy against float64', () => {
  it(`exp is within ${BOUND.exp} ulp of Math.exp: edges, the overflow and underflow thresholds, random values`, () => {
    // e^x overflows past 88.72, turns subnormal below -87.34 and rounds to 0 below -103.97.
    const thresholds = around([88.72283, 88.72284, 87.33654, 103.27893, 103.97208, 103.97207, 1e-7, 2 ** -24, 2 ** -25, 0.5, 1, 64, 127.99999, 128]);
    const patterns = [...EDGES_32, ...thresholds, ...randomPatterns(81, 60_000, expOperand), ...randomPatterns(82, 20_000)];
    expectWithin(sweep(patterns, (b) => fpExp(FP32, b), Math.exp), BOUND.exp);
  });

  it(`1/x is within ${BOUND.reciprocal} ulp of float64 1/x: a sweep of significands, subnormals, random values`, () => {
    const patterns = [...EDGES_32, ...significands([127], 61), ...randomPatterns(83, 60_000)];
    expectWithin(sweep(patterns, (b) => fpReciprocal(FP32, b), (x) => 1 / x), BOUND.reciprocal);
  });

  it(`1/sqrt(x) is within ${BOUND.rsqrt} ulp of float64 1/Math.sqrt(x): both exponent parities, subnormals, random values`, () => {
    const patterns = [...EDGES_32, ...significands([127, 128], 61), ...randomPatterns(84, 60_000)];
    expectWithin(sweep(patterns, (b) => fpRsqrt(FP32, b), (x) => 1 / Math.sqrt(x)), BOUND.rsqrt);
  });
});
