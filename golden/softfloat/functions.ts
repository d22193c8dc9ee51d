// Bit-exact models of the FP32 function operators of dsl/lib/fp (exp.ts, reciprocal.ts,
// rsqrt.ts): the same fixed-point steps, restated here in BigInt integers with the hardware's
// widths and truncations (asIntN / asUintN where the hardware keeps fewer bits), then the shared
// `roundPack`. The constants are derived here independently: integer roots and quotients, and
// decimal expansions of log2(e) and ln(2), not the float64 expressions the hardware uses.

import type { FpFormat } from '../../contracts/fp-format.js';
import { bitLength, checkBits, constantsOf, flushOf, roundPack, significandOf, type FormatConstants, type FpOptions } from './core.js';

/** e^x, rounded once from a 31-bit approximation (FP32 only). */
export function fpExp(format: FpFormat, bits: number, options?: FpOptions): number {
  const { c, sign, mag } = decode(format, 'fpExp', bits);
  const flush = flushOf(options);
  if (mag >= c.nanMagMin) return c.nan;
  const field = mag >>> c.m;
  // |x| >= 128 (infinities included): e^x overflows, or underflows past the smallest subnormal.
  if (field > 133) return sign === 1 ? 0 : c.infMag;
  const significand = flush && field === 0 ? 0n : BigInt(significandOf(c, mag));
  const exponent = field === 0 ? 1 : field;
  // t = x log2(e) in units of 2^-32, truncated toward zero in magnitude.
  const magnitude = (significand * log2eFixed()) >> BigInt(157 - exponent);
  const t = sign === 1 ? -magnitude : magnitude;
  const n = t >> 32n;
  const fraction = t & 0xffffffffn;
  const power = powerTable()[Number(fraction >> 24n)]!;
  const u = ((fraction & 0xffffffn) * ln2Fixed()) >> 32n;
  const high = u >> 8n;
  const square = (high * high) >> 17n;
  const cube = ((square >> 7n) * (u >> 16n) * 85n) >> 17n;
  const excess = u + square + cube;
  const result = power + ((power * excess) >> 32n);
  return roundPack(c, 0, Number(result), Number(n) - 31, false, flush);
}

/** 1/x, rounded once from a 30-bit approximation (FP32 only). */
export function fpReciprocal(format: FpFormat, bits: number, options?: FpOptions): number {
  const { c, sign, mag } = decode(format, 'fpReciprocal', bits);
  const flush = flushOf(options);
  const signPart = sign * c.signBit;
  if (mag >= c.nanMagMin) return c.nan;
  if (mag === c.infMag) return signPart;
  if (mag === 0 || (flush && mag < c.hidden)) return signPart + c.infMag;
  const { s, e } = normalize(c, mag);
  const seed = BigInt(reciprocalSeeds()[Number((s >> 16n) & 127n)]!);
  const e0 = BigInt.asIntN(19, ((1n << 33n) - s * seed) >> 9n);
  const y1 = BigInt.asUintN(21, (seed << 10n) + ((seed * e0) >> 14n));
  const e1 = BigInt.asIntN(19, ((1n << 43n) - s * y1) >> 11n);
  const y2 = BigInt.asUintN(31, (y1 << 10n) + ((y1 * e1) >> 22n));
  // 1/x = y2 2^-30 2^-e.
  return roundPack(c, sign, Number(y2), -30 - e, false, flush);
}

/** 1/sqrt(x), rounded once from a 30-bit approximation (FP32 only); -0 gives -inf, x < 0 NaN. */
export function fpRsqrt(format: FpFormat, bits: number, options?: FpOptions): number {
  const { c, sign, mag } = decode(format, 'fpRsqrt', bits);
  const flush = flushOf(options);
  if (mag >= c.nanMagMin) return c.nan;
  if (mag === 0 || (flush && mag < c.hidden)) return sign * c.signBit + c.infMag;
  if (sign === 1) return c.nan;
  if (mag === c.infMag) return 0;
  const { s, e } = normalize(c, mag);
  // x = s' 2^(e - odd) with s' = s 2^odd in [1, 4) and an even exponent.
  const odd = e & 1;
  const scaled = s << BigInt(odd);
  const seed = BigInt(rsqrtSeeds()[odd * 64 + Number((s >> 17n) & 63n)]!);
  const e0 = BigInt.asIntN(20, ((1n << 43n) - scaled * seed * seed) >> 19n);
  const y1 = BigInt.asUintN(21, (seed << 10n) + ((seed * e0) >> 15n));
  const root = (scaled * y1) >> 11n;
  const e1 = BigInt.asIntN(22, ((1n << 52n) - root * y1) >> 19n);
  const y2 = BigInt.asUintN(31, (y1 << 10n) + ((y1 * e1) >> 24n));
  // 1/sqrt(x) = y2 2^-30 2^-(e - odd)/2.
  return roundPack(c, 0, Number(y2), -30 - (e - odd) / 2, false, flush);
}

