// The golden soft-float against independent references: the policy's hand-worked cases, FP32 add
// and multiply against the engine's float32 (Math.fround of the exact float64 result), formats
// too wide for an exact float64 product against an exact bigint nearest-value oracle, and
// constructed cases where only a sticky bit breaks a tie.
// FP16/BF16/FP8 are in softfloat-small.test.ts, conversions and the rest in softfloat-ops.test.ts.

import { SeededRandom } from '../../golden/random.js';
import { describe, expect, it } from 'vitest';
import { BF16, FP16, FP32, FP8_E4M3, FP8_E5M2, fpFormat, type FpFormat } from '../../contracts/fp-format.js';
import { fpAdd, fpCompare, fpDecode, fpFromInt, fpIsNaN, fpMul, fpNeg, fpRound, fpScale, fpSub } from '../../golden/softfloat.js';
import {
  EDGES_32,
  Mismatches,
  SIGN32,
  exactOfFloat64,
  exactOfPattern,
  exactProduct,
  exactSum,
  f32Round,
  f32Value,
  hex,
  policyNaN,
  randomFp32,
  roundingError,
  withExponent,
} from './softfloat-reference.js';

const FP32_FORMATS = { a: FP32, b: FP32, out: FP32 } as const;
const NAN32 = 0x7fc00000;

function exponentOf32(bits: number): number {
  return Math.floor(bits / 0x800000) % 256;
}

/** Addend pairs: independent, near-equal magnitudes (cancellation), close exponents, tie hunters. */
function randomAddPair(rng: SeededRandom): [number, number] {
  const a = randomFp32(rng);
  const magA = a % SIGN32;
  switch (rng.below(4)) {
    case 0:
      return [a, randomFp32(rng)];
    case 1: {
      const magB = Math.min(0x7f7fffff, Math.max(0, magA + rng.between(-8, 8)));
      return [a, magB + (rng.chance(0.7) ? (a >= SIGN32 ? 0 : SIGN32) : a - magA)];
    }
    case 2:
      return [a, withExponent(rng, exponentOf32(a) + rng.between(-30, 30))];
    default:
      return [a, withExponent(rng, exponentOf32(a) - rng.between(22, 27))];
  }
}

/** Factor pairs: independent, or with exponents that put the product near underflow or overflow. */
function randomMulPair(rng: SeededRandom): [number, number] {
  const a = randomFp32(rng);
  switch (rng.below(3)) {
    case 0:
      return [a, randomFp32(rng)];
    case 1:
      return [a, withExponent(rng, 127 + 1 - exponentOf32(a) + rng.between(-26, 3))];
    default:
      return [a, withExponent(rng, 127 + 254 - exponentOf32(a) + rng.between(-3, 3))];
  }
}

function checkFp32(op: 'add' | 'mul', a: number, b: number, mismatches: Mismatches): void {
  const exact = op === 'add' ? f32Value(a) + f32Value(b) : f32Value(a) * f32Value(b);
  const expected = f32Round(exact);
  const got = op === 'add' ? fpAdd(FP32, a, b) : fpMul(FP32_FORMATS, a, b);
  mismatches.check(got === expected, () => `${op}(${hex(a)}, ${hex(b)}) = ${hex(got)}, float32 says ${hex(expected)}`);
}

