// The proofs `lutforge prove` runs: each a pair of designs (the reference as gold, the generator's
// hardware as gate) and what proving them equivalent establishes. Quick ones also run in
// `make test`; the rest in `make regress` and by default on the command line.

import { emitVerilog } from '../dsl/index.js';
import { searchLatency } from '../generators/lut-llm/search.js';
import { planeLookup, serialBeatCheck } from './dot-product.js';
import type { EquivalenceProblem } from './miter.js';
import { searchCheck, searchParams, sendCycles } from './search.js';
import { TABLE_KINDS, type TableKind } from '../contracts/table-kind.js';
import type { Distance } from '../contracts/lut-llm-layer.js';

export interface Proof {
  /** `family/variant`, what the command line selects by (a prefix selects a family). */
  readonly name: string;
  /** What a successful proof establishes, in a sentence. */
  readonly claim: string;
  /** Part of the bounded set `make test` runs. */
  readonly quick: boolean;
  readonly problem: () => EquivalenceProblem;
}

const K = 4;
const ACT = 'int8';
/** Beats of the bounded serial proofs: any two consecutive beats, each of any plane and kind. */
const SERIAL_BEATS = 2;

function lookupProofs(): Proof[] {
  return TABLE_KINDS.map((table) => ({
    name: `lookup/${table}`,
    claim: `k = ${K}, ${ACT}: for every activation vector and every weight-bit field, the ${table} table path (precompute, packing, one-hot decode, lookup, sign) gives the plain ${table === 'unsigned' ? '{0,1}' : '{-1,+1}'} dot product`,
    quick: table === 'symmetric',
    problem: () => ({
      gold: emitVerilog(planeLookup({ k: K, wbits: 1, act: ACT, table, side: 'gold' })),
      gate: emitVerilog(planeLookup({ k: K, wbits: 1, act: ACT, table, side: 'gate' })),
    }),
  }));
}

function tableEquivalence(): Proof {
  return {
    name: 'tables/symmetric-vs-naive',
    claim: `k = ${K}, ${ACT}: the symmetric table (2^(k-1) entries and a sign) and the naive table (2^k entries) give the same lookup for every activation vector and field`,
    quick: false,
    problem: () => ({
      gold: emitVerilog(planeLookup({ k: K, wbits: 1, act: ACT, table: 'naive', side: 'gate' })),
      gate: emitVerilog(planeLookup({ k: K, wbits: 1, act: ACT, table: 'symmetric', side: 'gate' })),
    }),
  };
}

function serialProofs(): Proof[] {
  const proofs: Proof[] = [];
  for (const table of TABLE_KINDS) {
    for (let wbits = 1; wbits <= 4; wbits++) {
      const params = { k: K, wbits, act: ACT, table, kind: 'lut', maxK: K * SERIAL_BEATS } as const;
      proofs.push({
        name: `serial/${table}/w${wbits}`,
        claim: `k = ${K}, ${ACT}, ${wbits}-bit weights, ${table} table: the bit-serial dot-product array (row sum, plane shifter, tile, unit accumulator) equals the plain serial reference over any ${SERIAL_BEATS} beats from reset: any plane, group or correction beat, first, stall`,
        quick: table === 'symmetric' && wbits === 1,
        problem: () => ({
          gold: emitVerilog(serialBeatCheck({ ...params, side: 'gold' })),
          gate: emitVerilog(serialBeatCheck({ ...params, side: 'gate' })),
          steps: SERIAL_BEATS,
        }),
      });
    }
  }
  // The ablation with a table beside every unit, and the ADD baseline's add-or-skip units ({0,1}).
  const variants = [
    { kind: 'lut-local', table: 'symmetric', what: 'the per-unit-table array (each unit builds its own symmetric table)', reading: '{-1,+1}' },
    { kind: 'add', table: 'unsigned', what: 'the bit-serial ADD baseline array (add-or-skip units, no table)', reading: '{0,1}' },
  ] as const;
  for (const { kind, table, what, reading } of variants) {
    for (let wbits = 1; wbits <= 4; wbits++) {
      const params = { k: K, wbits, act: ACT, table, kind, maxK: K * SERIAL_BEATS } as const;
      proofs.push({
        name: `serial/${kind}/w${wbits}`,
        claim: `k = ${K}, ${ACT}, ${wbits}-bit weights: ${what} equals the plain serial ${reading} reference over any ${SERIAL_BEATS} beats from reset`,
        quick: false,
        problem: () => ({
          gold: emitVerilog(serialBeatCheck({ ...params, side: 'gold' })),
          gate: emitVerilog(serialBeatCheck({ ...params, side: 'gate' })),
          steps: SERIAL_BEATS,
        }),
      });
    }
  }
  return proofs;
}

