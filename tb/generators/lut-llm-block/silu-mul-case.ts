// The decoder block's SiLU-and-multiply kernel (generators/lut-llm-block/silu-mul.ts) bit for bit
// against docs/design/lut-llm-block.md's m = mul(mul(g, recip(add(1, exp(neg(g))))), up) computed here from the
// soft-float golden, simulated in kernels.test.ts: moderate pairs at a beat per cycle (the cycles
// of siluMulCycles), then gates across exp's range (overflow of exp(-g) to inf, underflow to 0)
// and every FP32 edge crossed with ups, with both streams throttled.

import { expect } from 'vitest';
import { FP32 } from '../../../contracts/fp-format.js';
import { fpAdd, fpExp, fpMul, fpNeg, fpRound, fpReciprocal } from '../../../golden/softfloat.js';
import { buildSiluMul, siluMulCycles } from '../../../generators/lut-llm-block/silu-mul.js';
import { edgeValues, FpRandom } from '../../dsl/lib/fp/fp-harness.js';
import { beatsOf, type KernelCase, moderateValues, throttledKernel } from './kernel-harness.js';

const F = { a: FP32, b: FP32, out: FP32 };

/** docs/design/lut-llm-block.md, m[j], literally. */
function siluMul(g: number, up: number): number {
  return fpMul(F, fpMul(F, g, fpReciprocal(FP32, fpAdd(FP32, fpRound(FP32, 1), fpExp(FP32, fpNeg(FP32, g))))), up);
}

/** Computes m bit for bit at a beat per cycle, and under throttling, for edges and exp's whole range. */
export function siluMulCase(): KernelCase {
  const random = new FpRandom(FP32, 11);
  const free = 64;
  const gates = moderateValues(random, free);
  const ups = moderateValues(random, free);
  // Gates from -128 to 128 by steps of 1/4 (exp(-g) overflows below about -88.7, underflows above 87.3 into subnormals, then 0).
  for (let q = -512; q <= 512; q++) gates.push(fpRound(FP32, q / 4)), ups.push(random.value());
  const edges = edgeValues(FP32);
  for (const g of edges) for (const up of edges.filter((_, i) => i % 5 === 0)) gates.push(g), ups.push(up);
  for (let i = 0; i < 500; i++) gates.push(random.value()), ups.push(random.value());
  return {
    design: throttledKernel(buildSiluMul(), { randomFrom: siluMulCycles(free) + 2, seed: 0x51 }),
    inputs: { x: gates.map((g, j) => [BigInt(g), BigInt(ups[j]!)]) },
    expected: beatsOf(gates.map((g, j) => siluMul(g, ups[j]!))),
    indices: (beat) => ({ pair: beat }),
    check: (cycles) => {
      expect(cycles[free - 1]! + 1).toBe(siluMulCycles(free));
      expect(cycles.at(-1)! + 1, 'the throttled run is slower than a free one').toBeGreaterThan(siluMulCycles(gates.length) + free);
    },
  };
}
