// Conversions, integers, scaling, comparison, mixed-format products and the flush option, each
// against a reference that shares no code with the golden: the definition, the table rounding,
// the engine's float32, or the exact bigint oracle.

import { describe, expect, it } from 'vitest';
import { BF16, FP16, FP32, FP8_E4M3, FP8_E5M2, type FpFormat } from '../../contracts/fp-format.js';
import { fpAdd, fpCompare, fpConvert, fpFromInt, fpMul, fpScale, type FpOrder } from '../../golden/softfloat.js';
import {
  EDGES_32,
  Mismatches,
  RoundingTable,
  definitionValue,
  f32Round,
  f32Value,
  flushPattern,
  hex,
  isNaNPattern,
  policyNaN,
  randomFp32,
  roundingError,
  signBitOf,
} from './softfloat-reference.js';
import { SeededRandom } from '../../golden/random.js';

const OK = { failed: 0, examples: [] };
const SMALL: readonly (readonly [string, FpFormat])[] = [
  ['fp16', FP16],
  ['bf16', BF16],
  ['e4m3', FP8_E4M3],
  ['e5m2', FP8_E5M2],
];
const tables = new Map<FpFormat, RoundingTable>(SMALL.map(([, format]) => [format, new RoundingTable(format)]));
function tableOf(format: FpFormat): RoundingTable {
  return tables.get(format)!;
}

/** 2^k by repeated exact doubling or halving, not Math.pow (and 0 / Infinity far out). */
const POWERS = new Map<number, number>();
for (let k = 0, up = 1, down = 1; k <= 1100; k++, up *= 2, down /= 2) {
  POWERS.set(k, up);
  POWERS.set(-k, down);
}
function pow2(k: number): number {
  return POWERS.get(k) ?? (k > 0 ? Infinity : 0);
}

/** The value a pattern has after DAZ: subnormals read as zero of their sign. */
function flushedValue(format: FpFormat, bits: number): number {
  return definitionValue(format, flushPattern(format, bits));
}

function patterns(format: FpFormat): number[] {
  return Array.from({ length: 2 * signBitOf(format) }, (_, bits) => bits);
}

describe('fpConvert', () => {
  it.each(SMALL)('widens every %s pattern to FP32 exactly', (_name, from) => {
    const mismatches = new Mismatches();
    for (const bits of patterns(from)) {
      const got = fpConvert(from, FP32, bits);
      const want = f32Round(definitionValue(from, bits));
      mismatches.check(got === want, () => `${hex(bits)} -> ${hex(got)}, expected ${hex(want)}`);
    }
    expect(mismatches.summary).toEqual(OK);
  });

  it.each(SMALL)('narrows FP32 to %s like the table, on edges, midpoints and random values', (_name, to) => {
    const table = tableOf(to);
    const rng = new SeededRandom(to.mantissa * 131 + to.exponent);
    const sources = [...EDGES_32];
    // The target's midpoints are FP32 values (p + 1 <= 24 bits), so exact ties get tested too.
    const values = table.finiteValues;
    for (let i = 0; i + 1 < values.length; i += to.mantissa > 3 ? 7 : 1) {
      const mid = f32Round((values[i]! + values[i + 1]!) / 2);
      sources.push(mid, mid + 1, mid - 1, mid + 0x80000000);
    }
    for (let i = 0; i < 60_000; i++) sources.push(randomFp32(rng));
    const mismatches = new Mismatches();
    for (const bits of sources) {
      const got = fpConvert(FP32, to, bits);
      const want = table.round(f32Value(bits));
      mismatches.check(got === want, () => `${hex(bits)} (${f32Value(bits)}) -> ${hex(got)}, table ${hex(want)}`);
      const gotFlushed = fpConvert(FP32, to, bits, { flushSubnormals: true });
      const wantFlushed = flushPattern(to, table.round(flushedValue(FP32, bits)));
      mismatches.check(gotFlushed === wantFlushed, () => `flushed ${hex(bits)} -> ${hex(gotFlushed)}, expected ${hex(wantFlushed)}`);
    }
    expect(mismatches.summary).toEqual(OK);
  });

  it('converts every pattern between the small formats like the table', () => {
    const mismatches = new Mismatches();
    for (const [, from] of SMALL) {
      for (const [, to] of SMALL) {
        const table = tableOf(to);
        for (const bits of patterns(from)) {
          const got = fpConvert(from, to, bits);
          const want = table.round(definitionValue(from, bits));
          mismatches.check(got === want, () => `${from.name} ${hex(bits)} -> ${to.name} ${hex(got)}, table ${hex(want)}`);
        }
      }
    }
    expect(mismatches.summary).toEqual(OK);
  });
});

