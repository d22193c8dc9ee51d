// Tokens through the simulated decoder block: generate, pack the runs, simulate, read y and the
// hardware's own cycle counters back. The CLI, the demo and the benchmark all run blocks here.

import { performance } from 'node:perf_hooks';
import { emitVerilog } from '../../dsl/index.js';
import type { LutLlmBlockModel } from '../../contracts/lut-llm-block.js';
import { buildLutLlmBlock } from '../../generators/lut-llm-block/block.js';
import { type LutLlmBlockConfig, lutLlmBlockShape, PROJECTIONS } from '../../generators/lut-llm-block/config.js';
import { packLutLlmBlock, type PhaseCycles, unpackLutLlmBlock } from '../../generators/lut-llm-block/pack.js';
import { PROFILED_PHASES } from '../../generators/lut-llm-block/phases.js';
import { lutLlmCycleBudget } from '../../generators/lut-llm/cycle-budget.js';
import { runStreams } from '../../sim/run-streams.js';
import type { SimulatorName } from '../../sim/backend.js';
import type { PhaseListener } from '../run-matmul.js';

export interface BlockRunOptions {
  readonly simulator?: SimulatorName;
  readonly wave?: string;
  readonly cacheDir?: string;
  readonly onPhase?: PhaseListener;
}

/** One run's cycles, as the block's counters measured them, and the engine's ideal lookups per round. */
export interface BlockRunCycles {
  readonly tokens: number;
  /** Position of the run's first token. */
  readonly firstPosition: number;
  readonly phases: PhaseCycles;
  /** T * P * N / (lookupsPerCycle * positionsPerCycle) of each round: the engine's share if it never waited. */
  readonly idealLookupCycles: Readonly<Record<(typeof PROJECTIONS)[number], number>>;
}

export interface BlockRunResult {
  readonly y: Float32Array;
  /** Cycles of the whole simulation, from the first cycle after reset to the last output. */
  readonly cycles: number;
  readonly runs: readonly BlockRunCycles[];
  /** cycles minus every run's phases: loading the norm weights, waiting between runs, the profile beats. */
  readonly outsidePhases: number;
  readonly simulator: SimulatorName;
  readonly wallSeconds: number;
  readonly simSeconds: number;
}

/** A bound no correct run reaches: every part's work done one word at a time, four times over. */
export function blockCycleLimit(config: LutLlmBlockConfig, runs: readonly number[]): number {
  const shape = lutLlmBlockShape(config);
  let limit = 10_000 + 4 * (2 * config.hidden + 2 * config.headDim);
  let position = 0;
  for (const T of runs) {
    for (const p of PROJECTIONS) {
      const { K, N } = shape.rounds[p];
      const budget = lutLlmCycleBudget(shape.engine, { T, P: K / shape.engine.v, N, G: Math.ceil(N / shape.engine.groupCols) });
      limit += 4 * (budget.ideal + budget.idleLanes + budget.fill + budget.drain + budget.tableLoading + budget.searchWaits + 2 * T * (K + N));
    }
    position += T;
    limit += 4 * T * (config.heads * position * (3 * config.headDim + 8) + 8 * (config.hidden + shape.qkvN + 2 * config.intermediate));
  }
  return limit;
}

/** Runs X [T, hidden] through the block as `runs` (token counts adding up to T; [T] is one prefill, [1, 1, ...] decode). */
export async function runLutLlmBlock(config: LutLlmBlockConfig, weights: LutLlmBlockModel, x: Float32Array, runs: readonly number[], options: BlockRunOptions = {}): Promise<BlockRunResult> {
  const started = performance.now();
  const packed = packLutLlmBlock(config, weights, x, runs);
  options.onPhase?.('generating the lut-llm-block design');
  const design = emitVerilog(buildLutLlmBlock(config));
  const result = await runStreams(design, {
    inputs: packed.inputs,
    expect: packed.expect,
    maxCycles: blockCycleLimit(config, runs),
    ...(options.simulator === undefined ? {} : { simulator: options.simulator }),
    ...(options.wave === undefined ? {} : { wave: { path: options.wave } }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.onPhase === undefined ? {} : { onPhase: options.onPhase }),
  });
  const T = runs.reduce((a, b) => a + b, 0);
  const { y, phases } = unpackLutLlmBlock(config, T, result.outputs['y']?.beats ?? [], result.outputs['profile']?.beats ?? []);
  const shape = lutLlmBlockShape(config);
  const lookupsPerCycle = shape.engine.lookupsPerCycle * shape.engine.positionsPerCycle;
  let firstPosition = 0;
  const runCycles = runs.map((tokens, i) => {
    const idealLookupCycles = Object.fromEntries(PROJECTIONS.map((p) => {
      const { K, N } = shape.rounds[p];
      return [p, Math.ceil((tokens * (K / shape.engine.v) * N) / lookupsPerCycle)];
    })) as BlockRunCycles['idealLookupCycles'];
    const entry = { tokens, firstPosition, phases: phases[i]!, idealLookupCycles };
    firstPosition += tokens;
    return entry;
  });
  const inPhases = runCycles.reduce((sum, r) => sum + PROFILED_PHASES.reduce((s, p) => s + r.phases[p], 0), 0);
  return {
    y,
    cycles: result.cycles,
    runs: runCycles,
    outsidePhases: result.cycles - inPhases,
    simulator: result.simulator,
    wallSeconds: (performance.now() - started) / 1000,
    simSeconds: result.runSeconds,
  };
}
