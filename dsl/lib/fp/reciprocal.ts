// 1/x for FP32: the significand s in [1, 2) (subnormals normalized first) gets a 10-bit seed of
// 1/s from a 128-entry table, then two Newton-Raphson steps y' = y + y(1 - s y) in fixed point,
// each keeping only the bits its error needs (the correction term 1 - s y is small, so its
// product with y is narrow). One rounding at the end; the result is within 0.523 ulp of 1/x
// (docs/design/floating-point.md). The golden model restates the same steps in integers:
// golden/softfloat/functions.ts.

import { lit, mux, type Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { UInt } from '../../shape.js';
import { ranged, subRanged, type FpOptions } from './common.js';
import type { FpFormat } from '../../../contracts/fp-format.js';
import { constantTable, normalizeSignificand, fp32Operand, signed } from './fixed.js';
import { normalizeRound } from './round.js';
import { Stager } from './stages.js';

/** Seed i (fraction bits 22..16 of s): 2^18 / (segment midpoint x 2^8), rounded half up, i.e. 1/s in units of 2^-10. */
const SEEDS: readonly bigint[] = Array.from({ length: 128 }, (_, i) => {
  const midpoint = 257n + 2n * BigInt(i);
  return ((1n << 19n) + midpoint) / (2n * midpoint);
});

/** 1/a rounded to nearest even from a 30-bit approximation (FP32 only). */
export function fpReciprocal(m: ModuleBuilder, name: string, a: Expr, format: FpFormat, options: FpOptions = {}): Expr {
  const flush = options.flushSubnormals ?? false;
  const stager = new Stager(m, name, options, [0.5, 0.85]);
  const u = fp32Operand(a, format, 'fpReciprocal', name, flush);
  const normalized = normalizeSignificand(m, name, u.significand, flush);
  const s = normalized.significand; // 24 bits, units of 2^-23

  // Step 1: y0 in units of 2^-10, error e0 = 1 - s y0 (|e0| < 2^-7.7) kept in units of 2^-24.
  const y0 = m.node(`${name}_seed`, constantTable(s.slice(22, 16), SEEDS, 10));
  const e0 = m.node(`${name}_e0`, lit(1n << 33n, UInt(34)).sub(s.mul(y0)).asSigned().shr(9).trunc(19));
  const y1 = m.node(`${name}_y1`, signed(y0).shl(10).add(signed(y0).mul(e0).shr(14)).trunc(21).asUnsigned());
  const s1 = stager.cut(0, { s, y1, lz: normalized.shift, exponent: u.exponent, sign: u.sign, nan: u.isNaN, inf: u.isZero, zero: u.isInf });

  // Step 2: y1 in units of 2^-20, e1 = 1 - s y1 (|e1| < 2^-15) in units of 2^-32; y2 in units of 2^-30.
  const e1 = m.node(`${name}_e1`, lit(1n << 43n, UInt(44)).sub(s1.s.mul(s1.y1)).asSigned().shr(11).trunc(19));
  const y2 = m.node(`${name}_y2`, signed(s1.y1).shl(10).add(signed(s1.y1).mul(e1).shr(22)).trunc(31).asUnsigned());

  // 1/x = y2 2^-30 2^-(E - 127 - lz): the MSB of the 31-bit y2 has biased exponent 254 - E + lz.
  const exponent = subRanged(ranged(s1.lz, 0, flush ? 0 : 23), ranged(s1.exponent, 1, 254));
  const result = normalizeRound(
    { m, name, format, flush, stager, cut: 1 },
    { sign: s1.sign, significand: mux(s1.zero, 0, y2), exponent, exponentOffset: 254 },
    { nan: s1.nan, inf: s1.inf, infSign: s1.sign },
  );
  return stager.output(result);
}