describe('softfloat policy cases', () => {
  const f = (x: number): number => fpRound(FP32, x);
  const value = (bits: number): number => fpDecode(FP32, bits);

  it('adds and multiplies hand-worked FP32 values', () => {
    expect(value(fpAdd(FP32, f(1), f(2)))).toBe(3);
    expect(value(fpAdd(FP32, f(0.1), f(0.2)))).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(value(fpMul(FP32_FORMATS, f(1.5), f(-3)))).toBe(-4.5);
    // 1 + 2^-24 is a tie between 1 and 1 + 2^-23: even wins, 1; 1 + 3 * 2^-24 ties up to 1 + 2^-22.
    expect(fpAdd(FP32, 0x3f800000, 0x33800000)).toBe(0x3f800000);
    expect(fpAdd(FP32, 0x3f800001, 0x33800000)).toBe(0x3f800002);
  });

  it('signs exact zeros as the policy says', () => {
    expect(fpAdd(FP32, f(1.5), f(-1.5))).toBe(0);
    expect(fpAdd(FP32, SIGN32, SIGN32)).toBe(SIGN32);
    expect(fpAdd(FP32, SIGN32, 0)).toBe(0);
    expect(fpSub(FP32, SIGN32, 0)).toBe(SIGN32);
    expect(fpSub(FP32, f(2), f(2))).toBe(0);
    expect(fpMul(FP32_FORMATS, SIGN32, f(3))).toBe(SIGN32);
    expect(fpMul(FP32_FORMATS, f(-2), f(-3))).toBe(f(6));
    // A product too small even for the smallest subnormal keeps its sign.
    expect(fpMul(FP32_FORMATS, 1, 0x80000001)).toBe(SIGN32);
  });

  it('makes every invalid operation and NaN input the canonical NaN', () => {
    expect(fpAdd(FP32, 0x7f800000, 0xff800000)).toBe(NAN32);
    expect(fpSub(FP32, 0x7f800000, 0x7f800000)).toBe(NAN32);
    expect(fpMul(FP32_FORMATS, 0x7f800000, 0)).toBe(NAN32);
    expect(fpMul(FP32_FORMATS, SIGN32, 0xff800000)).toBe(NAN32);
    expect(fpAdd(FP32, 0xffc01234, f(1))).toBe(NAN32);
    expect(fpMul(FP32_FORMATS, f(1), 0x7f800001)).toBe(NAN32);
    expect(fpAdd(FP8_E4M3, 0xff, 0x01)).toBe(0x7f);
    expect(fpAdd(BF16, 0x7f800000 >>> 16, 0xff80)).toBe(0x7fc0);
  });

  it('overflows ieee formats to infinity and fn formats to NaN', () => {
    expect(fpAdd(FP32, 0x7f7fffff, 0x73000000)).toBe(0x7f800000); // max + half ulp ties away from odd max
    expect(fpAdd(FP32, 0x7f7fffff, 0x72800000)).toBe(0x7f7fffff); // + quarter ulp rounds back
    expect(fpMul(FP32_FORMATS, 0xff7fffff, f(2))).toBe(0xff800000);
    expect(fpDecode(FP8_E4M3, fpRound(FP8_E4M3, 464))).toBe(448);
    expect(fpRound(FP8_E4M3, 464.001)).toBe(0x7f);
    expect(fpRound(FP8_E4M3, -480)).toBe(0x7f);
    expect(fpRound(FP8_E4M3, -Infinity)).toBe(0x7f);
    expect(fpAdd(FP8_E4M3, 0x7e, 0x7e)).toBe(0x7f);
    expect(fpRound(FP16, 65519.99)).toBe(0x7bff);
    expect(fpRound(FP16, -65520)).toBe(0xfc00);
  });

  it('keeps gradual underflow and the flush option apart', () => {
    // 1.5 * 2^-149 ties between 1 and 2 smallest subnormals: even, 2.
    expect(fpScale(FP32, f(1.5), -149)).toBe(2);
    expect(fpMul(FP32_FORMATS, 0x00800000, 0x3f000000)).toBe(0x00400000);
    expect(fpMul(FP32_FORMATS, 0x00800000, 0x3f000000, { flushSubnormals: true })).toBe(0);
    expect(fpMul(FP32_FORMATS, 0x80800000, 0x3f000000, { flushSubnormals: true })).toBe(SIGN32);
    expect(fpAdd(FP32, 0x00400000, 0x00400000)).toBe(0x00800000);
    expect(fpAdd(FP32, 0x00400000, 0x00400000, { flushSubnormals: true })).toBe(0);
    expect(fpAdd(FP32, 0x00400000, 0x80000000, { flushSubnormals: true })).toBe(0);
    // (1 - 2^-24) * 2^-126 ties between the largest subnormal and the smallest normal: the even
    // one, normal, is not flushed; (1 - 2^-23) * 2^-126 is exactly the largest subnormal and is.
    expect(fpMul(FP32_FORMATS, 0x3f7fffff, 0x00800000, { flushSubnormals: true })).toBe(0x00800000);
    expect(fpMul(FP32_FORMATS, 0x3f7ffffe, 0x00800000)).toBe(0x007fffff);
    expect(fpMul(FP32_FORMATS, 0x3f7ffffe, 0x00800000, { flushSubnormals: true })).toBe(0);
  });

  it('negates, compares and recognizes NaNs bit by bit', () => {
    expect(fpNeg(FP32, 0x7fc00000)).toBe(0xffc00000);
    expect(fpNeg(FP32, 0xffc00001)).toBe(0x7fc00001);
    expect(fpNeg(FP32, 0)).toBe(SIGN32);
    expect(fpNeg(FP8_E4M3, 0x7f)).toBe(0xff);
    expect(fpCompare(FP32, 0, SIGN32)).toBe('eq');
    expect(fpCompare(FP32, f(-1), f(-2))).toBe('gt');
    expect(fpCompare(FP32, 0xff800000, f(-3e38))).toBe('lt');
    expect(fpCompare(FP32, NAN32, NAN32)).toBe('unordered');
    expect(fpIsNaN(FP8_E4M3, 0x7e)).toBe(false);
    expect(fpIsNaN(FP8_E4M3, 0xff)).toBe(true);
    expect(fpIsNaN(FP8_E5M2, 0x7c)).toBe(false);
    expect(fpIsNaN(FP8_E5M2, 0x7d)).toBe(true);
  });

  it('rejects formats over 32 bits and patterns that do not fit', () => {
    expect(() => fpAdd(fpFormat(11, 52), 0, 0)).toThrow(/up to 32 bits/);
    expect(() => fpRound(fpFormat(8, 24), 1)).toThrow(RangeError);
    expect(() => fpAdd(FP16, 0x10000, 0)).toThrow(RangeError);
    expect(() => fpAdd(FP16, -1, 0)).toThrow(RangeError);
    expect(() => fpAdd(FP16, 1.5, 0)).toThrow(RangeError);
    expect(() => fpFromInt(FP16, 0.5)).toThrow(RangeError);
    expect(() => fpScale(FP16, 0x3c00, 0.5)).toThrow(RangeError);
    expect(fpAdd(fpFormat(2, 29), 0, 0)).toBe(0);
  });
});

