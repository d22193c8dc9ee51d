// Floating-point formats: the one description the hardware operators (dsl/lib/fp) and the golden
// soft-float (golden/softfloat) both read, so they can never disagree on what a bit means.
//
// Policy, shared by hardware and golden (the README's "Floating point" section says the same):
// - Rounding is to nearest, ties to even, everywhere a result does not fit.
// - Subnormals are inputs and results like any other value (gradual underflow). With
//   `flushSubnormals`, an operator reads subnormal inputs as zero of the same sign and writes a
//   zero of the result's sign where the rounded result would be subnormal (FTZ and DAZ together).
// - `ieee` formats: the all-ones exponent holds infinities (mantissa 0) and NaNs. Overflow gives
//   an infinity of the result's sign.
// - `fn` formats (finite, OCP FP8 E4M3): no infinities; only the all-ones exponent with an all-ones
//   mantissa is NaN, the other all-ones-exponent codes are normal numbers (E4M3's largest is 448).
//   Overflow gives NaN, the OCP specification's non-saturating conversion, and an infinity
//   converted into an `fn` format is NaN too.
// - Every NaN an operator produces is the canonical quiet NaN: sign 0, exponent all ones, mantissa
//   MSB set and the rest 0 (`ieee`), or the single NaN code with sign 0 (`fn`). A NaN input gives
//   the canonical NaN (no payload propagation); invalid operations (inf - inf, 0 x inf) give it too.
// - Negation only flips the sign bit (IEEE 754 negate, so it does not canonicalize NaNs).
// - An exact zero sum is +0, except (-0) + (-0) = -0; a product's sign is the XOR of the signs.

export type FpSpecials = 'ieee' | 'fn';

export interface FpFormat {
  /** Short name used in configs, module names and messages (`fp16`). */
  readonly name: string;
  /** Exponent field bits (bias 2^(exponent-1) - 1). */
  readonly exponent: number;
  /** Stored fraction bits (the significand has one more, hidden, bit). */
  readonly mantissa: number;
  readonly specials: FpSpecials;
}

export const FP32: FpFormat = { name: 'fp32', exponent: 8, mantissa: 23, specials: 'ieee' };
export const FP16: FpFormat = { name: 'fp16', exponent: 5, mantissa: 10, specials: 'ieee' };
export const BF16: FpFormat = { name: 'bf16', exponent: 8, mantissa: 7, specials: 'ieee' };
export const FP8_E4M3: FpFormat = { name: 'fp8e4m3', exponent: 4, mantissa: 3, specials: 'fn' };
export const FP8_E5M2: FpFormat = { name: 'fp8e5m2', exponent: 5, mantissa: 2, specials: 'ieee' };

/** A format with any exponent/mantissa split (checked). */
export function fpFormat(exponent: number, mantissa: number, specials: FpSpecials = 'ieee', name?: string): FpFormat {
  const format = { name: name ?? `e${exponent}m${mantissa}${specials === 'fn' ? 'fn' : ''}`, exponent, mantissa, specials };
  checkFormat(format);
  return format;
}

/** Limits: the exponent needs 2 bits at least, an `fn` format's NaN code needs a mantissa bit. */
export function checkFormat(format: FpFormat): void {
  const { exponent, mantissa, specials } = format;
  if (!Number.isInteger(exponent) || exponent < 2 || exponent > 11) {
    throw new RangeError(`${format.name}: exponent bits must be an integer in 2..11, got ${exponent}`);
  }
  if (!Number.isInteger(mantissa) || mantissa < 1 || mantissa > 52) {
    throw new RangeError(`${format.name}: mantissa bits must be an integer in 1..52, got ${mantissa}`);
  }
  if (specials !== 'ieee' && specials !== 'fn') throw new RangeError(`${format.name}: specials must be 'ieee' or 'fn'`);
}

/** Total bits of a value: sign, exponent, mantissa. */
export function fpWidth(format: FpFormat): number {
  return 1 + format.exponent + format.mantissa;
}

export function fpBias(format: FpFormat): number {
  return 2 ** (format.exponent - 1) - 1;
}

/** The largest biased exponent a finite value can have. */
export function maxFiniteExponent(format: FpFormat): number {
  const allOnes = 2 ** format.exponent - 1;
  return format.specials === 'ieee' ? allOnes - 1 : allOnes;
}

/** The canonical quiet NaN's bit pattern. */
export function canonicalNaN(format: FpFormat): bigint {
  const exponentOnes = (1n << BigInt(format.exponent)) - 1n;
  const mantissa = format.specials === 'ieee' ? 1n << BigInt(format.mantissa - 1) : (1n << BigInt(format.mantissa)) - 1n;
  return (exponentOnes << BigInt(format.mantissa)) | mantissa;
}