// ---- helpers -------------------------------------------------------------------------------------

/** The FP32 pattern's sign and magnitude, after checking both the format and the pattern. */
function decode(format: FpFormat, operation: string, bits: number): { c: FormatConstants; sign: number; mag: number } {
  if (format.exponent !== 8 || format.mantissa !== 23 || format.specials !== 'ieee') {
    throw new RangeError(`${operation} models FP32 only (8 exponent and 23 fraction bits, IEEE specials), got ${format.name}`);
  }
  const c = constantsOf(format);
  checkBits(c, bits);
  const sign = bits >= c.signBit ? 1 : 0;
  return { c, sign, mag: bits - sign * c.signBit };
}

/** A finite nonzero magnitude as s 2^(e - 23) with s a 24-bit integer whose MSB is set. */
function normalize(c: FormatConstants, mag: number): { s: bigint; e: number } {
  const significand = significandOf(c, mag);
  const shift = c.p - bitLength(significand);
  const field = mag >>> c.m;
  return { s: BigInt(significand) << BigInt(shift), e: (field === 0 ? 1 : field) - c.bias - shift };
}

// The tables, built on first use.
let reciprocalTable: number[] | undefined;
let rsqrtTable: number[] | undefined;
let powers: bigint[] | undefined;

/** 1/s at the midpoint (257 + 2i)/256 of segment i, in units of 2^-10, rounded half up. */
function reciprocalSeeds(): number[] {
  reciprocalTable ??= Array.from({ length: 128 }, (_, i) => Math.round(2 ** 18 / (257 + 2 * i)));
  return reciprocalTable;
}

/** 1/sqrt(s) at the midpoint of segment j (doubled for odd exponents), in units of 2^-10: half of isqrt(4 q), rounded up. */
function rsqrtSeeds(): number[] {
  rsqrtTable ??= Array.from({ length: 128 }, (_, k) => {
    const odd = k >= 64 ? 1 : 0;
    const quotient = Math.floor(2 ** (29 - odd) / (129 + 2 * (k % 64)));
    return Math.floor((floorSqrt(quotient) + 1) / 2);
  });
  return rsqrtTable;
}

function floorSqrt(n: number): number {
  let r = Math.floor(Math.sqrt(n));
  while (r * r > n) r--;
  while ((r + 1) * (r + 1) <= n) r++;
  return r;
}

/** 2^(i/256) in units of 2^-31, rounded: half of the largest y with y^256 <= 2^(i + 256 * 32), rounded up. */
function powerTable(): bigint[] {
  powers ??= Array.from({ length: 256 }, (_, i) => {
    const limit = 1n << BigInt(i + 256 * 32);
    let low = 1n << 32n;
    let high = 1n << 33n;
    while (high - low > 1n) {
      const mid = (low + high) >> 1n;
      if (mid ** 256n <= limit) low = mid;
      else high = mid;
    }
    return (low + 1n) >> 1n;
  });
  return powers;
}

// log2(e) and ln(2) to 40 decimal places, scaled and rounded to the hardware's fixed point.
const LOG2E_DIGITS = 14426950408889634073599246810018921374266n; // x 10^-40
const LN2_DIGITS = 6931471805599453094172321214581765680755n; // x 10^-40
const SCALE = 10n ** 40n;
let log2e: bigint | undefined;
let ln2: bigint | undefined;

/** round(log2(e) 2^39). */
function log2eFixed(): bigint {
  log2e ??= ((LOG2E_DIGITS << 40n) / SCALE + 1n) >> 1n;
  return log2e;
}

/** round(ln(2) 2^32). */
function ln2Fixed(): bigint {
  ln2 ??= ((LN2_DIGITS << 33n) / SCALE + 1n) >> 1n;
  return ln2;
}
