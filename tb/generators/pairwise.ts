// A covering subset of a full grid of regression variants: every pair of values of any two of the
// given dimensions appears in at least one chosen variant. Failures that need one setting, or two
// settings together, are still found by the default suite; make regress runs the whole grid, and
// the fuzzer (tb/fuzz) draws beyond it.

/** Greedy: repeatedly the variant covering the most uncovered pairs (the earliest on a tie), kept in grid order. */
export function pairwiseCover<T>(grid: readonly T[], dimensions: readonly ((variant: T) => unknown)[]): T[] {
  const pairsOf = (variant: T): string[] => {
    const values = dimensions.map((dimension) => String(dimension(variant)));
    const pairs: string[] = [];
    values.forEach((a, i) => values.slice(i + 1).forEach((b, j) => pairs.push(`${i}=${a}|${i + j + 1}=${b}`)));
    return pairs;
  };
  const uncovered = new Set(grid.flatMap(pairsOf));
  const chosen = new Set<number>();
  while (uncovered.size > 0) {
    let best = -1;
    let bestGain = 0;
    grid.forEach((variant, index) => {
      if (chosen.has(index)) return;
      const gain = pairsOf(variant).filter((pair) => uncovered.has(pair)).length;
      if (gain > bestGain) [best, bestGain] = [index, gain];
    });
    chosen.add(best);
    for (const pair of pairsOf(grid[best]!)) uncovered.delete(pair);
  }
  return grid.filter((_, index) => chosen.has(index));
}
