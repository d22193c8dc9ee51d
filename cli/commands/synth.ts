// `lutforge synth`: synthesize a generator's design with Yosys for one or more targets, print the
// figures (markdown, or JSON with --json), optionally write the JSON report and gate the figures
// against a budget file for CI.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkBudget, formatBudgetDiff, parseBudget, withBaseline, type Budget } from '../../synth/budget.js';
import { markdownReport, OWN_DESIGN_NOTE } from '../../synth/report.js';
import { resolveFlavour, SynthInputError, YOSYS_FLAVOUR_ENV, YOSYS_FLAVOURS, type YosysFlavour } from '../../synth/runner.js';
import { synthesizeAll, type SynthJob, type SynthReport, type SynthResult } from '../../synth/synthesize.js';
import { isSynthTarget, SYNTH_TARGETS, type SynthTarget } from '../../synth/targets.js';
import { DEFAULT_CLOCK_MHZ, LIBERTY_ENV } from '../../synth/standard-cells.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import { parseJsonDocument } from '../../host/config.js';
import type { CommandContext } from '../context.js';
import { countProgress, phaseReporter, type PhaseReporter } from '../progress.js';
import { resolveDesign, withDesignOptions, type DesignOptions } from '../design-source.js';
import { isDesignFile } from '../design-file.js';
import { CheckFailedError, describeOsError, UsageError } from '../../host/errors.js';

interface SynthOptions extends DesignOptions {
  readonly target?: readonly string[];
  readonly yosys?: string;
  readonly json?: boolean;
  readonly out?: string;
  readonly budget?: string;
  readonly writeBaseline?: boolean;
  readonly progress?: boolean;
  readonly cache?: boolean;
  readonly flatten?: boolean;
  readonly liberty?: string;
  readonly clock?: string;
}

export function addSynthCommand(program: Command, context: CommandContext): void {
  withDesignOptions(program.command('synth').description('synthesize a design with Yosys and report its area, depth or FPGA resources'), context)
    .option(
      '-t, --target <targets>',
      `target(s): ${SYNTH_TARGETS.join(', ')} (comma-separated or repeated; default cmos)`,
      (value: string, previous: readonly string[] | undefined) => [...(previous ?? []), ...value.split(',').map((t) => t.trim())],
    )
    .option('--yosys <flavour>', `Yosys to run: ${YOSYS_FLAVOURS.join(' or ')} (default: $${YOSYS_FLAVOUR_ENV}, else embedded)`)
    .option('--json', 'print the JSON report (an array when there are several targets) and nothing else on stdout')
    .option('-o, --out <file>', 'also write the JSON report to this file (atomically)')
    .option('--budget <file>', 'check the figures against this budget file; exit 1 with a diff when one is exceeded')
    .option('--write-baseline', "store the current figures as the budget file's baseline instead of checking them")
    .option('--progress', 'show progress on stderr (a bar for several targets, else the phase) even when it is not a terminal')
    .option('--no-cache', "synthesize even when lutforge's synthesis cache holds the result")
    .option('--liberty <file>', `osu018: another Liberty file (default: $${LIBERTY_ENV}, else Debian's OSU 0.18 um cells)`)
    .option('--clock <mhz>', `osu018: the clock the cell mapping aims for, in MHz (default ${DEFAULT_CLOCK_MHZ})`)
    .option('--no-flatten', 'top figures summed over the hierarchy instead of flattening (for designs too large to flatten; cmos depth then stops at module edges)')
    .addHelpText(
      'after',
      `
Figures: cmos transistors, cells, depth; osu018 areaUm2 and cells (standard cells), memoryBits and
memoryAreaUm2 (SRAM macros, docs/design/physical.md), criticalPathNs and fmaxMhz (OpenSTA); xilinx (UltraScale+) lut, ff, carry, lutram, bram, uram,
dsp; ice40 lut, ff, bram, dsp. Only ratios between designs synthesized by this same flow are
comparable to the papers' ratios.

Budget file: {"growthPercent": 5, "limits": {"xilinx": {"lut": 2000}}, "baseline": {"cmos": {...}}}

Examples:
  $ lutforge synth counter --target cmos,xilinx,ice40
  $ lutforge synth mac --target osu018 --clock 200 --json
  $ lutforge synth fifo --set depth=16 --target xilinx --json --out fifo-xilinx.json
  $ lutforge synth adder-tree --budget area-budget.json`,
    )
    .action(async (generatorName: string, options: SynthOptions) => {
      const targets = parseTargets(options.target);
      const clockMhz = options.clock === undefined ? undefined : parseClock(options.clock, '--clock');
      if (options.writeBaseline && options.budget === undefined) throw new UsageError('--write-baseline needs --budget <file> to write to');
      const flavour = asUsageError(() => resolveFlavour(options.yosys));
      const phases = phaseReporter(context, 'synth', options.progress === true);
      phases.phase(`generating ${generatorName}`);
      const { spec, config, design } = await resolveDesign(context, generatorName, options);
      // The papers' engines are the registered generators that do matrix work (the examples do none).
      const comparedToPapers = !isDesignFile(generatorName) && spec.throughput !== undefined;
      const budgetPath = options.budget === undefined ? undefined : resolve(context.cwd, options.budget);
      const budget = budgetPath === undefined ? undefined : await loadBudget(budgetPath, options.budget ?? '', options.writeBaseline === true);
      await checkOutputs(context.cwd, [
        ...(options.out === undefined ? [] : [{ flag: '--out', path: options.out, kind: 'file' as const }]),
        ...(options.writeBaseline && options.budget !== undefined ? [{ flag: '--budget', path: options.budget, kind: 'file' as const }] : []),
      ]);

      const cellOptions = { ...(options.liberty === undefined ? {} : { liberty: resolve(context.cwd, options.liberty) }), ...(clockMhz === undefined ? {} : { clockMhz }) };
      const results = await runWithProgress(context, options, targets.map((target) => ({ design, target })), { flavour, ...cellOptions }, phases);
      const reports = results.map((result) => result.report);
      // The generator's work per cycle, so density needs no second lookup. Not a synthesis figure:
      // it sits beside the report, leaving the cache and budgets as they were.
      const throughput = spec.throughput?.(config);
      // The note travels with the figures: a user's own design gets the same note as its text report.
      const documents = reports.map((report) => ({ ...report, ...(comparedToPapers ? {} : { note: OWN_DESIGN_NOTE }), ...(throughput === undefined ? {} : { throughput }) }));
      const json = `${JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2)}\n`;
      if (options.out !== undefined) await writeFileAtomically(resolve(context.cwd, options.out), json, { displayPath: options.out });
      const throughputLine = throughput === undefined ? '' : `Throughput: ${throughput.perCycle.toLocaleString('en-US')} ${throughput.unit}s per cycle at full rate (\`lutforge compare\` sets it against a baseline).\n`;
      context.stdout.write(options.json ? json : markdownReport(reports, { comparedToPapers }) + throughputLine);

      if (budgetPath !== undefined && budget !== undefined) {
        if (options.writeBaseline) {
          await writeFileAtomically(budgetPath, `${JSON.stringify(withBaseline(budget, reports), null, 2)}\n`, { displayPath: options.budget });
          context.stderr.write(`lutforge: wrote the baseline of ${targets.join(', ')} to ${options.budget}\n`);
          return;
        }
        enforceBudget(budget, reports, options.budget ?? '');
      }
    });
}