describe('FP32 add and multiply against float32', () => {
  it('crosses the edge values with each other', () => {
    const mismatches = new Mismatches();
    for (const a of EDGES_32) {
      for (const b of EDGES_32) {
        checkFp32('add', a, b, mismatches);
        checkFp32('mul', a, b, mismatches);
        const expectedSub = f32Round(f32Value(a) - f32Value(b));
        const gotSub = fpSub(FP32, a, b);
        mismatches.check(gotSub === expectedSub, () => `sub(${hex(a)}, ${hex(b)}) = ${hex(gotSub)}, float32 says ${hex(expectedSub)}`);
      }
    }
    expect(mismatches.checked).toBe(3 * EDGES_32.length ** 2);
    expect(mismatches.summary).toEqual({ failed: 0, examples: [] });
  });

  it('adds 250,000 random pairs', () => {
    const rng = new SeededRandom(0x5eed0001);
    const mismatches = new Mismatches();
    for (let i = 0; i < 250_000; i++) {
      const [a, b] = randomAddPair(rng);
      checkFp32('add', a, b, mismatches);
    }
    expect(mismatches.summary).toEqual({ failed: 0, examples: [] });
  });

  it('multiplies 250,000 random pairs', () => {
    const rng = new SeededRandom(0x5eed0002);
    const mismatches = new Mismatches();
    for (let i = 0; i < 250_000; i++) {
      const [a, b] = randomMulPair(rng);
      checkFp32('mul', a, b, mismatches);
    }
    expect(mismatches.summary).toEqual({ failed: 0, examples: [] });
  });

  it('lands on subnormal, tie and overflow results often enough to mean something', () => {
    // Guards the generators above: a distribution that never reaches these would prove little.
    const rng = new SeededRandom(0x5eed0003);
    let subnormal = 0;
    let infinite = 0;
    let cancelled = 0;
    let ties = 0;
    for (let i = 0; i < 50_000; i++) {
      const [a, b] = randomAddPair(rng);
      const sum = f32Value(a) + f32Value(b);
      const rounded = Math.fround(sum);
      // A tie sits halfway: the float32 mirrored through it is the other neighbour.
      const mirrored = 2 * sum - rounded;
      if (rounded !== sum && Number.isFinite(rounded) && Math.fround(mirrored) === mirrored) ties++;
      if (sum !== 0 && Math.abs(sum) < Math.abs(f32Value(a)) * 2 ** -10) cancelled++;
      const [c, d] = randomMulPair(rng);
      const product = Math.fround(f32Value(c) * f32Value(d));
      if (product !== 0 && Math.abs(product) < 2 ** -126) subnormal++;
      if (Math.abs(product) === Infinity) infinite++;
    }
    expect(Math.min(subnormal, infinite, cancelled, ties)).toBeGreaterThan(500);
  });
});

