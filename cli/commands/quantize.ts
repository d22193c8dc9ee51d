// `lutforge quantize`: the offline half of LUT-LLM. Vector-quantizes a weight matrix against
// calibration activations into a layer directory (generators/lut-llm/layer.ts) that `run lut-llm`
// and Python scripts read, and reports how far the quantized layer is from x @ W. Every input is
// checked before k-means starts: a bad file fails at once with exit 2 and leaves nothing behind.

import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { FP16 } from '../../contracts/fp-format.js';
import { lutLlmConfig, type LutLlmConfig } from '../../generators/lut-llm/config.js';
import { checkOutputs } from '../../host/atomic.js';
import { writeLayer } from '../../host/lut-llm/layer-files.js';
import { quantizeLayer } from '../../host/lut-llm/quantize.js';
import { relativeError } from '../../golden/lut-llm.js';
import { defineGenerator } from '../../generators/registry.js';
import { fpDecode } from '../../golden/softfloat.js';
import type { CommandContext } from '../context.js';
import { progressBar } from '../progress.js';
import { buildConfig, type DesignOptions } from '../design-source.js';
import { formatShape, readNpy, type NpyArray, type NpyDtype } from '../../host/npy.js';
import { NUMERIC_DTYPES } from '../../host/npy.js';
import { writeJson } from '../output.js';
import { scaleGroupProblem, type LlmActivations } from '../../contracts/lut-llm-layer.js';
import { UsageError } from '../../host/errors.js';

interface QuantizeOptions extends DesignOptions {
  readonly weight: string;
  readonly calib: string;
  readonly out: string;
  readonly holdout?: string;
  readonly seed: string;
  readonly zeroPoint: 'integer' | 'exact';
  readonly scaleGroups: string;
  readonly progress?: boolean;
  readonly json?: boolean;
}

/** One relative error `|| y - x @ W ||_F / || x @ W ||_F` of the quantized layer. */
export interface QuantizeError {
  /** Absolute path of the activations. */
  readonly file: string;
  readonly T: number;
  readonly relativeError: number;
}

/** What `quantize --json` prints. */
export interface QuantizeSummary {
  /** Absolute paths. */
  readonly weight: string;
  readonly out: string;
  readonly K: number;
  readonly N: number;
  readonly P: number;
  readonly G: number;
  readonly seed: number;
  readonly zeroPoint: 'integer' | 'exact';
  /** S: (scale, zero) pairs, one per N / S consecutive columns. */
  readonly scaleGroups: number;
  /** The validated lut-llm configuration, defaults filled in. */
  readonly config: LutLlmConfig;
  readonly errors: { readonly calibration: QuantizeError; readonly holdout: QuantizeError | null };
}

/**
 * The configuration comes through the same buildConfig as `run` (config file, then --set, then
 * the schema). Only `name` and `schema` are read there, so this stand-in spec needs no hardware.
 */
const lutLlmParameters = defineGenerator({
  name: 'lut-llm',
  description: 'LUT-LLM linear-layer parameters',
  schema: lutLlmConfig,
  generate: () => {
    throw new Error('quantize never generates hardware');
  },
});

/**
 * The encoding the golden model takes per activation format. Calibration and holdout activations
 * only train and measure the codebooks, so float inputs of any width are rounded to it (nearest
 * even), as the hardware would be given them; int16 takes integers that fit.
 */
const ACT_DTYPES: Readonly<Record<LutLlmConfig['act'], { readonly dtype: NpyDtype; readonly round: boolean }>> = {
  fp32: { dtype: 'float32', round: true },
  fp16: { dtype: 'float16', round: true },
  int16: { dtype: 'int16', round: false },
};

const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

