// The table precompute unit for floating-point activations: the k activations are widened to FP32
// (exact), then every table entry is built with FP32 adders in one fixed order, the order
// docs/design/lut-tensor-core.md ("Floating-point activations") writes down and the golden model
// follows, so the tables are bit-exact and not merely close.
//
// Precompute in FP32 rather than in the activation format: the unit's accumulator is FP32 anyway,
// and a table kept in FP16 would round every entry a second time (a sum of four FP16 values needs
// up to 40 significand bits to be exact, FP32 rounds it once to 24).

import { type Expr, FP32, fpAdder, fpConvert, type FpFormat, fpNeg, fpWidth, lit, type ModuleBuilder, moduleGenerator, UInt, Vec } from '../../api/index.js';
import { buildTable, type TableArithmetic } from '../../contracts/fp-order.js';
import { groupSumEntry, tableEntries, type TableKind } from '../../contracts/table-kind.js';

export interface FpPrecomputeParams {
  readonly k: number;
  readonly format: FpFormat;
  readonly kind: TableKind;
}

/** Ports: `act` (k activations, bit patterns of `format`) in; `entries` and `groupSum` (FP32) out, combinational. */
export const fpTablePrecompute = moduleGenerator('lut_fp_table_precompute', (m, { k, format, kind }: FpPrecomputeParams) => {
  const act = m.input('act', Vec(k, UInt(fpWidth(format))));
  const entries = m.output('entries', Vec(tableEntries(kind, k), UInt(fpWidth(FP32))));
  const groupSum = m.output('groupSum', UInt(fpWidth(FP32)));
  const wide = act.map((a, j) => fpConvert(m, `act${j}_fp32`, a, format, FP32));
  const table = buildTable(wide, kind, fp32Arithmetic(m, 'sum'));
  table.forEach((entry, i) => entries[i]!.assign(entry));
  groupSum.assign(entries[groupSumEntry(kind, k)]!);
  return { act, entries, groupSum };
});

/**
 * FP32 adder instances named `<prefix>_<n>` in the order they are built. Instances of one adder
 * module, not inline logic: synthesis maps the adder once, where 31 inline adders (k = 6) kept
 * ABC busy for over ten minutes on one module.
 */
export function fp32Arithmetic(m: ModuleBuilder, prefix: string): TableArithmetic<Expr> {
  const adder = fpAdder({ format: FP32 });
  let count = 0;
  return {
    add: (a, b) => {
      const instance = m.instance(adder, `${prefix}_${count++}`);
      instance.io.a.assign(a);
      instance.io.b.assign(b);
      return instance.io.out;
    },
    neg: (a) => fpNeg(a, FP32),
    zero: lit(0, UInt(fpWidth(FP32))),
  };
}
