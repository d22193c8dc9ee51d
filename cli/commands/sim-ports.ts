// `lutforge sim --stimulus`: the plain-port half of the sim command (sim/port-run.ts runs it,
// host/sim-files.ts reads and writes its files).

import { resolve } from 'node:path';
import type { EmittedDesign } from '../../dsl/design.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import { UsageError } from '../../host/errors.js';
import { formatPortResultCsv, readStimulusCsv } from '../../host/sim-files.js';
import type { SimulatorName } from '../../sim/backend.js';
import { SimInputError, ToolMissingError } from '../../sim/errors.js';
import { checkPortDesign, runPorts, type PortRunResult } from '../../sim/port-run.js';
import type { CommandContext } from '../context.js';
import { printWaveHint, waveHint, writeJson } from '../output.js';

export interface PortSimOptions {
  readonly stimulus: string;
  readonly out?: readonly string[];
  readonly wave?: string | boolean;
  readonly simulator: SimulatorName;
  readonly json?: boolean;
}

/** What `sim --stimulus ... --json` prints. */
export interface PortSimSummary {
  readonly generator: string;
  readonly top: string;
  readonly simulator: SimulatorName;
  /** Stimulus rows run, one cycle each. */
  readonly cycles: number;
  /** Cycles held in reset before the first row. */
  readonly resetCycles: number;
  readonly stimulus: string;
  readonly out: string;
  /** The output ports, the columns of `out` after `cycle`. */
  readonly outputs: readonly string[];
  readonly wave: string | null;
}

export async function simulatePorts(
  context: CommandContext,
  generator: string,
  design: EmittedDesign,
  options: PortSimOptions,
  onPhase: (phase: string) => void,
): Promise<PortRunResult> {
  const outs = options.out ?? [];
  if (outs.length > 1) throw new UsageError('with --stimulus, give one --out: the CSV of the outputs per cycle');
  const out = outs[0];
  if (options.json === true && out === undefined) throw new UsageError('--json prints a summary on stdout; give --out <file.csv> for the outputs per cycle');
  try {
    checkPortDesign(design);
  } catch (error) {
    asUsageError(error);
  }
  const waveArgument = options.wave === true ? `${out ?? design.top}.vcd` : options.wave === false ? undefined : options.wave;
  await checkOutputs(context.cwd, [
    ...(out === undefined ? [] : [{ flag: '--out', path: out, kind: 'file' as const }]),
    ...(waveArgument === undefined ? [] : [{ flag: '--wave', path: waveArgument, kind: 'file' as const }]),
  ]);
  const stimulus = await readStimulusCsv(resolve(context.cwd, options.stimulus), options.stimulus, design);

  const wave = waveArgument === undefined ? undefined : resolve(context.cwd, waveArgument);
  const result = await runPorts(design, stimulus, { simulator: options.simulator, onPhase, ...(wave === undefined ? {} : { wave }) }).catch(asUsageError);
  const csv = formatPortResultCsv(result);
  if (out === undefined) {
    // stdout carries the CSV alone, so it can be piped; the waveform's line goes to stderr.
    context.stdout.write(csv);
    if (waveArgument !== undefined) context.stderr.write(`${waveHint(waveArgument)}\n`);
    return result;
  }
  onPhase('writing the outputs');
  await writeFileAtomically(resolve(context.cwd, out), csv, { displayPath: out });
  if (options.json === true) {
    const summary: PortSimSummary = {
      generator,
      top: design.top,
      simulator: result.simulator,
      cycles: result.values.length,
      resetCycles: result.resetCycles,
      stimulus: resolve(context.cwd, options.stimulus),
      out: resolve(context.cwd, out),
      outputs: result.outputs.map((port) => port.name),
      wave: wave ?? null,
    };
    writeJson(context, summary);
    return result;
  }
  const reset = result.resetCycles === 0 ? '' : ` after ${result.resetCycles} reset cycle${result.resetCycles === 1 ? '' : 's'}`;
  const names = result.outputs.map((port) => port.name).join(', ') || 'none';
  context.stdout.write(`${design.top} (${result.simulator}): ${result.values.length} cycles${reset}; outputs ${names} -> ${out}\n`);
  printWaveHint(context, waveArgument);
  return result;
}

/** Bad input and a missing simulator are the user's to fix: exit 2. */
function asUsageError(error: unknown): never {
  if (error instanceof SimInputError || error instanceof ToolMissingError) throw new UsageError(error.message);
  throw error;
}
