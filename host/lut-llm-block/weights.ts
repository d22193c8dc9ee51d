// The float weights directory `lutforge quantize-block --weights` reads (docs/design/lut-llm-block.md,
// "Float weights"), each matrix [K, N] like `lutforge quantize --weight` (y = x @ W):
//
//   config.json                          hidden, intermediate, heads, kvHeads, headDim, ropeTheta,
//                                        rmsEps, maxSeq (and optionally maxT): the block's dimensions
//   w_q.npy  [hidden, heads * headDim]   w_k.npy, w_v.npy  [hidden, kvHeads * headDim]
//   w_o.npy  [heads * headDim, hidden]
//   w_gate.npy, w_up.npy  [hidden, intermediate]      w_down.npy  [intermediate, hidden]
//   input_norm.npy, post_norm.npy [hidden]   q_norm.npy, k_norm.npy [headDim]
//
// float32; float64 and float16 are rounded to float32 on reading (they are about to be quantized).

import { join } from 'node:path';
import { z } from 'zod';
import type { LutLlmBlockDims } from '../../contracts/lut-llm-block.js';
import { withOutputMarker, writeDirectoryAtomically, type OutputFile } from '../atomic.js';
import { formatConfigError, loadConfigFile } from '../config.js';
import { UsageError } from '../errors.js';
import { encodeNpy, formatShape, FLOAT_DTYPES, readNpy } from '../npy.js';

export const WEIGHT_NAMES = ['w_q', 'w_k', 'w_v', 'w_o', 'w_gate', 'w_up', 'w_down', 'input_norm', 'post_norm', 'q_norm', 'k_norm'] as const;
export type WeightName = (typeof WEIGHT_NAMES)[number];

/** The dimensions of config.json in a weights directory: a block model's without the engine. */
export const blockWeightsConfig = z
  .strictObject({
    hidden: z.number().int().min(1),
    intermediate: z.number().int().min(1),
    heads: z.number().int().min(1),
    kvHeads: z.number().int().min(1),
    headDim: z.number().int().min(1),
    ropeTheta: z.number().positive(),
    rmsEps: z.number().nonnegative(),
    maxSeq: z.number().int().min(1),
    maxT: z.number().int().min(1).optional(),
  })
  .refine((c) => c.heads % c.kvHeads === 0, { message: 'heads must be a multiple of kvHeads', path: ['heads'] })
  .refine((c) => c.headDim % 2 === 0, { message: 'headDim must be even (RoPE rotates its two halves)', path: ['headDim'] });
export type BlockWeightsConfig = z.output<typeof blockWeightsConfig>;

/** A float block: its dimensions and every weight, row-major float32. */
export interface BlockWeights {
  readonly config: BlockWeightsConfig;
  readonly tensors: Readonly<Record<WeightName, Float32Array>>;
}

/** Each tensor's shape, with the config keys it comes from. */
export function weightShape(dims: LutLlmBlockDims, name: WeightName): { readonly shape: readonly number[]; readonly from: string } {
  const { hidden: H, intermediate: I, heads: NH, kvHeads: NKV, headDim: D } = dims;
  switch (name) {
    case 'w_q':
      return { shape: [H, NH * D], from: '[hidden, heads * headDim]' };
    case 'w_k':
    case 'w_v':
      return { shape: [H, NKV * D], from: '[hidden, kvHeads * headDim]' };
    case 'w_o':
      return { shape: [NH * D, H], from: '[heads * headDim, hidden]' };
    case 'w_gate':
    case 'w_up':
      return { shape: [H, I], from: '[hidden, intermediate]' };
    case 'w_down':
      return { shape: [I, H], from: '[intermediate, hidden]' };
    case 'input_norm':
    case 'post_norm':
      return { shape: [H], from: '[hidden]' };
    case 'q_norm':
    case 'k_norm':
      return { shape: [D], from: '[headDim]' };
  }
}

export async function readBlockWeights(dir: string, displayDir: string = dir): Promise<BlockWeights> {
  const shown = (file: string): string => join(displayDir, file);
  const raw = await loadConfigFile(join(dir, 'config.json'), shown('config.json'), 'block weights config');
  const parsed = blockWeightsConfig.safeParse(raw);
  if (!parsed.success) throw new UsageError(`'${shown('config.json')}': ${formatConfigError('block weights', parsed.error, raw, blockWeightsConfig).replace(/^block weights: /, '')}`);
  const config = parsed.data;
  const tensors = {} as Record<WeightName, Float32Array>;
  for (const name of WEIGHT_NAMES) {
    const file = `${name}.npy`;
    const { shape, from } = weightShape(config, name);
    const dimNames = shape.length === 2 ? ['K', 'N'] : ['n'];
    const array = await readNpy(join(dir, file), '--weights', { displayPath: shown(file), expect: { dtype: 'float32', dims: dimNames, from: FLOAT_DTYPES, round: true } });
    if (array.shape.some((size, axis) => size !== shape[axis])) {
      throw new UsageError(`'${shown(file)}' has shape ${formatShape(array.shape)}, expected ${formatShape(shape)} = ${from} (from config.json)`);
    }
    const data = array.data as Float32Array;
    const bad = data.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) throw new UsageError(`'${shown(file)}' holds ${data[bad]} at flat index ${bad}; weights must be finite`);
    tensors[name] = data;
  }
  return { config, tensors };
}

export function blockWeightFiles(weights: BlockWeights): OutputFile[] {
  const files: OutputFile[] = [{ name: 'config.json', contents: `${JSON.stringify(weights.config, null, 2)}\n` }];
  for (const name of WEIGHT_NAMES) files.push({ name: `${name}.npy`, contents: encodeNpy(weights.tensors[name], weightShape(weights.config, name).shape) });
  return withOutputMarker(files);
}

/** Writes a weights directory (the synthetic block of the tests and the demo) atomically. */
export async function writeBlockWeights(dir: string, weights: BlockWeights, options: { displayPath?: string } = {}): Promise<void> {
  await writeDirectoryAtomically(dir, blockWeightFiles(weights), options);
}
