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
const LOOKUP_PIPELINE_STAGES = 5;
/** The hardware dequantization after `acc`: multiplier, adder and the `out` register (engine.ts). */
const DEQUANT_PIPELINE_STAGES = 3;

/** Cycles of a run by cause, from the structure alone; `stalls` is left to the measurement. */
export interface LutLlmCycleBudget {
  /** ceil(T * P * N / lookupsPerCycle): every lane busy in every cycle. */
  readonly ideal: number;
  /** Steps whose chunk reaches past column N (the last chunk of a ragged last group): lanes idle. */
  readonly idleLanes: number;
  /**
   * Cycles before the first lookup step: the command, the first codebook and activation beats,
   * the centroid search's latency, and the first table's `tableBeats` beats, whichever is last.
   */
  readonly fill: number;
  /** Cycles after the last lookup step: the lookup pipeline (and the dequantization). */
  readonly drain: number;
  /**
   * Steps waiting for their table: a (position, group) table takes `tableBeats` cycles to load
   * but only T * chunks to use when that is fewer (few tokens, or a narrow last group).
   */
  readonly tableLoading: number;
}

/**
 * The structural part of a run's cycles (see LutLlmCycleBudget): the lookup loop replayed set by
 * set, (group, position) in order, with the loaders' rings of BUFFER_SLOTS slots. A set's beats
 * start once the previous set's are in and its slot has been released (the cycle after the
 * lookups read its last row); its steps start once its table and weight indices are complete
 * and the previous set's steps are done, then take one cycle each.
 */
export function lutLlmCycleBudget(config: LutLlmConfig, dims: LutLlmRunDims): LutLlmCycleBudget {
  const layout = lutLlmLayout(config);
  const { T, P, N, G } = dims;
  const chunks = layout.shape.chunks;
  const lastChunks = chunksOfLastGroup(config, N, G);
  const ideal = lutLlmIdealCycles(config, dims);
  const latency = searchLatency({ v: config.v, ca: config.ca, act: config.act, distance: config.distance, branchLength: layout.branchLength });
  // Cycle 0 takes the command and the loaders start at cycle 1; the first activation beat enters
  // the search at cycle 2 and its index is counted `latency` cycles after that, then issued.
  const firstIndexIssue = 3 + latency;

  const sets = P * G;
  const tableRing = new Ring(layout.tableBeats);
  const windexRing = new Ring(0);
  /** Cycle of each set's last step, for the slot releases BUFFER_SLOTS sets later. */
  const lastStep = new Float64Array(sets);
  let steps = 0;
  let tableLoading = 0;
  let fill = 0;
  let previousEnd = -1;
  for (let set = 0; set < sets; set++) {
    const group = Math.floor(set / P);
    const setChunks = group === G - 1 ? lastChunks : chunks;
    const freedAt = set >= BUFFER_SLOTS ? lastStep[set - BUFFER_SLOTS]! + 2 : 1;
    const tableReady = tableRing.load(freedAt);
    const windexReady = windexRing.load(freedAt, setChunks);
    let first = Math.max(previousEnd + 1, tableReady, windexReady);
    if (set === 0) {
      first = Math.max(first, firstIndexIssue);
      fill = first;
    } else {
      tableLoading += first - (previousEnd + 1);
    }
    const setSteps = T * setChunks;
    previousEnd = first + setSteps - 1;
    lastStep[set] = previousEnd;
    steps += setSteps;
  }
  const drain = LOOKUP_PIPELINE_STAGES + (config.dequant ? DEQUANT_PIPELINE_STAGES : 0);
  return { ideal, idleLanes: steps - ideal, fill, drain, tableLoading };
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
