// The designs of the centroid-search proof: the LUT-LLM search unit (chains of PEs, each with its
// centroid memory, meeting in an argmin tree) against the straightforward definition, the first
// centroid at the smallest distance, found by a scan. Both sit in the same sequencer: it writes the
// codebook into the unit in its first cycle, sends one sub-vector in its second, and expects the
// index `latency` cycles later. Int16 activations, whose distances are exact integers.

import { Bool, bitsFor, cat, lit, moduleGenerator, mux, SInt, UInt, Vec, type Expr, type ModuleBuilder, type ModuleDef, type Signal } from '../dsl/index.js';
import { lutLlmConfig } from '../generators/lut-llm/config.js';
import { lutLlmLayout } from '../generators/lut-llm/layout.js';
import { centroidSearchUnit, searchLatency, type SearchUnitIo, type SearchUnitParams } from '../generators/lut-llm/search.js';
import type { Distance } from '../contracts/lut-llm-layer.js';

export interface SearchProofParams {
  readonly v: number;
  readonly ca: number;
  readonly distance: Distance;
  readonly side: 'gate' | 'gold';
}

/** The unit's parameters exactly as the LUT-LLM engine derives them for this v, Ca and distance. */
export function searchParams({ v, ca, distance }: Pick<SearchProofParams, 'v' | 'ca' | 'distance'>): SearchUnitParams {
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

/** Ports: `codebook` (Ca centroids of v int16), `x` (v int16); out `found` and `index`. */
export const searchCheck = moduleGenerator('search_check', (m, params: SearchProofParams) => {
  const { v, ca, distance, side } = params;
  const unitParams = searchParams({ v, ca, distance });
  const latency = searchLatency(unitParams);
  const codebook = m.input('codebook', Vec(ca, Vec(v, SInt(16))));
  const x = m.input('x', Vec(v, SInt(16)));
  const found = m.output('found', Bool);
  const index = m.output('index', UInt(bitsFor(ca)));

  // Cycle 0 writes the codebook, cycle 1 sends the sub-vector, cycle 1 + latency has the answer.
  const foundAt = 1 + latency;
  const count = m.reg('count', UInt(bitsFor(foundAt + 2)), { init: 0 });
  m.when(count.ne(foundAt + 1), () => count.assign(count.addWrap(1)));
  const writing = m.node('writing', count.eq(0));
  const sending = m.node('sending', count.eq(1));

  if (side === 'gold') {
    const held = codebook.map((centroid, c) => centroid.map((element, i) => hold(m, element, writing, `centroid_${c}_${i}`)));
    const heldX = x.map((element, i) => hold(m, element, sending, `x_held_${i}`));
    const distances = held.map((centroid) => plainDistance(heldX, centroid, distance));
    let best: Expr = distances[0]!;
    let bestIndex: Expr = lit(0, index.shape);
    distances.forEach((d, c) => {
      if (c === 0) return;
      const take = d.lt(best);
      best = mux(take, d, best);
      bestIndex = mux(take, lit(c, index.shape), bestIndex);
    });
    const answer = m.node('answer', count.eq(foundAt));
    found.assign(answer);
    index.assign(mux(answer, bestIndex, lit(0, index.shape)));
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
  unit.valid.assign(sending);
  found.assign(unit.found_valid);
  index.assign(mux(unit.found_valid, unit.found_index, lit(0, index.shape)));
  return { codebook, x, found, index };
});

function hold(m: ModuleBuilder, value: Signal, when: Expr, name: string): Signal {
  const r = m.reg(name, value.shape);
  m.when(when, () => r.assign(value));
  return r;
}
