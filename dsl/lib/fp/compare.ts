// Sign flip and ordering: plain logic on the patterns, nothing to round. Patterns without their
// sign order like their magnitudes, so one magnitude compare and an equality decide everything.

import { cat, mux, type Expr } from '../../expr.js';
import { checkOperand } from './common.js';
import type { FpFormat } from '../../../contracts/fp-format.js';
import { fpUnpack } from './unpack.js';

/** IEEE 754 negate: flips the sign bit only (NaNs keep their payload). */
export function fpNeg(value: Expr, format: FpFormat): Expr {
  checkOperand(value, format, 'fpNeg value');
  const top = value.width - 1;
  return cat(value.bit(top).not(), value.slice(top - 1, 0));
}

export interface FpOrdering {
  readonly lt: Expr;
  readonly eq: Expr;
  readonly gt: Expr;
  /** A NaN operand: then lt, eq and gt are all low. */
  readonly unordered: Expr;
}

/** Numeric comparison: -0 equals +0, a NaN is unordered with everything. */
export function fpCompare(a: Expr, b: Expr, format: FpFormat): FpOrdering {
  checkOperand(a, format, 'fpCompare operand a');
  checkOperand(b, format, 'fpCompare operand b');
  const top = a.width - 1;
  const magA = a.slice(top - 1, 0);
  const magB = b.slice(top - 1, 0);
  const signA = a.bit(top);
  const signB = b.bit(top);
  const unordered = fpUnpack(a, format, false).isNaN.or(fpUnpack(b, format, false).isNaN);
  const ordered = unordered.not();
  const bothZero = magA.or(magB).eq(0);
  const magLess = magA.lt(magB);
  const magEqual = magA.eq(magB);
  const magGreater = magLess.or(magEqual).not();
  const sameSign = signA.xor(signB).not();
  const eq = ordered.and(bothZero.or(magEqual.and(sameSign)));
  // Signs differ: the negative one is smaller unless both are zeros. Same sign: the magnitudes
  // decide, reversed for negatives.
  const lessIfSameSign = mux(signA, magGreater, magLess);
  const lt = ordered.and(mux(sameSign, lessIfSameSign, signA.and(bothZero.not())));
  const gt = ordered.and(eq.or(lt).not());
  return { lt, eq, gt, unordered };
}
