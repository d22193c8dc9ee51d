// The LUT-LLM block model directory (docs/design/lut-llm-block.md, "The model directory"):
//
//   config.json         the block's dimensions and shared engine keys (model-config.ts)
//   input_norm.npy      float32 [hidden]
//   post_norm.npy       float32 [hidden]
//   q_norm.npy          float32 [headDim]
//   k_norm.npy          float32 [headDim]
//   qkv/ o/ gate_up/ down/   LUT-LLM layer directories (host/lut-llm/layer-files.ts)
//   files.f             the names above (the marker that lets lutforge replace the directory)
//
// Reading checks every file against config.json, so a wrong or stale model fails with one line
// naming the file (a UsageError: exit 2) rather than running garbage through the block.

import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { projectionShape, type BlockProjection, type LutLlmBlockModel } from '../../contracts/lut-llm-block.js';
import type { LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import { withOutputMarker, writeDirectoryAtomically, type OutputFile } from '../atomic.js';
import { loadConfigFile } from '../config.js';
import { describeOsError, UsageError } from '../errors.js';
import { LAYER_CONFIG_FILE, layerFiles, readLayer, readLayerConfig } from '../lut-llm/layer-files.js';
import { encodeNpy, formatShape, FLOAT_DTYPES, readNpy } from '../npy.js';
import { blockDims, checkBlockModelConfig, engineConfigOf, type BlockModelConfig } from './model-config.js';

export const MODEL_CONFIG_FILE = 'config.json';

/** Each projection's layer directory. */
export const PROJECTION_DIRS: Readonly<Record<BlockProjection, string>> = { qkv: 'qkv', o: 'o', gateUp: 'gate_up', down: 'down' };

type NormName = 'inputNorm' | 'postNorm' | 'qNorm' | 'kNorm';
export const NORM_FILES: Readonly<Record<NormName, string>> = {
  inputNorm: 'input_norm.npy',
  postNorm: 'post_norm.npy',
  qNorm: 'q_norm.npy',
  kNorm: 'k_norm.npy',
};

/** A model directory's contents: config.json as written, and the block the golden runs. */
export interface BlockModelFiles {
  readonly config: BlockModelConfig;
  readonly model: LutLlmBlockModel;
}

/** Scale groups quantize-block gives each projection: QKV one per head (the release's per-head pairs), the others one. */
export function projectionScaleGroups(config: BlockModelConfig, projection: BlockProjection): number {
  return projection === 'qkv' ? config.heads + 2 * config.kvHeads : 1;
}

function normLength(config: BlockModelConfig, norm: NormName): { readonly length: number; readonly from: string } {
  return norm === 'inputNorm' || norm === 'postNorm' ? { length: config.hidden, from: 'hidden' } : { length: config.headDim, from: 'headDim' };
}

/** The files of a model directory, files.f last; every layer directory keeps its own config.json and files.f. */
export function blockModelFiles({ config, model }: BlockModelFiles): OutputFile[] {
  const engine = engineConfigOf(config);
  const files: OutputFile[] = [{ name: MODEL_CONFIG_FILE, contents: `${JSON.stringify(config, null, 2)}\n` }];
  for (const [norm, file] of Object.entries(NORM_FILES) as [NormName, string][]) files.push({ name: file, contents: encodeNpy(model[norm], [model[norm].length]) });
  for (const [projection, dir] of Object.entries(PROJECTION_DIRS) as [BlockProjection, string][]) {
    for (const file of layerFiles(model[projection], engine)) files.push({ name: `${dir}/${file.name}`, contents: file.contents });
  }
  return withOutputMarker(files);
}

/** Writes the model directory atomically: readers see the old directory or the whole new one. */
export async function writeBlockModel(dir: string, files: BlockModelFiles, options: { displayPath?: string } = {}): Promise<void> {
  await writeDirectoryAtomically(dir, blockModelFiles(files), options);
}

/** Reads and validates a model directory; every problem is a UsageError naming `displayDir/<file>`. */
export async function readBlockModel(dir: string, displayDir: string = dir): Promise<BlockModelFiles> {
  const stats = await stat(dir).catch((error: unknown) => {
    throw new UsageError(`cannot read the block model directory '${displayDir}': ${describeOsError(error)}`);
  });
  if (!stats.isDirectory()) throw new UsageError(`the block model '${displayDir}' is not a directory; a model is the directory 'lutforge quantize-block' writes`);
  const shown = (file: string): string => join(displayDir, file);

  const configPath = join(dir, MODEL_CONFIG_FILE);
  if (!(await access(configPath).then(() => true, () => false))) throw new UsageError(`'${shown(MODEL_CONFIG_FILE)}' is missing; a block model directory starts with its config.json`);
  const raw = await loadConfigFile(configPath, shown(MODEL_CONFIG_FILE), 'block model config');
  const { config, engine } = checkBlockModelConfig(raw, `'${shown(MODEL_CONFIG_FILE)}'`);

  const norms = {} as Record<NormName, Float32Array>;
  for (const [norm, file] of Object.entries(NORM_FILES) as [NormName, string][]) {
    const { length, from } = normLength(config, norm);
    const array = await readNpy(join(dir, file), 'the block model', { displayPath: shown(file), expect: { dtype: 'float32', dims: ['n'], from: FLOAT_DTYPES } });
    if (array.shape[0] !== length) throw new UsageError(`'${shown(file)}' has shape ${formatShape(array.shape)}, expected ${formatShape([length])} (${from} in ${MODEL_CONFIG_FILE})`);
    norms[norm] = array.data as Float32Array;
  }

  const layers = {} as Record<BlockProjection, LutLlmLayer>;
  for (const [projection, dirName] of Object.entries(PROJECTION_DIRS) as [BlockProjection, string][]) {
    layers[projection] = await readProjection(join(dir, dirName), shown(dirName), projection, config, engine);
  }
  return { config, model: { dims: blockDims(config), distance: engine.distance, ...norms, ...layers } };
}

async function readProjection(dir: string, shownDir: string, projection: BlockProjection, config: BlockModelConfig, engine: LutLlmConfig): Promise<LutLlmLayer> {
  const present = await stat(dir).then((entry) => entry.isDirectory(), () => false);
  if (!present) throw new UsageError(`'${shownDir}/' is missing: the block needs the ${PROJECTION_DIRS[projection]} projection's layer directory (what 'lutforge quantize' writes)`);
  const remembered = await readLayerConfig(dir, shownDir);
  if (remembered !== undefined) {
    const differing = (Object.keys(config.engine) as (keyof BlockModelConfig['engine'])[]).find((key) => remembered[key] !== undefined && remembered[key] !== config.engine[key]);
    if (differing !== undefined) {
      throw new UsageError(`'${join(shownDir, LAYER_CONFIG_FILE)}' has ${differing} = ${JSON.stringify(remembered[differing])}, the model's engine.${differing} is ${JSON.stringify(config.engine[differing])} ('${MODEL_CONFIG_FILE}'); the four projections share one engine`);
    }
  }
  const layer = await readLayer(dir, engine, shownDir);
  const { K, N } = projectionShape(blockDims(config), projection);
  if (layer.P * layer.v !== K || layer.N !== N) {
    throw new UsageError(`'${shownDir}/' is K = ${layer.P * layer.v}, N = ${layer.N} (weight_index.npy); the ${PROJECTION_DIRS[projection]} projection of this block is K = ${K}, N = ${N} (from ${MODEL_CONFIG_FILE})`);
  }
  const S = projectionScaleGroups(config, projection);
  // QKV's per-head pairs are part of the block's design; the other projections may use any split readLayer accepts.
  if (projection === 'qkv' && layer.scale.length !== S) {
    throw new UsageError(`'${join(shownDir, 'scale.npy')}' holds ${layer.scale.length} scale groups; the qkv projection has one per head, heads + 2 kvHeads = ${S}`);
  }
  return layer;
}
