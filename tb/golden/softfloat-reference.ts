// Independent references for the soft-float tests (test support only, not used by the golden).
// Nothing here reuses the golden's code: values come straight from the format definition,
// rounding from a sorted table of every finite value (nearest wins, ties to the even pattern) or
// from exact bigint distances to a result's neighbours, and FP32 from the engine's own float32.

import type { FpFormat } from '../../contracts/fp-format.js';
import type { SeededRandom } from '../../golden/random.js';

// ---- values from the definition -------------------------------------------------------------------

interface Fields {
  readonly sign: number;
  readonly exponent: number;
  readonly fraction: number;
}

function fieldsOf(format: FpFormat, bits: number): Fields {
  const fractionUnit = 2 ** format.mantissa;
  const exponentUnit = 2 ** format.exponent;
  return {
    fraction: bits % fractionUnit,
    exponent: Math.floor(bits / fractionUnit) % exponentUnit,
    sign: Math.floor(bits / (fractionUnit * exponentUnit)),
  };
}

export function isNaNPattern(format: FpFormat, bits: number): boolean {
  const { exponent, fraction } = fieldsOf(format, bits);
  const exponentOnes = 2 ** format.exponent - 1;
  if (exponent !== exponentOnes) return false;
  return format.specials === 'ieee' ? fraction !== 0 : fraction === 2 ** format.mantissa - 1;
}

/** sign * 2^(e - bias) * (1 + m / 2^man), subnormals 2^(1 - bias) * (m / 2^man), and the specials. */
export function definitionValue(format: FpFormat, bits: number): number {
  const { sign, exponent, fraction } = fieldsOf(format, bits);
  const bias = 2 ** (format.exponent - 1) - 1;
  const signFactor = sign === 1 ? -1 : 1;
  if (isNaNPattern(format, bits)) return NaN;
  if (format.specials === 'ieee' && exponent === 2 ** format.exponent - 1) return signFactor * Infinity;
  const scale = 2 ** format.mantissa;
  const magnitude = exponent === 0 ? 2 ** (1 - bias) * (fraction / scale) : 2 ** (exponent - bias) * (1 + fraction / scale);
  return signFactor * magnitude;
}

/** The canonical NaN written out from the policy's words. */
export function policyNaN(format: FpFormat): number {
  const exponentOnes = 2 ** format.exponent - 1;
  const fraction = format.specials === 'ieee' ? 2 ** (format.mantissa - 1) : 2 ** format.mantissa - 1;
  return exponentOnes * 2 ** format.mantissa + fraction;
}

export function signBitOf(format: FpFormat): number {
  return 2 ** (format.exponent + format.mantissa);
}

export function isSubnormalPattern(format: FpFormat, bits: number): boolean {
  const { exponent, fraction } = fieldsOf(format, bits);
  return exponent === 0 && fraction !== 0;
}

/** Flush-to-zero of a pattern: subnormals become the zero of their sign. */
export function flushPattern(format: FpFormat, bits: number): number {
  return isSubnormalPattern(format, bits) ? (bits >= signBitOf(format) ? signBitOf(format) : 0) : bits;
}

// ---- table rounding (formats up to 16 bits) -------------------------------------------------------

/** Every finite non-negative value of a small format, sorted, with its pattern. */
export class RoundingTable {
  private readonly values: number[] = [];
  private readonly patterns: number[] = [];
  private readonly overflowThreshold: number;
  private readonly maxIsEven: boolean;

  constructor(readonly format: FpFormat) {
    const signBit = signBitOf(format);
    if (signBit > 2 ** 15) throw new Error('table rounding is for formats of 16 bits or fewer');
    const entries: [number, number][] = [];
    for (let bits = 0; bits < signBit; bits++) {
      const value = definitionValue(format, bits);
      if (Number.isFinite(value)) entries.push([value, bits]);
    }
    entries.sort((x, y) => x[0] - y[0]);
    for (const [value, bits] of entries) {
      this.values.push(value);
      this.patterns.push(bits);
    }
    const count = this.values.length;
    const max = this.values[count - 1]!;
    // Rounded with unbounded exponent, a value overflows past max + half of max's ulp.
    this.overflowThreshold = max + (max - this.values[count - 2]!) / 2;
    this.maxIsEven = this.patterns[count - 1]! % 2 === 0;
  }

