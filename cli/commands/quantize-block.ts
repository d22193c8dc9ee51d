// `lutforge quantize-block`: a float decoder block (a weights directory) into a LUT-LLM block
// model directory, each projection calibrated on the activations the float block produces at its
// input (host/lut-llm-block/quantize-block.ts). Every input is checked before k-means starts: a
// bad file fails at once with exit 2 and leaves nothing behind.

import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { defineGenerator } from '../../generators/registry.js';
import { checkOutputs } from '../../host/atomic.js';
import { UsageError } from '../../host/errors.js';
import { blockRelativeErrors, quantizeBlock } from '../../host/lut-llm-block/quantize-block.js';
import { blockEngineKeys, checkBlockModelConfig } from '../../host/lut-llm-block/model-config.js';
import { writeBlockModel } from '../../host/lut-llm-block/model-files.js';
import { readBlockWeights } from '../../host/lut-llm-block/weights.js';
import { FLOAT_DTYPES, formatShape, readNpy } from '../../host/npy.js';
import type { CommandContext } from '../context.js';
import { buildConfig, type DesignOptions } from '../design-source.js';
import { parseSeed, withProgress } from './quantize.js';
import { writeJson } from '../output.js';

interface QuantizeBlockOptions extends DesignOptions {
  readonly weights: string;
  readonly calib: string;
  readonly out: string;
  readonly seed: string;
  readonly zeroPoint: 'integer' | 'exact';
  readonly progress?: boolean;
  readonly json?: boolean;
}

/** What `quantize-block --json` prints. */
export interface QuantizeBlockSummary {
  /** Absolute paths. */
  readonly weights: string;
  readonly out: string;
  /** config.json of the model written. */
  readonly config: unknown;
  readonly seed: number;
  /** Calibration rows, and the golden block's relative error against the float block on the first min(T, maxSeq) of them. */
  readonly T: number;
  readonly error: { readonly T: number; readonly y: number; readonly update: number };
}

/** The engine keys come through the same buildConfig as `quantize` (config file, then --set, then the schema). */
const blockEngineParameters = defineGenerator({
  name: 'lut-llm-block engine',
  description: 'the LUT-LLM engine keys a block model shares across its projections',
  schema: blockEngineKeys,
  generate: () => {
    throw new Error('quantize-block never generates hardware');
  },
});

const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

export function addQuantizeBlockCommand(program: Command, context: CommandContext): void {
  program
    .command('quantize-block')
    .description('vector-quantize a float decoder block into a LUT-LLM block model directory (four layer directories, norms, config.json)')
    .option('-c, --config <file>', 'JSON file with the engine keys (v, ca, cw, tableBits, groupCols, lookupsPerCycle, distance, ...)')
    .option('-s, --set <key=value>', 'set one engine key, overriding the config file (repeatable)', collect)
    .requiredOption('--weights <dir>', 'float weights directory: config.json (dimensions), w_q, w_k, w_v, w_o, w_gate, w_up, w_down, input_norm, post_norm, q_norm, k_norm .npy')
    .requiredOption('--calib <file>', 'calibration hidden states X, shape (T, hidden), at positions 0 .. T-1 (floats, rounded to float32)')
    .requiredOption('-o, --out <dir>', 'model directory to write, replaced as a whole')
    .option('--seed <n>', 'seed of the k-means initialisation (same seed, same bytes)', '0')
    .addOption(new Option('--zero-point <kind>', "the table zero point, as in 'quantize'").choices(['integer', 'exact']).default('integer'))
    .option('--progress', 'show the progress bar on stderr even when it is not a terminal')
    .option('--json', 'print a JSON summary {weights, out, config, seed, T, error} instead of lines')
    .addHelpText(
      'after',
      `
Runs the float block over X (positions 0 .. T-1) and quantizes each projection with the layer
quantizer on the activations at its input: qkv = w_q | w_k | w_v with one (scale, zero) pair per
head, o, gate_up = w_gate | w_up, down. Writes config.json, input_norm.npy, post_norm.npy,
q_norm.npy, k_norm.npy, qkv/, o/, gate_up/, down/ (layer directories) and files.f, then prints
the golden block's relative error against the float block on the first min(T, maxSeq) rows, of
y and of the block's update y - x. engine.groupCols must divide headDim.

Examples:
  $ lutforge quantize-block --weights block0 --calib X.npy --out model0 --set groupCols=16 --set lookupsPerCycle=16
  $ lutforge quantize-block --config engine.json --weights block0 --calib X.npy --out model0 --json`,
    )
    .action(async (options: QuantizeBlockOptions) => {
      const seed = parseSeed(options.seed);
      const engineKeys = await buildConfig(blockEngineParameters, options, context.cwd);
      await checkOutputs(context.cwd, [{ flag: '--out', path: options.out, kind: 'directory' }]);
      const weights = await readBlockWeights(resolve(context.cwd, options.weights), options.weights);
      const { config } = checkBlockModelConfig({ ...weights.config, engine: engineKeys }, `'${options.weights}/config.json' with the engine keys`);
      const calibArray = await readNpy(resolve(context.cwd, options.calib), '--calib', { displayPath: options.calib, expect: { dtype: 'float32', dims: ['T', 'hidden'], from: FLOAT_DTYPES, round: true } });
      const [T, width] = calibArray.shape as [number, number];
      if (width !== config.hidden) throw new UsageError(`'${options.calib}' (--calib) has shape ${formatShape(calibArray.shape)}: ${width} columns, the block's hidden = ${config.hidden} ('${options.weights}/config.json')`);
      const calib = calibArray.data as Float32Array;
      const bad = calib.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) throw new UsageError(`'${options.calib}' (--calib) holds ${calib[bad]} at [${Math.floor(bad / width)}, ${bad % width}]; calibration activations must be finite`);
      if (T < config.engine.ca) {
        context.stderr.write(`lutforge: warning: --calib '${options.calib}' has T = ${T} tokens, fewer than ca = ${config.engine.ca} activation centroids: each position's codebook repeats centroids; give at least ${config.engine.ca} tokens, or lower ca\n`);
      }

      const files = withProgress(context, options.progress === true, (onProgress) => quantizeBlock(weights, config.engine, calib, { seed, zeroPoint: options.zeroPoint, onProgress }));
      await writeBlockModel(resolve(context.cwd, options.out), files, { displayPath: options.out });
      const error = blockRelativeErrors(files, weights, calib);
      if (options.json) {
        const summary: QuantizeBlockSummary = { weights: resolve(context.cwd, options.weights), out: resolve(context.cwd, options.out), config: files.config, seed, T, error };
        writeJson(context, summary);
        return;
      }
      const { hidden, intermediate, heads, kvHeads, headDim } = config;
      const shownDir = options.out.endsWith('/') ? options.out : `${options.out}/`;
      context.stdout.write(
        `quantized the block '${options.weights}' (hidden ${hidden}, intermediate ${intermediate}, ${heads} heads, ${kvHeads} kv heads, headDim ${headDim}) -> ${shownDir}: ` +
          `v = ${config.engine.v}, ca = ${config.engine.ca}, cw = ${config.engine.cw}, tableBits = ${config.engine.tableBits}, groupCols = ${config.engine.groupCols}, calibrated on T = ${T} tokens\n`,
      );
      context.stdout.write(`relative error against the float block (calibration '${options.calib}', first T = ${error.T}): y ${error.y.toPrecision(4)}, update y - x ${error.update.toPrecision(4)}\n`);
    });
}
