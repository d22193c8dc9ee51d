// The centroid search unit (docs/design/lut-llm.md): processing elements (PEs, search-pe.ts), each
// holding k consecutive centroids (`centroidsPerPe`) of every position in a small memory of its
// own, in chains that carry (best distance, best index) from one PE to the next, the sub-vector
// travelling beside it k cycles per PE; the chains ("branches", at most `branchLength` PEs) run
// side by side and meet in an argmin tree. With k = 1 (the released design) a PE has one centroid
// and a new sub-vector can enter every cycle; with k > 1 there are ceil(Ca / k) PEs and a new
// sub-vector may enter at most every k cycles (the engine spaces them; later is always fine).
// Nothing ever stalls: bubbles flow through with their valid bit low.
//
// Distances follow config.ts exactly: FP32 operators from dsl/lib/fp (fp16 activations widened
// once per unit, exactly) or exact integers for int16. The winner is the smallest (distance bits
// as an unsigned number, index): a PE takes over only when its distance is strictly smaller than
// the best so far, and in the tree the higher-indexed side wins only when strictly smaller, so
// ties keep the lower index exactly as a scan would.

import { bitsFor, Bool, connect, delay, type Expr, FP16, FP32, fpConvert, lit, type ModuleBuilder, moduleGenerator, mux, type Signal, SInt, UInt, Vec } from '../../api/index.js';
import type { Distance, LlmActFormat } from '../../contracts/lut-llm-layer.js';
import { centroidPe, type CentroidPeParams, distanceStages, elementShape, registered, SELECT_STAGES, serialCentroidPe } from './search-pe.js';

export { centroidPe, type CentroidPeIo, type CentroidPeParams, distanceStages, serialCentroidPe, type SerialPeIo, type SerialPeParams } from './search-pe.js';

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
  /** Most PEs in one chain. */
  readonly branchLength: number;
  /**
   * k, centroids per PE (1 to Ca; 1 when absent): the unit has ceil(Ca / k) PEs and takes a new
   * sub-vector at most every k cycles.
   */
  readonly centroidsPerPe?: number;
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

type ShapeParams = Pick<SearchUnitParams, 'ca' | 'branchLength' | 'centroidsPerPe'>;

/** k, checked: an integer from 1 to Ca. */
export function centroidsPerPeOf(params: Pick<SearchUnitParams, 'ca' | 'centroidsPerPe'>): number {
  const k = params.centroidsPerPe ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > params.ca) throw new RangeError(`centroidsPerPe must be an integer from 1 to Ca = ${params.ca}, got ${k}`);
  return k;
}

/** PEs, PEs of the longest chain, and chains of a unit. */
export function searchShape(params: ShapeParams): { pes: number; chainLength: number; chains: number } {
  const pes = Math.ceil(params.ca / centroidsPerPeOf(params));
  const chainLength = Math.min(params.branchLength, pes);
  return { pes, chainLength, chains: Math.ceil(pes / chainLength) };
}

/**
 * Cycles from a sub-vector entering the unit (`valid`) to its `found_*` outputs:
 * 2 + chainLength * k + (k > 1 ? 1 : 0) + distanceStages + treeLevels, with chainLength =
 * min(branchLength, ceil(Ca / k)) and treeLevels = bitsFor(chains) (0 for one chain).
 */
export function searchLatency(params: Pick<SearchUnitParams, 'v' | 'ca' | 'act' | 'distance' | 'branchLength' | 'centroidsPerPe'>): number {
  const k = centroidsPerPeOf(params);
  const { chainLength, chains } = searchShape(params);
  const treeLevels = chains === 1 ? 0 : bitsFor(chains);
  const stages = distanceStages({ v: params.v, float: params.act !== 'int16', distance: params.distance });
  // The input register, k cycles per PE of the longest chain, the register after a serial PE's
  // centroid select, the distance stages, the last PE's best register, one register per tree level.
  return 2 + chainLength * k + (k > 1 ? SELECT_STAGES : 0) + stages + treeLevels;
}

interface Candidate {
  readonly distance: Expr;
  readonly index: Expr;
}

