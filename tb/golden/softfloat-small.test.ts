// FP16, BF16 and the FP8 formats against the definition and the table rounding reference:
// exhaustive decode and round trips, float64 -> format rounding at and around every midpoint,
// add/sub/multiply on random pairs (16-bit) and on every pair (8-bit). The exact float64 result
// then one table rounding is the reference: double rounding is innocuous since 53 >= 2p + 2.

import { describe, expect, it } from 'vitest';
import { BF16, FP16, FP8_E4M3, FP8_E5M2, type FpFormat } from '../../contracts/fp-format.js';
import { fpAdd, fpDecode, fpIsNaN, fpMul, fpNeg, fpRound, fpSub } from '../../golden/softfloat.js';
import { Mismatches, RoundingTable, definitionValue, hex, isNaNPattern, policyNaN, signBitOf } from './softfloat-reference.js';
import { SeededRandom } from '../../golden/random.js';

const OK = { failed: 0, examples: [] };

function sameValue(x: number, y: number): boolean {
  return Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
}

/** A float64 with all 53 significand bits random, in [1, 2). */
function randomUnit(rng: SeededRandom): number {
  return 1 + (rng.next32() * 2 ** 21 + (rng.next32() >>> 11)) * 2 ** -53;
}

function checkDecodeAndRoundTrip(format: FpFormat, mismatches: Mismatches): void {
  const count = 2 * signBitOf(format);
  for (let bits = 0; bits < count; bits++) {
    const want = definitionValue(format, bits);
    const got = fpDecode(format, bits);
    mismatches.check(sameValue(got, want), () => `decode(${hex(bits)}) = ${got}, definition says ${want}`);
    const back = fpRound(format, want);
    const wantBack = isNaNPattern(format, bits) ? policyNaN(format) : bits;
    mismatches.check(back === wantBack, () => `round(${want}) = ${hex(back)}, expected ${hex(wantBack)}`);
    mismatches.check(fpIsNaN(format, bits) === Number.isNaN(want), () => `isNaN(${hex(bits)})`);
  }
}

function checkRound(table: RoundingTable, x: number, mismatches: Mismatches): void {
  const got = fpRound(table.format, x);
  const want = table.round(x);
  mismatches.check(got === want, () => `round(${x}) = ${hex(got)}, table says ${hex(want)}`);
}

/** Every midpoint between neighbours, each nudged by a hair either way, both signs; then log-uniform values. */
function checkFloat64Rounding(table: RoundingTable, rng: SeededRandom, mismatches: Mismatches): void {
  const values = table.finiteValues;
  const smallest = values[1]!;
  for (let i = 0; i + 1 < values.length; i++) {
    const mid = (values[i]! + values[i + 1]!) / 2;
    for (const x of [mid, mid * (1 + 2 ** -45), mid * (1 - 2 ** -45)]) {
      checkRound(table, x, mismatches);
      checkRound(table, -x, mismatches);
    }
  }
  const max = table.max;
  const overflowEdge = max + (max - values[values.length - 2]!) / 2;
  for (const x of [0, -0, Infinity, -Infinity, NaN, smallest / 2, smallest / 4, overflowEdge, overflowEdge * (1 + 2 ** -40), 1e300, 5e-324]) {
    checkRound(table, x, mismatches);
    checkRound(table, -x, mismatches);
  }
  const low = Math.log2(smallest) - 3;
  const high = Math.log2(max) + 2;
  for (let i = 0; i < 50_000; i++) {
    const x = randomUnit(rng) * 2 ** Math.floor(low + rng.below(1_000_000) / 1_000_000 * (high - low));
    checkRound(table, rng.chance(0.5) ? x : -x, mismatches);
  }
}

/** 16-bit operands: uniform patterns, near-equal magnitudes of either sign, short significands. */
function randomPair16(format: FpFormat, rng: SeededRandom): [number, number] {
  const a = rng.below(65536);
  switch (rng.below(3)) {
    case 0:
      return [a, rng.below(65536)];
    case 1: {
      const magB = Math.min(32767, Math.max(0, (a % 32768) + rng.between(-6, 6)));
      return [a, magB + (rng.chance(0.5) ? 32768 : 0)];
    }
    default: {
      const b = rng.below(65536);
      return [a, b - (b % 2 ** rng.between(0, format.mantissa))];
    }
  }
}

type BinaryOp = 'add' | 'sub' | 'mul';

