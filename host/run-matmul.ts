// One matrix multiplication on a simulated engine: generate the design, pack the operands into
// its streams, simulate, unpack Y. Y comes from the simulated hardware only; checking it against
// a golden model is the caller's business, so a wrong design shows up as a wrong Y, not a
// silently corrected one.

import { performance } from 'node:perf_hooks';
import type { EmittedDesign } from '../dsl/design.js';
import type { MatmulEngine } from '../generators/matmul-engine/interface.js';
import type { SimulatorName, StreamRunResult } from '../sim/backend.js';
import { runStreams } from '../sim/run-streams.js';
import type { MatmulOperands, PackedRun } from '../contracts/matmul-operands.js';

/** Told when a phase starts, e.g. `building Verilator model`; library code takes one of these optionally. */
export type PhaseListener = (phase: string) => void;

export interface MatmulRunOptions {
  readonly simulator?: SimulatorName;
  /** Where to write a VCD of the whole run; its directory is created if need be. */
  readonly wave?: string;
  /** Verilator build cache (see sim/verilator.ts buildModel). */
  readonly cacheDir?: string;
  /** Told as each phase starts (generating, building, simulating), for the CLI's progress lines. */
  readonly onPhase?: PhaseListener;
}

/**
 * Where a matrix-engine run's cycles go; the parts add up to `cycles`. The serial engines
 * (tensor-core, mac, add) take one weight beat per cycle in their sequencing stage, so the
 * weight beats the simulation consumed are the ideal plus the zero-point correction planes the
 * packing adds per tile; each command (row block) takes a cycle without one; the two stages
 * (sequencing, tile) fill and drain once. `stalls` is what the simulation took beyond these
 * (waits for activations or for the table precompute): 0 in every run checked.
 */
export interface MatmulCycleBreakdown {
  readonly ideal: number;
  /** Weight beats beyond the ideal: the zero-point correction planes. */
  readonly correction: number;
  /** One cycle per command beat (row block). */
  readonly commands: number;
  readonly fillDrain: number;
  readonly stalls: number;
}

/** Register stages of the serial engines' pipeline (generators/matmul-engine/serial-engine.ts): sequencing, then the tile. */
const MATMUL_PIPELINE_STAGES = 2;

export interface MatmulRunResult {
  /** Y, row-major M*N. */
  readonly y: BigInt64Array;
  readonly cycles: number;
  readonly idealCycles: number;
  /** idealCycles / cycles: 1 is a pipeline that never stalls. */
  readonly efficiency: number;
  readonly breakdown: MatmulCycleBreakdown;
  readonly simulator: SimulatorName;
  /** The whole call: generate, pack, build, simulate, unpack. */
  readonly wallSeconds: number;
  /** The simulator process alone. */
  readonly simSeconds: number;
  /** Whether the Verilator model came from the build cache (false for Icarus). */
  readonly cacheHit: boolean;
  /** M*K*N multiply-accumulates. */
  readonly macs: number;
  /** macs / simSeconds: simulated work per second of simulator time, not hardware speed. */
  readonly macsPerSecond: number;
}

/**
 * The cycle limit of a run: generous next to the ideal (stalls, table precompute, per-tile
 * drain), so only a hung or badly broken design reaches it, and it then fails instead of
 * simulating forever. The beat counts stand in for the per-tile overheads the generic engine
 * interface does not expose: an engine spends at least one cycle per beat it takes or gives.
 */
export function matmulCycleLimit(idealCycles: number, inputBeats: number, outputBeats: number): number {
  return 4 * idealCycles + 4 * inputBeats + 64 * outputBeats + 10_000;
}

/**
 * Simulates an engine's packed streams within the cycle limit above and returns the run with its
 * `out` beats: the part every engine runner (matrix engines, LUT-LLM) shares.
 */
export async function simulatePacked(
  engineName: string,
  design: EmittedDesign,
  packed: PackedRun,
  idealCycles: number,
  options: MatmulRunOptions,
): Promise<{ result: StreamRunResult; outBeats: readonly (readonly bigint[])[] }> {
  const inputBeats = Object.values(packed.inputs).reduce((sum, beats) => sum + beats.length, 0);
  const outputBeats = Object.values(packed.expect).reduce((sum, count) => sum + count, 0);
  const result = await runStreams(design, {
    inputs: packed.inputs,
    expect: packed.expect,
    maxCycles: matmulCycleLimit(idealCycles, inputBeats, outputBeats),
    ...(options.simulator === undefined ? {} : { simulator: options.simulator }),
    ...(options.wave === undefined ? {} : { wave: { path: options.wave } }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.onPhase === undefined ? {} : { onPhase: options.onPhase }),
  });
  const outBeats = result.outputs['out']?.beats;
  if (outBeats === undefined) throw new Error(`engine '${engineName}' produced no 'out' stream (its packing expects: ${Object.keys(packed.expect).join(', ') || 'nothing'})`);
  return { result, outBeats };
}

/**
 * Runs Y = A x (Q - Z) on the engine. OperandError (from `engine.pack`), simulator problems
 * (ToolMissingError) and a run that hits the cycle limit (StreamLimitError) propagate as they are.
 */
export async function runMatmul<Config>(engine: MatmulEngine<Config>, config: Config, operands: MatmulOperands, options: MatmulRunOptions = {}): Promise<MatmulRunResult> {
  const started = performance.now();
  const dims = { M: operands.M, K: operands.K, N: operands.N };
  // Packing first: it checks the operands, and a rejection should not wait for elaboration.
  const packed = engine.pack(config, operands);
  options.onPhase?.(`generating the ${engine.name} design`);
  const design = engine.generator.generate(config);
  const idealCycles = engine.idealCycles(config, dims);
  const { result, outBeats } = await simulatePacked(engine.name, design, packed, idealCycles, options);
  const y = engine.unpack(config, dims, outBeats);
  if (y.length !== dims.M * dims.N) throw new Error(`engine '${engine.name}' unpacked ${y.length} results for a ${dims.M}x${dims.N} Y`);
  const macs = dims.M * dims.K * dims.N;
  const weightBeats = result.consumed['weight'] ?? 0;
  const correction = Math.max(0, weightBeats - idealCycles);
  const commands = result.consumed['cmd'] ?? 0;
  const breakdown: MatmulCycleBreakdown = {
    ideal: idealCycles,
    correction,
    commands,
    fillDrain: MATMUL_PIPELINE_STAGES,
    stalls: result.cycles - idealCycles - correction - commands - MATMUL_PIPELINE_STAGES,
  };
  return {
    y,
    cycles: result.cycles,
    idealCycles,
    efficiency: result.cycles > 0 ? idealCycles / result.cycles : 0,
    breakdown,
    simulator: result.simulator,
    wallSeconds: (performance.now() - started) / 1000,
    simSeconds: result.runSeconds,
    cacheHit: result.cacheHit ?? false,
    macs,
    macsPerSecond: result.runSeconds > 0 ? macs / result.runSeconds : 0,
  };
}