export const centroidSearchUnit = moduleGenerator('lut_llm_centroid_search', (m: ModuleBuilder, p: SearchUnitParams) => {
  const k = centroidsPerPeOf(p);
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
  const centroidBits = p.v * element.width;
  const codebook: Codebook = {
    write: cbWrite,
    address: cbAddress,
    slice: (first, count) => cbData.slice((first + count) * centroidBits - 1, first * centroidBits),
  };
  const input = { x: inX, q: inQ, valid: inValid, tag: inTag };
  const { branches, tail } = k === 1 ? singleChains(m, p, peParams, input, codebook) : serialChains(m, p, k, peParams, input, codebook);
  // The argmin tree: the right side holds higher indices, so it wins only when strictly smaller.
  let level = branches;
  for (let depth = 1; level.length > 1; depth++) {
    const next: Candidate[] = [];
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
  foundIndex.assign(level[0]!.index);
  if (tail === null) {
    const latency = searchLatency(p);
    foundTag.assign(delay(m, 'tag', inTag, latency - 1));
    foundValid.assign(delay(m, 'valid', inValid, latency - 1, { init: 0 }));
  } else {
    // The tag and the start rode along the first chain; what is left is the last PE's compare and
    // best register and the tree.
    const rest = searchLatency(p) - 1 - searchShape(p).chainLength * k;
    foundTag.assign(delay(m, 'tag', tail.tag, rest));
    foundValid.assign(delay(m, 'valid', tail.start, rest, { init: 0 }));
  }
  return { x, q, tag, valid, cb_write: cbWrite, cb_address: cbAddress, cb_data: cbData, found_valid: foundValid, found_tag: foundTag, found_index: foundIndex };
});

interface ChainInput {
  readonly x: readonly Expr[];
  readonly q: Expr;
  readonly valid: Expr;
  readonly tag: Expr;
}

interface Chains {
  /** Each chain's result, delayed to when the longest chain's is ready. */
  readonly branches: Candidate[];
  /** The first chain's last PE: the start it hands on and the tag it holds then (k > 1). */
  readonly tail: { readonly start: Expr; readonly tag: Expr } | null;
}

interface Codebook {
  readonly write: Expr;
  readonly address: Expr;
  /** The centroids first .. first + count - 1 of a beat, the first in the low bits. */
  readonly slice: (first: number, count: number) => Expr;
}

/** k = 1: a PE per centroid, a new sub-vector every cycle, as the released design. */
function singleChains(m: ModuleBuilder, p: SearchUnitParams, peParams: CentroidPeParams, input: ChainInput, codebook: Codebook): Chains {
  const { chainLength } = searchShape(p);
  const indexShape = UInt(peParams.indexBits);
  const allOnes = lit((1n << BigInt(p.distanceBits)) - 1n, UInt(p.distanceBits));
  const pe = centroidPe(peParams);
  const branches: Candidate[] = [];
  for (let start = 0; start < p.ca; start += chainLength) {
    const count = Math.min(chainLength, p.ca - start);
    let xs: readonly Expr[] = input.x;
    let qs: Expr = input.q;
    let best: Expr = allOnes;
    let bestIndex: Expr = lit(start, indexShape);
    for (let c = start; c < start + count; c++) {
      const io = m.instance(pe, `pe_${c}`).io;
      io.cb_write.assign(codebook.write);
      io.cb_address.assign(codebook.address);
      io.cb_centroid.assign(codebook.slice(c, 1));
      connect(io.x_in, xs);
      io.q_in.assign(qs);
      io.best_in.assign(best);
      io.best_index_in.assign(bestIndex);
      io.index.assign(lit(c, indexShape));
      xs = io.x_out;
      qs = io.q_out;
      best = io.best_out;
      bestIndex = io.best_index_out;
    }
    // A shorter last chain waits for the others.
    const wait = chainLength - count;
    branches.push({ distance: delay(m, `branch_${start}_best`, best, wait), index: delay(m, `branch_${start}_index`, bestIndex, wait) });
  }
  return { branches, tail: null };
}

/**
 * k > 1: PE c holds the centroids c * k .. c * k + k - 1 (the last PE fewer when k does not
 * divide Ca) and hands each sub-vector on k cycles after it came. The tag and the start pulse ride
 * along the first chain, a register per PE, rather than in a delay line as long as the latency.
 */
function serialChains(m: ModuleBuilder, p: SearchUnitParams, k: number, peParams: CentroidPeParams, input: ChainInput, codebook: Codebook): Chains {
  const { pes, chainLength } = searchShape(p);
  const indexShape = UInt(peParams.indexBits);
  const allOnes = lit((1n << BigInt(p.distanceBits)) - 1n, UInt(p.distanceBits));
  const branches: Candidate[] = [];
  let tail: Chains['tail'] = null;
  for (let start = 0; start < pes; start += chainLength) {
    const count = Math.min(chainLength, pes - start);
    let xs: readonly Expr[] = input.x;
    let qs: Expr = input.q;
    let starts: Expr = input.valid;
    let tag: Expr = input.tag;
    let best: Expr = allOnes;
    let bestIndex: Expr = lit(start * k, indexShape);
    for (let c = start; c < start + count; c++) {
      const first = c * k;
      const centroids = Math.min(k, p.ca - first);
      const io = m.instance(serialCentroidPe({ ...peParams, centroidsPerPe: k, centroids }), `pe_${c}`).io;
      io.cb_write.assign(codebook.write);
      io.cb_address.assign(codebook.address);
      io.cb_centroid.assign(codebook.slice(first, centroids));
      connect(io.x_in, xs);
      io.q_in.assign(qs);
      io.start_in.assign(starts);
      io.best_in.assign(best);
      io.best_index_in.assign(bestIndex);
      io.index.assign(lit(first, indexShape));
      if (start === 0) {
        const held = m.reg(`tag_${c}`, UInt(p.tagBits), { enable: starts });
        held.assign(tag);
        tag = held;
      }
      xs = io.x_out;
      qs = io.q_out;
      starts = io.start_out;
      best = io.best_out;
      bestIndex = io.best_index_out;
    }
    if (start === 0) tail = { start: starts, tag };
    // A shorter last chain waits for the others, k cycles per PE it lacks.
    const wait = (chainLength - count) * k;
    branches.push({ distance: delay(m, `branch_${start}_best`, best, wait), index: delay(m, `branch_${start}_index`, bestIndex, wait) });
  }
  return { branches, tail };
}