describe('formats whose products exceed 53 bits, against the exact oracle', () => {
  const wide: { name: string; formats: { a: FpFormat; b: FpFormat; out: FpFormat } }[] = [
    { name: 'e2m29', formats: { a: fpFormat(2, 29), b: fpFormat(2, 29), out: fpFormat(2, 29) } },
    { name: 'e3m28 x e3m28 -> e8m23', formats: { a: fpFormat(3, 28), b: fpFormat(3, 28), out: FP32 } },
    { name: 'e2m29fn x fp32 -> e4m27fn', formats: { a: fpFormat(2, 29, 'fn'), b: FP32, out: fpFormat(4, 27, 'fn') } },
    { name: 'fp32 x fp32 -> e3m28', formats: { a: FP32, b: FP32, out: fpFormat(3, 28) } },
  ];

  function randomPattern(rng: SeededRandom, format: FpFormat): number {
    const width = 1 + format.exponent + format.mantissa;
    let bits = rng.next32() >>> (32 - width);
    // Short significands (trailing zeros) so some products are exact and some tie.
    if (rng.chance(0.3)) bits -= bits % 2 ** rng.between(0, format.mantissa);
    return bits;
  }

  for (const { name, formats } of wide) {
    it(`multiplies and adds ${name} correctly rounded`, () => {
      const rng = new SeededRandom(name.length * 7919);
      const mismatches = new Mismatches();
      const finite = (format: FpFormat, bits: number): boolean => Number.isFinite(fpDecode(format, bits));
      for (let i = 0; i < 6_000; i++) {
        const a = randomPattern(rng, formats.a);
        const b = randomPattern(rng, formats.b);
        if (!finite(formats.a, a) || !finite(formats.b, b)) continue;
        const product = exactProduct(exactOfPattern(formats.a, a), exactOfPattern(formats.b, b));
        if (product.num !== 0n) {
          const got = fpMul(formats, a, b);
          const why = roundingError(formats.out, product, got);
          mismatches.check(why === undefined, () => `mul(${hex(a)}, ${hex(b)}) = ${hex(got)}: ${why}`);
        }
        const c = randomPattern(rng, formats.a);
        if (!finite(formats.a, c)) continue;
        const sum = exactSum(exactOfPattern(formats.a, a), exactOfPattern(formats.a, c));
        if (sum.num !== 0n) {
          const got = fpAdd(formats.a, a, c);
          const why = roundingError(formats.a, sum, got);
          mismatches.check(why === undefined, () => `add(${hex(a)}, ${hex(c)}) = ${hex(got)}: ${why}`);
        }
      }
      expect(mismatches.checked).toBeGreaterThan(5_000);
      expect(mismatches.summary).toEqual({ failed: 0, examples: [] });
    });
  }

  it('agrees with the float32 reference through the oracle too (the oracle can fail)', () => {
    // The oracle must reject a result one pattern off, or the tests above would prove nothing.
    const rng = new SeededRandom(77);
    let rejected = 0;
    for (let i = 0; i < 2_000; i++) {
      const [a, b] = randomMulPair(rng);
      const product = exactProduct(exactOfPattern(FP32, a), exactOfPattern(FP32, b));
      if (product.num === 0n || !Number.isFinite(f32Value(a) * f32Value(b))) continue;
      const right = f32Round(f32Value(a) * f32Value(b));
      if (right === NAN32) continue;
      expect(roundingError(FP32, product, right)).toBeUndefined();
      const wrong = right % SIGN32 === 0 ? right + 1 : right - 1;
      if (roundingError(FP32, product, wrong) !== undefined) rejected++;
    }
    expect(rejected).toBeGreaterThan(1_500);
    expect(policyNaN(FP32)).toBe(NAN32);
  });
});

