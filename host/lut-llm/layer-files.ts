// The layer directory: a quantized LUT-LLM linear layer as NumPy files, the one format the
// quantizer writes and the engine runner, the benchmark and Python scripts read.
//
//   act_codebook.npy     float32 [P, Ca, v]  (int16 when act = int16)
//   weight_codebook.npy  float32 [P, G, Cw, v]
//   weight_index.npy     uint8   [P, N]          values below Cw
//   table.npy            uint8   [P, G, Ca, Cw]  values below 2^tableBits
//   scale.npy, zero.npy  float32 [S]           one (scale, zero) pair per N / S consecutive columns:
//                                               S divides N into whole column groups, or S = 1
//   config.json          the lut-llm configuration it was quantized with (optional for readers:
//                        `run lut-llm` starts from it, so a layer runs without repeating --set)
//   files.f              the names above, one a line (the marker that lets lutforge replace the
//                        directory later; readers ignore it)
//
// K = P * v and G = ceil(N / groupCols). Reading checks every file against the others and the
// configuration, so a wrong or stale directory fails with one line naming the file instead of
// producing garbage in simulation.

import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { withOutputMarker, writeDirectoryAtomically, type OutputFile } from '../atomic.js';
import { encodeNpy, formatShape, readNpy, type NpyArray, type NpyDtype } from '../npy.js';
import { NUMERIC_DTYPES } from '../npy.js';
import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import { scaleGroupProblem, type LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import { describeOsError, UsageError } from '../errors.js';
import { loadConfigFile, type ConfigObject } from '../config.js';

export const LAYER_FILES = {
  actCodebook: 'act_codebook.npy',
  weightCodebook: 'weight_codebook.npy',
  weightIndex: 'weight_index.npy',
  table: 'table.npy',
  scale: 'scale.npy',
  zero: 'zero.npy',
} as const;

/** The configuration a layer directory remembers, in the format of a `--config` file. */
export const LAYER_CONFIG_FILE = 'config.json';

/**
 * Parameters fixed by a layer's data (its shapes and table entries): a run that sets them
 * differently cannot read the layer. The others (lookupsPerCycle, maxT, dequant, ...) describe
 * the engine it runs on and may differ from the quantization's.
 */
export const LAYER_BOUND_KEYS = ['v', 'ca', 'cw', 'groupCols', 'tableBits'] as const;

/** The files of a layer directory (config.json when `config` is given), files.f (the replace marker of host/atomic.ts) last. */
export function layerFiles(layer: LutLlmLayer, config?: LutLlmConfig): OutputFile[] {
  const { P, N, G, v, ca, cw } = layer;
  const files: OutputFile[] = [
    { name: LAYER_FILES.actCodebook, contents: encodeNpy(layer.actCodebook, [P, ca, v]) },
    { name: LAYER_FILES.weightCodebook, contents: encodeNpy(layer.weightCodebook, [P, G, cw, v]) },
    { name: LAYER_FILES.weightIndex, contents: encodeNpy(layer.weightIndex, [P, N]) },
    { name: LAYER_FILES.table, contents: encodeNpy(layer.table, [P, G, ca, cw]) },
    { name: LAYER_FILES.scale, contents: encodeNpy(layer.scale, [layer.scale.length]) },
    { name: LAYER_FILES.zero, contents: encodeNpy(layer.zero, [layer.zero.length]) },
    ...(config === undefined ? [] : [{ name: LAYER_CONFIG_FILE, contents: `${JSON.stringify(config, null, 2)}\n` }]),
  ];
  return withOutputMarker(files);
}

/**
 * Writes the layer directory atomically: readers see the old directory or the whole new one.
 * With `config`, the directory remembers it in config.json.
 */
export async function writeLayer(dir: string, layer: LutLlmLayer, options: { displayPath?: string; config?: LutLlmConfig } = {}): Promise<void> {
  const { config, ...writeOptions } = options;
  await writeDirectoryAtomically(dir, layerFiles(layer, config), writeOptions);
}

/** The first layer-bound parameter on which `config` differs from the layer's remembered one, if any. */
export function layerConfigConflict(config: LutLlmConfig, remembered: ConfigObject): { readonly key: (typeof LAYER_BOUND_KEYS)[number]; readonly quantized: unknown } | undefined {
  const key = LAYER_BOUND_KEYS.find((candidate) => remembered[candidate] !== undefined && remembered[candidate] !== config[candidate]);
  return key === undefined ? undefined : { key, quantized: remembered[key] };
}

/** The configuration in the layer's config.json, or undefined when it has none (layers from other tools, or older ones). */
export async function readLayerConfig(dir: string, displayDir: string): Promise<ConfigObject | undefined> {
  const path = join(dir, LAYER_CONFIG_FILE);
  const present = await access(path).then(() => true, () => false);
  if (!present) return undefined;
  return loadConfigFile(path, join(displayDir, LAYER_CONFIG_FILE), 'layer config');
}

interface Dim {
  readonly name: string;
  readonly expected: number;
  /** Where the expectation comes from: `the config's ca`, `act_codebook.npy`. */
  readonly from: string;
}

/**
 * Reads and validates a layer directory for `config`; every problem is a UsageError (exit 2)
 * naming the file as `displayDir/<file>`.
 */
export async function readLayer(dir: string, config: LutLlmConfig, displayDir: string): Promise<LutLlmLayer> {
  const { v, ca, cw, groupCols, tableBits, act } = config;
  // Said of the directory itself, not as "cannot read 'dir/act_codebook.npy'" about its first file.
  const stats = await stat(dir).catch((error: unknown) => {
    throw new UsageError(`cannot read the layer directory '${displayDir}': ${describeOsError(error)}`);
  });
  if (!stats.isDirectory()) throw new UsageError(`the layer '${displayDir}' is not a directory; a layer is the directory 'lutforge quantize' writes`);
  const shown = (file: string): string => join(displayDir, file);
  const read = async (file: string, dtype: NpyDtype, dims: readonly string[], dtypeReason?: string): Promise<NpyArray> =>
    // Other tools write these too, often in NumPy's default int64 or float64: taken when exact.
    readNpy(join(dir, file), 'the layer', { displayPath: shown(file), expect: { dtype, dims, from: NUMERIC_DTYPES, ...(dtypeReason === undefined ? {} : { dtypeReason }) } });
  const checkDims = (array: NpyArray, file: string, dims: readonly (Dim | undefined)[]): void => {
    dims.forEach((dim, axis) => {
      if (dim === undefined || array.shape[axis] === dim.expected) return;
      throw new UsageError(`'${shown(file)}' has shape ${formatShape(array.shape)}: dimension ${dim.name} is ${array.shape[axis]}, expected ${dim.expected} (${dim.from})`);
    });
  };

  const actFile = LAYER_FILES.actCodebook;
  const actArray = await read(actFile, act === 'int16' ? 'int16' : 'float32', ['P', 'Ca', 'v'], `for act=${act}`);
  checkDims(actArray, actFile, [undefined, { name: 'Ca', expected: ca, from: "the config's ca" }, { name: 'v', expected: v, from: "the config's v" }]);
  const P = actArray.shape[0]!;
  if (P * v > config.maxK) {
    throw new UsageError(`'${shown(actFile)}' holds P = ${P} positions, K = P * v = ${P * v}, more than the config's maxK = ${config.maxK}`);
  }
  const fromAct = `P of ${actFile}`;

  const indexFile = LAYER_FILES.weightIndex;
  const indexArray = await read(indexFile, 'uint8', ['P', 'N']);
  checkDims(indexArray, indexFile, [{ name: 'P', expected: P, from: fromAct }]);
  const N = indexArray.shape[1]!;
  const G = Math.ceil(N / groupCols);
  const fromG = `ceil(N / groupCols) = ceil(${N} / ${groupCols}), N from ${indexFile}`;

  const wcbFile = LAYER_FILES.weightCodebook;
  const wcbArray = await read(wcbFile, 'float32', ['P', 'G', 'Cw', 'v']);
  checkDims(wcbArray, wcbFile, [
    { name: 'P', expected: P, from: fromAct },
    { name: 'G', expected: G, from: fromG },
    { name: 'Cw', expected: cw, from: "the config's cw" },
    { name: 'v', expected: v, from: "the config's v" },
  ]);

  const tableFile = LAYER_FILES.table;
  const tableArray = await read(tableFile, 'uint8', ['P', 'G', 'Ca', 'Cw']);
  checkDims(tableArray, tableFile, [
    { name: 'P', expected: P, from: fromAct },
    { name: 'G', expected: G, from: fromG },
    { name: 'Ca', expected: ca, from: "the config's ca" },
    { name: 'Cw', expected: cw, from: "the config's cw" },
  ]);

  const scaleArray = await read(LAYER_FILES.scale, 'float32', ['S']);
  const S = scaleArray.shape[0]!;
  const badScaleGroups = scaleGroupProblem(N, groupCols, S);
  if (badScaleGroups !== undefined) throw new UsageError(`'${shown(LAYER_FILES.scale)}' has shape ${formatShape(scaleArray.shape)}: ${badScaleGroups} (N from ${indexFile})`);
  const zeroArray = await read(LAYER_FILES.zero, 'float32', ['S']);
  checkDims(zeroArray, LAYER_FILES.zero, [{ name: 'S', expected: S, from: `one zero point per scale of ${LAYER_FILES.scale}` }]);
  const scale = scaleArray.data as Float32Array;
  const zero = zeroArray.data as Float32Array;

  const actCodebook = actArray.data as Float32Array | Int16Array;
  const weightCodebook = wcbArray.data as Float32Array;
  const weightIndex = indexArray.data as Uint8Array;
  const table = tableArray.data as Uint8Array;

  checkFinite(actCodebook, [P, ca, v], shown(actFile));
  checkFinite(weightCodebook, [P, G, cw, v], shown(wcbFile));
  const badIndex = weightIndex.findIndex((index) => index >= cw);
  if (badIndex >= 0) {
    throw new UsageError(`'${shown(indexFile)}' has index ${weightIndex[badIndex]} at position ${Math.floor(badIndex / N)}, column ${badIndex % N}; indices must be below cw = ${cw}`);
  }
  const badEntry = table.findIndex((entry) => entry >= 2 ** tableBits);
  if (badEntry >= 0) {
    throw new UsageError(`'${shown(tableFile)}' has entry ${table[badEntry]} at ${formatIndex(badEntry, [P, G, ca, cw])}; entries must be below 2^tableBits = ${2 ** tableBits}`);
  }
  const badScale = scale.findIndex((value) => !(Number.isFinite(value) && value > 0));
  if (badScale >= 0) throw new UsageError(`'${shown(LAYER_FILES.scale)}' holds ${scale[badScale]}${S > 1 ? ` at [${badScale}]` : ''}; the scale must be finite and positive`);
  const badZero = zero.findIndex((value) => !Number.isFinite(value));
  if (badZero >= 0) throw new UsageError(`'${shown(LAYER_FILES.zero)}' holds ${zero[badZero]}${S > 1 ? ` at [${badZero}]` : ''}; the zero point must be finite`);

  return { P, N, G, v, ca, cw, groupCols, tableBits, actCodebook, weightCodebook, weightIndex, table, scale, zero };
}

/** `[p, g, a, w]` of a flat C-order index. */
function formatIndex(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]!);
    flat = Math.floor(flat / shape[axis]!);
  }
  return `[${index.join(', ')}]`;
}

function checkFinite(data: Float32Array | Int16Array, shape: readonly number[], name: string): void {
  if (data instanceof Int16Array) return;
  const bad = data.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new UsageError(`'${name}' holds ${data[bad]} at ${formatIndex(bad, shape)}; centroids must be finite`);
}
