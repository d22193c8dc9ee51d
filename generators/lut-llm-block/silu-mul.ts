// The decoder block's SiLU-and-multiply kernel (docs/design/lut-llm-block.md, the m of the MLP):
//   m = mul(mul(g, recip(add(fp32(1), exp(neg(g))))), up)
// one beat in, one beat out, a register after each operator so a beat leaves every cycle; the
// whole pipeline holds while `out` is refused.

import { Bool, Bundle, delay, FP32, fpAdd, fpExp, fpMul, fpNeg, fpReciprocal, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, type Signal, Stream, UInt } from '../../api/index.js';
import { float32Bits, stageRegister, type StreamPorts } from './common.js';

export interface SiluMulIo {
  readonly x: StreamPorts<{ gate: Signal; up: Signal }>;
  readonly out: StreamPorts<Signal>;
}

/** Register stages from an `x` beat to its `out` beat: exp, 1 + e, 1 / (1 + e), g * sigmoid, * up. */
export const SILU_MUL_LATENCY = 5;

/**
 * Cycles from reset to just after the last `out` beat for `beats` beats (cycle 0 the first after
 * reset; `x` always valid, `out` always ready): a beat per cycle, each SILU_MUL_LATENCY later.
 */
export function siluMulCycles(beats: number): number {
  return beats + SILU_MUL_LATENCY;
}

export function buildSiluMul(): ModuleDef<SiluMulIo> {
  return siluMulGenerator({});
}

const siluMulGenerator = moduleGenerator('lut_llm_silu_mul', (m: ModuleBuilder, _params: Record<string, never>): SiluMulIo => {
  const x = m.input('x', Stream(Bundle({ gate: UInt(32), up: UInt(32) })));
  const out = m.output('out', Stream(UInt(32)));
  const outValid = m.reg('out_full', Bool, { init: 0 });
  const advance = m.node('silu_advance', outValid.and(out.ready.not()).not());
  x.ready.assign(advance);
  const formats = { a: FP32, b: FP32, out: FP32 };
  const one = m.node('one', lit(float32Bits(1), UInt(32)));

  // g waits for sigmoid(g) (three stages), up for silu(g) (four).
  const gate = delay(m, 'gate', x.data.gate, 3, { enable: advance });
  const up = delay(m, 'up', x.data.up, SILU_MUL_LATENCY - 1, { enable: advance });
  const valid = delay(m, 'valid', x.valid, SILU_MUL_LATENCY - 1, { enable: advance, init: 0 });
  const e = stageRegister(m, 'exp_neg_gate', fpExp(m, 'exp', fpNeg(x.data.gate, FP32), FP32), advance);
  const denominator = stageRegister(m, 'one_plus_exp', fpAdd(m, 'denominator_add', one, e, FP32), advance);
  const sigmoid = stageRegister(m, 'sigmoid', fpReciprocal(m, 'reciprocal', denominator, FP32), advance);
  const silu = stageRegister(m, 'silu', fpMul(m, 'silu_mul', gate, sigmoid, formats), advance);
  const product = stageRegister(m, 'out_value', fpMul(m, 'up_mul', silu, up, formats), advance);
  m.when(advance, () => outValid.assign(valid));
  out.valid.assign(outValid);
  out.data.assign(product);
  return { x, out };
});