/** The targets of `--target` (default cmos), each known, without repeats. */
export function parseTargets(requested: readonly string[] | undefined): SynthTarget[] {
  const targets: SynthTarget[] = [];
  for (const name of requested ?? ['cmos']) {
    if (!isSynthTarget(name)) throw new UsageError(`unknown synthesis target '${name}' (known: ${SYNTH_TARGETS.join(', ')})`);
    if (!targets.includes(name)) targets.push(name);
  }
  return targets;
}

async function loadBudget(path: string, shown: string, mayBeMissing: boolean): Promise<Budget> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // Writing the first baseline creates the file, with the growth knob visible for editing.
    if (mayBeMissing && error instanceof Error && 'code' in error && error.code === 'ENOENT') return { growthPercent: 0 };
    throw new UsageError(`cannot read budget '${shown}': ${describeOsError(error)}`);
  }
  const value = parseJsonDocument(text, `budget '${shown}'`);
  return asUsageError(() => parseBudget(value, shown));
}

function enforceBudget(budget: Budget, reports: readonly SynthReport[], shown: string): void {
  const { checked, violations } = checkBudget(budget, reports);
  if (violations.length === 0) return;
  const count = `${violations.length} of ${checked} figure${checked === 1 ? '' : 's'}`;
  throw new CheckFailedError(`budget '${shown}' exceeded (${count}):\n${formatBudgetDiff(violations)}`);
}

/** Runs the jobs with progress on stderr (a terminal, or --progress): a bar for several, a phase line for one. */
async function runWithProgress(
  context: CommandContext,
  options: SynthOptions,
  jobs: readonly SynthJob[],
  synthOptions: { readonly flavour: YosysFlavour; readonly liberty?: string; readonly clockMhz?: number },
  phases: PhaseReporter,
): Promise<SynthResult[]> {
  const progress = jobs.length > 1 ? countProgress(context, 'synth', 'synth [{bar}] {value}/{total} designs | {last}', options.progress === true) : undefined;
  progress?.start(jobs.length);
  if (jobs.length === 1 && jobs[0] !== undefined) phases.phase(`synthesizing ${jobs[0].design.top} for ${jobs[0].target} with Yosys`);
  try {
    const results = await synthesizeAll(jobs, { ...synthOptions, flatten: options.flatten !== false, ...(options.cache === false ? { cacheDir: null } : {}) }, (job, result) => {
      progress?.finished(`${job.design.top} on ${job.target} done${result.cached ? ' (cached)' : ''}`);
    });
    if (jobs.length === 1) phases.done();
    return results;
  } catch (error) {
    throw error instanceof SynthInputError ? new UsageError(error.message) : error;
  } finally {
    progress?.stop();
  }
}

/** A clock in MHz from the command line: a positive number, else a one-line usage error naming the flag. */
export function parseClock(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a positive number of MHz, got '${text}'`);
  return value;
}

/** Runs `action`, turning Yosys input problems (an unknown flavour, a missing system Yosys) into bad-input errors. */
export function asUsageError<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw error instanceof SynthInputError ? new UsageError(error.message) : error;
  }
}