  /** The largest finite value. */
  get max(): number {
    return this.values[this.values.length - 1]!;
  }

  /** All finite values (non-negative), ascending. */
  get finiteValues(): readonly number[] {
    return this.values;
  }

  /** Round a float64 to the pattern of the nearest value, ties to the even pattern. */
  round(x: number): number {
    const format = this.format;
    if (Number.isNaN(x)) return policyNaN(format);
    const negative = x < 0 || Object.is(x, -0);
    const signPart = negative ? signBitOf(format) : 0;
    const magnitude = Math.abs(x);
    const overflowPattern = format.specials === 'fn' ? policyNaN(format) : signPart + (2 ** format.exponent - 1) * 2 ** format.mantissa;
    if (magnitude > this.overflowThreshold || (magnitude === this.overflowThreshold && !this.maxIsEven)) return overflowPattern;
    if (magnitude >= this.max) return signPart + this.patterns[this.patterns.length - 1]!;
    let lo = 0;
    let hi = this.values.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.values[mid]! <= magnitude) lo = mid;
      else hi = mid;
    }
    const below = this.values[lo]!;
    const above = this.values[hi]!;
    if (magnitude === below) return signPart + this.patterns[lo]!;
    const toBelow = magnitude - below;
    const toAbove = above - magnitude;
    let index: number;
    if (toBelow < toAbove) index = lo;
    else if (toAbove < toBelow) index = hi;
    else index = this.patterns[lo]! % 2 === 0 ? lo : hi;
    return signPart + this.patterns[index]!;
  }
}

// ---- FP32 through the engine's float32 ------------------------------------------------------------

const view = new DataView(new ArrayBuffer(4));

export function f32Value(bits: number): number {
  view.setUint32(0, bits);
  return view.getFloat32(0);
}

/** Math.fround, then the float32's bits, with any NaN written as the policy's canonical NaN. */
export function f32Round(x: number): number {
  const rounded = Math.fround(x);
  if (Number.isNaN(rounded)) return 0x7fc00000;
  view.setFloat32(0, rounded);
  return view.getUint32(0);
}

// ---- FP32 operands ----------------------------------------------------------------------------

export const SIGN32 = 0x80000000;

/** Magnitudes where FP32 arithmetic has its edges: zeros, subnormal ends, binade ends, ties. */
const EDGE_MAGNITUDES_32 = [
  0, 1, 2, 0x7fffff, 0x400000, 0x800000, 0x800001, 0x7f7fffff, 0x7f7ffffe, 0x7f000000, 0x7f800000, 0x7fc00000, 0x7f800001,
  0x3f800000, 0x3f800001, 0x3f7fffff, 0x3fc00000, 0x40000000, 0x33800000, 0x33800001, 0x337fffff, 0x34000000, 0x4b800000,
  0x4b800001, 0x1f800000, 0x5f800000, 0x0c800000, 0x72800000,
];
export const EDGES_32: readonly number[] = EDGE_MAGNITUDES_32.flatMap((mag) => [mag, mag + SIGN32]);

/** FP32 operands spread over every exponent, with subnormals, edges and short significands. */
export function randomFp32(rng: SeededRandom): number {
  const roll = rng.below(100);
  if (roll < 6) return rng.pick(EDGES_32);
  const sign = rng.chance(0.5) ? SIGN32 : 0;
  let exponent: number;
  let fraction: number;
  if (roll < 18) {
    exponent = 0;
    fraction = rng.next32() >>> rng.between(9, 31);
  } else {
    exponent = rng.between(1, 254);
    fraction = rng.next32() >>> 9;
  }
  // Few significant bits make exact ties (sums and products landing halfway) common.
  if (rng.chance(0.3)) fraction -= fraction % 2 ** rng.between(0, 23);
  return sign + exponent * 0x800000 + fraction;
}

export function withExponent(rng: SeededRandom, exponent: number): number {
  const clamped = Math.min(254, Math.max(0, exponent));
  let fraction = rng.next32() >>> 9;
  if (rng.chance(0.5)) fraction -= fraction % 2 ** rng.between(0, 23);
  return (rng.chance(0.5) ? SIGN32 : 0) + clamped * 0x800000 + fraction;
}

// ---- exact oracle for any format: is `result` the nearest pattern to an exact rational? ----------

/** An exact value num * 2^exp. */
export interface Exact {
  readonly num: bigint;
  readonly exp: number;
}

