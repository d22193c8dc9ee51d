// Conversions into a floating-point format: from another format (exact when widening, rounded once
// when narrowing; subnormal inputs are normalized by the shared leading-zero count) and from
// integers of any width and signedness.

import { mux, type Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { checkOperand, ranged, zeros, type FpOptions } from './common.js';
import { checkFormat, fpBias, type FpFormat } from '../../../contracts/fp-format.js';
import { normalizeRound } from './round.js';
import { Stager } from './stages.js';
import { exponentRange, fpUnpack } from './unpack.js';

/** `value` (a `from` bit pattern) rounded to nearest even into `to`. */
export function fpConvert(m: ModuleBuilder, name: string, value: Expr, from: FpFormat, to: FpFormat, options: FpOptions = {}): Expr {
  checkOperand(value, from, `fpConvert '${name}' value`);
  checkFormat(to);
  const flush = options.flushSubnormals ?? false;
  const stager = new Stager(m, name, options, [0.5]);
  const u = fpUnpack(value, from, flush);
  const [minExp, maxExp] = exponentRange(from);
  const result = normalizeRound(
    { m, name, format: to, flush, stager, cut: 0 },
    {
      sign: u.sign,
      significand: u.significand,
      exponent: ranged(u.exponent, minExp, maxExp),
      exponentOffset: fpBias(to) - fpBias(from),
      // Only a subnormal input has leading zeros, and under DAZ there are none.
      maxLeadingZeros: flush ? 0 : from.mantissa,
    },
    { nan: u.isNaN, inf: u.isInf, infSign: u.sign },
  );
  return stager.output(result);
}

/** An integer (SInt or UInt of any width) rounded to nearest even into `format`; 0 gives +0. */
export function fpFromInt(m: ModuleBuilder, name: string, value: Expr, format: FpFormat, options: FpOptions = {}): Expr {
  checkFormat(format);
  const flush = options.flushSubnormals ?? false;
  const stager = new Stager(m, name, options, [0.3, 0.65]);
  const width = value.width;
  const sign = value.signed ? value.msb() : zeros(1);
  // |value| fits `width` unsigned bits, the most negative value included.
  const magnitude = value.signed ? m.node(`${name}_magnitude`, mux(sign, value.neg().trunc(width).asUnsigned(), value.asUnsigned())) : value;
  const s1 = stager.cut(0, { sign, magnitude });
  const never = zeros(1);
  const result = normalizeRound(
    { m, name, format, flush, stager, cut: 1 },
    {
      sign: s1.sign,
      significand: s1.magnitude,
      exponent: ranged(zeros(1), 0, 0),
      exponentOffset: fpBias(format) + width - 1,
    },
    { nan: never, inf: never, infSign: never },
  );
  return stager.output(result);
}

