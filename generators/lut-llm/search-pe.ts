// The processing elements (PEs) of the centroid search unit (search.ts, docs/design/lut-llm.md).
// A PE holds centroids of every position in a small memory of its own and computes the distance
// of the sub-vector passing by, then hands the sub-vector and the running (best distance, best
// index) to the next PE of its chain.
//
// - `centroidPe`: one centroid, a new sub-vector every cycle (the released design's PE).
// - `serialCentroidPe`: k consecutive centroids, compared one per cycle over k cycles in
//   increasing index order, so a unit needs ceil(Ca / k) PEs (k times fewer subtractors) and takes
//   a new sub-vector at most every k cycles: the bandwidth-aware search of the paper.
//
// Distances follow config.ts exactly: FP32 operators from dsl/lib/fp or exact integers for int16.
// A PE takes over only when its distance is strictly smaller than the best so far (distance bits
// as an unsigned number), so ties keep the lower index exactly as a scan would.

import { adderTree, bitsFor, Bool, cat, delay, type Expr, FP32, fpAdd, fpMul, fpNeg, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, select, type Signal, SInt, UInt, Vec } from '../../api/index.js';
import type { Distance } from '../../contracts/lut-llm-layer.js';

/** What a PE needs: the search's number format, the distance and the memory it keeps. */
export interface CentroidPeParams {
  readonly v: number;
  readonly float: boolean;
  readonly distance: Distance;
  readonly distanceBits: number;
  readonly indexBits: number;
  /** Positions (position groups) the centroid memory holds. */
  readonly depth: number;
  readonly addressBits: number;
}

export interface CentroidPeIo {
  readonly cb_write: Signal;
  readonly cb_address: Signal;
  readonly cb_centroid: Signal;
  readonly x_in: Signal[];
  readonly q_in: Signal;
  readonly best_in: Signal;
  readonly best_index_in: Signal;
  readonly index: Signal;
  readonly x_out: Signal[];
  readonly q_out: Signal;
  readonly best_out: Signal;
  readonly best_index_out: Signal;
}

/**
 * Register stages between a sub-vector reaching a PE and its distance being ready for the
 * compare: the subtraction, then (l2) the squares, then one stage per sequential FP32 sum.
 */
export function distanceStages(params: Pick<CentroidPeParams, 'v' | 'float' | 'distance'>): number {
  const { v, float, distance } = params;
  if (distance === 'linf') return 1;
  if (!float) return distance === 'l1' ? 1 : 2;
  return (distance === 'l1' ? 1 : 2) + (v - 1);
}

/** Bits of a centroid or sub-vector element inside the search: FP32 patterns or int16. */
export function elementShape(float: boolean) {
  return float ? UInt(32) : SInt(16);
}

/**
 * One PE. Ports `x_in`, `q_in`, `best_in`, `best_index_in` come from the previous PE's registers
 * (`x_out` ...), so the centroid memory is read with `q_in` one cycle before the sub-vector is
 * here, and the word arrives together with it. The first PE of a chain gets best_in = all ones
 * and best_index_in = its own index: the result is then its own (distance, index) even when the
 * distance is all ones itself.
 */
export const centroidPe = (params: CentroidPeParams): ModuleDef<CentroidPeIo> => peGenerator(params);