function applyGolden(format: FpFormat, op: BinaryOp, a: number, b: number): number {
  if (op === 'add') return fpAdd(format, a, b);
  if (op === 'sub') return fpSub(format, a, b);
  return fpMul({ a: format, b: format, out: format }, a, b);
}

function applyExact(op: BinaryOp, x: number, y: number): number {
  return op === 'add' ? x + y : op === 'sub' ? x - y : x * y;
}

function checkBinary(table: RoundingTable, op: BinaryOp, a: number, b: number, mismatches: Mismatches): void {
  const format = table.format;
  const want = table.round(applyExact(op, definitionValue(format, a), definitionValue(format, b)));
  const got = applyGolden(format, op, a, b);
  mismatches.check(got === want, () => `${op}(${hex(a)}, ${hex(b)}) = ${hex(got)}, reference ${hex(want)}`);
}

describe.each([
  ['FP16', FP16, 0x16],
  ['BF16', BF16, 0xbf],
] as const)('%s', (_name, format, seed) => {
  const table = new RoundingTable(format);

  it('decodes all 65,536 patterns as the definition says and rounds each back to itself', () => {
    const mismatches = new Mismatches();
    checkDecodeAndRoundTrip(format, mismatches);
    expect(mismatches.summary).toEqual(OK);
  });

  it('rounds float64 values at, around and between all midpoints like the table', () => {
    const mismatches = new Mismatches();
    checkFloat64Rounding(table, new SeededRandom(seed), mismatches);
    expect(mismatches.checked).toBeGreaterThan(150_000);
    expect(mismatches.summary).toEqual(OK);
  });

  it.each(['add', 'sub', 'mul'] as const)('%s: 120,000 random pairs match exact-then-table rounding', (op) => {
    const rng = new SeededRandom(seed * 31 + op.length);
    const mismatches = new Mismatches();
    for (let i = 0; i < 120_000; i++) {
      const [a, b] = randomPair16(format, rng);
      checkBinary(table, op, a, b, mismatches);
    }
    expect(mismatches.summary).toEqual(OK);
  });
});

describe.each([
  ['FP8 E4M3 (fn)', FP8_E4M3],
  ['FP8 E5M2 (ieee)', FP8_E5M2],
] as const)('%s', (_name, format) => {
  const table = new RoundingTable(format);

  it('decodes, rounds back and negates all 256 patterns', () => {
    const mismatches = new Mismatches();
    checkDecodeAndRoundTrip(format, mismatches);
    for (let bits = 0; bits < 256; bits++) {
      const negated = fpNeg(format, bits);
      mismatches.check(negated === (bits ^ 0x80), () => `neg(${hex(bits)}) = ${hex(negated)}`);
      const value = definitionValue(format, bits);
      mismatches.check(sameValue(fpDecode(format, negated), -value), () => `decode(neg(${hex(bits)})) is not -${value}`);
    }
    expect(mismatches.checked).toBe(256 * 5);
    expect(mismatches.summary).toEqual(OK);
  });

  it('rounds float64 values at, around and between all midpoints like the table', () => {
    const mismatches = new Mismatches();
    checkFloat64Rounding(table, new SeededRandom(format.exponent), mismatches);
    expect(mismatches.summary).toEqual(OK);
  });

  it.each(['add', 'sub', 'mul'] as const)('%s: all 65,536 operand pairs match exact-then-table rounding', (op) => {
    const mismatches = new Mismatches();
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) checkBinary(table, op, a, b, mismatches);
    }
    expect(mismatches.checked).toBe(65_536);
    expect(mismatches.summary).toEqual(OK);
  });
});

describe('the table reference itself', () => {
  it('knows the E4M3 and FP16 landmarks the policy names', () => {
    const e4m3 = new RoundingTable(FP8_E4M3);
    expect(e4m3.max).toBe(448);
    expect(e4m3.round(464)).toBe(0x7e);
    expect(e4m3.round(464.5)).toBe(0x7f);
    expect(e4m3.round(-Infinity)).toBe(0x7f);
    const fp16 = new RoundingTable(FP16);
    expect(fp16.max).toBe(65504);
    expect(fp16.round(65519)).toBe(0x7bff);
    expect(fp16.round(65520)).toBe(0x7c00);
    expect(fp16.round(-(2 ** -25))).toBe(0x8000);
    expect(fp16.round(2 ** -25 * 1.0001)).toBe(0x0001);
    expect(fp16.round(1 + 2 ** -11)).toBe(0x3c00);
    expect(fp16.round(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });
});