/**
 * Small enough for SAT, large enough for chains of 2, a shorter last chain and an odd argmin tree.
 * A sum of distances (l1) over v = 2 puts the SAT solver past minutes; v = 1 keeps it in seconds.
 * l2 is not here: its squares are 16 x 16 multipliers computed two ways (|d|^2 in the unit, d^2 in
 * the reference), past SAT's reach even at v = 1.
 */
const SEARCH_SHAPES: readonly { readonly distance: Distance; readonly v: number; readonly ca: number }[] = [
  { distance: 'linf', v: 2, ca: 5 },
  { distance: 'l1', v: 1, ca: 5 },
];

/**
 * PEs of k centroids, at v = 1 (SAT time grows fast with the sub-vectors in flight). Ca 3 at k = 2:
 * PEs of 2 and 1 centroids, each its own chain, a tree. Ca 5 at k = 2: PEs of 2, 2 and 1, a chain
 * of 2 and a chain of 1 that waits, sub-vectors back to back at the unit's rate. Ca 6 at k = 4:
 * PEs of 4 and 2 in one chain, sub-vectors a cycle further apart than the unit needs. Two
 * sub-vectors in flight cost SAT far more than one: the last two take about 4 and 13 minutes on a
 * loaded machine (make regress); the first, a few seconds, runs in make test.
 */
const SERIAL_SEARCH_SHAPES: readonly { readonly name: string; readonly ca: number; readonly k: number; readonly gaps: readonly number[]; readonly quick: boolean }[] = [
  { name: 'linf-k2', ca: 3, k: 2, gaps: [], quick: true },
  { name: 'linf-k2-back-to-back', ca: 5, k: 2, gaps: [2], quick: false },
  { name: 'linf-k4-pause', ca: 6, k: 4, gaps: [5], quick: false },
];

function searchProofs(): Proof[] {
  const single = SEARCH_SHAPES.map((shape) => {
    const { distance, v, ca } = shape;
    const latency = searchLatency(searchParams(shape));
    return {
      name: `search/${distance}`,
      claim: `int16, v = ${v}, Ca = ${ca}, ${distance}: for every codebook and sub-vector, the centroid search unit answers ${latency} cycles after the sub-vector with the first index of the smallest distance, as a scan finds it`,
      quick: distance === 'linf',
      problem: () => ({
        gold: emitVerilog(searchCheck({ ...shape, side: 'gold' })),
        gate: emitVerilog(searchCheck({ ...shape, side: 'gate' })),
        // Two cycles past the answer: nothing else may come out.
        steps: latency + 3,
        fixed: { rst: 0 },
      }),
    };
  });
  const serial = SERIAL_SEARCH_SHAPES.map(({ name, ca, k, gaps, quick }) => {
    const shape = { v: 1, ca, distance: 'linf', centroidsPerPe: k, gaps } as const;
    const latency = searchLatency(searchParams(shape));
    const sends = sendCycles(gaps);
    const spacing = gaps.length === 0 ? 'a sub-vector' : `sub-vectors ${gaps.join(', ')} cycles apart`;
    return {
      name: `search/${name}`,
      claim: `int16, v = 1, Ca = ${ca}, linf, ${k} centroids per PE (${Math.ceil(ca / k)} PEs): for every codebook and ${spacing}, the centroid search unit answers each ${latency} cycles after it with the first index of the smallest distance, as a scan finds it`,
      quick,
      problem: () => ({
        gold: emitVerilog(searchCheck({ ...shape, side: 'gold' })),
        gate: emitVerilog(searchCheck({ ...shape, side: 'gate' })),
        steps: sends[sends.length - 1]! + latency + 3,
        fixed: { rst: 0 },
      }),
    };
  });
  return [...single, ...serial];
}

export const PROOFS: readonly Proof[] = [...lookupProofs(), tableEquivalence(), ...serialProofs(), ...searchProofs()];

/** Proofs whose name equals or starts with `family/` for any selector; all for none. */
export function selectProofs(selectors: readonly string[]): Proof[] {
  if (selectors.length === 0) return [...PROOFS];
  const unknown = selectors.filter((s) => !PROOFS.some((proof) => matches(proof.name, s)));
  if (unknown.length > 0) throw new RangeError(`no proof named ${unknown.map((s) => `'${s}'`).join(', ')} (run with --list for the proofs)`);
  return PROOFS.filter((proof) => selectors.some((s) => matches(proof.name, s)));
}

function matches(name: string, selector: string): boolean {
  const trimmed = selector.replace(/\/+$/, '');
  return name === trimmed || name.startsWith(`${trimmed}/`);
}

/** A broken table lookup (one entry read one too high), for showing that a proof can fail. */
export function brokenLookupProblem(table: TableKind = 'symmetric', entry = 5): EquivalenceProblem {
  return {
    gold: emitVerilog(planeLookup({ k: K, wbits: 1, act: ACT, table, side: 'gold' })),
    gate: emitVerilog(planeLookup({ k: K, wbits: 1, act: ACT, table, side: 'gate', brokenEntry: entry })),
  };
}

