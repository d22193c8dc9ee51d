// The arithmetic operations as bit-level integer models: unpack sign, exponent and significand,
// align or multiply the integer significands, and let `roundPack` normalize, round to nearest even
// and handle overflow and underflow. No float64 arithmetic stands in for the format's arithmetic
// (the tests use float64 as the independent reference, so the model must not be the same method).

import type { FpFormat } from '../../contracts/fp-format.js';
import {
  POW2,
  bitLength,
  checkBits,
  constantsOf,
  float64HighWord,
  float64LowWord,
  flushOf,
  loadFloat64,
  lsbExponentOf,
  roundPack,
  significandOf,
  type FormatConstants,
  type FpOptions,
} from './core.js';

/** A float64 rounded once, to nearest even, into the format (read from the float64's own bits). */
export function fpRound(format: FpFormat, value: number, options?: FpOptions): number {
  return roundFloat64(constantsOf(format), value, flushOf(options));
}

function roundFloat64(c: FormatConstants, value: number, flush: boolean): number {
  loadFloat64(value);
  const high = float64HighWord();
  const low = float64LowWord();
  const sign = high >>> 31;
  const field = (high >>> 20) & 0x7ff;
  const fracHigh = high & 0xfffff;
  if (field === 0x7ff) {
    if (fracHigh !== 0 || low !== 0 || c.isFn) return c.nan;
    return (sign === 0 ? 0 : c.signBit) + c.infMag;
  }
  const frac = fracHigh * 4294967296 + low;
  // float64 subnormals (and zeros) have no hidden bit and the fixed LSB weight 2^-1074.
  if (field === 0) return roundPack(c, sign, frac, -1074, false, flush);
  return roundPack(c, sign, frac + 4503599627370496, field - 1075, false, flush);
}

export function fpAdd(format: FpFormat, a: number, b: number, options?: FpOptions): number {
  const c = constantsOf(format);
  checkBits(c, a);
  checkBits(c, b);
  return addPatterns(c, a, b, flushOf(options));
}

/** a + (-b), with -b the sign-flipped pattern (so b = NaN still gives the canonical NaN). */
export function fpSub(format: FpFormat, a: number, b: number, options?: FpOptions): number {
  const c = constantsOf(format);
  checkBits(c, a);
  checkBits(c, b);
  return addPatterns(c, a, b >= c.signBit ? b - c.signBit : b + c.signBit, flushOf(options));
}

function addPatterns(c: FormatConstants, a: number, b: number, flush: boolean): number {
  let signA = a >= c.signBit ? 1 : 0;
  let signB = b >= c.signBit ? 1 : 0;
  let magA = a - signA * c.signBit;
  let magB = b - signB * c.signBit;
  if (magA >= c.nanMagMin || magB >= c.nanMagMin) return c.nan;
  if (magA === c.infMag) return magB === c.infMag && signA !== signB ? c.nan : a;
  if (magB === c.infMag) return b;
  if (flush) {
    if (magA < c.hidden) magA = 0;
    if (magB < c.hidden) magB = 0;
  }
  if (magA === 0) {
    if (magB === 0) return signA === 1 && signB === 1 ? c.signBit : 0;
    return signB * c.signBit + magB;
  }
  if (magB === 0) return signA * c.signBit + magA;
  // Sign-magnitude patterns order like their magnitudes: make A the larger.
  if (magA < magB) {
    const mag = magA;
    magA = magB;
    magB = mag;
    const sign = signA;
    signA = signB;
    signB = sign;
  }
  const lsbA = lsbExponentOf(c, magA);
  const gap = lsbA - lsbExponentOf(c, magB);
  const shift = c.addShift;
  // A moves up to just under 2^52, so B keeps at least 22 bits below A's LSB when aligned: far
  // more than guard and round bits need, and the sum still fits 53 bits exactly.
  const alignedA = significandOf(c, magA) * POW2[shift]!;
  const sigB = significandOf(c, magB);
  let alignedB: number;
  let sticky = false;
  if (gap <= shift) {
    alignedB = sigB * POW2[shift - gap]!;
  } else if (gap - shift > 53) {
    alignedB = 0;
    sticky = true;
  } else {
    const unit = POW2[gap - shift]!;
    alignedB = Math.floor(sigB / unit);
    sticky = alignedB * unit !== sigB;
  }
  let sum: number;
  if (signA === signB) {
    sum = alignedA + alignedB;
  } else {
    // Subtracting B's lost low bits too borrows one unit and leaves a nonzero remainder: sticky.
    sum = alignedA - alignedB - (sticky ? 1 : 0);
    if (sum === 0) return 0;
  }
  return roundPack(c, signA, sum, lsbA - shift, sticky, flush);
}

