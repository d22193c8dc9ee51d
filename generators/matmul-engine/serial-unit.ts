// One dot-product unit of the array: each cycle it turns the k weight bits of one bit plane into
// a signed partial sum of k activations and accumulates it. The same unit serves the LUT Tensor
// Core (a table lookup), its ablations and the bit-serial ADD baseline (UNPU-style: add or skip
// each activation), so the three differ only where they should.
//
// The shift by the bit plane's weight 2^b is not here: the engine shifts the row operands once per
// row before broadcasting them (m shifters instead of m*n), so a unit's operands arrive pre-shifted
// and wbits - 1 bits wider.

import { adderTree, Bool, cat, type Expr, lit, moduleGenerator, mux, type Signal, SInt, UInt, Vec } from '../../api/index.js';
import { tableSums } from './table-precompute.js';
import { tableEntries, type TableKind } from '../../contracts/table-kind.js';

/**
 * How a unit gets its partial sum:
 * - `table`: from a precomputed table broadcast to it (the LUT Tensor Core);
 * - `local-table`: it builds the table itself from the activations (precompute beside every unit);
 * - `gated-add`: it adds the activations whose weight bit is set (the ADD baseline, no table).
 */
export type LookupKind = 'table' | 'local-table' | 'gated-add';

export interface SerialUnitParams {
  readonly k: number;
  /** Widths of the operands as the unit receives them (already shifted by the plane). */
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

/** Entries a table unit chooses among: the one-hot `pick` it receives has this many bits. */
export function pickWidth(params: Pick<SerialUnitParams, 'k' | 'table'>): number {
  return tableEntries(params.table, params.k);
}

/**
 * Ports: `entries` (the row's table, for `table`) or `act` (the row's k activations), `rowSum`
 * (the row's activation sum, for the zero-point correction); the column's weight bits of this
 * plane as `pick` (the table entry, one-hot) and `top` (the top bit) for the table kinds, or as
 * `field` (all k bits) for `gated-add`; `correct` (a correction beat: use the row sum), `first`
 * (start a new result), `step` (accumulate this cycle); `acc` out.
 *
 * The tile decodes a column's bits into the one-hot `pick` once for the m units of the column, so
 * each unit's lookup is an AND-OR over its entries rather than a mux tree: 2,974 transistors
 * against 3,526 for the int8 W1 unit on the cmos target.
 */
export const serialUnit = moduleGenerator('serial_unit', (m, params: SerialUnitParams) => {
  const { k, actBits, entryBits, rowSumBits, accBits, table, lookup } = params;
  const entries = lookup === 'table' ? m.input('entries', Vec(tableEntries(table, k), SInt(entryBits))) : undefined;
  const act = lookup === 'table' ? undefined : m.input('act', Vec(k, SInt(actBits)));
  const rowSum = m.input('rowSum', SInt(rowSumBits));
  const usesTable = lookup !== 'gated-add';
  const pick = usesTable ? m.input('pick', UInt(pickWidth(params))) : undefined;
  const field = usesTable ? undefined : m.input('field', UInt(k));
  const top = usesTable ? m.input('top', Bool) : field!.bit(k - 1);
  const correct = m.input('correct', Bool);
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', SInt(accBits));

  const operandBits = Math.max(entryBits, rowSumBits);
  const looked = usesTable ? tableLookup(params, pick!, top, entries ?? tableSums(act!, table)) : gatedSum(params, field!, act!);
  // Correction beats: {-1,+1} units add +-S by the bit; {0,1} units subtract S where it is set.
  const signedRead = reinterprets(params);
  const correction = signedRead ? rowSum : gate(rowSum, top);
  const chosen = mux(correct, correction.sext(operandBits), looked.value.sext(operandBits));
  const sign = signedRead ? mux(correct, top.not(), looked.negate) : correct.and(top);
  // A stalled cycle adds zero rather than holding the register through an enable mux: gating the
  // operand and the sign measured smaller than a feedback mux on every accumulator bit, and than
  // zeroing the broadcast operands at the row source.
  const operand = m.node('operand', gate(chosen, step));
  const negate = m.node('negate', sign.and(step));
  const term = operand.resize(accBits);
  const register = m.reg('sum', SInt(accBits));
  const base = mux(first.and(step), register.coerce(0).sext(accBits), register);
  // Conditional negation as base + (term ^ -negate) + negate, with the +negate as the carry into
  // one adder: {base, 1} + {term ^ -negate, negate} has base + term' + negate in its upper bits.
  const flipped = term.xor(negate.repeat(accBits).asSigned());
  const widened = cat(base, lit(1, Bool)).addWrap(cat(flipped, negate));
  register.assign(widened.slice(accBits, 1).asSigned());
  acc.assign(register);
  const weightPorts = usesTable ? { pick: pick!, top: top as Signal } : { field: field! };
  return { ...(entries ? { entries } : { act: act! }), rowSum, ...weightPorts, correct, first, step, acc };
});

/** `value` where `enable` is high, else zero (a row of AND gates). */
function gate(value: Expr, enable: Expr): Expr {
  const mask = enable.repeat(value.width);
  return value.and(value.signed ? mask.asSigned() : mask);
}

export interface Looked {
  /** The partial sum read for this field. */
  readonly value: Expr;
  /** Whether it enters negated (the symmetric table's sign bit). */
  readonly negate: Expr;
}

/** The entry `pick` selects (AND-OR over one-hot), negated by a 0 top bit for the symmetric table. */
export function tableLookup(params: Pick<SerialUnitParams, 'entryBits' | 'table'>, pick: Expr, top: Expr, table: readonly Expr[]): Looked {
  const sized = table.map((entry) => entry.resize(params.entryBits));
  // The packing inverted the low bits where the top bit is 0, so for the symmetric table the top
  // bit is only a sign; the other tables have no sign.
  return {
    value: sized.map((entry, j) => gate(entry, pick.bit(j))).reduce((all, next) => all.or(next)),
    negate: params.table === 'symmetric' ? top.not() : top.coerce(0),
  };
}

/** ADD: the sum of the activations whose weight bit is set. */
function gatedSum(params: SerialUnitParams, field: Signal, act: readonly Expr[]): Looked {
  const gated = act.map((a, j) => gate(a, field.bit(j)));
  return { value: adderTree(gated).resize(params.entryBits), negate: field.bit(0).coerce(0) };
}
