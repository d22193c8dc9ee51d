// The mixed-precision matrix engines (the LUT Tensor Core and its MAC and ADD baselines) behind
// one interface, so `lutforge run`, the benchmarks and the regressions treat them alike: each
// pairs a generator with the host-side packing of operands into its input streams and the
// unpacking of its output stream.

import type { GeneratorSpec } from '../registry.js';
import type { MatmulDims, MatmulOperands, OperandLimits, PackedRun } from '../../contracts/matmul-operands.js';

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
