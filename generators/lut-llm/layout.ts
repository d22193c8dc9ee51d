// The LUT-LLM engine's stream and buffer layout, derived once from the configuration: beat widths,
// counter widths, buffer depths and the shape of the search tree. The hardware (engine.ts,
// lookup.ts, search.ts) and the host packing (pack.ts) both read it, so a beat can never be laid
// out differently on the two sides of a stream. docs/design/lut-llm.md describes the same layout in
// words.

import { bitsFor } from '../../api/index.js';
import { type LutLlmConfig, lutLlmShape, type LutLlmShape } from './config.js';

/** Tables (and weight-index sets) the loaders may hold ahead of the lookups: see lookup.ts. */
export const BUFFER_SLOTS = 4;
/** Longest chain of search processing elements: the paper's units are 4 branches of 16. */
export const MAX_BRANCH_LENGTH = 16;
/** Bits of the command's group count: N up to 65535 column groups. */
export const GROUP_COUNT_BITS = 16;

export interface LutLlmLayout {
  readonly shape: LutLlmShape;
  /** fp32 and fp16 activations are searched in FP32; int16 in exact integers. */
  readonly float: boolean;
  /** Bits of one activation element on the `act` stream (32 for fp32, 16 for fp16 and int16). */
  readonly actBits: number;
  /** Bits of one centroid element on the `codebook` stream: FP32 for both float formats, 16 for int16. */
  readonly centroidBits: number;
  /** Bits of a distance: FP32 patterns, or the exact integer range for int16. */
  readonly distanceBits: number;
  /** Search units (sub-vectors per `act` beat); unit u takes positions p with p mod units = u. */
  readonly units: number;
  /** Lookup stages P' (positionsPerCycle): step (block b, token, chunk) looks up positions b*P' + s. */
  readonly stages: number;
  /** Centroids per search PE (lutLlmShape.centroidsPerPe): an `act` beat enters at most every k cycles. */
  readonly centroidsPerPe: number;
  /**
   * Activation-index banks B = max(U, P'): bank b holds positions p with p mod B = b at address
   * {p div B, token}, written by unit b mod U and read by stage b mod P'.
   */
  readonly indexBanks: number;
  /** Bits of a bank's position address p div B. */
  readonly bankAddressBits: number;
  /** Positions each unit's codebook memories hold: ceil(maxP / units). */
  readonly maxPositionGroups: number;
  /** Address bits of a position group (codebook memories, activation-index memory). */
  readonly positionGroupBits: number;
  /** Bits of a token number inside the activation-index address (t < maxT). */
  readonly tokenBits: number;
  /** Table rows per `table` beat: a power of two, so a row's beat and place are bit fields of its index. */
  readonly rowsPerTableBeat: number;
  /** Beats per table: ceil(ca / rowsPerTableBeat) <= chunks, so one token of lookups can hide the load. */
  readonly tableBeats: number;
  /** Bits of one stage's part of a `table` beat: rowsPerTableBeat rows. */
  readonly stageTableBits: number;
  /** A `table` beat: stage s's rows at bits [s * stageTableBits, +stageTableBits). */
  readonly tableBeatBits: number;
  /** A `windex` beat: stage s's lane j at bits [(s * lookupsPerCycle + j) * weightIndexBits, ...). */
  readonly windexBeatBits: number;
  readonly codebookBeatBits: number;
  /** Processing elements per search chain; ceil(ca / branchLength) chains meet in an argmin tree. */
  readonly branchLength: number;
  /** Command field widths: counts up to maxT, maxP and chunks. */
  readonly tokenCountBits: number;
  readonly positionCountBits: number;
  readonly chunkCountBits: number;
  /** Words of the accumulator memory: one per (token, chunk) of a column group. */
  readonly accWords: number;
}

/** The smallest power of two at least `n`. */
function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export function lutLlmLayout(config: LutLlmConfig): LutLlmLayout {
  const shape = lutLlmShape(config);
  const float = config.act !== 'int16';
  const actBits = config.act === 'fp32' ? 32 : 16;
  const centroidBits = float ? 32 : 16;
  const units = shape.searchUnits;
  const stages = config.positionsPerCycle;
  const indexBanks = Math.max(units, stages);
  const maxPositionGroups = Math.ceil(shape.maxP / units);
  // At T = 1 a table is used for `chunks` cycles, so its ca rows must arrive in at most that many beats.
  const rowsPerTableBeat = powerOfTwoAtLeast(Math.ceil(config.ca / shape.chunks));
  return {
    shape,
    float,
    actBits,
    centroidBits,
    distanceBits: distanceBits(config),
    units,
    stages,
    centroidsPerPe: shape.centroidsPerPe,
    indexBanks,
    bankAddressBits: bitsFor(Math.max(2, Math.ceil(shape.maxP / indexBanks))),
    maxPositionGroups,
    positionGroupBits: bitsFor(Math.max(2, maxPositionGroups)),
    tokenBits: bitsFor(config.maxT),
    rowsPerTableBeat,
    tableBeats: Math.ceil(config.ca / rowsPerTableBeat),
    stageTableBits: rowsPerTableBeat * shape.rowBits,
    tableBeatBits: stages * rowsPerTableBeat * shape.rowBits,
    windexBeatBits: stages * config.lookupsPerCycle * shape.weightIndexBits,
    codebookBeatBits: units * config.ca * config.v * centroidBits,
    branchLength: Math.min(MAX_BRANCH_LENGTH, Math.ceil(config.ca / 4)),
    tokenCountBits: bitsFor(config.maxT + 1),
    positionCountBits: bitsFor(shape.maxP + 1),
    chunkCountBits: bitsFor(shape.chunks + 1),
    accWords: Math.max(2, config.maxT * shape.chunks),
  };
}

/** Exact distance widths: FP32 patterns, or |d| < 2^16 summed (l1) or squared and summed (l2) over v. */
function distanceBits(config: Pick<LutLlmConfig, 'act' | 'distance' | 'v'>): number {
  if (config.act !== 'int16') return 32;
  const largest = 0xffff;
  if (config.distance === 'linf') return 16;
  if (config.distance === 'l1') return bitsFor(config.v * largest + 1);
  return bitsFor(config.v * largest * largest + 1);
}

/** Lookup beats per token in each group: `chunks`, except the last group, which stops at its last column. */
export function chunksOfLastGroup(config: Pick<LutLlmConfig, 'groupCols' | 'lookupsPerCycle'>, N: number, G: number): number {
  const lastCols = N - (G - 1) * config.groupCols;
  return Math.ceil(lastCols / config.lookupsPerCycle);
}
