// Floating-point addition, single path: order the operands by magnitude (one compare of the
// patterns, which order like magnitudes), align the smaller with a sticky right shift, add or
// subtract in one adder, then normalize and round once. Three extra bits below the significand
// (guard, round, sticky) keep the rounding exact: when the exponents differ by 2 or more the
// cancellation is at most one bit, and when they differ by less nothing is shifted out.

import { cat, mux, type Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { checkOperand, constant, ranged, subRanged, zeros, type FpOptions } from './common.js';
import type { FpFormat } from '../../../contracts/fp-format.js';
import { normalizeRound } from './round.js';
import { shiftRightSticky } from './shift.js';
import { Stager } from './stages.js';
import { exponentRange, fpUnpack } from './unpack.js';

const EXTRA_BITS = 3;

/** a + b, rounded to nearest even. */
export function fpAdd(m: ModuleBuilder, name: string, a: Expr, b: Expr, format: FpFormat, options: FpOptions = {}): Expr {
  checkOperand(a, format, `fpAdd '${name}' operand a`);
  checkOperand(b, format, `fpAdd '${name}' operand b`);
  const flush = options.flushSubnormals ?? false;
  // Cut positions from the FP32 adder's measured depth: after alignment, after the sum, after normalization.
  const stager = new Stager(m, name, options, [0.3, 0.68, 0.81]);
  const { exponent: e, mantissa } = format;
  const p = mantissa + 1;
  const ua = fpUnpack(a, format, flush);
  const ub = fpUnpack(b, format, flush);

  // Which operand is larger, from the exponent difference and a significand compare that run side
  // by side (rather than one compare of the whole patterns, whose carry chain is as long as both).
  const [minExp, maxExp] = exponentRange(format);
  const expA = ranged(ua.exponent, minExp, maxExp);
  const expB = ranged(ub.exponent, minExp, maxExp);
  const aMinusB = subRanged(expA, expB).value;
  const bMinusA = subRanged(expB, expA).value;
  const aExpAbove = aMinusB.gt(0);
  const sameExp = ua.exponent.eq(ub.exponent);
  const aLarger = m.node(`${name}_a_larger`, aExpAbove.or(sameExp.and(ua.significand.ge(ub.significand))));
  const largeExponent = m.node(`${name}_large_exp`, mux(aLarger, ua.exponent, ub.exponent));
  const largeSignificand = mux(aLarger, ua.significand, ub.significand);
  const smallSignificand = mux(aLarger, ub.significand, ua.significand);
  // |expA - expB|: picked by the exponent order alone, so it does not wait for the significand compare.
  const distance = m.node(`${name}_distance`, mux(aMinusB.lt(0), bMinusA, aMinusB).asUnsigned().trunc(e));
  const shifted = shiftRightSticky(cat(smallSignificand, zeros(EXTRA_BITS)), distance);
  // The bits shifted out only matter as "something below": folded into the LSB they make the
  // subtraction borrow exactly as the full-width difference would.
  const aligned = m.node(`${name}_aligned`, cat(shifted.value.slice(p + EXTRA_BITS - 1, 1), shifted.value.bit(0).or(shifted.sticky)));

  const s1 = stager.cut(0, {
    subtract: ua.sign.xor(ub.sign),
    largeSign: mux(aLarger, ua.sign, ub.sign),
    largeExponent,
    largeSignificand,
    aligned,
    nan: ua.isNaN.or(ub.isNaN).or(ua.isInf.and(ub.isInf).and(ua.sign.xor(ub.sign))),
    inf: ua.isInf.or(ub.isInf),
    infSign: mux(ua.isInf, ua.sign, ub.sign),
    // An exact zero sum is +0 unless both addends are -0 (IEEE 754 round to nearest).
    zeroSign: ua.sign.and(ub.sign),
  });

  // large - small as large + ~small + 1 in one adder: the +1 enters through an extra low bit.
  const sumBits = p + EXTRA_BITS + 1;
  const large = cat(s1.largeSignificand, zeros(EXTRA_BITS)).zext(sumBits);
  const small = s1.aligned.zext(sumBits).xor(s1.subtract.repeat(sumBits));
  const sum = m.node(`${name}_sum`, cat(large, constant(1, 1)).addWrap(cat(small, s1.subtract)).slice(sumBits, 1));

  // Only what normalization needs crosses this cut (a register per bit when it is a stage).
  const s2 = stager.cut(1, {
    sum,
    largeSign: s1.largeSign,
    largeExponent: s1.largeExponent,
    nan: s1.nan,
    inf: s1.inf,
    infSign: s1.infSign,
    zeroSign: s1.zeroSign,
  });
  // The sum's MSB sits one above the larger operand's hidden bit.
  const result = normalizeRound(
    { m, name, format, flush, stager, cut: 2 },
    { sign: s2.largeSign, significand: s2.sum, exponent: ranged(s2.largeExponent, minExp, maxExp), exponentOffset: 1 },
    { nan: s2.nan, inf: s2.inf, infSign: s2.infSign, zeroSign: s2.zeroSign },
  );
  return stager.output(result);
}
