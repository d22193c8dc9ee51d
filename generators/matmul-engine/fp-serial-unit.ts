// The LUT unit for floating-point activations: the same lookup as the integer unit (an AND-OR over
// the one-hot pick, a sign flip by the top bit, row sums on correction beats), feeding one FP32
// adder and accumulator instead of an integer one. Negation is a flip of the sign bit, exact in
// IEEE arithmetic, so the symmetric table costs nothing extra here either.
//
// The accumulator starts a tile by adding its first term to -0, which returns the term itself
// (-0 + x = x for every x, +0 included), so there is no separate load path; a stall holds the
// register through its enable.

import { Bool, cat, type Expr, FP32, fpAdder, fpWidth, lit, moduleGenerator, mux, UInt, Vec } from '../../api/index.js';
import { pickWidth } from './serial-unit.js';
import { tableEntries, type TableKind } from '../../contracts/table-kind.js';

export interface FpSerialUnitParams {
  readonly k: number;
  readonly table: TableKind;
}

const WORD = fpWidth(FP32);
const SIGN = 1n << BigInt(WORD - 1);

/** -0 in FP32: the additive identity for every value, +0 included. */
export const FP32_NEGATIVE_ZERO = SIGN;

/**
 * Ports: `entries` (the row's FP32 table, already scaled by the plane), `rowSum` (likewise), the
 * column's `pick` (one-hot) and `top` bit, `correct`, `first`, `step`; `acc` (FP32) out.
 */
export const fpSerialUnit = moduleGenerator('fp_serial_unit', (m, params: FpSerialUnitParams) => {
  const { k, table } = params;
  const entries = m.input('entries', Vec(tableEntries(table, k), UInt(WORD)));
  const rowSum = m.input('rowSum', UInt(WORD));
  const pick = m.input('pick', UInt(pickWidth(params)));
  const top = m.input('top', Bool);
  const correct = m.input('correct', Bool);
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', UInt(WORD));

  const picked = entries.map((entry, j) => gate(entry, pick.bit(j))).reduce((all, next) => all.or(next));
  // {-1,+1} units add +-S by the correction bit; {0,1} units add -S where it is set and -0 (no
  // change) where it is not.
  const signedRead = table !== 'unsigned';
  const correction = signedRead ? rowSum : gate(rowSum, top);
  const chosen = mux(correct, correction, picked);
  const lookupNegate = table === 'symmetric' ? top.not() : lit(0, Bool);
  const negate = m.node('negate', signedRead ? mux(correct, top.not(), lookupNegate) : correct);
  const term = m.node('term', cat(chosen.bit(WORD - 1).xor(negate), chosen.slice(WORD - 2, 0)));

  const sum = m.reg('sum', UInt(WORD), { enable: step });
  const base = mux(first, lit(FP32_NEGATIVE_ZERO, UInt(WORD)), sum);
  const adder = m.instance(fpAdder({ format: FP32 }), 'adder');
  adder.io.a.assign(base);
  adder.io.b.assign(term);
  sum.assign(adder.io.out);
  acc.assign(sum);
  return { entries, rowSum, pick, top, correct, first, step, acc };
});

/** `value` where `enable` is high, else zero. */
function gate(value: Expr, enable: Expr): Expr {
  return value.and(enable.repeat(value.width));
}
