// x * 2^delta (ldexp): only the exponent changes, so this is the shared normalize-and-round step
// with the exponent moved: exact unless the result overflows or lands among the subnormals, where
// it rounds to nearest even. Subnormal inputs are normalized by the same leading-zero count.

import { mux, type Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { SignMismatchError } from '../../errors.js';
import { addRanged, checkOperand, ranged, type FpOptions, type Ranged } from './common.js';
import { maxFiniteExponent, type FpFormat } from '../../../contracts/fp-format.js';
import { normalizeRound } from './round.js';
import { Stager } from './stages.js';
import { exponentRange, fpUnpack } from './unpack.js';

/** `value * 2^exponentDelta` (a constant, or a signed value), rounded to nearest even. */
export function fpScale(m: ModuleBuilder, name: string, value: Expr, exponentDelta: Expr | number, format: FpFormat, options: FpOptions = {}): Expr {
  checkOperand(value, format, `fpScale '${name}' value`);
  const flush = options.flushSubnormals ?? false;
  const stager = new Stager(m, name, options, [0.5]);
  const u = fpUnpack(value, format, flush);
  const [minExp, maxExp] = exponentRange(format);
  // Beyond these deltas every nonzero finite input overflows, or rounds to zero: clamping there
  // changes no result and keeps the exponent arithmetic narrow.
  const highest = maxFiniteExponent(format) + format.mantissa;
  const lowest = -(maxFiniteExponent(format) + format.mantissa + 2);
  let exponent: Ranged;
  let exponentOffset = 0;
  if (typeof exponentDelta === 'number') {
    if (!Number.isSafeInteger(exponentDelta)) throw new RangeError(`fpScale '${name}': delta ${exponentDelta} is not an integer`);
    exponent = ranged(u.exponent, minExp, maxExp);
    exponentOffset = Math.min(highest, Math.max(lowest, exponentDelta));
  } else {
    if (!exponentDelta.signed) throw new SignMismatchError(`fpScale '${name}': the exponent delta must be signed (SInt), got ${exponentDelta.label()}`);
    const deltaMin = -(2 ** (exponentDelta.width - 1));
    const deltaMax = 2 ** (exponentDelta.width - 1) - 1;
    let delta = exponentDelta;
    if (deltaMax > highest) delta = mux(delta.gt(highest), highest, delta);
    if (deltaMin < lowest) delta = mux(delta.lt(lowest), lowest, delta);
    const clamped = ranged(delta, Math.max(deltaMin, lowest), Math.min(deltaMax, highest));
    exponent = addRanged(ranged(u.exponent, minExp, maxExp), clamped);
  }
  const result = normalizeRound(
    { m, name, format, flush, stager, cut: 0 },
    {
      sign: u.sign,
      significand: u.significand,
      exponent,
      exponentOffset,
      maxLeadingZeros: flush ? 0 : format.mantissa,
    },
    { nan: u.isNaN, inf: u.isInf, infSign: u.sign },
  );
  return stager.output(result);
}
