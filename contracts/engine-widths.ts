// Activation formats and the widths every matrix engine derives from them: the one statement of
// how wide a table entry, a row sum, an accumulator and a result are, read by the hardware, the
// host packing and the golden models alike. For integer activations each width is the smallest
// that cannot overflow for the largest reduction length `maxK`, with weight codes and zero points
// in [0, 2^wbits - 1]. Floating-point activations are widened to FP32 on entry, so every value past
// them is an FP32 bit pattern.

import { BF16, FP16, FP32, FP8_E4M3, type FpFormat, fpWidth } from './fp-format.js';

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
