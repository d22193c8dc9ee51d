// Floating-point multiplication with operands and result in any formats: the exact product of the
// two significands is rounded once into the output format. Subnormal operands are not normalized
// first; the product's leading zeros are counted once, by the normalizer every operator shares.

import type { Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { addRanged, checkOperand, ranged, type FpOptions } from './common.js';
import { checkFormat, fpBias, type FpFormat } from '../../../contracts/fp-format.js';
import { normalizeRound } from './round.js';
import { Stager } from './stages.js';
import { exponentRange, fpUnpack } from './unpack.js';

export interface FpMulFormats {
  readonly a: FpFormat;
  readonly b: FpFormat;
  readonly out: FpFormat;
}

/** a x b rounded once, to nearest even, into `formats.out`. */
export function fpMul(m: ModuleBuilder, name: string, a: Expr, b: Expr, formats: FpMulFormats, options: FpOptions = {}): Expr {
  checkOperand(a, formats.a, `fpMul '${name}' operand a`);
  checkOperand(b, formats.b, `fpMul '${name}' operand b`);
  checkFormat(formats.out);
  const flush = options.flushSubnormals ?? false;
  // Cut positions from the FP16 x FP16 -> FP32 multiplier's measured depth: after the product, after normalization.
  const stager = new Stager(m, name, options, [0.73, 0.9]);
  const ua = fpUnpack(a, formats.a, flush);
  const ub = fpUnpack(b, formats.b, flush);

  const product = m.node(`${name}_product`, ua.significand.mul(ub.significand));
  const [aMin, aMax] = exponentRange(formats.a);
  const [bMin, bMax] = exponentRange(formats.b);
  const exponentSum = m.node(`${name}_exp_sum`, addRanged(ranged(ua.exponent, aMin, aMax), ranged(ub.exponent, bMin, bMax)).value);
  const sign = ua.sign.xor(ub.sign);
  const s1 = stager.cut(0, {
    product,
    exponentSum,
    sign,
    nan: ua.isNaN.or(ub.isNaN).or(ua.isInf.and(ub.isZero)).or(ub.isInf.and(ua.isZero)),
    inf: ua.isInf.or(ub.isInf),
  });

  // Significands in [1, 2) multiply to [1, 4): the product's MSB has weight 2^1, hence the + 1.
  const offset = fpBias(formats.out) - fpBias(formats.a) - fpBias(formats.b) + 1;
  // Without subnormal operands (flushed) the product of two normal significands has at most one leading zero.
  const result = normalizeRound(
    { m, name, format: formats.out, flush, stager, cut: 1 },
    {
      sign: s1.sign,
      significand: s1.product,
      exponent: ranged(s1.exponentSum, aMin + bMin, aMax + bMax),
      exponentOffset: offset,
      ...(flush ? { maxLeadingZeros: 1 } : {}),
    },
    { nan: s1.nan, inf: s1.inf, infSign: s1.sign },
  );
  return stager.output(result);
}
