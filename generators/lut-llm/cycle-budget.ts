// Where the cycles of a LUT-LLM run go (docs/design/lut-llm.md, cycle figures): the ideal, the
// lanes a ragged last chunk leaves idle, the start-up and the pipeline's drain, and the waits for
// tables that take longer to load than to use. These follow from the engine's structure (the
// lookup loop issues one step per cycle once its table slot, weight-index slot and activation
// index are in; lookup.ts, engine.ts, search.ts); the caller measures the total by simulation and
// calls what the structure does not account for stalls.

import type { LutLlmConfig } from './config.js';
import { chunksOfLastGroup, lutLlmLayout } from './layout.js';
import { lutLlmIdealCycles, type LutLlmRunDims } from './pack.js';
import { searchLatency } from './search.js';
import { BUFFER_SLOTS } from './layout.js';

/** Register stages from a lookup step's issue to its `acc` beat: S1..S4 and the `acc` register. */
export const LOOKUP_PIPELINE_STAGES = 5;
/** The hardware dequantization after `acc`: multiplier, adder and the `out` register (engine.ts). */
export const DEQUANT_PIPELINE_STAGES = 3;

/** Cycles of a run by cause, from the structure alone; `stalls` is left to the measurement. */
export interface LutLlmCycleBudget {
  /** ceil(T * P * N / (positionsPerCycle * lookupsPerCycle)): every lane of every stage busy in every cycle. */
  readonly ideal: number;
  /**
   * Steps beyond the ideal: chunks reaching past column N (a ragged last group) and stages past
   * position P - 1 (P not a multiple of positionsPerCycle) leave lanes idle.
   */
  readonly idleLanes: number;
  /**
   * Cycles before the first lookup step: the command, the first codebook and activation beats,
   * the centroid search's latency, and the first table's `tableBeats` beats, whichever is last.
   */
  readonly fill: number;
  /** Cycles after the last lookup step: the lookup pipeline (and the dequantization). */
  readonly drain: number;
  /**
   * Steps waiting for their table: a (block, group) table takes `tableBeats` cycles to load
   * but only T * chunks to use when that is fewer (few tokens, or a narrow last group).
   */
  readonly tableLoading: number;
  /**
   * Steps of column group 0 waiting for their activation indices after the first: the search takes
   * a sub-vector every centroidsPerPe cycles, which a narrow single group (fewer than `chunks`
   * lookup beats) or a set searchUnits below the lookup rate outpaces.
   */
  readonly searchWaits: number;
}

/**
 * The structural part of a run's cycles (see LutLlmCycleBudget): the lookup loop replayed set by
 * set, (group, position block) in order, with the loaders' rings of BUFFER_SLOTS slots. A set's
 * beats start once the previous set's are in and its slot has been released (the cycle after the
 * lookups read its last row); its steps start once its table and weight indices are complete
 * and the previous set's steps are done, then take one cycle each; in group 0 each token's steps
 * also wait for the search result that completes the block's indices.
 */
export function lutLlmCycleBudget(config: LutLlmConfig, dims: LutLlmRunDims): LutLlmCycleBudget {
  const layout = lutLlmLayout(config);
  const { T, P, N, G } = dims;
  const { stages, units, centroidsPerPe } = layout;
  const chunks = layout.shape.chunks;
  const lastChunks = chunksOfLastGroup(config, N, G);
  const ideal = lutLlmIdealCycles(config, dims);
  const searchParams = { v: config.v, ca: config.ca, act: config.act, distance: config.distance, branchLength: layout.branchLength, centroidsPerPe };
  const latency = searchLatency(searchParams);
  // Cycle 0 takes the command and the loaders start at cycle 1; activation beat i = q*T + t
  // (position group q, token t) enters the search at cycle 2 + i*k, its result is counted
  // `latency` cycles after that, and a step needing it issues the cycle after.
  const positionGroups = Math.ceil(P / units);
  const indexIssue = (block: number, t: number): number => {
    // The result that completes the block's indices: its last position's group, for token t.
    const q = Math.min(Math.floor(((block + 1) * stages - 1) / units), positionGroups - 1);
    return 3 + latency + (q * T + t) * centroidsPerPe;
  };

  const blocks = Math.ceil(P / stages);
  const sets = blocks * G;
  const tableRing = new Ring(layout.tableBeats);
  const windexRing = new Ring(0);
  /** Cycle of each set's last step, for the slot releases BUFFER_SLOTS sets later. */
  const lastStep = new Float64Array(sets);
  let steps = 0;
  let tableLoading = 0;
  let searchWaits = 0;
  let fill = 0;
  let previousEnd = -1;
  for (let set = 0; set < sets; set++) {
    const group = Math.floor(set / blocks);
    const block = set % blocks;
    const setChunks = group === G - 1 ? lastChunks : chunks;
    const freedAt = set >= BUFFER_SLOTS ? lastStep[set - BUFFER_SLOTS]! + 2 : 1;
    const tableReady = tableRing.load(freedAt);
    const windexReady = windexRing.load(freedAt, setChunks);
    const loaded = Math.max(previousEnd + 1, tableReady, windexReady);
    let end = loaded - 1;
    for (let t = 0; t < T; t++) {
      const first = group === 0 ? Math.max(end + 1, indexIssue(block, t)) : end + 1;
      if (set === 0 && t === 0) fill = first;
      else searchWaits += first - (end + 1);
      end = first + setChunks - 1;
    }
    if (set > 0) tableLoading += loaded - (previousEnd + 1);
    previousEnd = end;
    lastStep[set] = end;
    steps += T * setChunks;
  }
  const drain = LOOKUP_PIPELINE_STAGES + (config.dequant ? DEQUANT_PIPELINE_STAGES : 0);
  return { ideal, idleLanes: steps - ideal, fill, drain, tableLoading, searchWaits };
}

/** A loader: one beat per cycle, a set's beats once the previous set's are in and its slot is free. */
class Ring {
  private nextBeat = 1;
  constructor(private readonly beatsPerSet: number) {}

  /** The cycle the set is complete (usable), given when its slot is free. */
  load(freedAt: number, beats = this.beatsPerSet): number {
    const start = Math.max(this.nextBeat, freedAt);
    this.nextBeat = start + beats;
    return this.nextBeat;
  }
}
