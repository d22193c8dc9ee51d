// A LUT-LLM decoder block in memory (docs/design/lut-llm-block.md): the dimensions, the four
// quantized projections that one linear engine runs in turn, and the FP32 norm weights. The
// golden block model, the model directory and the hardware top all read these.

import type { Distance, LutLlmLayer } from './lut-llm-layer.js';

/** The block's shape, as config.json of a model directory states it (all but `engine`). */
export interface LutLlmBlockDims {
  /** H: width of x and y. */
  readonly hidden: number;
  /** I: width of gate, up and the down projection's input. */
  readonly intermediate: number;
  /** NH: query heads. */
  readonly heads: number;
  /** NKV: key/value heads; heads is a multiple of it. */
  readonly kvHeads: number;
  /** D: even. */
  readonly headDim: number;
  readonly ropeTheta: number;
  readonly rmsEps: number;
  /** S: positions the KV cache holds. */
  readonly maxSeq: number;
}

/** A whole block: what `goldenBlock` runs and a model directory holds. */
export interface LutLlmBlockModel {
  readonly dims: LutLlmBlockDims;
  /** The engine's nearest-centroid distance (a configuration key, not part of a layer). */
  readonly distance: Distance;
  /** [H], [H], [D], [D] float32. */
  readonly inputNorm: Float32Array;
  readonly postNorm: Float32Array;
  readonly qNorm: Float32Array;
  readonly kNorm: Float32Array;
  /** K = H, N = (NH + 2 NKV) D: q | k | v, one scale group per head. */
  readonly qkv: LutLlmLayer;
  /** K = NH D, N = H. */
  readonly o: LutLlmLayer;
  /** K = H, N = 2 I: gate | up. */
  readonly gateUp: LutLlmLayer;
  /** K = I, N = H. */
  readonly down: LutLlmLayer;
}

export const BLOCK_PROJECTIONS = ['qkv', 'o', 'gateUp', 'down'] as const;
export type BlockProjection = (typeof BLOCK_PROJECTIONS)[number];

/** (K, N) each projection must have. */
export function projectionShape(dims: LutLlmBlockDims, projection: BlockProjection): { readonly K: number; readonly N: number } {
  const { hidden, intermediate, heads, kvHeads, headDim } = dims;
  switch (projection) {
    case 'qkv':
      return { K: hidden, N: (heads + 2 * kvHeads) * headDim };
    case 'o':
      return { K: heads * headDim, N: hidden };
    case 'gateUp':
      return { K: hidden, N: 2 * intermediate };
    case 'down':
      return { K: intermediate, N: hidden };
  }
}

/** Why the dimensions cannot make a block (NH % NKV, even D, ...), or undefined when they can. */
export function blockDimsProblem(dims: LutLlmBlockDims): string | undefined {
  if (dims.heads % dims.kvHeads !== 0) return `heads = ${dims.heads} is not a multiple of kvHeads = ${dims.kvHeads} (each key/value head serves heads / kvHeads query heads)`;
  if (dims.headDim % 2 !== 0) return `headDim = ${dims.headDim} is odd; RoPE rotates the pairs (i, i + headDim / 2)`;
  return undefined;
}
