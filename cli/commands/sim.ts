// `lutforge sim`: run a generator's design on Verilator or Icarus, in stream mode (its input
// streams fed from beat or .npy files, what its output streams produce written to such files) or,
// with --stimulus, in plain-port mode (sim-ports.ts: a CSV row of input values per cycle).

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { EmittedDesign } from '../../dsl/design.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import { encodeStreamNpy, isNpyPath, readStreamNpy, streamNpyDtype } from '../../host/sim-files.js';
import type { SimulatorName, StreamRunResult } from '../../sim/backend.js';
import { SimInputError, ToolMissingError } from '../../sim/errors.js';
import { drivablePorts } from '../../sim/port-run.js';
import { DEFAULT_MAX_CYCLES, runStreams, StreamLimitError } from '../../sim/run-streams.js';
import { SIMULATORS } from '../../sim/simulators.js';
import { decodeBeats, encodeBeats, findStreams, streamNamed, type Beat, type StreamInfo } from '../../sim/stream-protocol.js';
import type { CommandContext } from '../context.js';
import { resolveDesign, withDesignOptions, type DesignOptions } from '../design-source.js';
import { printWaveHint, writeJson } from '../output.js';
import { phaseReporter } from '../progress.js';
import { CheckFailedError, describeOsError, UsageError } from '../../host/errors.js';
import { simulatePorts } from './sim-ports.js';

interface SimOptions extends DesignOptions {
  readonly in?: readonly string[];
  readonly out?: readonly string[];
  readonly expect?: readonly string[];
  readonly wave?: string | boolean;
  readonly simulator: SimulatorName;
  readonly maxCycles: string;
  readonly json?: boolean;
  readonly progress?: boolean;
  readonly stimulus?: string;
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
  withDesignOptions(
    program.command('sim').description('simulate a design: valid/ready streams from beat or .npy files, or plain ports cycle by cycle from a CSV stimulus'),
    context,
  )
    .option('-i, --in <[stream=]file>', 'beat file or .npy array for an input stream (repeatable; the stream name may be left out when there is one)', collect)
    .option(
      '-o, --out <[stream=]file>',
      'where an output stream\'s beats go, as a beat file or a .npy array (repeatable; name optional when there is one); with --stimulus, the CSV of the outputs per cycle (default: stdout)',
      collect,
    )
    .option('--stimulus <file.csv>', 'plain-port mode: drive the input ports from a CSV, one row per clock cycle, and read every output after each cycle')
    .option('-e, --expect <[stream=]beats>', 'output beats that end the run (default: as many as input beats, for one stream in and one out)', collect)
    .option('-w, --wave [file]', 'write a VCD waveform (default: next to the first --out file, <out>.vcd; <top>.vcd when the CSV goes to stdout)')
    .addOption(new Option('--simulator <name>', 'simulator to run').choices(SIMULATORS).default('verilator'))
    .option('--max-cycles <n>', 'cycle limit: the run fails if the expected beats have not arrived by then', String(DEFAULT_MAX_CYCLES))
    .option('--json', 'print a JSON summary {generator, top, simulator, cycles, inputs, outputs, wave} instead of lines (with --stimulus: {..., resetCycles, stimulus, out, outputs})')
    .option('--progress', 'report the phases (generating, building the model, simulating) on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      `
sim runs a design in one of two modes:

Stream mode (--in, --out): after reset, the design's valid/ready streams (ports <s>_valid,
<s>_ready, <s>_data) are fed as fast as it takes beats and its output streams collected. A file ending in .npy is a NumPy array, one row per beat (shape (beats,) for a stream of
one data port, (beats, ports) for several), of the smallest integer dtype that holds the ports
(a signed 15-bit port is int16, so -7 stays -7); input arrays may be of any integer dtype. Any
other file is a beat file: beats back to back, no header; a beat is the stream's data ports in
port order, each in ceil(width/8) bytes, little-endian, as raw two's complement bits.

Plain-port mode (--stimulus): for designs without streams (a MAC, a counter, combinational
logic), or to drive the ports directly. The CSV's header names input ports; each row is one
clock cycle: its values are applied, the clock rises once, then every output is read (a
register shows the value it took at that edge). Values are decimal (negative for signed ports)
or the port's raw bits as 0x hex or 0b binary; an empty cell keeps the row before's value.
Unless the CSV has a column for the reset (rst), the reset is held high for one cycle before the
first row. The outputs come out as CSV: cycle, then one column per output port, in decimal
by the port's signedness (x where Icarus reads undefined bits).

For anything else (inputs that react to outputs, checking every cycle against a model in a
test), use the TypeScript API from 'lutforge/sim': Simulation (poke, step, peek), simulate (a
batch of those) and runStreams.

Examples:
  $ lutforge sim fifo --set width=16 --in words.bin --out result.bin
  $ lutforge sim fifo --in in=words.bin --out out=result.bin --expect out=100 --simulator icarus --wave
  $ lutforge sim fifo --in words.npy --out result.npy --json --progress
  $ lutforge sim counter --set modulo=5 --stimulus counter.csv
  $ lutforge sim counter --stimulus counter.csv --out counts.csv --simulator icarus --wave`,
    )
    .action(async (generatorName: string, options: SimOptions, command: Command) => {
      const phases = phaseReporter(context, 'sim', options.progress === true);
      phases.phase(`generating ${generatorName}`);
      const { spec, design } = await resolveDesign(context, generatorName, options);
      if (options.stimulus !== undefined) {
        const streamOnly = [['--in', options.in], ['--expect', options.expect], ['--max-cycles', command.getOptionValueSource('maxCycles') === 'cli' ? [options.maxCycles] : undefined]] as const;
        const given = streamOnly.filter(([, value]) => value !== undefined && value.length > 0).map(([flag]) => flag);
        if (given.length > 0) throw new UsageError(`${given.join(', ')}: stream mode only; --stimulus drives the ports directly, one CSV row per cycle`);
        await simulatePorts(context, spec.name, design, { ...options, stimulus: options.stimulus }, phases.phase);
        phases.done();
        return;
      }
      if (findStreams(design).length === 0) throw noStreams(design);
      const maxCycles = parseCount(options.maxCycles, '--max-cycles');
      // Cheap checks of the command line first, then the beat files.
      const outputs = pairs(design, options.out ?? [], 'output', '--out');
      if (outputs.length === 0) throw new UsageError('sim needs at least one --out');
      // A stream too wide for any .npy dtype is refused before the run, not after it.
      for (const { stream, value } of outputs) if (isNpyPath(value)) streamNpyDtype(stream);
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
        const beats = result.outputs[stream.name]?.beats ?? [];
        await writeFileAtomically(resolve(context.cwd, value), isNpyPath(value) ? encodeStreamNpy(stream, beats) : encodeBeats(stream, beats), { displayPath: value });
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

/** A design without streams: say what sim can do with it instead. */
function noStreams(design: EmittedDesign): UsageError {
  const inputs = drivablePorts(design).map((port) => port.name);
  if (inputs.length === 0) return new UsageError(`'${design.top}' has no valid/ready streams and no input ports besides its clock: sim has nothing to drive`);
  return new UsageError(`'${design.top}' has no valid/ready streams; drive its ports cycle by cycle with --stimulus <file.csv> (inputs: ${inputs.join(', ')})`);
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
    if (isNpyPath(value)) {
      results.push({ stream, file: resolve(cwd, value), beats: await readStreamNpy(resolve(cwd, value), value, stream) });
      continue;
    }
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
