// 1/sqrt(x) for FP32: x = s 2^e with the exponent made even by doubling s when e is odd, so s is
// in [1, 4) and 1/sqrt(x) = (1/sqrt(s)) 2^(-e/2). A 128-entry table (indexed by that parity and 6
// fraction bits) seeds 1/sqrt(s) to 10 bits, then two Newton-Raphson steps y' = y + y(1 - s y^2)/2
// in fixed point and one rounding; the result is within 0.531 ulp of 1/sqrt(x)
// (docs/design/floating-point.md). The golden model restates the same steps in integers:
// golden/softfloat/functions.ts.

import { cat, lit, mux, type Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { UInt } from '../../shape.js';
import { addRanged, constant, ranged, subRanged, type FpOptions } from './common.js';
import type { FpFormat } from '../../../contracts/fp-format.js';
import { constantTable, normalizeSignificand, fp32Operand, signed } from './fixed.js';
import { normalizeRound } from './round.js';
import { Stager } from './stages.js';

/**
 * Seed {odd, j}: 1/sqrt of the midpoint of s in [1 + j/64, 1 + (j+1)/64) (doubled when the
 * exponent is odd), in units of 2^-10: the rounded half of the integer square root of
 * 2^29 / (2j + 129) (or 2^28 / ...).
 */
const SEEDS: readonly bigint[] = Array.from({ length: 128 }, (_, index) => {
  const odd = index >= 64 ? 1n : 0n;
  const quotient = (1n << (29n - odd)) / (129n + 2n * BigInt(index % 64));
  return (integerSqrt(quotient) + 1n) >> 1n;
});

function integerSqrt(n: bigint): bigint {
  // Newton's iteration from above settles on floor(sqrt(n)).
  let x = n;
  let y = (x + 1n) >> 1n;
  while (y < x) {
    x = y;
    y = (x + n / x) >> 1n;
  }
  return x;
}

/** 1/sqrt(a) rounded to nearest even from a 30-bit approximation (FP32 only). */
export function fpRsqrt(m: ModuleBuilder, name: string, a: Expr, format: FpFormat, options: FpOptions = {}): Expr {
  const flush = options.flushSubnormals ?? false;
  const stager = new Stager(m, name, options, [0.5, 0.85]);
  const u = fp32Operand(a, format, 'fpRsqrt', name, flush);
  const normalized = normalizeSignificand(m, name, u.significand, flush);
  const s = normalized.significand; // 24 bits, units of 2^-23
  // x = s 2^(E - 127 - lz): the exponent is odd when E + 127 - lz is, i.e. when E and lz have equal parity.
  const lz = ranged(normalized.shift, 0, flush ? 0 : 23);
  const biased = subRanged(addRanged(ranged(u.exponent, 1, 254), 127), lz);
  const odd = m.node(`${name}_odd`, biased.value.bit(0));
  const scaled = m.node(`${name}_scaled`, mux(odd, cat(s, lit(0n, UInt(1))), s.zext(25))); // units of 2^-23, in [1, 4)

  // Step 1: y0 in units of 2^-10; e0 = 1 - s y0^2 (|e0| < 2^-6.7) in units of 2^-24.
  const y0 = m.node(`${name}_seed`, constantTable(cat(odd, s.slice(22, 17)), SEEDS, 10));
  const e0 = m.node(`${name}_e0`, lit(1n << 43n, UInt(44)).sub(scaled.mul(y0).mul(y0)).asSigned().shr(19).trunc(20));
  const y1 = m.node(`${name}_y1`, signed(y0).shl(10).add(signed(y0).mul(e0).shr(15)).trunc(21).asUnsigned());
  const s1 = stager.cut(0, { scaled, y1, half: biased.value.shr(1), sign: u.sign, isZero: u.isZero, isInf: u.isInf, isNaN: u.isNaN });

  // Step 2: s y1 cut to units of 2^-32 before the second product; e1 = 1 - s y1^2 (|e1| < 2^-13.6)
  // in units of 2^-33; y2 in units of 2^-30.
  const root = m.node(`${name}_root`, s1.scaled.mul(s1.y1).shr(11));
  const e1 = m.node(`${name}_e1`, lit(1n << 52n, UInt(53)).sub(root.mul(s1.y1)).asSigned().shr(19).trunc(22));
  const y2 = m.node(`${name}_y2`, signed(s1.y1).shl(10).add(signed(s1.y1).mul(e1).shr(24)).trunc(31).asUnsigned());

  // 1/sqrt(x) = y2 2^-30 2^-(E - 127 - lz - odd)/2: the MSB of the 31-bit y2 has biased exponent
  // 254 - floor((E + 127 - lz) / 2), in [64, 202].
  const exponent = subRanged(ranged(constant(254, 8), 254, 254), ranged(s1.half, 52, 190));
  const result = normalizeRound(
    { m, name, format, flush, stager, cut: 1 },
    { sign: s1.isZero.and(s1.sign), significand: mux(s1.isInf, 0, y2), exponent },
    // Negative nonzero values (-inf included) have no real square root; -0 gives -inf.
    { nan: s1.isNaN.or(s1.sign.and(s1.isZero.not())), inf: s1.isZero, infSign: s1.sign },
  );
  return stager.output(result);
}