/** a x b with each operand in its own format and the product rounded once into `out`. */
export function fpMul(
  formats: { readonly a: FpFormat; readonly b: FpFormat; readonly out: FpFormat },
  a: number,
  b: number,
  options?: FpOptions,
): number {
  const ca = constantsOf(formats.a);
  const cb = constantsOf(formats.b);
  const co = constantsOf(formats.out);
  checkBits(ca, a);
  checkBits(cb, b);
  const flush = flushOf(options);
  const signA = a >= ca.signBit ? 1 : 0;
  const signB = b >= cb.signBit ? 1 : 0;
  const magA = a - signA * ca.signBit;
  const magB = b - signB * cb.signBit;
  const sign = signA ^ signB;
  if (magA >= ca.nanMagMin || magB >= cb.nanMagMin) return co.nan;
  const zeroA = magA === 0 || (flush && magA < ca.hidden);
  const zeroB = magB === 0 || (flush && magB < cb.hidden);
  if (magA === ca.infMag || magB === cb.infMag) {
    if (zeroA || zeroB) return co.nan;
    return co.isFn ? co.nan : sign * co.signBit + co.infMag;
  }
  if (zeroA || zeroB) return sign * co.signBit;
  const sigA = significandOf(ca, magA);
  const sigB = significandOf(cb, magB);
  const lsb = lsbExponentOf(ca, magA) + lsbExponentOf(cb, magB);
  if (ca.p + cb.p <= 53) return roundPack(co, sign, sigA * sigB, lsb, false, flush);
  return roundWideProduct(co, sign, sigA, sigB, lsb, flush);
}

/** Significands too wide for an exact 53-bit product: two partial products, the top 53 bits kept. */
function roundWideProduct(co: FormatConstants, sign: number, sigA: number, sigB: number, lsb: number, flush: boolean): number {
  const highB = Math.floor(sigB / 65536);
  const upper = sigA * highB;
  const lower = sigA * (sigB - highB * 65536);
  // The float64 sum may round up across a power of two, overestimating the length by one: harmless,
  // the kept part then has 52 bits instead of 53. It never underestimates (rounding is monotonic).
  const dropped = bitLength(upper * 65536 + lower) - 53;
  if (dropped <= 0) return roundPack(co, sign, upper * 65536 + lower, lsb, false, flush);
  const unit = POW2[dropped]!;
  const lowerKept = Math.floor(lower / unit);
  const sig = upper * POW2[16 - dropped]! + lowerKept;
  return roundPack(co, sign, sig, lsb + dropped, lowerKept * unit !== lower, flush);
}

/** An integer rounded to nearest even; 0 gives +0. */
export function fpFromInt(format: FpFormat, value: bigint | number, options?: FpOptions): number {
  const c = constantsOf(format);
  const flush = flushOf(options);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new RangeError(`fpFromInt(${c.name}): ${value} is not an integer`);
    const magnitude = Math.abs(value);
    // Integer-valued float64s beyond 2^53 are exactly their own significand and exponent.
    if (magnitude >= 9007199254740992) return roundFloat64(c, value, flush);
    return roundPack(c, value < 0 ? 1 : 0, magnitude, 0, false, flush);
  }
  const sign = value < 0n ? 1 : 0;
  const magnitude = sign === 1 ? -value : value;
  if (magnitude < 9007199254740992n) return roundPack(c, sign, Number(magnitude), 0, false, flush);
  const dropped = magnitude.toString(2).length - 53;
  const kept = magnitude >> BigInt(dropped);
  return roundPack(c, sign, Number(kept), dropped, kept << BigInt(dropped) !== magnitude, flush);
}

/** A value of one format rounded into another (exact when `to` is wider in both fields). */
export function fpConvert(from: FpFormat, to: FpFormat, bits: number, options?: FpOptions): number {
  const cf = constantsOf(from);
  const ct = constantsOf(to);
  checkBits(cf, bits);
  const flush = flushOf(options);
  const sign = bits >= cf.signBit ? 1 : 0;
  const mag = bits - sign * cf.signBit;
  if (mag >= cf.nanMagMin) return ct.nan;
  if (mag === cf.infMag) return ct.isFn ? ct.nan : sign * ct.signBit + ct.infMag;
  if (mag === 0 || (flush && mag < cf.hidden)) return sign * ct.signBit;
  return roundPack(ct, sign, significandOf(cf, mag), lsbExponentOf(cf, mag), false, flush);
}

// Past this shift every format over- or underflows (exponents span at most 2^11, significands
// 53 bits), and clamping keeps the exponent arithmetic far from float64's integer limit.
const SCALE_LIMIT = 4096;

/** x * 2^exponentDelta rounded to nearest even (ldexp); zeros, infinities and NaNs pass through. */
export function fpScale(format: FpFormat, bits: number, exponentDelta: number, options?: FpOptions): number {
  const c = constantsOf(format);
  checkBits(c, bits);
  if (!Number.isInteger(exponentDelta)) throw new RangeError(`fpScale(${c.name}): exponent delta ${exponentDelta} is not an integer`);
  const flush = flushOf(options);
  const sign = bits >= c.signBit ? 1 : 0;
  const mag = bits - sign * c.signBit;
  if (mag >= c.nanMagMin) return c.nan;
  if (mag === c.infMag || mag === 0) return bits;
  if (flush && mag < c.hidden) return sign * c.signBit;
  const delta = exponentDelta > SCALE_LIMIT ? SCALE_LIMIT : exponentDelta < -SCALE_LIMIT ? -SCALE_LIMIT : exponentDelta;
  return roundPack(c, sign, significandOf(c, mag), lsbExponentOf(c, mag) + delta, false, flush);
}
