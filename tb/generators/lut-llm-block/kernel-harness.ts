// What the decoder block's kernel tests share: FP32 operands (moderate values like activations,
// plus the edges: signed zeros, subnormals, the largest finite, infinities, NaN) and one
// simulation of a kernel against beats the test computed itself, with the cycle of the run.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EmittedDesign } from '../../../dsl/design.js';
import { FP32 } from '../../../contracts/fp-format.js';
import { fpRound } from '../../../golden/softfloat.js';
import type { Beat } from '../../../sim/stream-protocol.js';
import type { StreamRunResult } from '../../../sim/backend.js';
import { expectMatchesGolden } from '../../golden-compare.js';
import { edgeValues, FpRandom } from '../../dsl/lib/fp/fp-harness.js';

/** FP32 patterns of values like a layer's activations: magnitudes about 2^-4 .. 2^4, both signs. */
export function moderateValues(random: FpRandom, count: number): number[] {
  return Array.from({ length: count }, () => {
    const magnitude = 2 ** (random.below(9) - 4) * (1 + random.below(1 << 20) / (1 << 20));
    return fpRound(FP32, random.below(2) === 0 ? magnitude : -magnitude);
  });
}

/** The FP32 edge values (both signs) in vectors of `count`, the last one padded with random patterns of every kind. */
export function edgeVectors(random: FpRandom, count: number): number[][] {
  const edges = edgeValues(FP32);
  return Array.from({ length: Math.ceil(edges.length / count) }, (_, v) => Array.from({ length: count }, (_, i) => edges[v * count + i] ?? random.value()));
}

/** One beat per value. */
export function beatsOf(values: readonly number[]): Beat[] {
  return values.map((value) => [BigInt(value)]);
}

/** Runs the kernel once on `inputs` and throws on the first `out` beat that differs from `expected`. */
export async function expectKernelOutput(design: EmittedDesign, inputs: Readonly<Record<string, readonly Beat[]>>, expected: readonly number[], maxCycles: number): Promise<StreamRunResult> {
  const waveDir = await mkdtemp(path.join(tmpdir(), `lutforge-${design.top}-mismatch-`));
  return expectMatchesGolden({ design, inputs, golden: () => ({ out: beatsOf(expected) }), waveDir, maxCycles });
}
