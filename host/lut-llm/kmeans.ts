// Deterministic k-means for the offline codebooks (docs/design/lut-llm.md, vector quantization):
// seeded k-means++ initialisation, then Lloyd iterations with squared Euclidean distance in
// float64. The same seed gives the same centroids on every machine (no Math.random, a fixed
// visiting order, ties to the lowest index), so a quantized layer directory is reproducible byte
// for byte.
//
// Clustering uses L2 whatever distance the hardware searches with: the mean is what minimizes the
// within-cluster error that the table's dot products inherit, and it keeps Lloyd's steps monotone.

import { mulberry32 } from '../../golden/random.js';

export interface KmeansOptions {
  readonly seed: number;
  /** Lloyd iterations at most (default 25); they also stop once no assignment changes. */
  readonly maxIterations?: number;
  /** Called after each Lloyd iteration (for progress reporting). */
  readonly onIteration?: () => void;
}

function squaredDistance(points: Float64Array, i: number, centroids: Float64Array, c: number, dims: number): number {
  let sum = 0;
  const pa = i * dims;
  const ca = c * dims;
  for (let d = 0; d < dims; d++) {
    const e = points[pa + d]! - centroids[ca + d]!;
    sum += e * e;
  }
  return sum;
}

/** The nearest centroid (squared L2) of point i; ties go to the lowest index. */
export function nearestL2(points: Float64Array, i: number, centroids: Float64Array, k: number, dims: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < k; c++) {
    const d = squaredDistance(points, i, centroids, c, dims);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** Each point's nearest centroid (squared L2, ties to the lowest index). */
export function assignL2(points: Float64Array, count: number, dims: number, centroids: Float64Array, k: number): Int32Array {
  const assignment = new Int32Array(count);
  for (let i = 0; i < count; i++) assignment[i] = nearestL2(points, i, centroids, k, dims);
  return assignment;
}

/**
 * k-means++: the first centroid a uniformly drawn point, each next one a point drawn with
 * probability proportional to its squared distance from the nearest chosen centroid. When every
 * point already coincides with a centroid (fewer distinct points than k), the draw has nothing to
 * weight and the remaining centroids repeat the first: duplicates, never chosen over the lower
 * index, which is harmless.
 */
function initPlusPlus(points: Float64Array, count: number, dims: number, k: number, random: () => number): Float64Array {
  const centroids = new Float64Array(k * dims);
  const copyPoint = (c: number, i: number): void => centroids.set(points.subarray(i * dims, i * dims + dims), c * dims);
  copyPoint(0, Math.min(count - 1, Math.floor(random() * count)));
  const nearest = new Float64Array(count);
  for (let i = 0; i < count; i++) nearest[i] = squaredDistance(points, i, centroids, 0, dims);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < count; i++) total += nearest[i]!;
    let chosen = -1;
    if (total > 0 && Number.isFinite(total)) {
      let target = random() * total;
      for (let i = 0; i < count; i++) {
        const w = nearest[i]!;
        if (w <= 0) continue;
        chosen = i;
        target -= w;
        if (target < 0) break;
      }
    }
    if (chosen < 0) {
      centroids.copyWithin(c * dims, 0, dims);
      continue;
    }
    copyPoint(c, chosen);
    for (let i = 0; i < count; i++) nearest[i] = Math.min(nearest[i]!, squaredDistance(points, i, centroids, c, dims));
  }
  return centroids;
}

/** k centroids [k, dims] of `count` points [count, dims]. */
export function kmeans(points: Float64Array, count: number, dims: number, k: number, options: KmeansOptions): Float64Array {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(dims) || dims < 1 || !Number.isInteger(k) || k < 1) {
    throw new RangeError(`kmeans: count (${count}), dims (${dims}) and k (${k}) must be positive integers`);
  }
  if (points.length !== count * dims) throw new RangeError(`kmeans: ${points.length} values are not ${count} points of ${dims}`);
  const maxIterations = options.maxIterations ?? 25;
  const centroids = initPlusPlus(points, count, dims, k, mulberry32(options.seed));
  const assignment = new Int32Array(count).fill(-1);
  const sums = new Float64Array(k * dims);
  const sizes = new Int32Array(k);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false;
    for (let i = 0; i < count; i++) {
      const c = nearestL2(points, i, centroids, k, dims);
      if (c !== assignment[i]) {
        assignment[i] = c;
        changed = true;
      }
    }
    if (!changed) break;
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < count; i++) {
      const c = assignment[i]!;
      sizes[c]! += 1;
      for (let d = 0; d < dims; d++) sums[c * dims + d]! += points[i * dims + d]!;
    }
    // An empty cluster keeps its previous centroid.
    for (let c = 0; c < k; c++) {
      const size = sizes[c]!;
      if (size > 0) for (let d = 0; d < dims; d++) centroids[c * dims + d] = sums[c * dims + d]! / size;
    }
    options.onIteration?.();
  }
  return centroids;
}
