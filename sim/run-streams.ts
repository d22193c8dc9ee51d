// Stream mode: feed the top's input streams with beats as fast as the design takes them and
// collect its output streams with the cycle of each beat, on Verilator or Icarus with the same
// semantics (verilator-stream-harness.ts defines them). This is how throughput and cycle counts
// are measured. The checks and the outcome are here; each backend runs the simulator.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EmittedDesign } from '../dsl/design.js';
import type { CheckedStreams, StreamRunOptions, StreamRunResult } from './backend.js';
import { SimInputError } from './errors.js';
import { simulatorBackend } from './simulators.js';
import { clockPorts, encodeBeats, streamNamed } from './stream-protocol.js';

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
  return requireDone(design, await simulatorBackend(options.simulator).runStreams(design, checked, options));
}
