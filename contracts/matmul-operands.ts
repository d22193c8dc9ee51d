// The operands of a mixed-precision matrix multiply, the limits an engine puts on them and the
// beats they are packed into: the data every matrix engine, its host packing and its golden
// model exchange.

import type { ActFormat } from './engine-widths.js';

/** Y[M,N] = A[M,K] x (Q[K,N] - Z[N]): the operands of one run, row-major (C order). */
export interface MatmulOperands {
  readonly M: number;
  readonly K: number;
  readonly N: number;
  /**
   * Activations, M*K: signed integers for int8/int16, bit patterns (0 .. 2^bits - 1) for the
   * floating-point formats (fp16, bf16, fp8e4m3).
   */
  readonly act: Int32Array;
  /** Weight codes, K*N in [0, 2^wbits - 1]. */
  readonly codes: Uint8Array;
  /** Zero points, one per column, in [0, 2^wbits - 1]. */
  readonly zeros: Int32Array;
}

export interface MatmulDims {
  readonly M: number;
  readonly K: number;
  readonly N: number;
}

/** Beats per input stream, and how many beats of each output stream end the run. */
export interface PackedRun {
  readonly inputs: Readonly<Record<string, readonly (readonly bigint[])[]>>;
  readonly expect: Readonly<Record<string, number>>;
}

/** What the operands of an engine must satisfy, for checks and messages before anything runs. */
export interface OperandLimits {
  readonly act: ActFormat;
  readonly actBits: number;
  readonly wbits: number;
  readonly maxK: number;
  /** Bits of a result; Y is written as int32 up to 32 bits, int64 above. */
  readonly outBits: number;
  /** What Y holds: integers, or FP32 bit patterns (as non-negative values) for float activations. */
  readonly result: 'int' | 'fp32';
}

/** Operands that do not fit the engine (out-of-range codes, K beyond maxK, ...). */
export class OperandError extends Error {
  override readonly name = 'OperandError';
}
