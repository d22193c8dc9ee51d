// Cycles of one engine round inside the decoder block (docs/design/lut-llm-block.md, "Cycles"): the
// engine's own lookup loop (generators/lut-llm/cycle-budget.ts) replayed cycle by cycle with the
// three things the block changes around it.
//
// 1. The feed. The block's reader gives one activation word per cycle and the gatherer
//    (engine-port.ts) needs units * v of them per `act` beat, then one cycle with the beat full
//    while the engine takes it: beat i enters the search at uv + 1 + i * max(uv + 1, k) (k =
//    centroidsPerPe, the engine's own spacing), not at the standalone engine's 2 + i * k. Column
//    group 0 consumes the indices as they come, so for narrow engines the feed, not the lookups,
//    sets group 0's pace.
// 2. The head start. The engine takes a round's `cmd` as soon as the previous round ends (the host
//    queues all four), so its codebooks, scales and the first BUFFER_SLOTS tables and weight
//    indices load during the phases before the round: the round starts with them in place. (This
//    holds while those phases outlast P / units codebook beats: QK and attention before O, the
//    post norm before up+gate, SiLU before down, y out, x in and the input norm before QKV.)
// 3. The collector. The block writes one result per cycle: the engine's `out` beat of
//    lookupsPerCycle lanes is taken, then emitted over `lanes` cycles, so a beat leaves every
//    lanes + 1 cycles. The beats of a group are made by the steps of its last position block, one
//    per step; the dequantization (DEQUANT_PIPELINE_STAGES registers, the last the `out` register)
//    and the lookup pipeline (LOOKUP_PIPELINE_STAGES, the last the `acc` register) hold while a beat
//    waits (global stalls, lookup.ts and dequant.ts), so a group of more beats than those registers
//    hold freezes the lookups until the collector has taken the excess.
//
// The replay steps a cycle at a time through those registers, so the stalls are exact as far as
// they go; the table slots are released two cycles after a set's last step issues, as the budget
// assumes, which a freeze in between delays in the hardware (only a run whose tables take longer to
// load than to use would notice).

import { DEQUANT_PIPELINE_STAGES, LOOKUP_PIPELINE_STAGES } from '../lut-llm/cycle-budget.js';
import type { LutLlmConfig } from '../lut-llm/config.js';
import { BUFFER_SLOTS, chunksOfLastGroup, lutLlmLayout } from '../lut-llm/layout.js';
import { searchLatency } from '../lut-llm/search.js';

export interface EngineRoundCycles {
  /** The round's phase counter: from the phase's first cycle to the one its last result is written in, plus one. */
  readonly cycles: number;
  /** Lookup steps issued (the engine's ideal plus idle lanes). */
  readonly steps: number;
  /** Cycles before the first step: the first `act` beat gathered, searched. */
  readonly fill: number;
  /** Steps that waited for a search result or a table after the first (feed-bound group 0, mostly). */
  readonly waits: number;
  /** Cycles the lookups were frozen by results the collector had not taken yet. */
  readonly collectorStalls: number;
  /** Cycles from the last step to the end: the pipelines and the collector emptying. */
  readonly tail: number;
}

