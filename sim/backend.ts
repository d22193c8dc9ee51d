// What every simulator offers, whichever it is: a cached build of the design with its generated
// harness, a batch script run, a stream run and a live interactive session. Verilator and Icarus
// each implement SimulatorBackend (verilator-backend.ts, icarus-backend.ts); callers find one by
// name in simulators.ts rather than branching on the name themselves. This module holds only the
// contract, so the implementations can depend on it without depending on each other.

import type { EmittedDesign } from '../dsl/design.js';
import type { LintResult } from '../toolchain/lint-result.js';
import type { SimOp, SimResult } from './script.js';
import type { Beat, StreamInfo, StreamStatus } from './stream-protocol.js';
import type { BlockLimits } from './verilator-hierarchy.js';

export type SimulatorName = 'verilator' | 'icarus';

/**
 * How to build. Verilator honours every field; Icarus compiles its bench with fixed flags into
 * the default cache and needs no trace build to write a VCD, so it reads none of them.
 */
export interface BuildOptions {
  /** Where builds are cached; defaults to `cacheDir('verilator')` (toolchain/cache-dir.ts). */
  readonly cacheDir?: string;
  /** Extra Verilator flags (e.g. `-Wno-fatal`); they are part of the cache key. */
  readonly extraFlags?: readonly string[];
  /** Build with `--trace`, so the model can write a VCD (`--wave`); a separate cache entry. */
  readonly trace?: boolean;
  readonly timeoutMs?: number;
  /** When Verilator builds a repeated unit once as a hierarchy block (sim/verilator-hierarchy.ts); part of the cache key through the blocks chosen. */
  readonly blockLimits?: BlockLimits;
}

export interface SimulatorBuild {
  /** What runs the design: the Verilator harness executable, or the Icarus `bench.vvp`. */
  readonly path: string;
  /** True when an earlier build was reused and nothing was compiled. */
  readonly cacheHit: boolean;
}

export interface ScriptRunOptions {
  readonly build?: BuildOptions;
  /** Limit for the simulator process; it is killed when exceeded. */
  readonly timeoutMs?: number;
}

/** Where to write a VCD, optionally only for a window of stream cycles (inclusive). */
export interface WaveRequest {
  readonly path: string;
  readonly fromCycle?: number;
  readonly toCycle?: number;
}

export interface StreamRunOptions {
  readonly simulator?: SimulatorName;
  /** Beats per input stream name; input streams not named stay idle (valid low). */
  readonly inputs: Readonly<Record<string, readonly Beat[]>>;
  /** Output streams to collect (held ready) and how many beats end the run. */
  readonly expect: Readonly<Record<string, number>>;
  /** The run stops here if the expected beats have not all arrived; default 100,000. */
  readonly maxCycles?: number;
  readonly wave?: WaveRequest;
  /** Verilator build cache (see buildModel). */
  readonly cacheDir?: string;
  /** Wall-clock limit for the model process; default 10 minutes. */
  readonly timeoutMs?: number;
  /**
   * Told as each phase starts (building the model, simulating), so that a caller can say a long
   * Verilator compile is one rather than look like a hung simulation.
   */
  readonly onPhase?: (phase: string) => void;
}

export const DEFAULT_STREAM_TIMEOUT_MS = 600_000;

export interface OutputStreamResult {
  /** Each beat's data leaves, in port order. */
  readonly beats: bigint[][];
  /** The cycle each beat came out (cycle 0 is the first after reset). */
  readonly cycles: number[];
}

export interface StreamRunResult {
  readonly simulator: SimulatorName;
  /** `done`: every expected beat arrived; `limit`: the cycle limit came first; `finish`: $finish. */
  readonly status: StreamStatus;
  readonly cycles: number;
  /** Input beats the design took, per input stream. */
  readonly consumed: Record<string, number>;
  readonly outputs: Record<string, OutputStreamResult>;
  readonly expect: Readonly<Record<string, number>>;
  /** Whether the Verilator model came from the build cache (undefined for Icarus). */
  readonly cacheHit?: boolean;
  readonly wave?: string;
  /** Wall-clock seconds of the simulator process alone (no build, no beat encoding). */
  readonly runSeconds: number;
}

/** A stream run's options after checking (run-streams.ts): streams resolved, beats encoded. */
export interface CheckedStreams {
  readonly inputs: { stream: StreamInfo; beats: readonly Beat[]; bytes: Uint8Array }[];
  readonly outputs: { stream: StreamInfo; expect: number }[];
  readonly maxCycles: number;
}

export interface InteractiveOptions {
  /** Absolute path of a VCD covering the whole session. */
  readonly wave?: string;
  /** Verilator build cache. */
  readonly cacheDir?: string;
}

/** How to start a live session, and how to speak to it. */
export interface InteractiveCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Harness-protocol text (script.ts) in the dialect this simulator's process reads. */
  readonly encode: (script: string) => string;
}

export interface SimulatorBackend {
  readonly name: SimulatorName;
  /** Where the design's top sits in this simulator's VCD: its `$scope` names joined by dots. */
  waveScope(design: EmittedDesign): string;
  /** The tool's own strict check of the design, without simulating it. */
  lint(design: EmittedDesign): Promise<LintResult>;
  /** Compiles the design with its generated harness, or reuses a cached build. */
  build(design: EmittedDesign, options?: BuildOptions): Promise<SimulatorBuild>;
  /** Checks a whole script against the ports, then runs it in one simulator process. */
  runScript(design: EmittedDesign, ops: readonly SimOp[], options?: ScriptRunOptions): Promise<SimResult>;
  /** Stream mode on checked streams; reports a limit or $finish in the status, never throws for it. */
  runStreams(design: EmittedDesign, checked: CheckedStreams, options: StreamRunOptions): Promise<StreamRunResult>;
  /** Builds (cached) and says how to start a live session that reads commands on stdin. */
  interactive(design: EmittedDesign, options?: InteractiveOptions): Promise<InteractiveCommand>;
}
