// The mixed-precision matrix engines (the LUT Tensor Core and its MAC and ADD baselines) behind
// one interface, so `lutforge run`, the benchmarks and the regressions treat them alike: each
// pairs a generator with the host-side packing of operands into its input streams and the
// unpacking of its output stream.

import type { ActFormat } from './lut-tensor-core/config.js';
import type { GeneratorSpec } from './registry.js';

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

export const MATMUL_ENGINE_NAMES = ['tensor-core', 'mac', 'add'] as const;
export type MatmulEngineName = (typeof MATMUL_ENGINE_NAMES)[number];

export interface MatmulEngine<Config = unknown> {
  /** The engine's name in messages and reports (the built-in ones are MATMUL_ENGINE_NAMES). */
  readonly name: string;
  /** The generator (config schema and hardware); registered under its own name. */
  readonly generator: GeneratorSpec;
  readonly limits: (config: Config) => OperandLimits;
  /** Cycles of a perfect pipeline: one array step per cycle, nothing else. */
  readonly idealCycles: (config: Config, dims: MatmulDims) => number;
  /** Checks the operands (throws OperandError) and packs them into stream beats. */
  readonly pack: (config: Config, operands: MatmulOperands) => PackedRun;
  /**
   * Y, row-major M*N, from the beats of the `out` stream (raw bits, as the simulator returns them):
   * integers, or FP32 bit patterns when `limits(config).result` is 'fp32'.
   */
  readonly unpack: (config: Config, dims: MatmulDims, outBeats: readonly (readonly bigint[])[]) => BigInt64Array;
}
