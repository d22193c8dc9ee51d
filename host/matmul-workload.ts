// The operands of a seeded random matrix workload and the result the engine must produce, for the
// explorer's workloads and the power measurement alike: one definition of "a random M x K x N".

import { actBits, isFloatAct, type ActFormat } from '../contracts/engine-widths.js';
import type { MatmulDims, MatmulOperands } from '../contracts/matmul-operands.js';
import type { SerialPackConfig } from '../contracts/serial-packing.js';
import { floatFormat, lutFpMpgemm, macFpMpgemm } from '../golden/lut-mpgemm-fp.js';
import { mpgemmInt } from '../golden/mpgemm.js';
import { randomFloatOperands, randomOperands, uniformOperands } from '../golden/operands.js';
import { seededRandom } from '../golden/random.js';

/** What the operand draw needs of an engine's configuration. */
export interface WorkloadConfig {
  readonly act: ActFormat;
  readonly wbits: number;
}

/**
 * Random operands of shape `dims` from `seed`. `stress` (the explorer's and the tests' default)
 * puts a third of the integers at the extremes of their range; `uniform` draws integers and codes
 * uniformly, the typical data a power figure should describe. FP activations are mostly normal
 * values over thirteen binades, with some zeros and subnormals, either way.
 */
export function workloadOperands(config: WorkloadConfig, dims: MatmulDims, seed: number, draw: 'stress' | 'uniform' = 'stress'): MatmulOperands {
  const random = seededRandom(seed);
  if (isFloatAct(config.act)) return randomFloatOperands(random, dims, { format: floatFormat(config.act), wbits: config.wbits });
  const ranges = { actBits: actBits(config.act), wbits: config.wbits };
  return draw === 'uniform' ? uniformOperands(random, dims, ranges) : randomOperands(random, dims, ranges);
}

/** What the engine must produce: exact integers, or the bit-exact model of its FP32 operation order. */
export function matmulGolden(engineName: string, config: SerialPackConfig, operands: MatmulOperands): BigInt64Array {
  if (!isFloatAct(config.act)) return mpgemmInt(operands);
  return engineName === 'mac' ? macFpMpgemm(operands, { k: config.k, act: config.act }) : lutFpMpgemm(operands, config);
}

/** Result elements that differ (every element, when the lengths differ). */
export function countMismatches<T extends BigInt64Array | Int32Array>(actual: T, expected: T): number {
  if (actual.length !== expected.length) return Math.max(actual.length, expected.length);
  let wrong = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) wrong++;
  return wrong;
}
