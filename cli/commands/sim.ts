// `lutforge sim`: run a generator's design in stream mode on Verilator or Icarus, feeding its
// input streams from beat files and writing what its output streams produce.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { EmittedDesign } from '../../dsl/design.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import type { SimulatorName, StreamRunResult } from '../../sim/backend.js';
import { SimInputError, ToolMissingError } from '../../sim/errors.js';
import { DEFAULT_MAX_CYCLES, runStreams, StreamLimitError } from '../../sim/run-streams.js';
import { SIMULATORS } from '../../sim/simulators.js';
import { decodeBeats, encodeBeats, findStreams, streamNamed, type Beat, type StreamInfo } from '../../sim/stream-protocol.js';
import type { CommandContext } from '../context.js';
import { resolveDesign, withDesignOptions, type DesignOptions } from '../design-source.js';
import { printWaveHint, writeJson } from '../output.js';
import { phaseReporter } from '../progress.js';
import { CheckFailedError, describeOsError, UsageError } from '../../host/errors.js';

interface SimOptions extends DesignOptions {
  readonly in?: readonly string[];
  readonly out?: readonly string[];
  readonly expect?: readonly string[];
  readonly wave?: string | boolean;
  readonly simulator: SimulatorName;
  readonly maxCycles: string;
  readonly json?: boolean;
  readonly progress?: boolean;
}

/** What `sim --json` prints. */
export interface SimSummary {
  readonly generator: string;
  readonly top: string;
  readonly simulator: SimulatorName;
  readonly cycles: number;
  readonly inputs: Record<string, { file: string; beats: number; consumed: number }>;
  readonly outputs: Record<string, { file: string; beats: number; firstCycle: number | null; lastCycle: number | null }>;
  readonly wave: string | null;
}

const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

