// What the decoder block's kernels share: FP32 constants rounded once from float64 (docs/design/lut-llm-block.md:
// fp32(1/n), fp32(eps), the RoPE tables), their stream handles, and the pipeline register that
// holds while the kernel's `out` beat waits.

import { type Expr, type ModuleBuilder, type Signal, UInt } from '../../api/index.js';

/** The float32 bit pattern nearest `value` (ties to even, subnormals kept, NaN canonical). */
export function float32Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7fc00000;
  return new Uint32Array(Float32Array.of(value).buffer)[0]!;
}

/** A kernel's stream port, as `m.input(name, Stream(shape))` gives it. */
export interface StreamPorts<D> {
  readonly valid: Signal;
  readonly ready: Signal;
  readonly data: D;
}

/** An FP32 value registered while `advance` is high. */
export function stageRegister(m: ModuleBuilder, name: string, value: Expr, advance: Expr): Signal {
  const held = m.reg(name, UInt(32), { enable: advance });
  held.assign(value);
  return held;
}