/** A magnitude pattern's exact value, the all-ones exponent read as one more normal binade. */
export function extendedMagnitude(format: FpFormat, mag: number): Exact {
  const { exponent, fraction } = fieldsOf(format, mag);
  const bias = 2 ** (format.exponent - 1) - 1;
  const hidden = exponent === 0 ? 0 : 2 ** format.mantissa;
  return { num: BigInt(fraction + hidden), exp: Math.max(exponent, 1) - bias - format.mantissa };
}

export function exactOfPattern(format: FpFormat, bits: number): Exact {
  const { sign } = fieldsOf(format, bits);
  const magnitude = extendedMagnitude(format, bits % signBitOf(format));
  return { num: sign === 1 ? -magnitude.num : magnitude.num, exp: magnitude.exp };
}

function scaled(value: Exact, exp: number): bigint {
  return value.num << BigInt(value.exp - exp);
}

/**
 * Why `result` is not the correctly rounded pattern of the nonzero exact value `x`, or undefined
 * when it is: its magnitude must be no farther from |x| than either neighbouring magnitude, and
 * on a tie the even one. Overflow is the pattern just past the largest finite value (inf, or the
 * NaN code of `fn` formats), valued as the next binade would be: the policy's unbounded-exponent
 * rule.
 */
export function roundingError(format: FpFormat, x: Exact, result: number): string | undefined {
  const signBit = signBitOf(format);
  const exponentOnes = 2 ** format.exponent - 1;
  const overflowMag = format.specials === 'fn' ? policyNaN(format) : exponentOnes * 2 ** format.mantissa;
  const negative = x.num < 0n;
  let mag: number;
  if (format.specials === 'fn' && result === policyNaN(format)) mag = overflowMag;
  else {
    if ((result >= signBit) !== negative) return `sign of ${result.toString(16)} is wrong`;
    mag = result % signBit;
    if (mag > overflowMag) return `${result.toString(16)} is a NaN`;
  }
  const target: Exact = { num: negative ? -x.num : x.num, exp: x.exp };
  // One common scale below every LSB involved (format LSBs are at least 2^-1074), so all
  // distances are exact integers that compare directly.
  const commonExp = Math.min(target.exp, -1100);
  const targetScaled = scaled(target, commonExp);
  const distance = (m: number): bigint => {
    const d = scaled(extendedMagnitude(format, m), commonExp) - targetScaled;
    return d < 0n ? -d : d;
  };
  const own = distance(mag);
  for (const neighbour of [mag - 1, mag + 1]) {
    if (neighbour < 0 || neighbour > overflowMag) continue;
    const other = distance(neighbour);
    if (other < own || (other === own && mag % 2 === 1)) return `${neighbour.toString(16)} is nearer than ${mag.toString(16)}`;
  }
  return undefined;
}

export function exactSum(a: Exact, b: Exact): Exact {
  const exp = Math.min(a.exp, b.exp);
  return { num: scaled(a, exp) + scaled(b, exp), exp };
}

export function exactProduct(a: Exact, b: Exact): Exact {
  return { num: a.num * b.num, exp: a.exp + b.exp };
}

// ---- reporting ------------------------------------------------------------------------------------

/** Counts checks and keeps the first few failures, so one expect covers a whole sweep. */
export class Mismatches {
  checked = 0;
  failed = 0;
  readonly examples: string[] = [];

  check(ok: boolean, describe: () => string): void {
    this.checked++;
    if (ok) return;
    this.failed++;
    if (this.examples.length < 8) this.examples.push(describe());
  }

  /** The summary the tests compare with { failed: 0, examples: [] }. */
  get summary(): { failed: number; examples: string[] } {
    return { failed: this.failed, examples: this.examples };
  }
}

export function hex(bits: number): string {
  return `0x${bits.toString(16)}`;
}

/** A finite float64's exact value, read from its bits. */
export function exactOfFloat64(x: number): Exact {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, x);
  const word = bits.getBigUint64(0);
  const field = Number((word >> 52n) & 0x7ffn);
  const fraction = word & ((1n << 52n) - 1n);
  const magnitude = field === 0 ? fraction : fraction + (1n << 52n);
  return { num: word >> 63n === 1n ? -magnitude : magnitude, exp: Math.max(field, 1) - 1075 };
}