export function addSimCommand(program: Command, context: CommandContext): void {
  withDesignOptions(program.command('sim').description('simulate a design in stream mode: beat files in, beat files out'), context)
    .option('-i, --in <[stream=]file>', 'beat file for an input stream (repeatable; the stream name may be left out when there is one)', collect)
    .option('-o, --out <[stream=]file>', 'where an output stream\'s beats go (repeatable; name optional when there is one)', collect)
    .option('-e, --expect <[stream=]beats>', 'output beats that end the run (default: as many as input beats, for one stream in and one out)', collect)
    .option('-w, --wave [file]', 'write a VCD waveform (default: next to the first --out file, <out>.vcd)')
    .addOption(new Option('--simulator <name>', 'simulator to run').choices(SIMULATORS).default('verilator'))
    .option('--max-cycles <n>', 'cycle limit: the run fails if the expected beats have not arrived by then', String(DEFAULT_MAX_CYCLES))
    .option('--json', 'print a JSON summary {generator, top, simulator, cycles, inputs, outputs, wave} instead of lines')
    .option('--progress', 'report the phases (generating, building the model, simulating) on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      `
Beat files: beats back to back, no header; a beat is the stream's data leaves in port order, each
leaf in ceil(width/8) bytes, little-endian (two's complement bits, the spare high bits zero).

Examples:
  $ lutforge sim fifo --set width=16 --in words.bin --out result.bin
  $ lutforge sim fifo --in in=words.bin --out out=result.bin --expect out=100 --simulator icarus --wave
  $ lutforge sim fifo --in words.bin --out result.bin --json --progress`,
    )
    .action(async (generatorName: string, options: SimOptions) => {
      const phases = phaseReporter(context, 'sim', options.progress === true);
      phases.phase(`generating ${generatorName}`);
      const { spec, design } = await resolveDesign(context, generatorName, options);
      const maxCycles = parseCount(options.maxCycles, '--max-cycles');
      // Cheap checks of the command line first, then the beat files.
      const outputs = pairs(design, options.out ?? [], 'output', '--out');
      if (outputs.length === 0) throw new UsageError('sim needs at least one --out');
      const inputs = await readInputs(design, options.in ?? [], context.cwd);
      const expect = expectations(design, options.expect ?? [], outputs, inputs);
      const waveArgument = options.wave === true ? `${outputs[0]!.value}.vcd` : options.wave === false ? undefined : options.wave;
      const wave = waveArgument === undefined ? undefined : resolve(context.cwd, waveArgument);
      await checkOutputs(context.cwd, [
        ...outputs.map(({ value }) => ({ flag: '--out', path: value, kind: 'file' as const })),
        ...(waveArgument === undefined ? [] : [{ flag: '--wave', path: waveArgument, kind: 'file' as const }]),
      ]);

      let result: StreamRunResult;
      try {
        result = await runStreams(design, {
          simulator: options.simulator,
          inputs: Object.fromEntries(inputs.map(({ stream, beats }) => [stream.name, beats])),
          expect,
          maxCycles,
          onPhase: phases.phase,
          ...(wave === undefined ? {} : { wave: { path: wave } }),
        });
      } catch (error) {
        if (error instanceof SimInputError || error instanceof ToolMissingError) throw new UsageError(error.message);
        if (error instanceof StreamLimitError) throw new CheckFailedError(error.message);
        throw error;
      }
      // Output files appear only after a complete run, each written atomically.
      phases.phase('writing the output beats');
      for (const { stream, value } of outputs) {
        await writeFileAtomically(resolve(context.cwd, value), encodeBeats(stream, result.outputs[stream.name]?.beats ?? []), { displayPath: value });
      }
      const summary: SimSummary = {
        generator: spec.name,
        top: design.top,
        simulator: result.simulator,
        cycles: result.cycles,
        inputs: Object.fromEntries(inputs.map(({ stream, file, beats }) => [stream.name, { file, beats: beats.length, consumed: result.consumed[stream.name] ?? 0 }])),
        outputs: Object.fromEntries(
          outputs.map(({ stream, value }) => {
            const cycles = result.outputs[stream.name]?.cycles ?? [];
            return [stream.name, { file: resolve(context.cwd, value), beats: cycles.length, firstCycle: cycles[0] ?? null, lastCycle: cycles[cycles.length - 1] ?? null }];
          }),
        ),
        wave: wave ?? null,
      };
      phases.done();
      if (options.json) {
        writeJson(context, summary);
        return;
      }
      const beatsIn = inputs.map(({ stream, beats }) => `${stream.name} ${result.consumed[stream.name] ?? 0}/${beats.length}`).join(', ');
      const beatsOut = outputs.map(({ stream, value }) => `${stream.name} ${result.outputs[stream.name]?.beats.length ?? 0} -> ${value}`).join(', ');
      context.stdout.write(`${design.top} (${result.simulator}): ${result.cycles} cycles; beats in: ${beatsIn || 'none'}; beats out: ${beatsOut}\n`);
      printWaveHint(context, waveArgument);
    });
}

function parseCount(text: string, what: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`${what} needs a non-negative integer, got '${text}'`);
  return Number(text);
}

/** `name=value` or a bare `value` for the design's only stream of that direction. */
function pairs(design: EmittedDesign, specs: readonly string[], direction: 'input' | 'output', flag: string): { stream: StreamInfo; value: string }[] {
  const found = specs.map((spec) => {
    const match = /^([A-Za-z][A-Za-z0-9_]*)=(.+)$/.exec(spec);
    // `<identifier>=` always names a stream (a file whose name has that form needs a `./`).
    if (match !== null) return { stream: checked(() => streamNamed(design, match[1]!, direction)), value: match[2]! };
    const candidates = findStreams(design).filter((s) => s.direction === direction);
    if (candidates.length !== 1) {
      const names = candidates.map((s) => s.name).join(', ') || 'none';
      throw new UsageError(`${flag} ${spec}: name the stream as <stream>=<file>; '${design.top}' has ${direction} streams: ${names}`);
    }
    return { stream: candidates[0]!, value: spec };
  });
  const names = found.map(({ stream }) => stream.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new UsageError(`${flag} names stream '${repeated}' twice`);
  return found;
}

function checked<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof SimInputError) throw new UsageError(error.message);
    throw error;
  }
}

async function readInputs(design: EmittedDesign, specs: readonly string[], cwd: string): Promise<{ stream: StreamInfo; file: string; beats: Beat[] }[]> {
  const results: { stream: StreamInfo; file: string; beats: Beat[] }[] = [];
  for (const { stream, value } of pairs(design, specs, 'input', '--in')) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(resolve(cwd, value));
    } catch (error) {
      throw new UsageError(`cannot read beat file '${value}': ${describeOsError(error)}`);
    }
    const beats = checked(() => decodeBeats(stream, bytes, `beat file '${value}' of stream '${stream.name}'`));
    results.push({ stream, file: resolve(cwd, value), beats });
  }
  return results;
}

function expectations(
  design: EmittedDesign,
  specs: readonly string[],
  outputs: readonly { stream: StreamInfo }[],
  inputs: readonly { beats: readonly Beat[] }[],
): Record<string, number> {
  const given = new Map(pairs(design, specs, 'output', '--expect').map(({ stream, value }) => [stream.name, parseCount(value, '--expect')]));
  const expect: Record<string, number> = {};
  for (const { stream } of outputs) {
    const count = given.get(stream.name) ?? (outputs.length === 1 && inputs.length === 1 ? inputs[0]!.beats.length : undefined);
    if (count === undefined) throw new UsageError(`give --expect ${stream.name}=<beats>: the number of output beats cannot be inferred with several streams`);
    expect[stream.name] = count;
  }
  for (const name of given.keys()) {
    if (expect[name] === undefined) throw new UsageError(`--expect names stream '${name}', which has no --out`);
  }
  return expect;
}