const peGenerator = moduleGenerator('lut_llm_centroid_pe', (m: ModuleBuilder, p: CentroidPeParams): CentroidPeIo => {
  const element = elementShape(p.float);
  const cbWrite = m.input('cb_write', Bool);
  const cbAddress = m.input('cb_address', UInt(p.addressBits));
  const cbCentroid = m.input('cb_centroid', UInt(p.v * element.width));
  const xIn = m.input('x_in', Vec(p.v, element));
  const qIn = m.input('q_in', UInt(p.addressBits));
  const bestIn = m.input('best_in', UInt(p.distanceBits));
  const bestIndexIn = m.input('best_index_in', UInt(p.indexBits));
  const index = m.input('index', UInt(p.indexBits));
  const xOut = m.output('x_out', Vec(p.v, element));
  const qOut = m.output('q_out', UInt(p.addressBits));
  const bestOut = m.output('best_out', UInt(p.distanceBits));
  const bestIndexOut = m.output('best_index_out', UInt(p.indexBits));

  const centroids = m.memory('centroids', { shape: UInt(p.v * element.width), depth: p.depth, style: 'block' });
  centroids.write(cbAddress, cbCentroid, cbWrite);
  const word = centroids.read(qIn, { name: 'centroid' });
  const x = xIn.map((value, i) => registered(m, `x_${i}`, value));
  const q = registered(m, 'q', qIn);
  x.forEach((value, i) => xOut[i]!.assign(value));
  qOut.assign(q);

  const dist = distanceNode(m, p, x, centroidElements(word, p));
  const take = m.node('take', dist.lt(bestIn));
  bestOut.assign(registered(m, 'best', mux(take, dist, bestIn)));
  bestIndexOut.assign(registered(m, 'best_index', mux(take, index, bestIndexIn)));
  return {
    cb_write: cbWrite,
    cb_address: cbAddress,
    cb_centroid: cbCentroid,
    x_in: xIn,
    q_in: qIn,
    best_in: bestIn,
    best_index_in: bestIndexIn,
    index,
    x_out: xOut,
    q_out: qOut,
    best_out: bestOut,
    best_index_out: bestIndexOut,
  };
});

export interface SerialPeParams extends CentroidPeParams {
  /** k: cycles a sub-vector spends in the PE, one centroid compared per cycle. */
  readonly centroidsPerPe: number;
  /** Centroids the PE holds: k, or fewer in the last PE of a unit when k does not divide Ca. */
  readonly centroids: number;
}

export interface SerialPeIo extends CentroidPeIo {
  /** High in the cycle a new sub-vector is on `x_in` and `q_in` (at least k cycles apart). */
  readonly start_in: Signal;
  /** `start_in` of the next PE: high k cycles after this PE's, `x_out` and `q_out` then hold it. */
  readonly start_out: Signal;
}

/**
 * A PE of k centroids, `index` .. `index + centroids - 1`, all k-wide words of one memory (a
 * codebook beat writes them at once). On `start_in` it reads the word at `q_in` (held until the
 * next start) and keeps x and q; over the next k cycles a count-down counter picks centroid
 * 0, 1, ..., k - 1 into a register, and `distanceStages` cycles later each distance is compared,
 * the first against `best_in` (the previous PE's result, due exactly then) and the rest against the
 * PE's own running best. The result is in `best_out` k + SELECT_STAGES + distanceStages + 1 cycles
 * after the start, just when the next PE (started k cycles after this one) compares its first
 * centroid against it, and holds until this PE's next sub-vector's first compare. The all-zero state is idle (counter 0, no start), so a run from the zero state is
 * a run from reset.
 */
/** The register after a serial PE's centroid select, one more stage before the compare than k = 1. */
export const SELECT_STAGES = 1;

export const serialCentroidPe = (params: SerialPeParams): ModuleDef<SerialPeIo> => serialPeGenerator(params);

