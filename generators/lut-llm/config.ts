// Configuration of the LUT-LLM linear-layer engine (docs/design/lut-llm.md) and the numbers every
// part derives from: the hardware, the host packing, the offline quantizer and the golden model all
// read these, so a width or a count can never differ between them. The search order is stated with
// the layer's data in contracts/lut-llm-layer.ts.

import { z } from 'zod';
import { bitsFor } from '../../api/index.js';
import { DISTANCES, LLM_ACT_FORMATS } from '../../contracts/lut-llm-layer.js';

/** Largest positionsPerCycle: the release's qwen_block has 16 stages; 64 leaves room to explore. */
export const MAX_POSITIONS_PER_CYCLE = 64;

function dividesOrIsMultiple(units: number, stages: number): boolean {
  return stages % units === 0 || units % stages === 0;
}

/** The engine's keys before the cross-key rules, for configurations that embed an engine (the decoder block). */
export const lutLlmConfigKeys = z.strictObject({
    v: z.number().int().min(1).max(8).default(2).describe('sub-vector length (activations per position)'),
    ca: z.number().int().min(2).max(256).default(64).describe('activation centroids per position'),
    cw: z.number().int().min(2).max(256).default(16).describe('weight centroids per (position, column group)'),
    tableBits: z.union([z.literal(4), z.literal(8)]).default(8).describe('bits of a quantized table entry'),
    distance: z.enum(DISTANCES).default('linf').describe('nearest-centroid distance: Chebyshev, L1 or squared L2'),
    act: z.enum(LLM_ACT_FORMATS).default('fp32').describe('activation format'),
    groupCols: z.number().int().min(1).max(65536).default(512).describe('output columns sharing one weight codebook and table'),
    lookupsPerCycle: z.number().int().min(1).max(1024).default(64).describe('table lookups (output columns) per cycle in each position stage'),
    positionsPerCycle: z.number().int().min(1).max(MAX_POSITIONS_PER_CYCLE).default(1).describe('positions looked up per cycle, one lookup stage each'),
    searchUnits: z.number().int().min(1).max(64).optional().describe('centroid search units, a divisor or multiple of positionsPerCycle (default: from the lookup rate)'),
    maxK: z.number().int().min(1).max(1 << 16).default(4096).describe('largest reduction length K (a multiple of v)'),
    maxT: z.number().int().min(1).max(4096).default(32).describe('largest number of tokens (rows of X) per run'),
    dequant: z.boolean().default(false).describe('dequantize in hardware (FP32 y) instead of on the host'),
    maxScaleGroups: z.number().int().min(1).max(4096).default(64).describe('most (scale, zero) pairs per run the hardware dequantization holds (one per N / S columns)'),
});

export const lutLlmConfig = lutLlmConfigKeys
  .refine((config) => config.groupCols % config.lookupsPerCycle === 0, {
    message: 'lookupsPerCycle must divide groupCols (a lookup beat never straddles two column groups)',
    path: ['lookupsPerCycle'],
  })
  .refine((config) => config.maxK % config.v === 0, { message: 'maxK must be a multiple of v', path: ['maxK'] })
  .refine((config) => config.positionsPerCycle <= Math.max(1, Math.floor(config.maxK / config.v)), {
    message: 'positionsPerCycle must be at most maxP = maxK / v (a stage per position the engine can hold)',
    path: ['positionsPerCycle'],
  })
  .refine((config) => config.searchUnits === undefined || dividesOrIsMultiple(config.searchUnits, config.positionsPerCycle), {
    message: 'searchUnits must divide positionsPerCycle or be a multiple of it (each activation-index bank has one writing unit and one reading stage)',
    path: ['searchUnits'],
  });
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
  /**
   * Centroid search units U: set, or the smallest divisor of positionsPerCycle P' with U * chunks
   * >= P', so that the units keep up with the lookups (bandwidth-aware, docs/design/lut-llm.md).
   */
  readonly searchUnits: number;
  /**
   * Centroids each search PE handles, one per cycle over k successive cycles: min(ca, floor(U *
   * chunks / P')), at least 1. A unit has ceil(ca / k) PEs and takes a sub-vector every k cycles,
   * so the units produce U / k indices per cycle against the P' / chunks the lookups consume.
   */
  readonly centroidsPerPe: number;
  /** Lookup beats per (position block, group, token): groupCols / lookupsPerCycle. */
  readonly chunks: number;
}

export function lutLlmShape(config: LutLlmConfig): LutLlmShape {
  const maxP = config.maxK / config.v;
  const chunks = config.groupCols / config.lookupsPerCycle;
  const stages = config.positionsPerCycle;
  const searchUnits = config.searchUnits ?? defaultSearchUnits(stages, chunks);
  return {
    maxP,
    actIndexBits: bitsFor(config.ca),
    weightIndexBits: bitsFor(config.cw),
    rowBits: config.cw * config.tableBits,
    accBits: bitsFor(maxP * (2 ** config.tableBits - 1) + 1),
    searchUnits,
    centroidsPerPe: Math.max(1, Math.min(config.ca, Math.floor((searchUnits * chunks) / stages))),
    chunks,
  };
}

/**
 * The lookups take P' activation indices per `chunks` cycles (in column group 0): the smallest
 * divisor U of P' with U * chunks >= P' gives k = floor(U * chunks / P') >= 1 centroids per PE.
 * P' itself always qualifies (chunks >= 1), so U never needs to be a multiple of P' by default.
 */
function defaultSearchUnits(stages: number, chunks: number): number {
  for (let units = 1; units < stages; units++) {
    if (stages % units === 0 && units * chunks >= stages) return units;
  }
  return stages;
}

/** Dimensions of a layer: K = P * v inputs, N outputs in G = ceil(N / groupCols) column groups. */
export interface LayerDims {
  readonly P: number;
  readonly N: number;
  readonly G: number;
}