/** One round of the engine over K inputs and N outputs for T tokens, as the block runs it. */
export function engineRoundCycles(engine: LutLlmConfig, round: { readonly K: number; readonly N: number }, T: number): EngineRoundCycles {
  const layout = lutLlmLayout(engine);
  const { stages, units, centroidsPerPe: k } = layout;
  const lanes = engine.lookupsPerCycle;
  const chunks = layout.shape.chunks;
  const P = round.K / engine.v;
  const G = Math.ceil(round.N / engine.groupCols);
  const lastChunks = chunksOfLastGroup(engine, round.N, G);
  const blocks = Math.ceil(P / stages);
  const positionGroups = Math.ceil(P / units);
  const latency = searchLatency({ v: engine.v, ca: engine.ca, act: engine.act, distance: engine.distance, branchLength: layout.branchLength, centroidsPerPe: k });

  // 1. The feed: `act` beat i = (position group q, token t), i = q * T + t.
  const wordsPerBeat = units * engine.v;
  const beatPeriod = Math.max(wordsPerBeat + 1, k);
  const actTaken = (i: number): number => wordsPerBeat + 1 + i * beatPeriod;
  const indexReady = (block: number, t: number): number => {
    const q = Math.min(Math.floor(((block + 1) * stages - 1) / units), positionGroups - 1);
    return actTaken(q * T + t) + latency + 1;
  };

  // 2. The loaders, one beat per cycle, a set once its slot (BUFFER_SLOTS sets back) is free;
  // the first BUFFER_SLOTS sets are in before the round starts.
  const sets = blocks * G;
  const lastIssue = new Float64Array(sets);
  let tableBeat = -Infinity;
  let windexBeat = -Infinity;
  const setLoaded = (set: number): number => {
    const setChunks = Math.floor(set / blocks) === G - 1 ? lastChunks : chunks;
    const freedAt = set >= BUFFER_SLOTS ? lastIssue[set - BUFFER_SLOTS]! + 2 : -Infinity;
    tableBeat = Math.max(tableBeat, freedAt) + layout.tableBeats;
    windexBeat = Math.max(windexBeat, freedAt) + setChunks;
    return Math.max(tableBeat, windexBeat);
  };

  // 3. The registers between a step's issue and the collector, as the valid bits of result beats:
  // bit 0 the newest stage; the top bit the `acc` register, and the `out` register.
  const lookupTop = 1 << (LOOKUP_PIPELINE_STAGES - 1);
  const lookupMask = (1 << LOOKUP_PIPELINE_STAGES) - 1;
  const dequantTop = 1 << (DEQUANT_PIPELINE_STAGES - 1);
  const dequantMask = (1 << DEQUANT_PIPELINE_STAGES) - 1;
  let lookupPipe = 0;
  let dequantPipe = 0;
  const totalBeats = T * ((G - 1) * chunks + lastChunks);

  let set = 0;
  let t = 0;
  let chunk = 0;
  let ready = setLoaded(0);
  let stepsIssued = 0;
  let fill = -1;
  let waits = 0;
  let collectorStalls = 0;
  let lastStep = 0;
  let laneLeft = 0;
  let beatsTaken = 0;
  let lastTake = -1;
  const stepReady = (): number => (set < blocks ? Math.max(ready, indexReady(set % blocks, t)) : ready);
  for (let cycle = 0; beatsTaken < totalBeats; cycle++) {
    const outValid = (dequantPipe & dequantTop) !== 0;
    const outReady = laneLeft === 0;
    const take = outValid && outReady;
    const dequantAdvance = !outValid || outReady;
    const accValid = (lookupPipe & lookupTop) !== 0;
    const lookupAdvance = !accValid || dequantAdvance;
    const pending = set < sets;
    const due = pending ? stepReady() : Infinity;
    const issue = lookupAdvance && due <= cycle;
    if (pending && !lookupAdvance && due <= cycle) collectorStalls++;
    if (take) {
      laneLeft = lanes;
      beatsTaken++;
      lastTake = cycle;
    } else if (laneLeft > 0) laneLeft--;
    if (dequantAdvance) dequantPipe = ((dequantPipe << 1) | (accValid ? 1 : 0)) & dequantMask;
    if (lookupAdvance) lookupPipe = ((lookupPipe << 1) | (issue && set % blocks === blocks - 1 ? 1 : 0)) & lookupMask;
    if (!issue) continue;
    if (fill < 0) fill = cycle;
    else if (cycle > lastStep + 1) waits += cycle - lastStep - 1;
    lastStep = cycle;
    stepsIssued++;
    // The next step: (group, block) set, then token, then chunk.
    const setChunks = Math.floor(set / blocks) === G - 1 ? lastChunks : chunks;
    if (++chunk < setChunks) continue;
    chunk = 0;
    if (++t < T) continue;
    t = 0;
    lastIssue[set] = cycle;
    set++;
    if (set < sets) ready = setLoaded(set);
  }
  // The last beat's lanes leave over `lanes` cycles, each written a cycle later unless it lies
  // past column N (a ragged last chunk); the round is done the cycle after the last write.
  const lastLaneColumn = (G - 1) * engine.groupCols + (lastChunks - 1) * lanes + lanes - 1;
  const finished = lastTake + lanes + 1;
  const done = lastLaneColumn < round.N ? finished + 1 : finished;
  const cycles = done + 1;
  return { cycles, steps: stepsIssued, fill, waits: waits - collectorStalls, collectorStalls, tail: cycles - lastStep - 1 };
}