describe('fpFromInt', () => {
  const reference = (format: FpFormat, n: number): number => (format === FP32 ? f32Round(n) : tableOf(format).round(n));
  const all: readonly FpFormat[] = [FP32, ...SMALL.map(([, format]) => format)];

  it('converts every int8 and int16 and 100,000 random int32s, as number and as bigint', () => {
    const rng = new SeededRandom(32);
    const mismatches = new Mismatches();
    const integers: number[] = [];
    for (let n = -32768; n < 32768; n++) integers.push(n);
    for (let i = 0; i < 100_000; i++) integers.push(rng.next32() | 0);
    integers.push(2 ** 31 - 1, -(2 ** 31), 2 ** 24 + 1, 2 ** 24 + 3, 16_777_217, 65_520, 65_519, 464, 465, 2 ** 53 - 1, -(2 ** 53) + 1);
    for (const format of all) {
      for (const n of integers) {
        const want = reference(format, n);
        const got = fpFromInt(format, n);
        const gotBig = fpFromInt(format, BigInt(n));
        mismatches.check(got === want && gotBig === want, () => `${format.name} ${n} -> ${hex(got)} / ${hex(gotBig)}, expected ${hex(want)}`);
      }
    }
    expect(fpFromInt(FP32, 0)).toBe(0);
    expect(fpFromInt(FP32, -0)).toBe(0);
    expect(fpFromInt(FP8_E4M3, 0n)).toBe(0);
    expect(mismatches.summary).toEqual(OK);
  });

  it('rounds large integers (float64 and bigint, up to 2,000 bits) to the nearest value', () => {
    const rng = new SeededRandom(64);
    const mismatches = new Mismatches();
    const bigs: bigint[] = [2n ** 128n - 2n ** 103n, 2n ** 128n - 2n ** 103n - 1n, 2n ** 128n, 2n ** 2000n, (1n << 64n) + (1n << 40n), (1n << 64n) + (1n << 40n) + 1n];
    for (let i = 0; i < 4_000; i++) {
      const length = i < 3_000 ? rng.between(54, 140) : rng.between(140, 2000);
      let n = 1n;
      while (n < 1n << BigInt(length - 1)) n = (n << 32n) | BigInt(rng.next32());
      n >>= BigInt(Math.max(0, n.toString(2).length - length));
      // Long runs of zeros or ones below the rounding point make ties and near-ties.
      if (rng.chance(0.3)) n = (n >> BigInt(length - 30)) << BigInt(length - 30);
      if (rng.chance(0.2)) n += BigInt(rng.between(-1, 1));
      bigs.push(rng.chance(0.5) ? n : -n);
    }
    for (const format of [FP32, BF16, FP16, FP8_E4M3]) {
      for (const n of bigs) {
        const got = fpFromInt(format, n);
        const why = roundingError(format, { num: n, exp: 0 }, got);
        mismatches.check(why === undefined, () => `${format.name} ${n} -> ${hex(got)}: ${why}`);
      }
    }
    for (let i = 0; i < 20_000; i++) {
      const n = (rng.next32() * 2 ** 21 + (rng.next32() >>> 11)) * pow2(rng.between(1, 960));
      const got = fpFromInt(FP32, -n);
      mismatches.check(got === f32Round(-n), () => `float64 ${-n} -> ${hex(got)}`);
    }
    expect(fpFromInt(FP32, 2n ** 128n - 2n ** 103n)).toBe(0x7f800000);
    expect(fpFromInt(FP8_E4M3, 465n)).toBe(0x7f);
    expect(mismatches.summary).toEqual(OK);
  });
});

