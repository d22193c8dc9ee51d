// `lutforge compare`: a matrix engine against its MAC (or ADD) baseline at the same tile, every
// figure for both and its ratio (host/compare.ts). Every input is checked before a tool starts.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { matmulEngines } from '../../generators/engines.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import { baselineFor, BASELINE_NAMES, compareEngines, defaultPowerDims, type EngineConfig, type EngineSide } from '../../host/compare.js';
import { comparisonReport } from '../../host/compare-report.js';
import { mergeConfig, parseSetArgument, type ConfigSetting } from '../../host/config.js';
import { UsageError } from '../../host/errors.js';
import { didYouMean } from '../did-you-mean.js';
import type { MatmulEngine } from '../../generators/matmul-engine/interface.js';
import { resolveFlavour, YOSYS_FLAVOUR_ENV, YOSYS_FLAVOURS } from '../../synth/runner.js';
import { DEFAULT_CLOCK_MHZ, LIBERTY_ENV } from '../../synth/standard-cells.js';
import { SYNTH_TARGETS } from '../../synth/targets.js';
import type { CommandContext } from '../context.js';
import { buildConfig, type DesignOptions } from '../design-source.js';
import { writeJson } from '../output.js';
import { phaseReporter } from '../progress.js';
import { isToolInputError, parseSeed, parseWorkloadWithin } from './power.js';
import { asUsageError, parseClock, parseTargets } from './synth.js';

interface CompareCommandOptions extends DesignOptions {
  readonly baseline: string;
  readonly baselineSet?: readonly string[];
  readonly target?: readonly string[];
  readonly flatten?: boolean;
  readonly yosys?: string;
  readonly liberty?: string;
  readonly clock?: string;
  readonly power: boolean;
  readonly workload?: string;
  readonly seed?: string;
  readonly cache: boolean;
  readonly json?: boolean;
  readonly out?: string;
  readonly progress?: boolean;
}

const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

