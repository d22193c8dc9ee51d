// The table precompute unit: from k activations, every signed sum a lookup can ask for.
// Entries are built from the sums of the two halves of the group (a meet-in-the-middle split,
// recursively), so 2^k entries cost about 2^k + 2^(k/2+1) adders instead of k per entry.

import { type Expr, moduleGenerator, SInt, Vec } from '../../api/index.js';
import { groupSumEntry, tableEntries, type TableKind } from '../../contracts/table-kind.js';

export interface PrecomputeParams {
  readonly k: number;
  readonly actBits: number;
  readonly entryBits: number;
  readonly kind: TableKind;
}

/** Ports: `act` (k activations) in; `entries` (the table) and `groupSum` out, combinational. */
export const tablePrecompute = moduleGenerator('lut_table_precompute', (m, { k, actBits, entryBits, kind }: PrecomputeParams) => {
  const act = m.input('act', Vec(k, SInt(actBits)));
  const entries = m.output('entries', Vec(tableEntries(kind, k), SInt(entryBits)));
  const groupSum = m.output('groupSum', SInt(entryBits));
  const sums = tableSums(act, kind);
  sums.forEach((sum, i) => entries[i]!.assign(sum.resize(entryBits)));
  groupSum.assign(entries[groupSumEntry(kind, k)]!);
  return { act, entries, groupSum };
});

/** The table as expressions (also used where a unit builds its own table). */
export function tableSums(act: readonly Expr[], kind: TableKind): Expr[] {
  const k = act.length;
  const term = (value: Expr, bit: 0 | 1): Expr | null => {
    if (kind === 'unsigned') return bit === 1 ? value : null;
    return bit === 1 ? value : value.neg();
  };
  if (kind !== 'symmetric') return subsetSums(act, term);
  // Symmetric: the top activation always enters with +, the rest as in the full table.
  const top = act[k - 1]!;
  if (k === 1) return [top];
  return subsetSums(act.slice(0, k - 1), term).map((sum) => sum.add(top));
}

type Term = (value: Expr, bit: 0 | 1) => Expr | null;

/** Sums over every bit pattern of `values` (bit j of the index picks the term of value j). */
function subsetSums(values: readonly Expr[], term: Term): Expr[] {
  if (values.length === 1) return [0, 1].map((bit) => term(values[0]!, bit as 0 | 1) ?? zeroLike(values[0]!));
  const half = Math.ceil(values.length / 2);
  const low = subsetSums(values.slice(0, half), term);
  const high = subsetSums(values.slice(half), term);
  const sums: Expr[] = [];
  for (const h of high) for (const l of low) sums.push(addSkippingZero(l, h));
  return sums;
}

function zeroLike(value: Expr): Expr {
  return value.coerce(0);
}

function addSkippingZero(a: Expr, b: Expr): Expr {
  if (a.op === 'const' && a.value === 0n) return b;
  if (b.op === 'const' && b.value === 0n) return a;
  return a.add(b);
}
