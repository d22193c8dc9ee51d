// The shared machinery of the golden soft-float: per-format constants, operand checks, and the one
// rounding step every arithmetic operation ends in (`roundPack`), modelled on how hardware does it:
// an integer significand with its LSB's exponent plus a sticky bit goes in, a bit pattern comes out.
//
// Everything here works on plain JS numbers holding integers below 2^53, so the hot paths allocate
// nothing and stay exact; bit patterns are at most 32 bits wide (checked once per format).

import { canonicalNaN, checkFormat, fpBias, fpWidth, maxFiniteExponent, type FpFormat } from '../../contracts/fp-format.js';

export interface FpOptions {
  /** FTZ + DAZ: subnormal inputs read as zero of their sign, subnormal results written as zero. */
  readonly flushSubnormals?: boolean;
}

/** Everything an operation needs to know about a format, derived once from its fields. */
export interface FormatConstants {
  readonly name: string;
  /** Stored fraction bits. */
  readonly m: number;
  /** Significand bits including the hidden one. */
  readonly p: number;
  readonly bias: number;
  readonly width: number;
  /** 2^m: the hidden bit's weight in the significand, and the exponent field's unit in a pattern. */
  readonly hidden: number;
  /** 2^p: a rounded significand that reached this carried into the next binade. */
  readonly carry: number;
  readonly fracMask: number;
  /** 2^(width-1). */
  readonly signBit: number;
  /** 2^width - 1: the largest valid pattern. */
  readonly maxBits: number;
  /** Exponent of the smallest normal binade (1 - bias). */
  readonly emin: number;
  readonly maxBiased: number;
  /** Largest fraction allowed at `maxBiased` (one less than all ones in `fn`: that code is NaN). */
  readonly maxTopFrac: number;
  /** Magnitude (pattern without sign) of infinity, or -1 when the format has none. */
  readonly infMag: number;
  /** Every magnitude at or above this is a NaN. */
  readonly nanMagMin: number;
  readonly nan: number;
  readonly isFn: boolean;
  /** Left shift that puts an addend's significand just under 2^52 (guard room for alignment). */
  readonly addShift: number;
}

/** 2^k for the shift amounts the operations use, so no call computes a power. */
export const POW2: Float64Array = (() => {
  const table = new Float64Array(64);
  for (let k = 0; k < 64; k++) table[k] = 2 ** k;
  return table;
})();

const f64View = new DataView(new ArrayBuffer(8));

/** The float64 of bit pattern (hi, lo): a scratch DataView, so the value is exact by construction. */
export function float64FromWords(hi: number, lo: number): number {
  f64View.setUint32(0, hi >>> 0);
  f64View.setUint32(4, lo >>> 0);
  return f64View.getFloat64(0);
}

/** Writes `value` into the scratch view; read it back with `float64HighWord` / `float64LowWord`. */
export function loadFloat64(value: number): void {
  f64View.setFloat64(0, value);
}
export function float64HighWord(): number {
  return f64View.getUint32(0);
}
export function float64LowWord(): number {
  return f64View.getUint32(4);
}

/** Exactly 2^n as a float64 (±0/Infinity outside its range), built from bits, not Math.pow. */
export function exactPow2(n: number): number {
  if (n > 1023) return Infinity;
  if (n >= -1022) return float64FromWords((n + 1023) * 0x100000, 0);
  if (n >= -1042) return float64FromWords(2 ** (n + 1042), 0);
  if (n >= -1074) return float64FromWords(0, 2 ** (n + 1074));
  return 0;
}

const cache = new WeakMap<FpFormat, FormatConstants>();
// Most callers hammer one format; a one-entry memo skips even the WeakMap lookup.
let lastFormat: FpFormat | undefined;
let lastConstants: FormatConstants | undefined;

export function constantsOf(format: FpFormat): FormatConstants {
  if (format === lastFormat) return lastConstants!;
  let constants = cache.get(format);
  if (constants === undefined) {
    constants = deriveConstants(format);
    cache.set(format, constants);
  }
  lastFormat = format;
  lastConstants = constants;
  return constants;
}