describe('fpScale', () => {
  it('scales random FP32 values like float32 does, huge deltas included', () => {
    const rng = new SeededRandom(1234);
    const mismatches = new Mismatches();
    for (let i = 0; i < 100_000; i++) {
      const bits = i < EDGES_32.length ? EDGES_32[i]! : randomFp32(rng);
      const delta = rng.chance(0.05) ? rng.pick([5000, -5000, 2 ** 40, -(2 ** 40), 1100, -1100]) : rng.between(-300, 300);
      const value = f32Value(bits);
      const want = Number.isNaN(value) ? 0x7fc00000 : value === 0 || !Number.isFinite(value) ? bits : f32Round(value * pow2(delta));
      const got = fpScale(FP32, bits, delta);
      mismatches.check(got === want, () => `scale(${hex(bits)}, ${delta}) = ${hex(got)}, float32 ${hex(want)}`);
    }
    expect(mismatches.summary).toEqual(OK);
  });

  it.each(SMALL)('scales every %s pattern by deltas across the range like the table, flushed or not', (_name, format) => {
    const table = tableOf(format);
    const deltas = format.mantissa <= 3 ? Array.from({ length: 41 }, (_, i) => i - 20) : [-300, -40, -25, -24, -17, -15, -11, -1, 0, 1, 2, 11, 15, 29, 300];
    const mismatches = new Mismatches();
    for (const bits of patterns(format)) {
      const value = definitionValue(format, bits);
      const passesThrough = value === 0 || !Number.isFinite(value);
      for (const delta of deltas) {
        const want = passesThrough ? (isNaNPattern(format, bits) ? policyNaN(format) : bits) : table.round(value * pow2(delta));
        const got = fpScale(format, bits, delta);
        mismatches.check(got === want, () => `scale(${hex(bits)}, ${delta}) = ${hex(got)}, table ${hex(want)}`);
        const wantFlushed = passesThrough ? want : flushPattern(format, table.round(flushedValue(format, bits) * pow2(delta)));
        const gotFlushed = fpScale(format, bits, delta, { flushSubnormals: true });
        mismatches.check(gotFlushed === wantFlushed, () => `flushed scale(${hex(bits)}, ${delta}) = ${hex(gotFlushed)}, expected ${hex(wantFlushed)}`);
      }
    }
    expect(mismatches.summary).toEqual(OK);
  });
});

describe('fpCompare', () => {
  const order = (x: number, y: number): FpOrder => (Number.isNaN(x) || Number.isNaN(y) ? 'unordered' : x < y ? 'lt' : x > y ? 'gt' : 'eq');

  it('orders every FP8 pair and random FP16/BF16/FP32 pairs like float64 does', () => {
    const rng = new SeededRandom(99);
    const mismatches = new Mismatches();
    const check = (format: FpFormat, a: number, b: number, value: (bits: number) => number): void => {
      const got = fpCompare(format, a, b);
      const want = order(value(a), value(b));
      mismatches.check(got === want, () => `${format.name} compare(${hex(a)}, ${hex(b)}) = ${got}, float64 ${want}`);
    };
    for (const format of [FP8_E4M3, FP8_E5M2]) {
      for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) check(format, a, b, (bits) => definitionValue(format, bits));
    }
    for (const format of [FP16, BF16]) {
      for (let i = 0; i < 100_000; i++) {
        const a = rng.below(65536);
        const b = rng.chance(0.3) ? (a + rng.between(-2, 2) + 65536) % 65536 : rng.chance(0.1) ? a ^ 0x8000 : rng.below(65536);
        check(format, a, b, (bits) => definitionValue(format, bits));
      }
    }
    for (let i = 0; i < 100_000; i++) check(FP32, randomFp32(rng), rng.chance(0.2) ? rng.pick(EDGES_32) : randomFp32(rng), f32Value);
    expect(mismatches.summary).toEqual(OK);
  });
});

