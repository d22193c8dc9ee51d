// What a LUT-LLM layer is in memory, and the search order that the hardware, the host and the
// golden model all follow.
//
// The nearest-centroid search, in the exact order the hardware and the golden model both follow:
// - Float activations (`fp32`, `fp16`): x and the centroid c as FP32 (fp16 widened exactly); per
//   element d_i = x_i - c_i rounded to FP32 (round to nearest even, subnormals kept);
//   `linf`: max_i |d_i|; `l1`: ((|d_0| + |d_1|) + |d_2|) + ... ; `l2`: ((d_0*d_0 + d_1*d_1) + ...),
//   every product and sum rounded to FP32. A distance is never negative, so its bit pattern orders
//   like its value; a NaN distance is the canonical NaN (0x7fc00000), above every number.
// - `int16` activations: int16 codebooks, exact integer distances (|d|, sum |d|, sum d^2).
// - The winner is the smallest (distance bits as an unsigned number, centroid index): equal
//   distances go to the lower index, NaN distances lose to every number. This order is
//   associative, so a tree of chains finds the same winner as a scan.

export const LLM_ACT_FORMATS = ['fp32', 'fp16', 'int16'] as const;
export type LlmActFormat = (typeof LLM_ACT_FORMATS)[number];
export const DISTANCES = ['linf', 'l1', 'l2'] as const;
export type Distance = (typeof DISTANCES)[number];

/** A quantized layer in memory, as the layer directory holds it. */
export interface LutLlmLayer {
  readonly P: number;
  readonly N: number;
  readonly G: number;
  readonly v: number;
  readonly ca: number;
  readonly cw: number;
  readonly groupCols: number;
  readonly tableBits: number;
  /** [P, Ca, v]: float32 centroids, int16 for act = int16. */
  readonly actCodebook: Float32Array | Int16Array;
  /** [P, G, Cw, v]. */
  readonly weightCodebook: Float32Array;
  /** [P, N]: each column's weight centroid per position. */
  readonly weightIndex: Uint8Array;
  /** [P, G, Ca, Cw]: quantized dot products, below 2^tableBits. */
  readonly table: Uint8Array;
  /**
   * [S] float32 each: scale group s, columns [s * N / S, (s + 1) * N / S), dequantizes with
   * (scale[s], zero[s]). S divides N, and a scale group is made of whole column groups (N / S a
   * multiple of groupCols) unless S = 1: a table serves every column of its group, so it is
   * quantized with one pair (scaleGroupProblem).
   */
  readonly scale: Float32Array;
  readonly zero: Float32Array;
}

/** Why S scale groups cannot split N columns (in column groups of groupCols), or undefined when they can. */
export function scaleGroupProblem(N: number, groupCols: number, S: number): string | undefined {
  if (!Number.isSafeInteger(S) || S < 1) return `S = ${S} scale groups must be a positive integer`;
  if (N % S !== 0) return `S = ${S} scale groups do not divide N = ${N} columns`;
  if (S > 1 && (N / S) % groupCols !== 0) {
    return `S = ${S} scale groups of N / S = ${N / S} columns are not whole column groups of groupCols = ${groupCols} (a table serves a whole column group, so it has one scale)`;
  }
  return undefined;
}

/** The scale group of column n: floor(n / (N / S)). */
export function scaleGroupOf(n: number, N: number, S: number): number {
  return Math.floor(n / (N / S));
}

/** The dequantization's FP32 offset of one scale group: fround(fround(zero * scale) * P). */
export function dequantOffset(scale: number, zero: number, P: number): number {
  return Math.fround(Math.fround(zero * scale) * P);
}

/** Activations X [T, K] row-major: float32 values for fp32, float16 BIT PATTERNS for fp16, int16 for int16. */
export interface LlmActivations {
  readonly T: number;
  readonly K: number;
  readonly act: LlmActFormat;
  readonly data: Float32Array | Uint16Array | Int16Array;
}
