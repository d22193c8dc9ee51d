// One dot-product unit of the array: each cycle it turns the k weight bits of one bit plane into
// a signed partial sum of k activations and accumulates it, shifted by the plane's weight 2^b.
// The same unit serves the LUT Tensor Core (a table lookup), its ablations and the bit-serial ADD
// baseline (UNPU-style: add or skip each activation), so the three differ only where they should.

import { adderTree } from '../../dsl/lib/index.js';
import { Bool, bitsFor, mux, select, SInt, UInt, Vec, moduleGenerator, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import { tableEntries, tableSums, type TableKind } from './precompute.js';

/**
 * How a unit gets its partial sum:
 * - `table`: from a precomputed table broadcast to it (the LUT Tensor Core);
 * - `local-table`: it builds the table itself from the activations (precompute beside every unit);
 * - `gated-add`: it adds the activations whose weight bit is set (the ADD baseline, no table).
 */
export type LookupKind = 'table' | 'local-table' | 'gated-add';

export interface SerialUnitParams {
  readonly [key: string]: unknown;
  readonly k: number;
  readonly wbits: number;
  readonly actBits: number;
  readonly entryBits: number;
  readonly rowSumBits: number;
  readonly accBits: number;
  /** `unsigned` reads weight bits as {0,1}; the others as {-1,+1}. Ignored by `gated-add`, which is {0,1}. */
  readonly table: TableKind;
  readonly lookup: LookupKind;
}

/** Whether the unit reads bits as {-1,+1} (its zero-point correction differs accordingly). */
export function reinterprets(params: Pick<SerialUnitParams, 'table' | 'lookup'>): boolean {
  return params.lookup !== 'gated-add' && params.table !== 'unsigned';
}

/**
 * Ports: `entries` (the row's table, for `table`) or `act` (the row's k activations), `rowSum`
 * (the row's activation sum, for the zero-point correction), `field` (the column's k weight bits
 * of this plane), `plane` (b, when wbits > 1), `correct` (a correction beat: use the row sum),
 * `first` (start a new result), `step` (accumulate this cycle); `acc` out.
 */
export const serialUnit = moduleGenerator('serial_unit', (m, params: SerialUnitParams) => {
  const { k, wbits, actBits, entryBits, rowSumBits, accBits, table, lookup } = params;
  const entries = lookup === 'table' ? m.input('entries', Vec(tableEntries(table, k), SInt(entryBits))) : undefined;
  const act = lookup === 'table' ? undefined : m.input('act', Vec(k, SInt(actBits)));
  const rowSum = m.input('rowSum', SInt(rowSumBits));
  const field = m.input('field', UInt(k));
  const plane = wbits > 1 ? m.input('plane', UInt(bitsFor(wbits))) : undefined;
  const correct = m.input('correct', Bool);
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', SInt(accBits));

  const top = field.bit(k - 1);
  const looked = partialSum(m, params, field, () => entries ?? tableSums(act!, table), act);
  // Correction beats: {-1,+1} units add +-S by the bit; {0,1} units subtract S where the bit is set.
  const signedRead = reinterprets(params);
  const operandBits = Math.max(entryBits, rowSumBits);
  const correction = signedRead ? rowSum : mux(top, rowSum, rowSum.coerce(0).sext(rowSumBits));
  const operand = m.node('operand', mux(correct, correction.sext(operandBits), looked.value.sext(operandBits)));
  const negate = m.node('negate', signedRead ? mux(correct, top.not(), looked.negate) : correct);

  const shifted = plane === undefined ? operand : operand.shl(plane);
  const term = m.node('term', shifted.resize(accBits));
  // Conditional negation as (term ^ -negate) + negate: one adder with a carry-in, not two adders.
  const flipped = term.xor(negate.repeat(accBits).asSigned());
  const register = m.reg('sum', SInt(accBits), { enable: step });
  const base = mux(first, register.coerce(0).sext(accBits), register);
  register.assign(base.addWrap(flipped).addWrap(negate.zext(accBits).asSigned()));
  acc.assign(register);
  return { ...(entries ? { entries } : { act: act! }), rowSum, field, ...(plane ? { plane } : {}), correct, first, step, acc };
});

interface Looked {
  /** The magnitude read for this field. */
  readonly value: Expr;
  /** Whether it enters negated (the symmetric table's sign bit). */
  readonly negate: Expr;
}

function partialSum(m: ModuleBuilder, params: SerialUnitParams, field: Signal, tableOf: () => readonly Expr[], act: readonly Expr[] | undefined): Looked {
  const { k, entryBits } = params;
  const positive = field.bit(k - 1).coerce(0);
  if (params.lookup === 'gated-add') {
    const gated = act!.map((a, j) => mux(field.bit(j), a, a.coerce(0).sext(a.width)));
    return { value: m.node('gated', adderTree(gated).resize(entryBits)), negate: positive };
  }
  const sized = tableOf().map((entry) => entry.resize(entryBits));
  if (params.table !== 'symmetric') return { value: m.node('entry', select(field, sized)), negate: positive };
  // The packing inverted the low bits where the top bit is 0, so the top bit is only a sign.
  const value = k === 1 ? sized[0]! : select(field.slice(k - 2, 0), sized);
  return { value: m.node('entry', value), negate: field.bit(k - 1).not() };
}
