// The MAC unit for floating-point activations: k multipliers (activation format x activation
// format, each product rounded once to FP32; exact for FP16 and FP8, BF16 products can round in
// FP32's subnormal range), their pairwise FP32 sum, and an FP32 accumulator. The order is
// docs/design/lut-tensor-core.md's (`pairwiseSum`), which the golden model follows bit for bit.

import { Bool, type Expr, FP32, fpAdder, type FpFormat, fpMultiplier, fpWidth, lit, moduleGenerator, mux, UInt, Vec } from '../../api/index.js';
import { pairwiseSum } from '../../contracts/fp-order.js';
import { FP32_NEGATIVE_ZERO } from './fp-serial-unit.js';

export interface FpMacUnitParams {
  readonly k: number;
  readonly format: FpFormat;
}

const WORD = fpWidth(FP32);

/** Ports: `act`, `weights` (k values each, bit patterns of `format`), `first`, `step`; `acc` (FP32). */
export const fpMacUnit = moduleGenerator('fp_mac_unit', (m, { k, format }: FpMacUnitParams) => {
  const act = m.input('act', Vec(k, UInt(fpWidth(format))));
  const weights = m.input('weights', Vec(k, UInt(fpWidth(format))));
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', UInt(WORD));

  const multiplier = fpMultiplier({ a: format, b: format, out: FP32 });
  const adder = fpAdder({ format: FP32 });
  let adders = 0;
  const add = (a: Expr, b: Expr): Expr => {
    const instance = m.instance(adder, `add_${adders++}`);
    instance.io.a.assign(a);
    instance.io.b.assign(b);
    return instance.io.out;
  };
  const products = act.map((a, j) => {
    const instance = m.instance(multiplier, `mul_${j}`);
    instance.io.a.assign(a);
    instance.io.b.assign(weights[j]!);
    return instance.io.out;
  });
  const dot = m.node('dot', pairwiseSum(products, add));
  const sum = m.reg('sum', UInt(WORD), { enable: step });
  // The first group adds to -0, which returns the dot product itself.
  sum.assign(add(mux(first, lit(FP32_NEGATIVE_ZERO, UInt(WORD)), sum), dot));
  acc.assign(sum);
  return { act, weights, first, step, acc };
});
