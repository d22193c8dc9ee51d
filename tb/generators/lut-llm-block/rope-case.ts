// The decoder block's RoPE kernel (generators/lut-llm-block/rope.ts) bit for bit against
// docs/design/lut-llm-block.md's rope computed here from the soft-float golden, simulated in kernels.test.ts:
// vectors at positions 0, maxSeq - 1 and between, moderate values and every FP32 edge, back to
// back (both buffers in turn), then throttled, with the cycles of ropeCycles.

import { expect } from 'vitest';
import { FP32 } from '../../../contracts/fp-format.js';
import { fpAdd, fpMul, fpNeg, fpRound } from '../../../golden/softfloat.js';
import { buildRope, ropeCycles, type RopeParams } from '../../../generators/lut-llm-block/rope.js';
import { FpRandom } from '../../dsl/lib/fp/fp-harness.js';
import { beatsOf, edgeVectors, type KernelCase, moderateValues, throttledKernel } from './kernel-harness.js';

const PARAMS: RopeParams = { headDim: 16, theta: 1_000_000, maxSeq: 16 };
const F = { a: FP32, b: FP32, out: FP32 };

/** docs/design/lut-llm-block.md, `rope(x, pos)`, literally. */
function rope(x: readonly number[], pos: number, { headDim: D, theta }: RopeParams): number[] {
  const half = D / 2;
  const out: number[] = [];
  for (let i = 0; i < half; i++) {
    const invFreq = Math.pow(theta, -(2 * i) / D);
    const c = fpRound(FP32, Math.cos(pos * invFreq));
    const s = fpRound(FP32, Math.sin(pos * invFreq));
    out[i] = fpAdd(FP32, fpMul(F, x[i]!, c), fpMul(F, fpNeg(FP32, x[i + half]!), s));
    out[i + half] = fpAdd(FP32, fpMul(F, x[i + half]!, c), fpMul(F, x[i]!, s));
  }
  return out;
}

/** Rotates vectors back to back at positions 0 .. maxSeq-1 bit for bit, in the cycles of ropeCycles, then throttled. */
export function ropeCase(): KernelCase {
  const random = new FpRandom(FP32, 22);
  const D = PARAMS.headDim;
  const vectors = [...[0, 1, 2, 3].map(() => moderateValues(random, D)), ...edgeVectors(random, D), Array.from({ length: D }, () => random.value())];
  const positions = vectors.map((_, v) => [0, PARAMS.maxSeq - 1, 1, 9][v] ?? (5 * v) % PARAMS.maxSeq);
  // The first four vectors at full speed, the rest with both streams throttled.
  const free = 4;
  return {
    design: throttledKernel(buildRope(PARAMS), { randomFrom: ropeCycles(D, free), seed: 0x707e }),
    inputs: { x: vectors.flatMap((x, v) => x.map((value) => [BigInt(value), BigInt(positions[v]!)])) },
    expected: beatsOf(vectors.flatMap((x, v) => rope(x, positions[v]!, PARAMS))),
    indices: (beat) => ({ vector: Math.floor(beat / D), position: positions[Math.floor(beat / D)] ?? -1, element: beat % D }),
    check: (cycles) => {
      for (let v = 1; v <= free; v++) expect(cycles[v * D - 1]! + 1, `vector ${v - 1}`).toBe(ropeCycles(D, v));
      expect(cycles.at(-1)! + 1, 'the throttled run is slower than a free one').toBeGreaterThan(ropeCycles(D, vectors.length) + D);
    },
  };
}
