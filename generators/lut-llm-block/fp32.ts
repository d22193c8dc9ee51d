// FP32 constants of the decoder block's kernels: a float64 value rounded once, to nearest even,
// to its float32 bit pattern (block-spec: fp32(1/n), fp32(eps), the RoPE tables).

/** The float32 bit pattern nearest `value` (ties to even, subnormals kept, NaN canonical). */
export function float32Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7fc00000;
  return new Uint32Array(Float32Array.of(value).buffer)[0]!;
}
