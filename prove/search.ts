// The designs of the centroid-search proofs: the LUT-LLM search unit (chains of PEs, each with its
// centroid memory, meeting in an argmin tree) against the straightforward definition, the first
// centroid at the smallest distance, found by a scan. Both sit in the same sequencer: it writes the
// codebook into the unit in its first cycle, sends a sub-vector in its second (and, with `gaps`,
// more sub-vectors that many cycles apart: k for back to back at the unit's rate with PEs of k
// centroids, more for a pause), and expects each index exactly `latency` cycles after its
// sub-vector. Int16 activations, whose distances are exact integers.
//
// The sub-vectors are sent at fixed cycles rather than whenever the solver likes: a free `valid`
// makes the bounded proof of a unit of 3 PEs run past 5 minutes, fixed cycles keep it in seconds.

import { Bool, bitsFor, cat, lit, moduleGenerator, mux, SInt, UInt, Vec, type Expr, type IntShape, type ModuleBuilder, type ModuleDef, type Signal } from '../dsl/index.js';
import { lutLlmConfig } from '../generators/lut-llm/config.js';
import { lutLlmLayout } from '../generators/lut-llm/layout.js';
import { centroidSearchUnit, searchLatency, type SearchUnitIo, type SearchUnitParams } from '../generators/lut-llm/search.js';
import type { Distance } from '../contracts/lut-llm-layer.js';

export interface SearchProofParams {
  readonly v: number;
  readonly ca: number;
  readonly distance: Distance;
  /** k, centroids per PE; 1 when absent. */
  readonly centroidsPerPe?: number;
  /** Cycles from each sub-vector to the next (each at least k); none: one sub-vector. */
  readonly gaps?: readonly number[];
  readonly side: 'gate' | 'gold';
}

/**
 * The unit's parameters as the LUT-LLM engine derives them for this v, Ca and distance (chains of
 * the layout's branch length, counted in PEs), with k centroids per PE.
 */
export function searchParams({ v, ca, distance, centroidsPerPe = 1 }: Pick<SearchProofParams, 'v' | 'ca' | 'distance' | 'centroidsPerPe'>): SearchUnitParams {
  const config = lutLlmConfig.parse({ v, ca, distance, act: 'int16' });
  const layout = lutLlmLayout(config);
  return {
    v,
    ca,
    act: 'int16',
    distance,
    distanceBits: layout.distanceBits,
    depth: 2,
    addressBits: 1,
    tagBits: 1,
    branchLength: layout.branchLength,
    centroidsPerPe,
  };
}

/** The distance as config.ts defines it, at full width: max |d|, sum |d| or sum d^2. */
function plainDistance(x: readonly Expr[], c: readonly Expr[], distance: Distance): Expr {
  const differences = x.map((xi, i) => xi.sub(c[i]!));
  if (distance === 'l2') return differences.map((d) => d.mul(d).asUnsigned()).reduce((sum, square) => sum.add(square));
  const magnitudes = differences.map((d) => mux(d.lt(0), d.neg().trunc(d.width), d).asUnsigned());
  if (distance === 'l1') return magnitudes.reduce((sum, magnitude) => sum.add(magnitude));
  return magnitudes.reduce((largest, magnitude) => mux(magnitude.gt(largest), magnitude, largest));
}

/** The cycles the sequencer sends sub-vectors in: 1, then `gaps` apart. */
export function sendCycles(gaps: readonly number[] = []): number[] {
  const cycles = [1];
  for (const gap of gaps) cycles.push(cycles[cycles.length - 1]! + gap);
  return cycles;
}

/** Ports: `codebook` (Ca centroids of v int16), `x` (v int16); out `found` and `index`. */
export const searchCheck = moduleGenerator('search_check', (m, params: SearchProofParams) => {
  const { v, ca, distance, side } = params;
  const unitParams = searchParams(params);
  const k = unitParams.centroidsPerPe ?? 1;
  const latency = searchLatency(unitParams);
  const sends = sendCycles(params.gaps);
  if ((params.gaps ?? []).some((gap) => gap < k)) throw new RangeError(`sub-vectors must be at least k = ${k} cycles apart, got gaps ${params.gaps!.join(', ')}`);
  const codebook = m.input('codebook', Vec(ca, Vec(v, SInt(16))));
  const x = m.input('x', Vec(v, SInt(16)));
  const found = m.output('found', Bool);
  const index = m.output('index', UInt(bitsFor(ca)));

  // Cycle 0 writes the codebook, cycle s sends a sub-vector, cycle s + latency has its answer.
  const lastAnswer = sends[sends.length - 1]! + latency;
  const count = m.reg('count', UInt(bitsFor(lastAnswer + 2)), { init: 0 });
  m.when(count.ne(lastAnswer + 1), () => count.assign(count.addWrap(1)));
  const writing = m.node('writing', count.eq(0));
  const suffix = (j: number) => (sends.length === 1 ? '' : `_${j}`);
  const sending = sends.map((cycle, j) => m.node(`sending${suffix(j)}`, count.eq(cycle)));

  if (side === 'gold') {
    const held = codebook.map((centroid, c) => centroid.map((element, i) => hold(m, element, writing, `centroid_${c}_${i}`)));
    let answered: Expr = lit(0, Bool);
    let answerIndex: Expr = lit(0, index.shape);
    sends.forEach((cycle, j) => {
      const heldX = x.map((element, i) => hold(m, element, sending[j]!, `x_held${suffix(j)}_${i}`));
      const answer = m.node(`answer${suffix(j)}`, count.eq(cycle + latency));
      answered = answered.or(answer);
      answerIndex = mux(answer, firstNearest(held, heldX, distance, index.shape), answerIndex);
    });
    found.assign(answered);
    index.assign(answerIndex);
    return { codebook, x, found, index };
  }
  const unit = m.instance(centroidSearchUnit(unitParams) as ModuleDef<SearchUnitIo>, 'search').io;
  const words = codebook.map((centroid) => cat(...[...centroid].reverse()));
  unit.cb_write.assign(writing);
  unit.cb_address.assign(lit(0, UInt(1)));
  unit.cb_data.assign(cat(...[...words].reverse()));
  unit.x.forEach((element, i) => element.assign(x[i]!));
  unit.q.assign(lit(0, UInt(1)));
  unit.tag.assign(lit(0, UInt(1)));
  unit.valid.assign(sending.reduce<Expr>((any, send) => any.or(send), lit(0, Bool)));
  found.assign(unit.found_valid);
  index.assign(mux(unit.found_valid, unit.found_index, lit(0, index.shape)));
  return { codebook, x, found, index };
});

/** The scan: the first centroid that no later one beats (strictly smaller distance). */
function firstNearest(codebook: readonly (readonly Expr[])[], x: readonly Expr[], distance: Distance, shape: IntShape): Expr {
  const distances = codebook.map((centroid) => plainDistance(x, centroid, distance));
  let best: Expr = distances[0]!;
  let bestIndex: Expr = lit(0, shape);
  distances.forEach((d, c) => {
    if (c === 0) return;
    const take = d.lt(best);
    best = mux(take, d, best);
    bestIndex = mux(take, lit(c, shape), bestIndex);
  });
  return bestIndex;
}

function hold(m: ModuleBuilder, value: Signal, when: Expr, name: string): Signal {
  const r = m.reg(name, value.shape);
  m.when(when, () => r.assign(value));
  return r;
}
