// Random and extreme operands for the matrix engines, drawn from a seeded generator so a failing
// case can be replayed: the regressions, the fuzzer, the explorer's workloads and the benchmarks
// all draw from here.

import { canonicalNaN, fpWidth, type FpFormat } from '../contracts/fp-format.js';
import { fpRound } from './softfloat.js';
import type { MatmulDims, MatmulOperands } from '../contracts/matmul-operands.js';

export interface OperandRanges {
  readonly actBits: number;
  readonly wbits: number;
}

/** Random operands where a third of the values sit at the extremes of their range. */
export function randomOperands(random: (lo: number, hi: number) => number, dims: MatmulDims, { actBits, wbits }: OperandRanges): MatmulOperands {
  const low = -(2 ** (actBits - 1));
  const high = 2 ** (actBits - 1) - 1;
  const top = 2 ** wbits - 1;
  const pick = (lo: number, hi: number): number => {
    const roll = random(0, 5);
    return roll === 0 ? lo : roll === 1 ? hi : random(lo, hi);
  };
  return {
    ...dims,
    act: Int32Array.from({ length: dims.M * dims.K }, () => pick(low, high)),
    codes: Uint8Array.from({ length: dims.K * dims.N }, () => pick(0, top)),
    zeros: Int32Array.from({ length: dims.N }, () => pick(0, top)),
  };
}

/** Activations, codes and zero points drawn uniformly over their ranges. */
export function uniformOperands(random: (lo: number, hi: number) => number, dims: MatmulDims, { actBits, wbits }: OperandRanges): MatmulOperands {
  const top = 2 ** wbits - 1;
  return {
    ...dims,
    act: Int32Array.from({ length: dims.M * dims.K }, () => random(-(2 ** (actBits - 1)), 2 ** (actBits - 1) - 1)),
    codes: Uint8Array.from({ length: dims.K * dims.N }, () => random(0, top)),
    zeros: Int32Array.from({ length: dims.N }, () => random(0, top)),
  };
}

/** Every activation at one extreme, every code all ones, every zero point at one end. */
export function extremeOperands(dims: MatmulDims, { actBits, wbits }: OperandRanges, activation: 'min' | 'max', zero: 'min' | 'max'): MatmulOperands {
  const value = activation === 'min' ? -(2 ** (actBits - 1)) : 2 ** (actBits - 1) - 1;
  return {
    ...dims,
    act: new Int32Array(dims.M * dims.K).fill(value),
    codes: new Uint8Array(dims.K * dims.N).fill(2 ** wbits - 1),
    zeros: new Int32Array(dims.N).fill(zero === 'min' ? 0 : 2 ** wbits - 1),
  };
}

export interface FloatOperandOptions {
  readonly format: FpFormat;
  readonly wbits: number;
  /** Mix in NaN, infinities, the largest finite values and both zeros (default: finite values only). */
  readonly specials?: boolean;
}

/**
 * Random operands with floating-point activations (bit patterns): mostly normal values spread
 * over a few binades, with subnormals, zeros of both signs and exact ties among them, so every
 * rounding path of the FP32 datapaths runs; with `specials`, NaN, +-inf and +-max too.
 */
export function randomFloatOperands(random: (lo: number, hi: number) => number, dims: MatmulDims, options: FloatOperandOptions): MatmulOperands {
  const { format, wbits } = options;
  const width = fpWidth(format);
  const exponentOnes = 2 ** format.exponent - 1;
  const top = 2 ** wbits - 1;
  const activation = (): number => {
    const roll = random(0, 19);
    const sign = random(0, 1) * 2 ** (width - 1);
    if (roll === 0) return sign; // +-0
    if (roll === 1) return sign + random(1, 2 ** format.mantissa - 1); // subnormal
    if (options.specials === true && roll === 2) return sign + canonicalNaNOf(format);
    if (options.specials === true && roll === 3) return sign + (format.specials === 'ieee' ? exponentOnes * 2 ** format.mantissa : 0); // +-inf (+-0 in fn formats)
    if (options.specials === true && roll === 4) return sign + largestFinite(format); // +-max
    // A normal value within 2^-6 .. 2^6 of 1, rounded from float64 by the soft-float.
    const value = (random(0, 1) ? 1 : -1) * (1 + random(0, 2 ** 20) / 2 ** 20) * 2 ** random(-6, 6);
    return fpRound(format, value);
  };
  return {
    ...dims,
    act: Int32Array.from({ length: dims.M * dims.K }, activation),
    codes: Uint8Array.from({ length: dims.K * dims.N }, () => random(0, top)),
    zeros: Int32Array.from({ length: dims.N }, () => random(0, top)),
  };
}

function canonicalNaNOf(format: FpFormat): number {
  return Number(canonicalNaN(format));
}

/** The bit pattern of the largest finite value (positive). */
function largestFinite(format: FpFormat): number {
  const mantissaOnes = 2 ** format.mantissa - 1;
  // `fn` formats spend the all-ones mantissa of the top exponent on NaN.
  return format.specials === 'ieee' ? (2 ** format.exponent - 2) * 2 ** format.mantissa + mantissaOnes : (2 ** format.exponent - 1) * 2 ** format.mantissa + mantissaOnes - 1;
}
