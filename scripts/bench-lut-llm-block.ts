// LUT-LLM decoder block benchmark (issue 22): xilinx (UltraScale+) resources of the block by part
// (engine, attention and its KV cache, the four RMSNorms, RoPE, SiLU, the top's buffers and
// sequencer) and the whole block's LUT per lookup per cycle beside the release's 154.8
// (scripts/lib/lut-llm-block-resources.ts). Hierarchical synthesis, through the synthesis cache
// (.cache/synth) unless --no-cache, so a --markdown re-run after a long synthesis is instant.
//
//   node --import tsx scripts/bench-lut-llm-block.ts                      the tiny block (make bench)
//   node --import tsx scripts/bench-lut-llm-block.ts --dims tiny,qwen3-1.7b --yosys system \
//       --markdown docs/paper/block-resources.md                           what docs/paper holds
//   node --import tsx scripts/bench-lut-llm-block.ts --dims qwen3-1.7b --max-seq 64 --max-t 1 --set engine.lookupsPerCycle=128
//
// --dims takes `tiny` (the block's defaults: hidden 64, 4 heads, 2 KV heads, headDim 16) or a
// model's dimensions as `lutforge model lut-llm --dims` reads them (a shipped name such as
// qwen3-1.7b, or a JSON file), with the default engine but groupCols = headDim (a scale pair per
// head). Large blocks need the native Yosys (--yosys system): the embedded one has 4 GiB of memory.

import { Command } from 'commander';
import { basename, dirname } from 'node:path';
import { UsageError } from '../host/errors.js';
import { resolveFlavour, SynthInputError } from '../synth/runner.js';
import { blockConfigs, blockMarkdown, blockResources, PRESET_LIMITS, printBlock, type BlockOptions, type BlockResources } from './lib/lut-llm-block-resources.js';
import { subtractorCost } from './lib/lut-llm-resources.js';
import { writeIntoReport } from './paper/kit.js';

const positive = (flag: string) => (text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got '${text}'`);
  return value;
};

interface Options extends BlockOptions {
  yosys?: string;
  markdown?: string;
  cache: boolean;
}

const program = new Command('bench-lut-llm-block')
  .option('--dims <list>', 'blocks to synthesize, comma-separated: tiny, a shipped model (qwen3-1.7b) or a dims JSON file', 'tiny')
  .option('--max-seq <n>', `KV cache positions (default ${PRESET_LIMITS.tiny.maxSeq} for tiny, ${PRESET_LIMITS.model.maxSeq} for a model)`, positive('--max-seq'))
  .option('--max-t <n>', `tokens per run (default ${PRESET_LIMITS.tiny.maxT} for tiny, ${PRESET_LIMITS.model.maxT} for a model)`, positive('--max-t'))
  .option('--config <file>', 'block config JSON applied over each preset')
  .option('--set <key=value>', 'config override, repeatable (engine.lookupsPerCycle=128)', (value: string, previous: string[]) => [...previous, value], [] as string[])
  .option('--yosys <flavour>', 'embedded or system (default $LUTFORGE_YOSYS, else embedded)')
  .option('--markdown <file>', 'also write the figures as a markdown section (listed in its directory\'s files.f, if any: docs/paper/block-resources.md)')
  .option('--no-cache', 'synthesize even when the synthesis cache holds the result');

async function main(argv: readonly string[]): Promise<void> {
  const options = program.parse(argv, { from: 'user' }).opts<Options>();
  const flavour = resolveFlavour(options.yosys);
  const configs = await blockConfigs(options);
  const subtractor = await subtractorCost(flavour);
  console.log(`xilinx (UltraScale+) resources, hierarchical synthesis (flatten: false), ${flavour} Yosys${options.cache ? ', through the synthesis cache' : ', nothing cached'}`);
  console.log(`one FP32 subtractor (dsl/lib/fp fpAdd, b negated) alone: ${subtractor.lut} LUT`);
  const results: BlockResources[] = [];
  for (const { label, config } of configs) {
    const result = await blockResources(label, config, flavour, options.cache);
    printBlock(result, subtractor);
    results.push(result);
  }
  if (options.markdown !== undefined) {
    const shown = argv.filter((arg, i) => arg !== '--markdown' && argv[i - 1] !== '--markdown' && !arg.startsWith('--markdown='));
    const contents = blockMarkdown(results, subtractor, ['node --import tsx scripts/bench-lut-llm-block.ts', ...shown].join(' '));
    await writeIntoReport(dirname(options.markdown), [{ name: basename(options.markdown), contents }]);
    console.log(`\nwrote ${options.markdown}`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError || error instanceof SynthInputError)) throw error;
  console.error(`bench-lut-llm-block: ${error.message}`);
  process.exitCode = 2;
}
