// Stream-mode runs of many vectors at once: each vector's input beats are appended to the streams
// after the previous vector's, so one simulator process (on one cached build) runs them all back to
// back, as a host would. The output beats are then cut at the vector boundaries and compared with
// each vector's golden beats, giving one verdict per vector. The engines take a new command after
// the last one's results, so vectors stay independent unless the hardware leaks state between
// commands, which is a bug worth finding too.

import type { EmittedDesign } from '../../dsl/design.js';
import type { StreamRunResult } from '../../sim/backend.js';
import { runStreams, StreamLimitError } from '../../sim/run-streams.js';
import type { Beat } from '../../sim/stream-protocol.js';
import type { Verdict } from './types.js';

export interface StreamVector {
  readonly inputs: Readonly<Record<string, readonly Beat[]>>;
  /** The golden model's beats per output stream. */
  readonly expected: Readonly<Record<string, readonly Beat[]>>;
  /**
   * Beats of other output streams that this vector makes, taken but not compared (the block's
   * cycle counters): an output the harness is not told about is never ready, and stalls the design.
   */
  readonly unchecked?: Readonly<Record<string, number>>;
  /** Cycles this vector may take at most (hung designs fail instead of running forever). */
  readonly maxCycles: number;
  /** Names an output element in the kernel's terms (`row 2, col 5`) for messages. */
  readonly where?: (stream: string, beat: number, leaf: number) => string;
}

/** The expected beats with the first element flipped: a deliberately wrong golden (tests only). */
function perturbed(expected: StreamVector['expected']): StreamVector['expected'] {
  const [name, beats] = Object.entries(expected).find(([, list]) => list.length > 0 && list[0]!.length > 0) ?? [];
  if (name === undefined || beats === undefined) return expected;
  const [first, ...rest] = beats;
  return { ...expected, [name]: [[first![0]! ^ 1n, ...first!.slice(1)], ...rest] };
}

/** `list.push(...items)` without the spread, which overflows the stack past about 100,000 beats. */
function append(list: Beat[], items: readonly Beat[]): void {
  for (const item of items) list.push(item);
}

export async function runStreamVectors(design: EmittedDesign, vectors: readonly StreamVector[], perturb: readonly boolean[] = []): Promise<Verdict[]> {
  const inputs: Record<string, Beat[]> = {};
  const expected: Record<string, Beat[]> = {};
  // Where each vector's beats start in each output stream.
  const starts: Record<string, number>[] = [];
  const wanted = vectors.map((vector, i) => (perturb[i] === true ? perturbed(vector.expected) : vector.expected));
  const unchecked: Record<string, number> = {};
  let maxCycles = 1000;
  vectors.forEach((vector, i) => {
    for (const [name, beats] of Object.entries(vector.unchecked ?? {})) unchecked[name] = (unchecked[name] ?? 0) + beats;
    for (const [name, beats] of Object.entries(vector.inputs)) append((inputs[name] ??= []), beats);
    const start: Record<string, number> = {};
    for (const [name, beats] of Object.entries(wanted[i]!)) {
      start[name] = (expected[name] ??= []).length;
      append(expected[name]!, beats);
    }
    starts.push(start);
    maxCycles += vector.maxCycles;
  });
  if (vectors.length === 0) return [];
  const expect = { ...unchecked, ...Object.fromEntries(Object.entries(expected).map(([name, beats]) => [name, beats.length])) };
  let run: StreamRunResult;
  try {
    run = await runStreams(design, { inputs, expect, maxCycles });
  } catch (error) {
    // A hang is a failure of the vectors whose beats never came, not of the run.
    if (!(error instanceof StreamLimitError)) throw error;
    run = error.result;
  }
  return vectors.map((vector, i) => compareVector(vector, wanted[i]!, starts[i]!, run));
}

function compareVector(vector: StreamVector, expected: StreamVector['expected'], start: Record<string, number>, run: StreamRunResult): Verdict {
  for (const [name, beats] of Object.entries(expected)) {
    const got = run.outputs[name] ?? { beats: [], cycles: [] };
    for (let beat = 0; beat < beats.length; beat++) {
      const at = start[name]! + beat;
      const actual = got.beats[at];
      const want = beats[beat]!;
      const where = (leaf: number): string => vector.where?.(name, beat, leaf) ?? `beat ${beat}, leaf ${leaf}`;
      if (actual === undefined) {
        return { ok: false, message: `'${name}' beat ${beat} (${where(0)}) never came out (run ended at cycle ${run.cycles}, ${run.status})` };
      }
      const leaf = want.findIndex((value, j) => actual[j] !== value);
      if (leaf !== -1) {
        return { ok: false, message: `'${name}' ${where(leaf)} at cycle ${got.cycles[at]}: expected ${want[leaf]}, got ${actual[leaf]}` };
      }
    }
  }
  return { ok: true };
}
