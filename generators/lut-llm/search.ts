// The centroid search unit (docs/design/lut-llm.md): one processing element (PE) per activation
// centroid, each holding its centroid of every position in a small memory of its own and computing
// the distance of the sub-vector passing by. PEs form chains that carry (best distance, best index)
// from one PE to the next, the sub-vector travelling one PE per cycle beside it; the chains
// ("branches", at most 16 PEs) run side by side and meet in an argmin tree. A new sub-vector can
// enter every cycle (initiation interval 1), and nothing ever stalls: bubbles flow through with
// their valid bit low.
//
// Distances follow config.ts exactly: FP32 operators from dsl/lib/fp (fp16 activations widened
// once per unit, exactly) or exact integers for int16. The winner is the smallest (distance bits
// as an unsigned number, index): a PE takes over only when its distance is strictly smaller than
// the best so far, and in the tree the higher-indexed side wins only when strictly smaller, so
// ties keep the lower index exactly as a scan would.

import { adderTree, bitsFor, Bool, cat, connect, delay, type Expr, FP16, FP32, fpAdd, fpConvert, fpMul, fpNeg, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, type Signal, SInt, UInt, Vec } from '../../api/index.js';
import type { Distance, LlmActFormat } from '../../contracts/lut-llm-layer.js';

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
function elementShape(float: boolean) {
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
  const centroid = Array.from({ length: p.v }, (_, i) => {
    const bits = word.slice((i + 1) * element.width - 1, i * element.width);
    return p.float ? bits : bits.asSigned();
  });
  const x = xIn.map((value, i) => registered(m, `x_${i}`, value));
  const q = registered(m, 'q', qIn);
  x.forEach((value, i) => xOut[i]!.assign(value));
  qOut.assign(q);

  const { value: distance, stages } = p.float ? floatDistance(m, x, centroid, p.distance) : intDistance(m, x, centroid, p.distance, p.distanceBits);
  if (stages !== distanceStages(p)) throw new Error(`internal: PE distance has ${stages} stages, distanceStages says ${distanceStages(p)}`);
  const dist = m.node('distance', distance);
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

function registered(m: ModuleBuilder, name: string, value: Expr): Signal {
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

// ---- the unit: chains of PEs and the argmin tree ---------------------------------------------------

export interface SearchUnitParams {
  readonly v: number;
  readonly ca: number;
  readonly act: LlmActFormat;
  readonly distance: Distance;
  readonly distanceBits: number;
  readonly depth: number;
  readonly addressBits: number;
  /** Bits of the tag that travels with a sub-vector (where its index is to be written). */
  readonly tagBits: number;
  readonly branchLength: number;
}

export interface SearchUnitIo {
  readonly x: Signal[];
  readonly q: Signal;
  readonly tag: Signal;
  readonly valid: Signal;
  readonly cb_write: Signal;
  readonly cb_address: Signal;
  readonly cb_data: Signal;
  readonly found_valid: Signal;
  readonly found_tag: Signal;
  readonly found_index: Signal;
}

/** Cycles from a sub-vector entering the unit (`valid`) to its `found_*` outputs. */
export function searchLatency(params: Pick<SearchUnitParams, 'v' | 'ca' | 'act' | 'distance' | 'branchLength'>): number {
  const branches = Math.ceil(params.ca / params.branchLength);
  const treeLevels = branches === 1 ? 0 : bitsFor(branches);
  const stages = distanceStages({ v: params.v, float: params.act !== 'int16', distance: params.distance });
  // The input register, one cycle per PE of the longest chain, the distance stages, the last PE's
  // best register, one register per tree level.
  return 2 + params.branchLength + stages + treeLevels;
}

export const centroidSearchUnit = moduleGenerator('lut_llm_centroid_search', (m: ModuleBuilder, p: SearchUnitParams): SearchUnitIo => {
  const float = p.act !== 'int16';
  const inElement = p.act === 'int16' ? SInt(16) : UInt(p.act === 'fp32' ? 32 : 16);
  const element = elementShape(float);
  const indexBits = bitsFor(p.ca);
  const x = m.input('x', Vec(p.v, inElement));
  const q = m.input('q', UInt(p.addressBits));
  const tag = m.input('tag', UInt(p.tagBits));
  const valid = m.input('valid', Bool);
  const cbWrite = m.input('cb_write', Bool);
  const cbAddress = m.input('cb_address', UInt(p.addressBits));
  const cbData = m.input('cb_data', UInt(p.ca * p.v * element.width));
  const foundValid = m.output('found_valid', Bool);
  const foundTag = m.output('found_tag', UInt(p.tagBits));
  const foundIndex = m.output('found_index', UInt(indexBits));

  // FP16 widens to FP32 exactly, once here rather than in every PE.
  const widened = x.map((value, i) => (p.act === 'fp16' ? fpConvert(m, `widen_${i}`, value, FP16, FP32) : value));
  const inX = widened.map((value, i) => registered(m, `in_x_${i}`, value));
  const inQ = registered(m, 'in_q', q);
  const inTag = registered(m, 'in_tag', tag);
  const inValid = m.reg('in_valid', Bool, { init: 0 });
  inValid.assign(valid);

  const peParams: CentroidPeParams = {
    v: p.v,
    float,
    distance: p.distance,
    distanceBits: p.distanceBits,
    indexBits,
    depth: p.depth,
    addressBits: p.addressBits,
  };
  const pe = centroidPe(peParams);
  const centroidBits = p.v * element.width;
  const allOnes = lit((1n << BigInt(p.distanceBits)) - 1n, UInt(p.distanceBits));
  let level: { distance: Expr; index: Expr }[] = [];
  for (let start = 0; start < p.ca; start += p.branchLength) {
    const count = Math.min(p.branchLength, p.ca - start);
    let xs: Expr[] = inX;
    let qs: Expr = inQ;
    let best: Expr = allOnes;
    let bestIndex: Expr = lit(start, UInt(indexBits));
    for (let c = start; c < start + count; c++) {
      const io = m.instance(pe, `pe_${c}`).io;
      io.cb_write.assign(cbWrite);
      io.cb_address.assign(cbAddress);
      io.cb_centroid.assign(cbData.slice((c + 1) * centroidBits - 1, c * centroidBits));
      connect(io.x_in, xs);
      io.q_in.assign(qs);
      io.best_in.assign(best);
      io.best_index_in.assign(bestIndex);
      io.index.assign(lit(c, UInt(indexBits)));
      xs = io.x_out;
      qs = io.q_out;
      best = io.best_out;
      bestIndex = io.best_index_out;
    }
    // A shorter last chain waits for the others.
    const wait = p.branchLength - count;
    level.push({ distance: delay(m, `branch_${start}_best`, best, wait), index: delay(m, `branch_${start}_index`, bestIndex, wait) });
  }
  // The argmin tree: the right side holds higher indices, so it wins only when strictly smaller.
  for (let depth = 1; level.length > 1; depth++) {
    const next: { distance: Expr; index: Expr }[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1] ?? left;
      const takeRight = right === left ? lit(0, Bool) : right.distance.lt(left.distance);
      const name = `tree${depth}_${i / 2}`;
      const distance = mux(takeRight, right.distance, left.distance);
      next.push({
        // The root passes on only its index: its distance has no reader, so it gets no register.
        distance: level.length > 2 ? registered(m, `${name}_best`, distance) : distance,
        index: registered(m, `${name}_index`, mux(takeRight, right.index, left.index)),
      });
    }
    level = next;
  }
  const latency = searchLatency(p);
  foundIndex.assign(level[0]!.index);
  foundTag.assign(delay(m, 'tag', inTag, latency - 1));
  foundValid.assign(delay(m, 'valid', inValid, latency - 1, { init: 0 }));
  return { x, q, tag, valid, cb_write: cbWrite, cb_address: cbAddress, cb_data: cbData, found_valid: foundValid, found_tag: foundTag, found_index: foundIndex };
});
