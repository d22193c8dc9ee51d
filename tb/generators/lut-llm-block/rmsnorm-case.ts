// The decoder block's RMSNorm kernel (generators/lut-llm-block/rmsnorm.ts) bit for bit against
// docs/design/lut-llm-block.md's rmsnorm computed here from the soft-float golden, simulated in kernels.test.ts: a
// weight load, three vectors at full speed (their beats' cycles are rmsnormCycles'), a pause in
// `x` that empties the kernel so a second load overwrites the weights, then vectors of FP32 edges
// (signed zeros, subnormals, huge values whose squares overflow, infinities, NaN), all-zero and
// all-subnormal vectors (r from eps alone) and random patterns, with every stream throttled.

import { expect } from 'vitest';
import { FP32 } from '../../../contracts/fp-format.js';
import { fpAdd, fpMul, fpRound, fpRsqrt } from '../../../golden/softfloat.js';
import { buildRmsnorm, rmsnormCycles, type RmsnormParams } from '../../../generators/lut-llm-block/rmsnorm.js';
import { edgeValues, FpRandom, pattern } from '../../dsl/lib/fp/fp-harness.js';
import { beatsOf, edgeVectors, type KernelCase, moderateValues, throttledKernel } from './kernel-harness.js';

const PARAMS: RmsnormParams = { length: 16, eps: 1e-6 };
const F = { a: FP32, b: FP32, out: FP32 };

/** docs/design/lut-llm-block.md, `rmsnorm(x, w)`, literally. */
function rmsnorm(x: readonly number[], w: readonly number[], { length: n, eps }: RmsnormParams): number[] {
  let s = 0;
  for (let i = 0; i < n; i++) s = fpAdd(FP32, s, fpMul(F, x[i]!, x[i]!));
  const r = fpRsqrt(FP32, fpAdd(FP32, fpMul(F, s, fpRound(FP32, 1 / n)), fpRound(FP32, eps)));
  return x.map((value, i) => fpMul(F, fpMul(F, value, r), w[i]!));
}

/** Normalizes vectors bit for bit, reloads its weights when empty, holds under throttling, in the cycles of rmsnormCycles. */
export function rmsnormCase(): KernelCase {
  const n = PARAMS.length;
  const random = new FpRandom(FP32, 7);
  const first = moderateValues(random, n);
  const second = moderateValues(random, n);
  // The second load: infinities, NaN and signed zeros among the weights too.
  const edges = edgeValues(FP32);
  second.splice(0, 4, 0, pattern(FP32, 1, 0, 0), edges.find((v) => v === 0x7f800000)!, 0x7fc00000);
  const free = [0, 1, 2].map(() => moderateValues(random, n));
  const huge = Array.from({ length: n }, (_, i) => pattern(FP32, i % 2, 254 - (i % 3), i * 977));
  const subnormal = Array.from({ length: n }, (_, i) => pattern(FP32, i % 2, 0, 1 + i * 4099));
  const zeros = Array.from({ length: n }, (_, i) => pattern(FP32, i % 2, 0, 0));
  const later = [...edgeVectors(random, n), huge, subnormal, zeros, Array.from({ length: n }, () => random.value()), moderateValues(random, n)];

  const reload = rmsnormCycles(n, free.length) + 4;
  const design = throttledKernel(buildRmsnorm(PARAMS), {
    pauses: { weights: { afterBeats: n, untilCycle: reload }, x: { afterBeats: free.length * n, untilCycle: reload + 2 } },
    randomFrom: reload + 2,
    seed: 0x5eed,
  });
  const expected = [...free.map((x) => rmsnorm(x, first, PARAMS)), ...later.map((x) => rmsnorm(x, second, PARAMS))];
  return {
    design,
    inputs: { weights: beatsOf([...first, ...second]), x: beatsOf([...free, ...later].flat()) },
    expected: beatsOf(expected.flat()),
    indices: (beat) => ({ vector: Math.floor(beat / n), element: beat % n }),
    check: (cycles) => {
      free.forEach((_, v) => expect(cycles[(v + 1) * n - 1]! + 1, `vector ${v}`).toBe(rmsnormCycles(n, v + 1)));
      expect(cycles.at(-1)! + 1, 'the throttled run is slower than a free one').toBeGreaterThan(rmsnormCycles(n, free.length + later.length) + n);
    },
  };
}
