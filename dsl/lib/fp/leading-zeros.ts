// Leading-zero count as a balanced tree: each level merges two halves with one 2:1 mux per count
// bit, so the depth is log2(width) muxes, not the width-long priority chain a loop would give.

import { cat, mux, type Expr } from '../../expr.js';
import { zeros } from './common.js';

export interface LeadingZeros {
  /** Zeros above the most significant 1; meaningful only when `zero` is low. */
  readonly count: Expr;
  /** The value is all zeros. */
  readonly zero: Expr;
}

/** Counts the leading zeros of an unsigned value (count width: log2 of the width rounded up to a power of two). */
export function leadingZeros(value: Expr): LeadingZeros {
  let size = 1;
  while (size < value.width) size *= 2;
  // Zeros appended below cannot change the count of a nonzero value.
  const padded = size > value.width ? cat(value.asUnsigned(), zeros(size - value.width)) : value.asUnsigned();
  const tree = countTree(padded);
  return { count: tree.count ?? zeros(1), zero: tree.zero };
}

interface Partial {
  readonly zero: Expr;
  /** undefined for a single bit, whose count is always 0. */
  readonly count: Expr | undefined;
}

function countTree(bits: Expr): Partial {
  if (bits.width === 1) return { zero: bits.not(), count: undefined };
  const half = bits.width / 2;
  const high = countTree(bits.slice(bits.width - 1, half));
  const low = countTree(bits.slice(half - 1, 0));
  const zero = high.zero.and(low.zero);
  // An all-zero upper half puts the count in the lower half, offset by the half's size (the new MSB).
  const count = high.count === undefined || low.count === undefined ? high.zero : cat(high.zero, mux(high.zero, low.count, high.count));
  return { zero, count };
}