export function addQuantizeCommand(program: Command, context: CommandContext): void {
  program
    .command('quantize')
    .description('vector-quantize a weight matrix into a LUT-LLM layer directory (codebooks, indices, tables)')
    .option('-c, --config <file>', 'JSON file with the lut-llm parameters (v, ca, cw, tableBits, groupCols, act, distance, ...)')
    .option('-s, --set <key=value>', 'set one lut-llm parameter, overriding the config file (repeatable)', collect)
    .requiredOption('--weight <file>', 'weights W, shape (K, N): float32 (float64 and float16 are rounded to float32)')
    .requiredOption('--calib <file>', 'calibration activations X, shape (T, K): floats for act=fp32 and fp16 (rounded to float32 or float16), integers that fit int16 for act=int16')
    .requiredOption('-o, --out <dir>', 'layer directory to write, replaced as a whole')
    .option('--holdout <file>', 'activations (same dtype rules as --calib) to report the error on as well')
    .option('--seed <n>', 'seed of the k-means initialisation (same seed, same bytes)', '0')
    .addOption(
      new Option('--zero-point <kind>', "the table zero point: 'integer' (rounded; no bias) or 'exact' (-min/scale, as the paper writes it)")
        .choices(['integer', 'exact'])
        .default('integer'),
    )
    .option('--scale-groups <S>', 'one (scale, zero) pair per N / S consecutive columns, e.g. one per attention head; S divides N into whole column groups', '1')
    .option('--progress', 'show the progress bar on stderr even when it is not a terminal')
    .option('--json', 'print a JSON summary {weight, out, K, N, P, G, seed, zeroPoint, scaleGroups, config, errors} instead of lines')
    .addHelpText(
      'after',
      `
Writes act_codebook.npy [P, Ca, v], weight_codebook.npy [P, G, Cw, v], weight_index.npy [P, N],
table.npy [P, G, Ca, Cw], scale.npy and zero.npy [S] (K = P * v, G = ceil(N / groupCols);
S = --scale-groups, one pair per N / S consecutive columns),
config.json (the configuration, which 'run lut-llm' starts from) and files.f, then prints
|| y - x @ W ||_F / || x @ W ||_F of the quantized layer's golden output.

Examples:
  $ lutforge quantize --weight W.npy --calib X.npy --out layer0
  $ lutforge quantize --set tableBits=4 --set groupCols=128 --weight W.npy --calib X.npy --holdout X2.npy --out layer0 --seed 7
  $ lutforge quantize --weight W.npy --calib X.npy --out layer0 --json --progress
  $ lutforge quantize --set groupCols=128 --scale-groups 32 --weight Wqkv.npy --calib X.npy --out qkv`,
    )
    .action(async (options: QuantizeOptions) => {
      const seed = parseSeed(options.seed);
      const scaleGroups = parseScaleGroups(options.scaleGroups);
      const config = lutLlmConfig.parse(await buildConfig(lutLlmParameters, options, context.cwd));
      await checkOutputs(context.cwd, [{ flag: '--out', path: options.out, kind: 'directory' }]);
      const { W, K, N } = await readWeight(options.weight, config, context.cwd);
      const badScaleGroups = scaleGroupProblem(N, config.groupCols, scaleGroups);
      if (badScaleGroups !== undefined) throw new UsageError(`'${options.weight}' (--weight) has N = ${N} columns; --scale-groups: ${badScaleGroups}`);
      const calib = await readActivations(options.calib, '--calib', config, K, options.weight, context.cwd);
      const holdout = options.holdout === undefined ? undefined : await readActivations(options.holdout, '--holdout', config, K, options.weight, context.cwd);
      if (calib.T < config.ca) {
        context.stderr.write(
          `lutforge: warning: --calib '${options.calib}' has T = ${calib.T} tokens, fewer than ca = ${config.ca} activation centroids: ` +
            `each position's codebook repeats centroids (at most ${calib.T} distinct); give at least ${config.ca} tokens, or lower ca\n`,
        );
      }

      const layer = withProgress(context, options.progress === true, (onProgress) => quantizeLayer(W, calib, config, { seed, onProgress, zeroPoint: options.zeroPoint, scaleGroups }));
      // The layer remembers its configuration, so `run lut-llm` needs no --set repeated.
      await writeLayer(resolve(context.cwd, options.out), layer, { displayPath: options.out, config });

      const measure = (file: string, x: LlmActivations): QuantizeError => ({ file: resolve(context.cwd, file), T: x.T, relativeError: relativeError(layer, x, W, config.distance) });
      const errors = {
        calibration: measure(options.calib, calib),
        holdout: holdout === undefined || options.holdout === undefined ? null : measure(options.holdout, holdout),
      };
      if (options.json) {
        const summary: QuantizeSummary = { weight: resolve(context.cwd, options.weight), out: resolve(context.cwd, options.out), K, N, P: layer.P, G: layer.G, seed, zeroPoint: options.zeroPoint, scaleGroups, config, errors };
        writeJson(context, summary);
        return;
      }
      const shownDir = options.out.endsWith('/') ? options.out : `${options.out}/`;
      context.stdout.write(
        `quantized '${options.weight}' (K = ${K}, N = ${N}) -> ${shownDir}: P = ${layer.P}, G = ${layer.G}, v = ${config.v}, ` +
          `ca = ${config.ca}, cw = ${config.cw}, tableBits = ${config.tableBits}, distance ${config.distance}` +
          `${scaleGroups > 1 ? `, ${scaleGroups} scale groups of ${N / scaleGroups} columns` : ''}\n`,
      );
      const line = (role: string, file: string, error: QuantizeError): string => `relative error (${role} '${file}', T = ${error.T}): ${error.relativeError.toPrecision(4)}\n`;
      context.stdout.write(line('calibration', options.calib, errors.calibration));
      if (errors.holdout !== null && options.holdout !== undefined) context.stdout.write(line('holdout', options.holdout, errors.holdout));
    });
}