const serialPeGenerator = moduleGenerator('lut_llm_centroid_pe_serial', (m: ModuleBuilder, p: SerialPeParams): SerialPeIo => {
  const k = p.centroidsPerPe;
  if (!Number.isInteger(k) || k < 2 || !Number.isInteger(p.centroids) || p.centroids < 1 || p.centroids > k) {
    throw new Error(`internal: a serial PE needs 2 <= k and 1 <= centroids <= k, got k = ${k}, centroids = ${p.centroids}`);
  }
  const element = elementShape(p.float);
  const centroidBits = p.v * element.width;
  const cbWrite = m.input('cb_write', Bool);
  const cbAddress = m.input('cb_address', UInt(p.addressBits));
  const cbCentroid = m.input('cb_centroid', UInt(p.centroids * centroidBits));
  const xIn = m.input('x_in', Vec(p.v, element));
  const qIn = m.input('q_in', UInt(p.addressBits));
  const startIn = m.input('start_in', Bool);
  const bestIn = m.input('best_in', UInt(p.distanceBits));
  const bestIndexIn = m.input('best_index_in', UInt(p.indexBits));
  const index = m.input('index', UInt(p.indexBits));
  const xOut = m.output('x_out', Vec(p.v, element));
  const qOut = m.output('q_out', UInt(p.addressBits));
  const startOut = m.output('start_out', Bool);
  const bestOut = m.output('best_out', UInt(p.distanceBits));
  const bestIndexOut = m.output('best_index_out', UInt(p.indexBits));

  // One word per position: a codebook beat brings all of the PE's centroids at once.
  const centroids = m.memory('centroids', { shape: UInt(p.centroids * centroidBits), depth: p.depth, style: 'block' });
  centroids.write(cbAddress, cbCentroid, cbWrite);
  const word = centroids.read(qIn, { enable: startIn, name: 'centroid_word' });
  const x = xIn.map((value, i) => held(m, `x_${i}`, value, startIn));
  const q = held(m, 'q', qIn, startIn);
  x.forEach((value, i) => xOut[i]!.assign(value));
  qOut.assign(q);

  // Cycles left of the sub-vector: k - 1 in its first cycle, down to 0, where it stays (idle).
  const left = m.reg('left', UInt(bitsFor(k)), { init: 0 });
  m.when(startIn, () => left.assign(k - 1)).elseWhen(left.ne(0), () => left.assign(left.subWrap(1)));
  const handOff = m.reg('hand_off', Bool, { init: 0 });
  handOff.assign(left.eq(1));
  startOut.assign(handOff);

  // `left` reads centroid k - 1 - left. A short last PE repeats its last centroid past its end:
  // the same distance again, never strictly smaller than the best that already includes it.
  const slots = Array.from({ length: k }, (_, s) => {
    const c = Math.min(k - 1 - s, p.centroids - 1);
    return word.slice((c + 1) * centroidBits - 1, c * centroidBits);
  });
  // The chosen centroid is registered, and x beside it: left to itself, synthesis folds the k:1
  // mux into the subtractors' logic at four times its own cost (xilinx, k = 2: 263 LUTs against
  // 64 for the mux alone).
  const centroid = registered(m, 'centroid', select(left, slots, { indexInRange: true }));
  const xNow = x.map((value, i) => registered(m, `x_now_${i}`, value));
  const dist = distanceNode(m, p, xNow, centroidElements(centroid, p));

  // The counter as it was when the distance now ready entered the pipeline.
  const compared = delay(m, 'compared_left', left, SELECT_STAGES + distanceStages(p), { init: 0 });
  const first = m.node('first', compared.eq(k - 1));
  const best = m.reg('best', UInt(p.distanceBits));
  const bestIndex = m.reg('best_index', UInt(p.indexBits));
  const currentBest = mux(first, bestIn, best);
  const currentIndex = mux(first, bestIndexIn, bestIndex);
  const take = m.node('take', dist.lt(currentBest));
  best.assign(mux(take, dist, currentBest));
  bestIndex.assign(mux(take, centroidIndex(index, compared, k), currentIndex));
  bestOut.assign(best);
  bestIndexOut.assign(bestIndex);
  return {
    cb_write: cbWrite,
    cb_address: cbAddress,
    cb_centroid: cbCentroid,
    x_in: xIn,
    q_in: qIn,
    start_in: startIn,
    best_in: bestIn,
    best_index_in: bestIndexIn,
    index,
    x_out: xOut,
    q_out: qOut,
    start_out: startOut,
    best_out: bestOut,
    best_index_out: bestIndexOut,
  };
});

function held(m: ModuleBuilder, name: string, value: Expr, load: Expr): Signal {
  const r = m.reg(name, value.shape, { enable: load });
  r.assign(value);
  return r;
}

/**
 * index + (k - 1 - left): the centroid the counter value `left` picked. When k is a power of two
 * the PE's first index is a multiple of k, so that is the first index's high bits beside ~left.
 */
