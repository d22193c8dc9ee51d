// Configuration of the LUT Tensor Core engine and the widths every part of it derives from.
// For integer activations the widths are the smallest that cannot overflow for the configured
// largest reduction length `maxK`, with weight codes in [0, 2^wbits - 1] and zero points in the
// same range. Floating-point activations are widened to FP32 on entry: tables, row sums,
// accumulators and results are FP32 bit patterns (see PROTOCOL.md, "Floating-point activations").

import { z } from 'zod';
import { BF16, FP16, FP32, FP8_E4M3, type FpFormat, fpWidth } from '../../api/index.js';

export const ACT_FORMATS = ['int8', 'int16', 'fp16', 'bf16', 'fp8e4m3'] as const;
export type ActFormat = (typeof ACT_FORMATS)[number];
export type FloatActFormat = Extract<ActFormat, 'fp16' | 'bf16' | 'fp8e4m3'>;

const FLOAT_ACT_FORMATS: Readonly<Record<FloatActFormat, FpFormat>> = { fp16: FP16, bf16: BF16, fp8e4m3: FP8_E4M3 };

/** The format of a floating-point activation, or undefined for integer activations. */
export function floatFormatOf(act: ActFormat): FpFormat | undefined {
  return act === 'int8' || act === 'int16' ? undefined : FLOAT_ACT_FORMATS[act];
}

export function isFloatAct(act: ActFormat): act is FloatActFormat {
  return floatFormatOf(act) !== undefined;
}

/** Tables, row sums, accumulators and results of floating-point engines. */
export const ACCUMULATOR_FORMAT: FpFormat = FP32;

/** The tile and operand keys every matrix engine shares (tensor core, MAC and ADD baselines). */
export const tileConfigFields = {
  m: z.number().int().min(1).max(16).default(2).describe('activation rows per tile'),
  n: z.number().int().min(1).max(256).default(64).describe('output columns per tile'),
  k: z.number().int().min(1).max(8).default(4).describe('activations per unit and step (per table for the tensor core)'),
  wbits: z.number().int().min(1).max(4).default(2).describe('weight bits (bit planes, one per cycle, for the serial engines)'),
  act: z.enum(ACT_FORMATS).default('int8').describe('activation format: int8, int16, or fp16, bf16, fp8e4m3 (FP32 tables and accumulation)'),
  maxK: z.number().int().min(1).max(1 << 20).default(16384).describe('largest reduction length K the accumulators must hold'),
};

export const tensorCoreConfig = z
  .strictObject({
    ...tileConfigFields,
    symmetric: z.boolean().default(true).describe('store 2^(k-1) table entries and flip the sign by the top weight bit'),
    reinterpret: z.boolean().default(true).describe('read weight bits as {-1,+1} (false: {0,1}, the unsigned table of the ablation)'),
    precompute: z.enum(['shared', 'per-unit']).default('shared').describe('one table unit per activation row, or one beside every LUT unit'),
  })
  .refine((config) => config.reinterpret || !config.symmetric, {
    message: 'symmetric tables need the {-1,+1} reinterpretation: set reinterpret to true or symmetric to false',
    path: ['symmetric'],
  })
  .refine((config) => config.precompute === 'shared' || !isFloatAct(config.act), {
    message: 'per-unit precompute is an integer-activation ablation; floating-point activations need precompute=shared',
    path: ['precompute'],
  });
export type TensorCoreConfig = z.output<typeof tensorCoreConfig>;

export function actBits(act: ActFormat): number {
  const float = floatFormatOf(act);
  if (float !== undefined) return fpWidth(float);
  return act === 'int8' ? 8 : 16;
}

/** Bits of a signed value that must hold every integer in [-bound, bound]. */
export function signedBitsFor(bound: bigint): number {
  return Math.max(2, bound.toString(2).length + 1);
}

/** What the operand sizes and widths of an engine are, shared by the hardware and the host packing. */
export interface EngineWidths {
  readonly actBits: number;
  /** Table groups the table buffer holds: ceil(maxK / k). */
  readonly maxGroups: number;
  /** Bits of one table entry: a signed sum of k activations. */
  readonly entryBits: number;
  /** Bits of a row's activation sum over up to maxK activations. */
  readonly rowSumBits: number;
  /** Bits of a result Y = sum_k a * (q - z). */
  readonly outBits: number;
  /** Bits of an accumulator: partial sums reach twice the largest result. */
  readonly accBits: number;
}

export interface WidthParams {
  readonly k: number;
  readonly wbits: number;
  readonly act: ActFormat;
  readonly maxK: number;
}

export function engineWidths({ k, wbits, act, maxK }: WidthParams): EngineWidths {
  const bits = actBits(act);
  if (isFloatAct(act)) {
    // Every value past the activations is an FP32 bit pattern; maxK only sizes the table buffer.
    const word = fpWidth(ACCUMULATOR_FORMAT);
    return { actBits: bits, maxGroups: Math.ceil(maxK / k), entryBits: word, rowSumBits: word, outBits: word, accBits: word };
  }
  const largestActivation = 1n << BigInt(bits - 1);
  const largestResult = BigInt(maxK) * largestActivation * BigInt(2 ** wbits - 1);
  return {
    actBits: bits,
    maxGroups: Math.ceil(maxK / k),
    entryBits: signedBitsFor(BigInt(k) * largestActivation),
    rowSumBits: signedBitsFor(BigInt(maxK) * largestActivation),
    outBits: signedBitsFor(largestResult),
    accBits: signedBitsFor(2n * largestResult),
  };
}