export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 0xffff_ffff) throw new UsageError(`--seed must be an integer from 0 to ${0xffff_ffff}, not '${text}'`);
  return Number(text);
}

function parseScaleGroups(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) throw new UsageError(`--scale-groups must be an integer from 1 to 65535, not '${text}'`);
  return Number(text);
}

async function readWeight(file: string, config: LutLlmConfig, cwd: string): Promise<{ W: Float32Array; K: number; N: number }> {
  // W is real-valued and about to be quantized: float64 (NumPy's default) is rounded to float32.
  const array = await readNpy(resolve(cwd, file), '--weight', { displayPath: file, expect: { dtype: 'float32', dims: ['K', 'N'], from: NUMERIC_DTYPES, round: true } });
  const [K, N] = array.shape as [number, number];
  if (K % config.v !== 0) throw new UsageError(`'${file}' (--weight) has K = ${K} rows, not a multiple of v = ${config.v}`);
  if (K > config.maxK) throw new UsageError(`'${file}' (--weight) has K = ${K} rows, more than maxK = ${config.maxK} (raise it with --set maxK=${K})`);
  const W = array.data as Float32Array;
  const bad = W.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new UsageError(`'${file}' (--weight) holds ${W[bad]} at [${Math.floor(bad / N)}, ${bad % N}]; weights must be finite`);
  return { W, K, N };
}

/** Reads X [T, K] in the encoding the golden model takes, checked against W's K and for finite values. */
async function readActivations(file: string, role: string, config: LutLlmConfig, K: number, weightFile: string, cwd: string): Promise<LlmActivations> {
  const { dtype, round } = ACT_DTYPES[config.act];
  const array: NpyArray = await readNpy(resolve(cwd, file), role, { displayPath: file, expect: { dtype, dtypeReason: `for act=${config.act}`, dims: ['T', 'K'], from: NUMERIC_DTYPES, round } });
  const [T, XK] = array.shape as [number, number];
  if (XK !== K) {
    throw new UsageError(`K differs: '${file}' (${role}) has K = ${XK} columns, shape ${formatShape(array.shape)}; '${weightFile}' (--weight) has K = ${K} rows`);
  }
  const data = array.data as Float32Array | Uint16Array | Int16Array;
  const values: ArrayLike<number> = config.act === 'fp16' ? Float64Array.from(data, (bits) => fpDecode(FP16, bits)) : data;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      const as = config.act === 'fp16' ? ' as float16' : '';
      throw new UsageError(`'${file}' (${role}) holds ${values[i]}${as} at [${Math.floor(i / K)}, ${i % K}]; activations must be finite`);
    }
  }
  return { T, K, act: config.act, data };
}

/** Runs the quantizer with a bar on stderr (a terminal, or --progress) counting codebooks. */
export function withProgress<R>(context: CommandContext, forced: boolean, body: (onProgress: (done: number, total: number) => void) => R): R {
  const bar = progressBar(context, 'quantize [{bar}] {value}/{total} codebooks', forced);
  const isTerminal = (context.stderr as { isTTY?: boolean }).isTTY === true;
  let started = false;
  let lastRender = Date.now();
  try {
    return body((done, total) => {
      if (bar === undefined) return;
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
      // k-means blocks the event loop, so the bar's own timer never fires; off a terminal (where
      // cli-progress skips synchronous redraws) a line every 2 s keeps CI logs alive.
      if (!isTerminal && Date.now() - lastRender >= 2000) {
        bar.render();
        lastRender = Date.now();
      }
    });
  } finally {
    bar?.stop();
  }
}
