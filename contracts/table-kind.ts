// The three kinds of lookup table and where their entries sit: the layout the table hardware
// builds, the lookup units read, and the golden models rebuild in soft-float.

/**
 * - `symmetric`: 2^(k-1) entries, E[j] = a_{k-1} + sum_{j'<k-1} (bit j' of j ? +a : -a)
 *   (the half of the {-1,+1} table whose top bit is 1; the other half is its negation).
 * - `naive`: 2^k entries of the {-1,+1} table, T[i] = sum_j (bit j of i ? +a_j : -a_j).
 * - `unsigned`: 2^k entries of the {0,1} table, T0[i] = sum_j (bit j of i ? a_j : 0).
 */
export type TableKind = 'symmetric' | 'naive' | 'unsigned';

export const TABLE_KINDS: readonly TableKind[] = ['symmetric', 'naive', 'unsigned'];

export function tableEntries(kind: TableKind, k: number): number {
  return kind === 'symmetric' ? 2 ** (k - 1) : 2 ** k;
}

/** The index of the entry that holds the plain sum of the group (every weight bit set). */
export function groupSumEntry(kind: TableKind, k: number): number {
  return tableEntries(kind, k) - 1;
}
