// `lutforge power`: power and energy per operation of a matrix engine, from the switching activity
// of its standard-cell netlist running a workload (host/power.ts). Every input is checked before
// Yosys, Verilator or OpenSTA start.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { OperandError, type MatmulOperands } from '../../contracts/matmul-operands.js';
import type { SerialPackConfig } from '../../contracts/serial-packing.js';
import { MATMUL_ENGINE_NAMES, type MatmulEngine } from '../../generators/matmul-engine/interface.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import { UsageError } from '../../host/errors.js';
import { didYouMean } from '../did-you-mean.js';
import { workloadOperands } from '../../host/matmul-workload.js';
import { measurePower, type PowerReport } from '../../host/power.js';
import { ToolMissingError } from '../../sim/errors.js';
import { StaInputError, StaMissingError } from '../../synth/opensta.js';
import { SynthInputError } from '../../synth/runner.js';
import { DEFAULT_CLOCK_MHZ, LIBERTY_ENV } from '../../synth/standard-cells.js';
import type { CommandContext } from '../context.js';
import { buildConfig, type DesignOptions } from '../design-source.js';
import { writeJson } from '../output.js';
import { phaseReporter } from '../progress.js';
import { blameOperand, findEngine, readOperands } from './run.js';
import { parseClock } from './synth.js';

interface PowerCommandOptions extends DesignOptions {
  readonly workload?: string;
  readonly act?: string;
  readonly weight?: string;
  readonly zero?: string;
  readonly seed: string;
  readonly clock?: string;
  readonly liberty?: string;
  readonly out?: string;
  readonly json?: boolean;
  readonly progress?: boolean;
}

const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