function deriveConstants(format: FpFormat): FormatConstants {
  checkFormat(format);
  const width = fpWidth(format);
  if (width > 32) {
    throw new RangeError(`softfloat supports formats up to 32 bits wide; ${format.name} is ${width} bits (1 + ${format.exponent} + ${format.mantissa})`);
  }
  const m = format.mantissa;
  const p = m + 1;
  const hidden = 2 ** m;
  const isFn = format.specials === 'fn';
  const maxBiased = maxFiniteExponent(format);
  const expOnes = 2 ** format.exponent - 1;
  const infMag = isFn ? -1 : expOnes * hidden;
  return {
    name: format.name,
    m,
    p,
    bias: fpBias(format),
    width,
    hidden,
    carry: 2 ** p,
    fracMask: hidden - 1,
    signBit: 2 ** (width - 1),
    maxBits: 2 ** width - 1,
    emin: 1 - fpBias(format),
    maxBiased,
    maxTopFrac: isFn ? hidden - 2 : hidden - 1,
    infMag,
    nanMagMin: isFn ? expOnes * hidden + hidden - 1 : infMag + 1,
    nan: Number(canonicalNaN(format)),
    isFn,
    addShift: 52 - p,
  };
}

/** Throws unless `bits` is a pattern of the format (an integer in [0, 2^width)). */
export function checkBits(c: FormatConstants, bits: number): void {
  // `>>> 0` is the identity exactly on integers in [0, 2^32), which covers every valid width.
  if (bits >>> 0 !== bits || bits > c.maxBits) {
    throw new RangeError(`${c.name}: ${bits} is not a ${c.width}-bit pattern`);
  }
}

/** Number of significant bits of an integer in [0, 2^53). */
export function bitLength(x: number): number {
  return x >= 4294967296 ? 64 - Math.clz32(Math.floor(x / 4294967296)) : 32 - Math.clz32(x);
}

/**
 * Rounds (-1)^sign * (sig + sticky) * 2^lsbExp to the format, ties to even, and packs it.
 * `sig` is an integer in [0, 2^53); `sticky` says nonzero bits lie below its LSB, and callers set
 * it only when `sig` has more than p + 1 bits, so it always lands below the round bit.
 * Overflow is decided after rounding with unbounded exponent (IEEE 754 and OCP agree on that).
 */
export function roundPack(c: FormatConstants, sign: number, sig: number, lsbExp: number, sticky: boolean, flush: boolean): number {
  const signPart = sign === 0 ? 0 : c.signBit;
  if (sig === 0) return signPart;
  const msbExp = lsbExp + bitLength(sig) - 1;
  // Below the smallest normal binade the LSB stays at the subnormal weight: gradual underflow.
  let outLsb = (msbExp < c.emin ? c.emin : msbExp) - c.m;
  const drop = outLsb - lsbExp;
  let q: number;
  if (drop <= 0) {
    q = sig * POW2[-drop]!;
  } else if (drop > 54) {
    // Even the half-unit exceeds sig (< 2^53): the value rounds to zero.
    q = 0;
  } else {
    const unit = POW2[drop]!;
    q = Math.floor(sig / unit);
    const rest = sig - q * unit;
    const half = unit / 2;
    if (rest > half || (rest === half && (sticky || q % 2 === 1))) q += 1;
  }
  if (q < c.hidden) {
    // Subnormal or zero: exponent field 0, the fraction is q itself.
    return flush ? signPart : signPart + q;
  }
  if (q === c.carry) {
    q = c.hidden;
    outLsb += 1;
  }
  const biased = outLsb + c.m + c.bias;
  const frac = q - c.hidden;
  if (biased > c.maxBiased || (biased === c.maxBiased && frac > c.maxTopFrac)) {
    return c.isFn ? c.nan : signPart + c.infMag;
  }
  return signPart + biased * c.hidden + frac;
}

/** The significand (hidden bit included) of a finite nonzero magnitude. */
export function significandOf(c: FormatConstants, mag: number): number {
  // Magnitudes are below 2^31, so 32-bit bitwise operators are exact on them.
  const frac = mag & c.fracMask;
  return mag >= c.hidden ? frac + c.hidden : frac;
}

/** The exponent of the LSB of a finite magnitude's significand. */
export function lsbExponentOf(c: FormatConstants, mag: number): number {
  const field = mag >>> c.m;
  return (field === 0 ? 1 : field) - c.bias - c.m;
}

export function flushOf(options: FpOptions | undefined): boolean {
  return options !== undefined && options.flushSubnormals === true;
}