export function addCompareCommand(program: Command, context: CommandContext): void {
  program
    .command('compare')
    .description('compare a matrix engine with its MAC or ADD baseline at the same tile: area, throughput, density and (osu018) power, with ratios')
    .argument('<engine>', `matrix engine (${[...matmulEngines.keys()].join(', ')})`)
    .option('-c, --config <file>', 'JSON file with the engine parameters')
    .option('-s, --set <key=value>', 'set one engine parameter, overriding the config file (repeatable)', collect)
    .option('--baseline <engine>', `the baseline: ${BASELINE_NAMES.join(' or ')}; it takes the engine's m, n, k, wbits, act and maxK`, 'mac')
    .option('--baseline-set <key=value>', "set one of the baseline's own parameters, e.g. narrowWeights=true (repeatable; not the tile)", collect)
    .option(
      '-t, --target <targets>',
      `target(s): ${SYNTH_TARGETS.join(', ')} (comma-separated or repeated; default cmos)`,
      (value: string, previous: readonly string[] | undefined) => [...(previous ?? []), ...value.split(',').map((t) => t.trim())],
    )
    .option('--flatten', 'cmos and FPGA figures of the flattened designs (default: summed over the hierarchy, as docs/paper)')
    .option('--yosys <flavour>', `Yosys to run: ${YOSYS_FLAVOURS.join(' or ')} (default: $${YOSYS_FLAVOUR_ENV}, else embedded)`)
    .option('--liberty <file>', `osu018: another Liberty file (default: $${LIBERTY_ENV}, else Debian's OSU 0.18 um cells)`)
    .option('--clock <mhz>', `osu018: the clock the cells are mapped towards and power is computed at, in MHz (default ${DEFAULT_CLOCK_MHZ})`)
    .option('--no-power', 'osu018: skip the gate-level power runs (minutes each on a first run)')
    .option('--workload <M,K,N>', 'osu018: the power workload, seeded uniform (default one tile, m x min(256, maxK) x n)')
    .option('--seed <n>', 'osu018: seed of the power workload (default 1)')
    .option('--no-cache', "measure even when lutforge's synthesis cache holds the result")
    .option('--json', 'print the comparison as one JSON document and nothing else on stdout')
    .option('-o, --out <file>', 'also write the JSON document to this file (atomically)')
    .option('--progress', 'report the phases on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      `
Each figure is printed for the engine and the baseline with the ratio engine / baseline and what
it includes. cmos: MACs per cycle, transistors (logic only; memories are SRAM bits beside) and
density per 1,000 transistors. osu018: also fmax, MACs per second at it, logic and logic + SRAM
area (the SRAM model of docs/design/physical.md), density at one clock and at each fmax, and
power and energy per MAC from a gate-level run of both engines on the same workload (as
\`lutforge power\`). Results are cached: a repeat reads them back.

Examples:
  $ lutforge compare tensor-core
  $ lutforge compare tensor-core --set wbits=1 --set act=fp16 --json
  $ lutforge compare tensor-core --baseline add --target cmos,osu018
  $ lutforge compare tensor-core --set n=8 --set maxK=256 --target osu018 --workload 2,64,8`,
    )
    .action(async (engineName: string, options: CompareCommandOptions) => {
      const { design, baseline } = await resolveSides(engineName, options, context.cwd);
      const targets = parseTargets(options.target);
      const osu018 = targets.includes('osu018');
      for (const [flag, given] of [['--liberty', options.liberty], ['--clock', options.clock]] as const) {
        if (given !== undefined && !osu018) throw new UsageError(`${flag} applies to the osu018 target; add --target osu018`);
      }
      for (const [flag, given] of [['--workload', options.workload], ['--seed', options.seed]] as const) {
        if (given !== undefined && (!osu018 || !options.power)) throw new UsageError(`${flag} sets the power runs, which need --target osu018 and no --no-power`);
      }
      const clockMhz = options.clock === undefined ? undefined : parseClock(options.clock, '--clock');
      const flavour = asUsageError(() => resolveFlavour(options.yosys));
      const power = osu018 && options.power ? { dims: powerDims(design.config, options.workload), seed: options.seed === undefined ? 1 : parseSeed(options.seed) } : undefined;
      if (options.out !== undefined) await checkOutputs(context.cwd, [{ flag: '--out', path: options.out, kind: 'file' }]);

      const phases = phaseReporter(context, 'compare', options.progress === true);
      let comparison;
      try {
        comparison = await compareEngines(design, baseline, {
          targets,
          flavour,
          flatten: options.flatten === true,
          ...(options.cache ? {} : { cacheDir: null }),
          ...(options.liberty === undefined ? {} : { liberty: resolve(context.cwd, options.liberty) }),
          ...(clockMhz === undefined ? {} : { clockMhz }),
          ...(power === undefined ? {} : { power }),
          onPhase: phases.phase,
        });
      } catch (error) {
        throw isToolInputError(error) ? new UsageError(error.message) : error;
      }
      phases.done();
      if (options.out !== undefined) await writeFileAtomically(resolve(context.cwd, options.out), `${JSON.stringify(comparison, null, 2)}\n`, { displayPath: options.out });
      if (options.json) writeJson(context, comparison);
      else context.stdout.write(comparisonReport(comparison));
    });
}

/** The engine with its configuration, and the baseline configured for its tile. */
async function resolveSides(engineName: string, options: CompareCommandOptions, cwd: string): Promise<{ design: EngineSide; baseline: EngineSide }> {
  const engine = matmulEngines.get(engineName as never) as unknown as MatmulEngine<EngineConfig> | undefined;
  if (engine === undefined) throw new UsageError(`unknown engine '${engineName}'${didYouMean(engineName, [...matmulEngines.keys()])} (known: ${[...matmulEngines.keys()].join(', ')})`);
  const config = (await buildConfig(engine.generator, options, cwd)) as EngineConfig;
  const design = { engine, config };
  const settings = mergeConfig({}, (options.baselineSet ?? []).map(parseBaselineSetting));
  return { design, baseline: baselineFor(design, options.baseline, settings) };
}

/** A `--baseline-set key=value`, its errors naming that flag rather than --set. */
function parseBaselineSetting(text: string): ConfigSetting {
  try {
    return parseSetArgument(text);
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(error.message.replace(/^--set /, '--baseline-set ')) : error;
  }
}

function powerDims(config: EngineConfig, workload: string | undefined): { M: number; K: number; N: number } {
  return workload === undefined ? defaultPowerDims(config) : parseWorkloadWithin(workload, config.maxK);
}
