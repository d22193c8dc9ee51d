// Stream mode: feed the top's input streams with beats as fast as the design takes them and
// collect its output streams with the cycle of each beat, on Verilator or Icarus with the same
// semantics (verilator-stream-harness.ts defines them). This is how throughput and cycle counts are measured.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EmittedDesign } from '../dsl/design.js';
import { runIcarusStreams } from './icarus-backend.js';
import { decodeBeats, encodeBeats, SimInputError, streamNamed, type Beat, type StreamInfo } from './stream-protocol.js';
import { buildModel } from './verilator.js';
import { clockPorts } from './verilator-harness.js';
import { runTool, tail, withTempDir } from './workspace.js';

export type SimulatorName = 'verilator' | 'icarus';
export const SIMULATORS: readonly SimulatorName[] = ['verilator', 'icarus'];

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

export interface OutputStreamResult {
  /** Each beat's data leaves, in port order. */
  readonly beats: bigint[][];
  /** The cycle each beat came out (cycle 0 is the first after reset). */
  readonly cycles: number[];
}

export interface StreamRunResult {
  readonly simulator: SimulatorName;
  /** `done`: every expected beat arrived; `limit`: the cycle limit came first; `finish`: $finish. */
  readonly status: 'done' | 'limit' | 'finish';
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

/** The run hit its cycle limit before the expected beats arrived. */
export class StreamLimitError extends Error {
  override readonly name = 'StreamLimitError';
  constructor(
    readonly design: string,
    readonly result: StreamRunResult,
  ) {
    const got = Object.entries(result.expect)
      .map(([name, n]) => `'${name}' ${result.outputs[name]?.beats.length ?? 0} of ${n} beats`)
      .join(', ');
    super(`simulation of '${design}' (${result.simulator}) ${result.status === 'limit' ? `hit the cycle limit of ${result.cycles} cycles` : `called $finish at cycle ${result.cycles}`} with ${got}`);
  }
}

export const DEFAULT_MAX_CYCLES = 100_000;
export const DEFAULT_STREAM_TIMEOUT_MS = 600_000;

export interface CheckedStreams {
  readonly inputs: { stream: StreamInfo; beats: readonly Beat[]; bytes: Uint8Array }[];
  readonly outputs: { stream: StreamInfo; expect: number }[];
  readonly maxCycles: number;
}

/** Checks names, values and counts before anything runs: bad input never reaches a simulator. */
export function checkStreamRun(design: EmittedDesign, options: StreamRunOptions): CheckedStreams {
  const clocks = clockPorts(design).length;
  if (clocks !== 1) throw new SimInputError(`stream mode needs exactly one clock port; '${design.top}' has ${clocks}`);
  const maxCycles = options.maxCycles ?? DEFAULT_MAX_CYCLES;
  if (!Number.isSafeInteger(maxCycles) || maxCycles < 0) throw new SimInputError(`the cycle limit must be a non-negative integer, got ${maxCycles}`);
  const inputs = Object.entries(options.inputs).map(([name, beats]) => {
    const stream = streamNamed(design, name, 'input');
    if (stream.data.length === 0) throw new SimInputError(`input stream '${name}' carries no data; it cannot be fed from beats`);
    return { stream, beats, bytes: encodeBeats(stream, beats) };
  });
  const outputs = Object.entries(options.expect).map(([name, expect]) => {
    if (!Number.isSafeInteger(expect) || expect < 0) throw new SimInputError(`expected beats of '${name}' must be a non-negative integer, got ${expect}`);
    return { stream: streamNamed(design, name, 'output'), expect };
  });
  return { inputs, outputs, maxCycles };
}

/** Reads the `stream`, `in`, `out` summary lines both simulators print. */
export function parseStreamSummary(stdout: string): { status: StreamRunResult['status']; cycles: number; counts: Map<string, number> } | undefined {
  const head = /^stream (done|limit|finish) (\d+)$/m.exec(stdout);
  if (head === null) return undefined;
  const counts = new Map<string, number>();
  for (const match of stdout.matchAll(/^(in|out) (\S+) (\d+)$/gm)) counts.set(`${match[1]} ${match[2]}`, Number(match[3]));
  return { status: head[1] as StreamRunResult['status'], cycles: Number(head[2]), counts };
}

/** Turns a limit or $finish into a StreamLimitError that says how many beats arrived. */
export function requireDone(design: EmittedDesign, result: StreamRunResult): StreamRunResult {
  if (result.status !== 'done') throw new StreamLimitError(design.top, result);
  return result;
}

/**
 * Runs the design in stream mode and returns what came out. A run that ends at the cycle limit
 * (or by $finish) before the expected beats arrived throws a StreamLimitError carrying the
 * partial result; bad names or values throw a SimInputError before any simulator starts.
 */
export async function runStreams(design: EmittedDesign, options: StreamRunOptions): Promise<StreamRunResult> {
  const checked = checkStreamRun(design, options);
  // The simulators open the VCD themselves and fail on a missing directory.
  if (options.wave !== undefined) await mkdir(path.dirname(path.resolve(options.wave.path)), { recursive: true });
  const result =
    (options.simulator ?? 'verilator') === 'icarus'
      ? await runIcarusStreams(design, checked, options)
      : await runVerilatorStreams(design, checked, options);
  return requireDone(design, result);
}

async function runVerilatorStreams(design: EmittedDesign, checked: CheckedStreams, options: StreamRunOptions): Promise<StreamRunResult> {
  options.onPhase?.(`building the Verilator model of ${design.top}`);
  const model = await buildModel(design, { trace: options.wave !== undefined, ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }) });
  options.onPhase?.(model.cacheHit ? 'simulating (model from the build cache)' : 'simulating');
  return withTempDir('stream', async (dir) => {
    const args = ['--stream', '--max-cycles', String(checked.maxCycles)];
    for (const [i, input] of checked.inputs.entries()) {
      const file = path.join(dir, `in${i}.bin`);
      await writeFile(file, input.bytes);
      args.push('--in', input.stream.name, file);
    }
    checked.outputs.forEach((output, i) => args.push('--out', output.stream.name, path.join(dir, `out${i}.bin`), path.join(dir, `out${i}.cycles`), String(output.expect)));
    if (options.wave !== undefined) args.push(...waveArgs(options.wave));
    const started = performance.now();
    const run = await runTool(model.executable, args, { cwd: dir, timeoutMs: options.timeoutMs ?? DEFAULT_STREAM_TIMEOUT_MS }).catch((error: unknown) => {
      throw new Error(`simulation of '${design.top}' (verilator) crashed: ${error instanceof Error ? error.message : String(error)}`);
    });
    const runSeconds = (performance.now() - started) / 1000;
    const summary = parseStreamSummary(run.stdout);
    if (run.exitCode !== 0 || summary === undefined) {
      throw new Error(`simulation of '${design.top}' (verilator) failed (exit ${run.exitCode}):\n${tail(`${run.stderr}${run.stdout}`.trim())}`);
    }
    const outputs: Record<string, OutputStreamResult> = {};
    for (const [i, { stream }] of checked.outputs.entries()) {
      const cycleBytes = await readFile(path.join(dir, `out${i}.cycles`));
      const cycles = Array.from({ length: cycleBytes.length / 8 }, (_, k) => Number(cycleBytes.readBigUInt64LE(k * 8)));
      const data = await readFile(path.join(dir, `out${i}.bin`));
      outputs[stream.name] = { beats: stream.beatBytes === 0 ? cycles.map(() => []) : decodeBeats(stream, data), cycles };
    }
    return {
      simulator: 'verilator',
      status: summary.status,
      cycles: summary.cycles,
      consumed: Object.fromEntries(checked.inputs.map(({ stream }) => [stream.name, summary.counts.get(`in ${stream.name}`) ?? 0])),
      outputs,
      expect: options.expect,
      cacheHit: model.cacheHit,
      runSeconds,
      ...(options.wave === undefined ? {} : { wave: options.wave.path }),
    };
  });
}

function waveArgs(wave: WaveRequest): string[] {
  const args = ['--wave', path.resolve(wave.path)];
  if (wave.fromCycle !== undefined) args.push('--wave-from', String(Math.max(0, wave.fromCycle)));
  if (wave.toCycle !== undefined) args.push('--wave-to', String(Math.max(0, wave.toCycle)));
  return args;
}
