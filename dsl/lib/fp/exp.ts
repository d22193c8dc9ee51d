// e^x for FP32 by range reduction to a power of two: t = x log2(e) in fixed point (32 fraction
// bits, from the 24-bit significand times a 40-bit log2(e), shifted by the exponent), split into
// an integer n and a fraction f = i/256 + r. 2^(i/256) comes from a 256-entry table, 2^r = e^u
// with u = r ln2 < 2^-8.5 from 1 + u + u^2/2 + u^3/6, and their product, scaled by 2^n, is
// rounded once (into the subnormals, or to +inf, as it falls). |x| >= 128 overflows or
// underflows outright. The result is within 0.519 ulp of e^x (docs/design/floating-point.md).
// The golden model restates the same steps in integers: golden/softfloat/functions.ts.

import { lit, mux, type Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { UInt } from '../../shape.js';
import { ranged, zeros, type FpOptions } from './common.js';
import type { FpFormat } from '../../../contracts/fp-format.js';
import { constantTable, fp32Operand, signed } from './fixed.js';
import { normalizeRound } from './round.js';
import { Stager } from './stages.js';

/** log2(e) in units of 2^-39 (40 bits), and ln(2) in units of 2^-32. */
const LOG2E = BigInt(Math.round(Math.LOG2E * 2 ** 39));
const LN2 = BigInt(Math.round(Math.LN2 * 2 ** 32));
/** 2^(i/256) in units of 2^-31, rounded. */
const POWERS: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(Math.round(2 ** (i / 256) * 2 ** 31)));

/** e^a rounded to nearest even from a 31-bit approximation (FP32 only). */
export function fpExp(m: ModuleBuilder, name: string, a: Expr, format: FpFormat, options: FpOptions = {}): Expr {
  const flush = options.flushSubnormals ?? false;
  const stager = new Stager(m, name, options, [0.4, 0.85]);
  const u = fp32Operand(a, format, 'fpExp', name, flush);

  // |x| log2(e) = s L 2^(E - 150 - 39); in units of 2^-32 that is (s L) >> (157 - E), under 2^40
  // for E <= 133 (|x| < 128). Larger exponents overflow or underflow below, whatever t says.
  const product = m.node(`${name}_product`, u.significand.mul(lit(LOG2E, UInt(40))));
  const distance = lit(133n, UInt(8)).sub(u.exponent).trunc(8);
  const magnitude = m.node(`${name}_t`, product.shr(24).shr(distance));
  const t = m.node(`${name}_t_signed`, mux(u.sign, magnitude.neg(), signed(magnitude)));
  const huge = u.isInf.or(u.exponent.gt(133));
  const s1 = stager.cut(0, { t, sign: u.sign, nan: u.isNaN, huge });

  // t = n + i/256 + r, r < 2^-8 in units of 2^-32.
  const n = s1.t.shr(32);
  const fraction = s1.t.slice(31, 0);
  const power = m.node(`${name}_power`, constantTable(fraction.slice(31, 24), POWERS, 32));
  const scaled = m.node(`${name}_u`, fraction.slice(23, 0).mul(lit(LN2, UInt(32))).shr(32));
  // e^u - 1 = u + u^2/2 + u^3/6 in units of 2^-32, each term from as few bits as its size needs:
  // u^2/2 < 2^14 from the top 16 bits of u, u^3/6 < 2^4 from 7 and 8 bits, 1/3 taken as 85/256.
  const high = scaled.shr(8);
  const square = m.node(`${name}_square`, high.mul(high).shr(17));
  const cube = square.shr(7).mul(scaled.shr(16)).mul(lit(85n, UInt(7))).shr(17);
  const excess = m.node(`${name}_excess`, scaled.add(square).add(cube));
  const significand = m.node(`${name}_significand`, power.add(power.mul(excess).shr(32)));

  // e^x = significand 2^-31 2^n: the MSB of the 33-bit significand has biased exponent n + 128.
  const result = normalizeRound(
    { m, name, format, flush, stager, cut: 1 },
    {
      sign: zeros(1),
      significand: mux(s1.huge.and(s1.sign), 0, significand),
      exponent: ranged(n, -256, 255),
      exponentOffset: 128,
      maxLeadingZeros: 1,
    },
    { nan: s1.nan, inf: s1.huge.and(s1.sign.not()), infSign: zeros(1) },
  );
  return stager.output(result);
}