describe('sticky bits that decide a tie (constructed, random operands almost never hit them)', () => {
  /** Pattern of a positive normal value with the given exponent field and significand. */
  function pattern(format: FpFormat, field: number, significand: number): number {
    return field * 2 ** format.mantissa + (significand - 2 ** format.mantissa);
  }

  it('adds and subtracts e5m26 operands whose sum is a tie but for bits aligned out of reach', () => {
    // p = 27: the golden keeps B 25 bits below A's LSB. With the exponent fields 26 apart, a B
    // significand of 2^26 + 2^25 (+ 1) is 1.5 ulps of A (plus a hair): only the lost bit decides.
    const format = fpFormat(5, 26);
    const rng = new SeededRandom(526);
    const mismatches = new Mismatches();
    let decided = 0;
    for (let i = 0; i < 2_000; i++) {
      const fieldB = rng.between(1, 4);
      const a = pattern(format, fieldB + 26, 2 ** 26 + rng.below(2 ** 26)) + (rng.chance(0.5) ? 2 ** 31 : 0);
      const signB = rng.chance(0.5) ? 2 ** 31 : 0;
      const results: number[] = [];
      for (const hair of [0, 1]) {
        const b = pattern(format, fieldB, 2 ** 26 + 2 ** 25 + hair) + signB;
        const got = fpAdd(format, a, b);
        const why = roundingError(format, exactSum(exactOfPattern(format, a), exactOfPattern(format, b)), got);
        mismatches.check(why === undefined, () => `add(${hex(a)}, ${hex(b)}) = ${hex(got)}: ${why}`);
        results.push(got);
      }
      if (results[0] !== results[1]) decided++;
    }
    expect(decided).toBeGreaterThan(500);
    expect(mismatches.summary).toEqual({ failed: 0, examples: [] });
  });

  it('multiplies e2m29 operands whose 59-bit product ties but for its lowest bits', () => {
    // Choose B so that A * B = 2^28 + r (mod 2^29): exactly half an output ulp plus r below the
    // 53 bits the golden keeps of the product; r = 0 is a true tie.
    const format = fpFormat(2, 29);
    const formats = { a: format, b: format, out: format };
    const modulus = 1n << 29n;
    const inverse = (x: bigint): bigint => {
      let y = x; // Newton's iteration doubles the correct low bits of an odd number's inverse.
      for (let i = 0; i < 5; i++) y = (y * (2n - x * y)) % modulus;
      return (y + modulus) % modulus;
    };
    const rng = new SeededRandom(229);
    const mismatches = new Mismatches();
    let decided = 0;
    for (let i = 0; i < 2_000; i++) {
      const sigA = BigInt(2 ** 29 + 2 * rng.below(2 ** 28) + 1);
      const a = pattern(format, rng.between(1, 2), Number(sigA));
      const signB = rng.chance(0.5) ? 2 ** 31 : 0;
      const results: number[] = [];
      for (const r of [0n, BigInt(rng.between(1, 31))]) {
        const sigB = (((1n << 28n) + r) * inverse(sigA)) % modulus + modulus;
        const b = pattern(format, 1, Number(sigB)) + signB;
        const got = fpMul(formats, a, b);
        const why = roundingError(format, exactProduct(exactOfPattern(format, a), exactOfPattern(format, b)), got);
        mismatches.check(why === undefined, () => `mul(${hex(a)}, ${hex(b)}) = ${hex(got)}: ${why}`);
        results.push(got);
      }
      if (results[0] !== results[1]) decided++;
    }
    expect(decided).toBeGreaterThan(500);
    expect(mismatches.summary).toEqual({ failed: 0, examples: [] });
  });
});

describe('formats with an 11-bit exponent, which reach into float64 subnormals', () => {
  const format = fpFormat(11, 20);

  it('rounds float64 values of every magnitude, subnormals included, to the nearest e11m20 value', () => {
    const rng = new SeededRandom(1120);
    const mismatches = new Mismatches();
    for (let i = 0; i < 20_000; i++) {
      // Random float64 bits: the exponent field uniform, so the whole range including float64 subnormals.
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, rng.chance(0.3) ? rng.next32() % 0x00400000 : rng.next32());
      view.setUint32(4, rng.next32());
      const x = view.getFloat64(0);
      if (!Number.isFinite(x) || x === 0) continue;
      const got = fpRound(format, x);
      const why = roundingError(format, exactOfFloat64(x), got);
      mismatches.check(why === undefined, () => `round(${x}) = ${hex(got)}: ${why}`);
      const bits = rng.next32();
      const value = fpDecode(format, bits);
      const back = fpRound(format, value);
      mismatches.check(Number.isNaN(value) ? back === policyNaN(format) : back === bits, () => `round(decode(${hex(bits)})) = ${hex(back)}`);
    }
    expect(mismatches.checked).toBeGreaterThan(30_000);
    expect(mismatches.summary).toEqual({ failed: 0, examples: [] });
  });
});
