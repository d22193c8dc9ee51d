// Field decoding shared by the operators: what a bit pattern means under a format, with
// subnormals already mapped onto the exponent-1 grid (or read as zero under DAZ).

import { cat, lit, type Expr } from '../../expr.js';
import { UInt } from '../../shape.js';
import { canonicalNaN, maxFiniteExponent, type FpFormat } from '../../../contracts/fp-format.js';
import { ones, zeros } from './common.js';

export interface Unpacked {
  readonly sign: Expr;
  /**
   * The biased exponent the significand's hidden-bit position has: the field, or 1 for zeros and
   * subnormals (whose hidden bit is 0). In [1, maxFiniteExponent] for finite values.
   */
  readonly exponent: Expr;
  /** Hidden bit and fraction (mantissa + 1 bits); 0 for zeros and for subnormals under DAZ. */
  readonly significand: Expr;
  readonly isZero: Expr;
  readonly isInf: Expr;
  readonly isNaN: Expr;
}

/** Decodes `value`; with `flush`, subnormal inputs read as zeros of their sign (DAZ). */
export function fpUnpack(value: Expr, format: FpFormat, flush: boolean): Unpacked {
  const { exponent: e, mantissa: m } = format;
  const sign = value.bit(e + m);
  const field = value.slice(e + m - 1, m);
  const fraction = value.slice(m - 1, 0);
  const fieldZero = field.eq(0);
  const fieldOnes = field.andR();
  // A zero field reads as exponent 1: the subnormal grid is the smallest normal binade's grid.
  const exponent = cat(field.slice(e - 1, 1), field.bit(0).or(fieldZero));
  const fractionKept = flush ? fraction.and(fieldZero.not().repeat(m)) : fraction;
  const significand = cat(fieldZero.not(), fractionKept);
  const fractionZero = fraction.eq(0);
  const isZero = flush ? fieldZero : fieldZero.and(fractionZero);
  if (format.specials === 'fn') {
    return { sign, exponent, significand, isZero, isInf: zeros(1), isNaN: fieldOnes.and(fraction.andR()) };
  }
  return { sign, exponent, significand, isZero, isInf: fieldOnes.and(fractionZero), isNaN: fieldOnes.and(fractionZero.not()) };
}

/** Static range of `Unpacked.exponent` for finite values. */
export function exponentRange(format: FpFormat): [number, number] {
  return [1, maxFiniteExponent(format)];
}

/** The canonical quiet NaN without its (zero) sign bit. */
export function nanMagnitude(format: FpFormat): Expr {
  return lit(canonicalNaN(format), UInt(format.exponent + format.mantissa));
}

/** Infinity's exponent and fraction (`ieee` formats). */
export function infMagnitude(format: FpFormat): Expr {
  return cat(ones(format.exponent), zeros(format.mantissa));
}
