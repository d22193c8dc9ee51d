// Golden comparison: the same input beats go through a golden TypeScript kernel and through the
// simulated design (stream mode); the outputs must agree bit for bit. On a mismatch the report
// names the first wrong element, its indices, the cycle it came out, the expected and actual
// values, and the run is repeated with a waveform of the cycles around it, so the failure can
// be opened in GTKWave or Surfer straight away.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EmittedDesign } from '../dsl/design.js';
import type { SimulatorName, StreamRunResult } from '../sim/backend.js';
import { runStreams, StreamLimitError } from '../sim/run-streams.js';
import { findStreams, type Beat } from '../sim/stream-protocol.js';

export interface GoldenCompareOptions {
  readonly design: EmittedDesign;
  /** Beats per input stream name. */
  readonly inputs: Readonly<Record<string, readonly Beat[]>>;
  /** The golden kernel: the expected beats per output stream name for these inputs. */
  readonly golden: (inputs: Readonly<Record<string, readonly Beat[]>>) => Readonly<Record<string, readonly Beat[]>>;
  /**
   * Names the indices of an element (beat `beat`, data leaf `leaf` of `stream`) in the
   * kernel's terms, e.g. `{ row, col }` of a matrix; defaults to `{ beat, leaf }`.
   */
  readonly indices?: (stream: string, beat: number, leaf: number) => Readonly<Record<string, number>>;
  readonly simulator?: SimulatorName;
  readonly maxCycles?: number;
  /** Where the waveform of a mismatch is kept. */
  readonly waveDir: string;
  /** Cycles of waveform kept before and after the mismatch; default 16. */
  readonly window?: number;
}

export interface MismatchReport {
  readonly stream: string;
  /** Index of the beat in its stream, and of the data leaf within the beat. */
  readonly beat: number;
  readonly leaf: number;
  readonly port: string;
  readonly indices: Readonly<Record<string, number>>;
  /** Cycle the wrong beat came out, or undefined when it never came (a missing beat). */
  readonly cycle: number | undefined;
  readonly expected: bigint | undefined;
  readonly actual: bigint | undefined;
  /** VCD of the cycles around the mismatch. */
  readonly wave: string;
  readonly message: string;
}

export class GoldenMismatchError extends Error {
  override readonly name = 'GoldenMismatchError';
  constructor(readonly report: MismatchReport) {
    super(report.message);
  }
}

export interface GoldenCompareResult {
  readonly run: StreamRunResult;
  readonly mismatch: MismatchReport | undefined;
}

interface FirstDifference {
  stream: string;
  beat: number;
  leaf: number;
  port: string;
  cycle: number | undefined;
  expected: bigint | undefined;
  actual: bigint | undefined;
}

function firstDifference(design: EmittedDesign, expected: Readonly<Record<string, readonly Beat[]>>, run: StreamRunResult): FirstDifference | undefined {
  const differences: FirstDifference[] = [];
  for (const stream of findStreams(design).filter((s) => s.direction === 'output' && expected[s.name] !== undefined)) {
    const want = expected[stream.name]!;
    const got = run.outputs[stream.name] ?? { beats: [], cycles: [] };
    for (let beat = 0; beat < Math.max(want.length, got.beats.length); beat++) {
      const leafCount = Math.max(stream.data.length, 1);
      const leaf = Array.from({ length: leafCount }, (_, i) => i).find((i) => want[beat]?.[i] !== got.beats[beat]?.[i]);
      if (leaf === undefined) continue;
      differences.push({
        stream: stream.name,
        beat,
        leaf,
        port: stream.data[leaf]?.name ?? stream.valid.name,
        cycle: got.cycles[beat],
        expected: want[beat]?.[leaf],
        actual: got.beats[beat]?.[leaf],
      });
      break;
    }
  }
  // Across streams, the earliest in time is the first wrong element; a missing beat comes last.
  differences.sort((a, b) => (a.cycle ?? Infinity) - (b.cycle ?? Infinity));
  return differences[0];
}

/**
 * Runs the golden kernel and the design on the same inputs and compares every output beat.
 * Returns the run and, on a mismatch, the report (its waveform already written).
 */
export async function goldenCompare(options: GoldenCompareOptions): Promise<GoldenCompareResult> {
  const { design } = options;
  const expected = options.golden(options.inputs);
  const expect = Object.fromEntries(Object.entries(expected).map(([name, beats]) => [name, beats.length]));
  const runOptions = {
    inputs: options.inputs,
    expect,
    ...(options.simulator === undefined ? {} : { simulator: options.simulator }),
    ...(options.maxCycles === undefined ? {} : { maxCycles: options.maxCycles }),
  };
  let run: StreamRunResult;
  try {
    run = await runStreams(design, runOptions);
  } catch (error) {
    // Missing beats are a mismatch like any other: compare what did arrive.
    if (!(error instanceof StreamLimitError)) throw error;
    run = error.result;
  }
  const difference = firstDifference(design, expected, run);
  if (difference === undefined) return { run, mismatch: undefined };

  const window = options.window ?? 16;
  const center = difference.cycle ?? run.cycles;
  await mkdir(options.waveDir, { recursive: true });
  const wave = path.join(options.waveDir, `${design.top}-${difference.stream}-beat${difference.beat}.vcd`);
  const waveRequest = { path: wave, fromCycle: Math.max(0, center - window), toCycle: center + window };
  await runStreams(design, { ...runOptions, wave: waveRequest }).catch((error: unknown) => {
    if (!(error instanceof StreamLimitError)) throw error;
  });

  const indices = options.indices?.(difference.stream, difference.beat, difference.leaf) ?? { beat: difference.beat, leaf: difference.leaf };
  const where = Object.entries(indices)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  const when = difference.cycle === undefined ? `never came out (run ended at cycle ${run.cycles})` : `came out at cycle ${difference.cycle}`;
  const message =
    `'${design.top}' (${run.simulator}) output '${difference.stream}' element [${where}] (port ${difference.port}) ${when}: ` +
    `expected ${difference.expected ?? 'no beat'}, got ${difference.actual ?? 'no beat'}; ` +
    `waveform of cycles ${waveRequest.fromCycle}..${waveRequest.toCycle}: ${wave}`;
  return { run, mismatch: { ...difference, indices, wave, message } };
}

/** goldenCompare that throws a GoldenMismatchError (with the report) on any difference. */
export async function expectMatchesGolden(options: GoldenCompareOptions): Promise<StreamRunResult> {
  const { run, mismatch } = await goldenCompare(options);
  if (mismatch !== undefined) throw new GoldenMismatchError(mismatch);
  return run;
}
