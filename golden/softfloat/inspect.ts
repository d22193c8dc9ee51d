// The non-arithmetic operations: reading a pattern's value, negation, comparison, NaN test. All
// work on the pattern's fields; none rounds.

import type { FpFormat } from '../../contracts/fp-format.js';
import { checkBits, constantsOf, exactPow2, lsbExponentOf, significandOf } from './core.js';

/**
 * The pattern's exact value as a float64: NaN, ±Infinity and -0 kept. Exact for every supported
 * format except an `fn` format with 11 exponent bits, whose top binade lies beyond float64's
 * range and decodes to ±Infinity.
 */
export function fpDecode(format: FpFormat, bits: number): number {
  const c = constantsOf(format);
  checkBits(c, bits);
  const negative = bits >= c.signBit;
  const mag = negative ? bits - c.signBit : bits;
  if (mag >= c.nanMagMin) return NaN;
  if (mag === c.infMag) return negative ? -Infinity : Infinity;
  // significand < 2^30 times an exact power of two: one exact float64 product.
  const value = significandOf(c, mag) * exactPow2(lsbExponentOf(c, mag));
  return negative ? -value : value;
}

/** Flips the sign bit and nothing else, NaNs included (IEEE 754 negate). */
export function fpNeg(format: FpFormat, bits: number): number {
  const c = constantsOf(format);
  checkBits(c, bits);
  return bits >= c.signBit ? bits - c.signBit : bits + c.signBit;
}

export type FpOrder = 'lt' | 'eq' | 'gt' | 'unordered';

/** Numeric order of two patterns: -0 equals +0, anything against a NaN is unordered. */
export function fpCompare(format: FpFormat, a: number, b: number): FpOrder {
  const c = constantsOf(format);
  checkBits(c, a);
  checkBits(c, b);
  const magA = a >= c.signBit ? a - c.signBit : a;
  const magB = b >= c.signBit ? b - c.signBit : b;
  if (magA >= c.nanMagMin || magB >= c.nanMagMin) return 'unordered';
  // Magnitude patterns order like magnitudes, so a signed magnitude orders like the value
  // (and -0 vs 0 compares equal).
  const keyA = a >= c.signBit ? -magA : magA;
  const keyB = b >= c.signBit ? -magB : magB;
  return keyA < keyB ? 'lt' : keyA > keyB ? 'gt' : 'eq';
}

export function fpIsNaN(format: FpFormat, bits: number): boolean {
  const c = constantsOf(format);
  checkBits(c, bits);
  const mag = bits >= c.signBit ? bits - c.signBit : bits;
  return mag >= c.nanMagMin;
}