describe('mixed formats and flushSubnormals in add and multiply', () => {
  function reference(out: FpFormat, exact: number, flush: boolean): number {
    const rounded = out === FP32 ? f32Round(exact) : tableOf(out).round(exact);
    return flush ? flushPattern(out, rounded) : rounded;
  }

  it('multiplies every E4M3 x E5M2 pair into FP16, E5M2 and FP32, flushed and not', () => {
    const mismatches = new Mismatches();
    for (const out of [FP16, FP8_E5M2, FP32]) {
      const formats = { a: FP8_E4M3, b: FP8_E5M2, out };
      for (let a = 0; a < 256; a++) {
        for (let b = 0; b < 256; b++) {
          for (const flush of [false, true]) {
            const value = (format: FpFormat, bits: number): number => (flush ? flushedValue(format, bits) : definitionValue(format, bits));
            const want = reference(out, value(FP8_E4M3, a) * value(FP8_E5M2, b), flush);
            const got = fpMul(formats, a, b, { flushSubnormals: flush });
            mismatches.check(got === want, () => `${out.name} flush=${flush} mul(${hex(a)}, ${hex(b)}) = ${hex(got)}, expected ${hex(want)}`);
          }
        }
      }
    }
    expect(mismatches.summary).toEqual(OK);
  });

  it('adds and multiplies every FP8 pair and random FP16/BF16/FP32 pairs with flushSubnormals', () => {
    const rng = new SeededRandom(4321);
    const mismatches = new Mismatches();
    const check = (format: FpFormat, a: number, b: number, value: (bits: number) => number): void => {
      const x = value(flushPattern(format, a));
      const y = value(flushPattern(format, b));
      const options = { flushSubnormals: true };
      const sum = fpAdd(format, a, b, options);
      const wantSum = reference(format, x + y, true);
      mismatches.check(sum === wantSum, () => `${format.name} flushed add(${hex(a)}, ${hex(b)}) = ${hex(sum)}, expected ${hex(wantSum)}`);
      const product = fpMul({ a: format, b: format, out: format }, a, b, options);
      const wantProduct = reference(format, x * y, true);
      mismatches.check(product === wantProduct, () => `${format.name} flushed mul(${hex(a)}, ${hex(b)}) = ${hex(product)}, expected ${hex(wantProduct)}`);
    };
    for (const format of [FP8_E4M3, FP8_E5M2]) {
      for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) check(format, a, b, (bits) => definitionValue(format, bits));
    }
    // Small exponents on both sides so subnormal inputs and results are common.
    const nearZero = (format: FpFormat): number => {
      const bits = rng.below(2 ** (format.mantissa + 3));
      return rng.chance(0.5) ? bits : bits + signBitOf(format);
    };
    for (const format of [FP16, BF16]) {
      for (let i = 0; i < 40_000; i++) {
        const a = rng.chance(0.5) ? nearZero(format) : rng.below(65536);
        check(format, a, rng.chance(0.5) ? nearZero(format) : rng.below(65536), (bits) => definitionValue(format, bits));
      }
    }
    for (let i = 0; i < 40_000; i++) check(FP32, nearZero(FP32), rng.chance(0.5) ? nearZero(FP32) : randomFp32(rng), f32Value);
    expect(mismatches.summary).toEqual(OK);
  });

  it('multiplies random BF16 and FP16 pairs into FP32 like float32', () => {
    const rng = new SeededRandom(16);
    const mismatches = new Mismatches();
    for (const from of [BF16, FP16]) {
      for (let i = 0; i < 50_000; i++) {
        const a = rng.below(65536);
        const b = rng.below(65536);
        const got = fpMul({ a: from, b: from, out: FP32 }, a, b);
        const want = f32Round(definitionValue(from, a) * definitionValue(from, b));
        mismatches.check(got === want, () => `${from.name} mul(${hex(a)}, ${hex(b)}) -> fp32 ${hex(got)}, float32 ${hex(want)}`);
      }
    }
    expect(mismatches.summary).toEqual(OK);
  });
});