function centroidIndex(first: Expr, left: Expr, k: number): Expr {
  const bits = first.width;
  const lowBits = Math.log2(k);
  if (Number.isInteger(lowBits)) {
    const low = left.not().trunc(lowBits);
    return lowBits >= bits ? low.trunc(bits) : cat(first.slice(bits - 1, lowBits), low);
  }
  return first.addWrap(k - 1).subWrap(left.resize(bits));
}

/** The v elements of a centroid word (element 0 in the low bits), signed for int16. */
function centroidElements(word: Expr, p: Pick<CentroidPeParams, 'v' | 'float'>): Expr[] {
  const width = elementShape(p.float).width;
  return Array.from({ length: p.v }, (_, i) => {
    const bits = word.slice((i + 1) * width - 1, i * width);
    return p.float ? bits : bits.asSigned();
  });
}

/** The distance of x to a centroid, `distanceStages` registers later, as the node `distance`. */
function distanceNode(m: ModuleBuilder, p: CentroidPeParams, x: readonly Expr[], centroid: readonly Expr[]): Signal {
  const { value, stages } = p.float ? floatDistance(m, x, centroid, p.distance) : intDistance(m, x, centroid, p.distance, p.distanceBits);
  if (stages !== distanceStages(p)) throw new Error(`internal: PE distance has ${stages} stages, distanceStages says ${distanceStages(p)}`);
  return m.node('distance', value);
}

export function registered(m: ModuleBuilder, name: string, value: Expr): Signal {
  const r = m.reg(name, value.shape);
  r.assign(value);
  return r;
}

/** |value| of an FP32 pattern: the sign cleared (a NaN stays the canonical NaN). */
function fpMagnitude(value: Expr): Expr {
  return cat(lit(0, UInt(1)), value.slice(30, 0));
}

/** The larger of two non-negative patterns (or unsigned integers). */
function larger(a: Expr, b: Expr): Expr {
  return mux(b.gt(a), b, a);
}

interface Staged {
  readonly value: Expr;
  readonly stages: number;
}

/** config.ts's FP32 order: d_i = x_i - c_i; linf max |d_i|; l1 and l2 summed left to right. */
function floatDistance(m: ModuleBuilder, x: readonly Expr[], c: readonly Expr[], distance: Distance): Staged {
  const diffs = x.map((xi, i) => registered(m, `diff_${i}`, fpAdd(m, `sub_${i}`, xi, fpNeg(c[i]!, FP32), FP32)));
  if (distance === 'linf') return { value: diffs.map(fpMagnitude).reduce(larger), stages: 1 };
  let terms: Expr[] = diffs.map(fpMagnitude);
  let stages = 1;
  if (distance === 'l2') {
    terms = diffs.map((d, i) => registered(m, `square_${i}`, fpMul(m, `mul_${i}`, d, d, { a: FP32, b: FP32, out: FP32 })));
    stages++;
  }
  // ((t0 + t1) + t2) + ...: one adder and one stage per term, later terms delayed to meet the sum.
  let sum = terms[0]!;
  for (let i = 1; i < terms.length; i++) {
    const term = delay(m, `term_${i}`, terms[i]!, i - 1);
    sum = registered(m, `sum_${i}`, fpAdd(m, `add_${i}`, sum, term, FP32));
    stages++;
  }
  return { value: sum, stages };
}

/** Exact integer distances of int16 values: |d| < 2^16, sums and squares as wide as they need. */
function intDistance(m: ModuleBuilder, x: readonly Expr[], c: readonly Expr[], distance: Distance, bits: number): Staged {
  const magnitudes: Expr[] = x.map((xi, i) => {
    const difference = xi.sub(c[i]!);
    const magnitude = mux(difference.lt(0), c[i]!.sub(xi), difference).asUnsigned().trunc(16);
    return registered(m, `magnitude_${i}`, magnitude);
  });
  if (distance === 'linf') return { value: magnitudes.reduce(larger), stages: 1 };
  if (distance === 'l1') return { value: adderTree(magnitudes).resize(bits), stages: 1 };
  const squares = magnitudes.map((magnitude, i) => registered(m, `square_${i}`, magnitude.mul(magnitude)));
  return { value: adderTree(squares).resize(bits), stages: 2 };
}
