// The orders of the floating-point sums, stated once: the hardware builds them with FP32 adders, the
// golden models with the soft-float, and since FP addition is not associative both must add the
// same pairs in the same order to agree bit for bit. Pure code with no hardware in it, so the
// golden models can use it without loading the DSL.


import type { TableKind } from './table-kind.js';
/** What a table is built from: the arithmetic, so the order can be stated once and reused. */
export interface TableArithmetic<T> {
  readonly add: (a: T, b: T) => T;
  readonly neg: (a: T) => T;
  /** +0, for the {0,1} table's empty subset (never added: a structural zero is skipped). */
  readonly zero: T;
}

/**
 * The table of `kind` over `act` in the fixed order:
 * - `signedSums(v)`: one value is [-v0, +v0]; more are split at ceil(len/2) into low L and high H,
 *   entry i = iL + |L| * iH, the upper half (top index bit 1) computed as L[iL] + H[iH], the lower
 *   half as the negation of its complement (entry count-1-i), since negation is exact.
 * - `naive`: signedSums(a0..a_{k-1}); `symmetric`: signedSums(a0..a_{k-2})[j] + a_{k-1} (k = 1: [a0]);
 * - `unsigned`: like signedSums with [zero, +v0], every entry L[iL] + H[iH] but a structural zero
 *   term is skipped rather than added.
 */
export function buildTable<T>(act: readonly T[], kind: TableKind, arithmetic: TableArithmetic<T>): T[] {
  const k = act.length;
  if (kind === 'unsigned') return unsignedSums(act, arithmetic).map((entry) => entry ?? arithmetic.zero);
  if (kind === 'naive') return signedSums(act, arithmetic);
  const top = act[k - 1]!;
  if (k === 1) return [top];
  return signedSums(act.slice(0, k - 1), arithmetic).map((sum) => arithmetic.add(sum, top));
}

function signedSums<T>(values: readonly T[], arithmetic: TableArithmetic<T>): T[] {
  if (values.length === 1) return [arithmetic.neg(values[0]!), values[0]!];
  const half = Math.ceil(values.length / 2);
  const low = signedSums(values.slice(0, half), arithmetic);
  const high = signedSums(values.slice(half), arithmetic);
  const count = low.length * high.length;
  const sums = new Array<T>(count);
  for (let i = count / 2; i < count; i++) sums[i] = arithmetic.add(low[i % low.length]!, high[Math.floor(i / low.length)]!);
  for (let i = 0; i < count / 2; i++) sums[i] = arithmetic.neg(sums[count - 1 - i]!);
  return sums;
}

/** {0,1} subset sums; `undefined` stands for the structural zero of the empty subset. */
function unsignedSums<T>(values: readonly T[], arithmetic: TableArithmetic<T>): (T | undefined)[] {
  if (values.length === 1) return [undefined, values[0]!];
  const half = Math.ceil(values.length / 2);
  const low = unsignedSums(values.slice(0, half), arithmetic);
  const high = unsignedSums(values.slice(half), arithmetic);
  const sums: (T | undefined)[] = [];
  for (const h of high) {
    for (const l of low) sums.push(l === undefined ? h : h === undefined ? l : arithmetic.add(l, h));
  }
  return sums;
}

/**
 * The sum of `values` as a balanced tree, level by level: neighbours are added in pairs (0+1, 2+3,
 * ...), an odd last value moves up unchanged (the MAC unit's dot product, like `adderTree`).
 */
export function pairwiseSum<T>(values: readonly T[], add: (a: T, b: T) => T): T {
  if (values.length === 0) throw new Error('pairwiseSum needs at least one value');
  let level = [...values];
  while (level.length > 1) {
    const next: T[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(add(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
