// Configuration of the LUT-LLM linear-layer engine (docs/design/lut-llm.md) and the numbers every
// part derives from: the hardware, the host packing, the offline quantizer and the golden model all
// read these, so a width or a count can never differ between them. The search order is stated with
// the layer's data in contracts/lut-llm-layer.ts.

import { z } from 'zod';
import { bitsFor } from '../../api/index.js';
import { DISTANCES, LLM_ACT_FORMATS } from '../../contracts/lut-llm-layer.js';

export const lutLlmConfig = z
  .strictObject({
    v: z.number().int().min(1).max(8).default(2).describe('sub-vector length (activations per position)'),
    ca: z.number().int().min(2).max(256).default(64).describe('activation centroids per position'),
    cw: z.number().int().min(2).max(256).default(16).describe('weight centroids per (position, column group)'),
    tableBits: z.union([z.literal(4), z.literal(8)]).default(8).describe('bits of a quantized table entry'),
    distance: z.enum(DISTANCES).default('linf').describe('nearest-centroid distance: Chebyshev, L1 or squared L2'),
    act: z.enum(LLM_ACT_FORMATS).default('fp32').describe('activation format'),
    groupCols: z.number().int().min(1).max(65536).default(512).describe('output columns sharing one weight codebook and table'),
    lookupsPerCycle: z.number().int().min(1).max(1024).default(64).describe('table lookups (output columns) per cycle'),
    searchUnits: z.number().int().min(1).max(64).optional().describe('centroid search units (default: from the lookup rate)'),
    maxK: z.number().int().min(1).max(1 << 16).default(4096).describe('largest reduction length K (a multiple of v)'),
    maxT: z.number().int().min(1).max(4096).default(32).describe('largest number of tokens (rows of X) per run'),
    dequant: z.boolean().default(false).describe('dequantize in hardware (FP32 y) instead of on the host'),
    maxScaleGroups: z.number().int().min(1).max(4096).default(64).describe('most (scale, zero) pairs per run the hardware dequantization holds (one per N / S columns)'),
  })
  .refine((config) => config.groupCols % config.lookupsPerCycle === 0, {
    message: 'lookupsPerCycle must divide groupCols (a lookup beat never straddles two column groups)',
    path: ['lookupsPerCycle'],
  })
  .refine((config) => config.maxK % config.v === 0, { message: 'maxK must be a multiple of v', path: ['maxK'] });
export type LutLlmConfig = z.output<typeof lutLlmConfig>;

/** Everything sized from the configuration. */
export interface LutLlmShape {
  /** Positions the engine holds: maxK / v. */
  readonly maxP: number;
  readonly actIndexBits: number;
  readonly weightIndexBits: number;
  /** Bits of one table row: cw entries of tableBits. */
  readonly rowBits: number;
  /** Bits of an accumulator: sum of maxP entries below 2^tableBits. */
  readonly accBits: number;
  /** Centroid search units: set, or one per groupCols / lookupsPerCycle cycles of lookups (bandwidth-aware). */
  readonly searchUnits: number;
  /** Lookup beats per (position, group, token): groupCols / lookupsPerCycle. */
  readonly chunks: number;
}

export function lutLlmShape(config: LutLlmConfig): LutLlmShape {
  const maxP = config.maxK / config.v;
  return {
    maxP,
    actIndexBits: bitsFor(config.ca),
    weightIndexBits: bitsFor(config.cw),
    rowBits: config.cw * config.tableBits,
    accBits: bitsFor(maxP * (2 ** config.tableBits - 1) + 1),
    // The lookup stage takes one activation index per groupCols / lookupsPerCycle cycles.
    searchUnits: config.searchUnits ?? Math.max(1, Math.ceil(config.lookupsPerCycle / config.groupCols)),
    chunks: config.groupCols / config.lookupsPerCycle,
  };
}

/** Dimensions of a layer: K = P * v inputs, N outputs in G = ceil(N / groupCols) column groups. */
export interface LayerDims {
  readonly P: number;
  readonly N: number;
  readonly G: number;
}
