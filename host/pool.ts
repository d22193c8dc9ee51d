// Runs independent jobs a few at a time: the explorer's points, `lutforge prove`'s proofs and the
// fuzzer's cases all need the same bounded pool, with results in the order of their inputs.

/** `fn` over `items`, at most `jobs` at once (at least one); results in the order of `items`. */
export async function mapPool<T, R>(items: readonly T[], jobs: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}
