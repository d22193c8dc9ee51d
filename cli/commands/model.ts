// `lutforge model lut-llm`: the time a language model's linear layers take on the LUT-LLM engine,
// decode ms per token and prefill tokens/s, by projection and by bound (host/lut-llm/latency-model.ts).
// Wiring only: the options are read and checked here, the model and its text are the host's.

import type { Command } from 'commander';
import { lutLlmGenerator } from '../../generators/lut-llm/index.js';
import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import { DEFAULT_CLOCK_MHZ, DEFAULT_PREFILL_TOKENS, dimsConflict, lutLlmLatency, V80_HBM_GBS } from '../../host/lut-llm/latency-model.js';
import { latencyText } from '../../host/lut-llm/latency-text.js';
import { blockDecodeLatency, DEFAULT_AVERAGE_TOKENS, DEFAULT_POSITIONS } from '../../host/lut-llm-block/latency.js';
import { blockLatencyText } from '../../host/lut-llm-block/latency-text.js';
import { readModelDims, shippedModels } from '../../host/lut-llm/model-dims.js';
import { UsageError } from '../../host/errors.js';
import type { CommandContext } from '../context.js';
import { buildConfig, type DesignOptions } from '../design-source.js';
import { didYouMean } from '../did-you-mean.js';
import { writeJson } from '../output.js';
import { parseClock } from './synth.js';

interface ModelOptions extends DesignOptions {
  readonly dims: string;
  readonly clock?: string;
  readonly bandwidth?: string;
  readonly prefillTokens?: string;
  readonly positions?: string;
  readonly decodeTokens?: string;
  readonly json?: boolean;
}

const MODELLED_ENGINES = ['lut-llm', 'lut-llm-block'];
/** Prompts longer than this are no question of the linear layers' speed. */
const MAX_PREFILL_TOKENS = 1 << 20;

const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

/** A number from the command line that `fits`, else a one-line usage error naming the flag. */
function parseNumber(text: string, flag: string, what: string, fits: (value: number) => boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !fits(value)) throw new UsageError(`${flag} must be ${what}, got '${text}'`);
  return value;
}

export function addModelCommand(program: Command, context: CommandContext): void {
  program
    .command('model')
    .description("predict the time of a language model's linear layers on an engine (decode ms per token, prefill tokens/s, by projection and bound), or of its decode on the whole decoder block")
    .argument('<engine>', `engine to model (${MODELLED_ENGINES.join(', ')})`)
    .requiredOption('--dims <model>', `the model's dimensions: a shipped model (${shippedModels().join(', ')}) or a JSON file (hidden, intermediate, heads, kvHeads, headDim, layers; or a Hugging Face config.json)`)
    .option('-c, --config <file>', 'JSON file with the engine parameters')
    .option('-s, --set <key=value>', 'set one engine parameter, overriding the config file (repeatable)', collect)
    .option('--clock <mhz>', `engine clock in MHz (default ${DEFAULT_CLOCK_MHZ}, the released design's on the V80)`)
    .option('--bandwidth <GB/s>', `memory bandwidth in GB/s, 10^9 bytes per second (default ${V80_HBM_GBS}, the V80's HBM)`)
    .option('--prefill-tokens <n>', `prompt length of the prefill estimate (default ${DEFAULT_PREFILL_TOKENS}, the released block's longest)`)
    .option('--positions <list>', `lut-llm-block: decode positions to report, comma-separated (default ${DEFAULT_POSITIONS.join(',')})`)
    .option('--decode-tokens <n>', `lut-llm-block: the decode, from an empty cache, whose mean per token is reported (default ${DEFAULT_AVERAGE_TOKENS})`)
    .option('--json', 'print the estimate as one JSON document')
    .addHelpText(
      'after',
      `
Each projection (QKV fused, O, up+gate fused, down) runs on the one engine after the previous one.
Its time is the larger of two bounds that overlap, since tables and weight indices stream in
ahead of the lookups: the lookup cycles (the engine's cycle formula, which Verilator matches) plus
any wait for the centroid search, and the bytes the table, weight-index and codebook streams carry
divided by the bandwidth. Runs are split at maxT tokens and maxK inputs. Attention, normalization
and the rest of the decoder are not included (docs/design/lut-llm.md, "Latency model").

lut-llm-block: decode on the whole decoder block, per layer and position: the block's cycle model
(which its simulated counters match) for every phase, each engine round at least its streaming
time; the block fixes maxK, maxT, act, dequant and maxScaleGroups itself (docs/design/lut-llm-block.md).

Examples:
  $ lutforge model lut-llm --dims qwen3-1.7b
  $ lutforge model lut-llm --dims qwen3-1.7b --set lookupsPerCycle=512 --set tableBits=4 --set maxK=6144 --set maxT=128
  $ lutforge model lut-llm --dims ./config.json --bandwidth 460 --prefill-tokens 512 --json
  $ lutforge model lut-llm-block --dims qwen3-1.7b --positions 0,511,4095`,
    )
    .action(async (engine: string, options: ModelOptions) => {
      if (!MODELLED_ENGINES.includes(engine)) throw new UsageError(`no latency model for '${engine}'${didYouMean(engine, MODELLED_ENGINES)} (known: ${MODELLED_ENGINES.join(', ')})`);
      if (engine !== 'lut-llm-block' && (options.positions !== undefined || options.decodeTokens !== undefined)) throw new UsageError('--positions and --decode-tokens apply to lut-llm-block only');
      const clockMhz = options.clock === undefined ? DEFAULT_CLOCK_MHZ : parseClock(options.clock, '--clock');
      const bandwidthGBs = options.bandwidth === undefined ? V80_HBM_GBS : parseNumber(options.bandwidth, '--bandwidth', 'a positive number of GB/s', (value) => value > 0);
      const prefillTokens = options.prefillTokens === undefined ? DEFAULT_PREFILL_TOKENS : parseNumber(options.prefillTokens, '--prefill-tokens', `a whole number of tokens from 1 to ${MAX_PREFILL_TOKENS}`, (value) => Number.isInteger(value) && value >= 1 && value <= MAX_PREFILL_TOKENS);
      const config = (await buildConfig(lutLlmGenerator, options, context.cwd)) as LutLlmConfig;
      const dims = await readModelDims(options.dims, context.cwd);
      const conflict = dimsConflict(config, dims);
      if (conflict !== undefined) throw new UsageError(`dims file '${options.dims}': ${conflict}`);
      if (engine === 'lut-llm-block') {
        const positions = (options.positions ?? DEFAULT_POSITIONS.join(',')).split(',').map((text) => parseNumber(text, '--positions', `a comma-separated list of positions from 0 to ${MAX_PREFILL_TOKENS - 1}`, (value) => Number.isInteger(value) && value >= 0 && value < MAX_PREFILL_TOKENS));
        const decodeTokens = options.decodeTokens === undefined ? DEFAULT_AVERAGE_TOKENS : parseNumber(options.decodeTokens, '--decode-tokens', `a whole number of tokens from 1 to ${MAX_PREFILL_TOKENS}`, (value) => Number.isInteger(value) && value >= 1 && value <= MAX_PREFILL_TOKENS);
        const latency = blockDecodeLatency(dims, config, { clockMhz, bandwidthGBs }, positions, decodeTokens);
        if (options.json) writeJson(context, latency);
        else context.stdout.write(blockLatencyText(latency));
        return;
      }
      const estimate = lutLlmLatency(config, dims, { clockMhz, bandwidthGBs, prefillTokens });
      if (options.json) writeJson(context, estimate);
      else context.stdout.write(latencyText(estimate));
    });
}