export function addPowerCommand(program: Command, context: CommandContext): void {
  program
    .command('power')
    .description('power and energy per MAC of a matrix engine on standard cells, from the switching activity of a simulated workload')
    .argument('<engine>', `matrix engine (${MATMUL_ENGINE_NAMES.join(', ')})`)
    .option('-c, --config <file>', 'JSON file with the engine parameters')
    .option('-s, --set <key=value>', 'set one engine parameter, overriding the config file (repeatable)', collect)
    .option('--workload <M,K,N>', 'a seeded random workload of this shape: integers uniform over their range, FP values normal over 13 binades, codes uniform')
    .option('--seed <n>', 'seed of the random workload', '1')
    .option('--act <file>', 'activations A (as for `run`) instead of a random workload; needs --weight')
    .option('--weight <file>', 'weight codes Q (as for `run`)')
    .option('--zero <file>', 'zero points Z (as for `run`; default all 0)')
    .option('--clock <mhz>', `clock the power is computed at, in MHz (default ${DEFAULT_CLOCK_MHZ}, the clock the cells are mapped for)`)
    .option('--liberty <file>', `Liberty file (default: $${LIBERTY_ENV}, else Debian's OSU 0.18 um cells)`)
    .option('-o, --out <file>', 'also write the JSON report to this file (atomically)')
    .option('--json', 'print the JSON report and nothing else on stdout')
    .option('--progress', 'report the phases on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      `
The engine is mapped to standard cells (as \`synth --target osu018\`), its netlist simulated
gate by gate in Verilator on the workload (the result checked against the golden model), and the
activity of every net priced by OpenSTA with the Liberty power tables; memories are priced per
access by the SRAM model of docs/design/physical.md.

Examples:
  $ lutforge power tensor-core --set n=8 --workload 2,64,8
  $ lutforge power mac --set n=8 --workload 2,64,8 --clock 50 --json
  $ lutforge power tensor-core --act A.npy --weight Q.npy --out power.json`,
    )
    .action(async (engineName: string, options: PowerCommandOptions) => {
      const engine = findPowerEngine(engineName);
      const clockMhz = options.clock === undefined ? undefined : parseClock(options.clock, '--clock');
      const phases = phaseReporter(context, 'power', options.progress === true);
      const config = (await buildConfig(engine.generator, options, context.cwd)) as SerialPackConfig & { readonly maxK: number };
      if (options.out !== undefined) await checkOutputs(context.cwd, [{ flag: '--out', path: options.out, kind: 'file' }]);
      const operands = await powerOperands(engine, config, options, context.cwd);

      let report: PowerReport;
      try {
        report = await measurePower(engine as MatmulEngine<SerialPackConfig>, config, operands, {
          onPhase: phases.phase,
          ...(clockMhz === undefined ? {} : { clockMhz }),
          ...(options.liberty === undefined ? {} : { liberty: resolve(context.cwd, options.liberty) }),
        });
      } catch (error) {
        if (error instanceof OperandError) throw new UsageError(options.act === undefined ? `--workload: ${error.message}` : blameOperand(error, { act: options.act, weight: options.weight ?? '', ...(options.zero === undefined ? {} : { zero: options.zero }) }));
        if (isToolInputError(error)) throw new UsageError(error.message);
        throw error;
      }
      phases.done();
      const json = `${JSON.stringify(report, null, 2)}\n`;
      if (options.out !== undefined) await writeFileAtomically(resolve(context.cwd, options.out), json, { displayPath: options.out });
      if (options.json) {
        writeJson(context, report);
        return;
      }
      context.stdout.write(powerSummary(report));
    });
}

function findPowerEngine(name: string): MatmulEngine {
  if (!(MATMUL_ENGINE_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`generator '${name}' has no workload to measure power on${didYouMean(name, MATMUL_ENGINE_NAMES)} (engines with one: ${MATMUL_ENGINE_NAMES.join(', ')})`);
  }
  return findEngine(name);
}

/** The operands: the given .npy files, or a seeded random workload of the given shape. */
async function powerOperands(engine: MatmulEngine, config: SerialPackConfig & { readonly maxK: number }, options: PowerCommandOptions, cwd: string): Promise<MatmulOperands> {
  if (options.act !== undefined || options.weight !== undefined) {
    if (options.workload !== undefined) throw new UsageError('give either --workload or --act/--weight, not both');
    if (options.act === undefined || options.weight === undefined) throw new UsageError('--act and --weight go together');
    const files = { act: options.act, weight: options.weight, ...(options.zero === undefined ? {} : { zero: options.zero }) };
    return (await readOperands(engine, config, files, cwd)).operands;
  }
  if (options.workload === undefined) throw new UsageError('give the workload: --workload M,K,N (or --act and --weight files)');
  return workloadOperands(config, parseWorkloadWithin(options.workload, config.maxK), parseSeed(options.seed), 'uniform');
}

/** `--workload M,K,N` for an engine whose accumulators hold K up to `maxK`. */
export function parseWorkloadWithin(text: string, maxK: number): { M: number; K: number; N: number } {
  const dims = parseWorkload(text);
  if (dims.K > maxK) throw new UsageError(`--workload: K = ${dims.K} exceeds the engine's maxK = ${maxK} (raise it with --set maxK=...)`);
  return dims;
}

/** `--seed` of a random workload: a non-negative integer. */
export function parseSeed(text: string): number {
  const seed = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got '${text}'`);
  return seed;
}

/** The tools' own bad-input errors (a Liberty file, a missing OpenSTA or simulator), which the CLI reports as exit 2. */
export function isToolInputError(error: unknown): error is Error {
  return error instanceof SynthInputError || error instanceof StaInputError || error instanceof StaMissingError || error instanceof ToolMissingError;
}

/** `--workload M,K,N`: three positive integers. */
export function parseWorkload(text: string): { M: number; K: number; N: number } {
  const parts = text.split(',').map((part) => part.trim());
  const values = parts.map(Number);
  if (parts.length !== 3 || values.some((value, i) => parts[i] === '' || !Number.isSafeInteger(value) || value < 1)) {
    throw new UsageError(`--workload must be three positive integers M,K,N, got '${text}'`);
  }
  const [M, K, N] = values as [number, number, number];
  return { M, K, N };
}

function powerSummary(report: PowerReport): string {
  const mw = (value: number): string => `${value.toFixed(3)} mW`;
  const lines = [
    `${report.engine} ${report.dims.M}x${report.dims.K}x${report.dims.N} at ${report.clockMhz} MHz (fmax ${report.fmaxMhz.toFixed(1)} MHz${report.meetsTiming ? '' : ', NOT met'})`,
    `power        ${mw(report.powerMw)} = logic dynamic ${mw(report.dynamicMw)} + logic leakage ${mw(report.leakageMw)} + memories ${mw(report.memoryMw)}`,
    `energy       ${report.energyPerOpPj.toFixed(3)} pJ per MAC (${report.ops.toLocaleString('en-US')} MACs in ${report.cycles.toLocaleString('en-US')} cycles)`,
    `area         ${(report.areaUm2 / 1e6).toFixed(4)} mm2 cells + ${(report.memoryAreaUm2 / 1e6).toFixed(4)} mm2 SRAM`,
    ...report.memories.map((memory) => `memory ${memory.name}: ${memory.reads} reads, ${memory.writes} writes, ${mw(memory.powerMw)}`),
    `liberty      ${report.liberty}`,
  ];
  return `${lines.join('\n')}\n`;
}
