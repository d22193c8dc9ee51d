// Shared by the engine regressions: random and extreme operands from a seed, and the check that an
// engine's simulated output equals the golden kernel's bit for bit. The comparison goes through
// the golden-compare harness, so a mismatch names the row and column of the first wrong element,
// the cycle it came out, and keeps a waveform of the cycles around it.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MatmulDims, MatmulEngine, MatmulOperands } from '../../generators/matmul.js';
import { ceilDiv } from '../../generators/lut-tensor-core/pack.js';
import type { SimulatorName } from '../../sim/stream.js';
import { expectMatchesGolden } from '../golden-compare.js';
import { mpgemmInt } from '../golden/mpgemm.js';

/** A small deterministic generator (mulberry32), so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): (lo: number, hi: number) => number {
  let state = seed >>> 0;
  return (lo, hi) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(unit * (hi - lo + 1));
  };
}

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

/** The golden result as the engine's `out` beats: tiles of m x n, padding zero (as the hardware computes it). */
function goldenBeats(tile: { m: number; n: number }, dims: MatmulDims, y: BigInt64Array): bigint[][] {
  const beats: bigint[][] = [];
  for (let rb = 0; rb < ceilDiv(dims.M, tile.m); rb++) {
    for (let t = 0; t < ceilDiv(dims.N, tile.n); t++) {
      const beat: bigint[] = [];
      for (let r = 0; r < tile.m; r++) {
        for (let c = 0; c < tile.n; c++) {
          const row = rb * tile.m + r;
          const col = t * tile.n + c;
          beat.push(row < dims.M && col < dims.N ? y[row * dims.N + col]! : 0n);
        }
      }
      beats.push(beat);
    }
  }
  return beats;
}

export interface EngineCheckOptions {
  readonly simulator?: SimulatorName;
}

/** Runs the operands through the engine's simulated hardware; throws a GoldenMismatchError on any difference. */
export async function expectEngineMatchesGolden<Config extends { m: number; n: number }>(
  engine: MatmulEngine<Config>,
  config: Config,
  operands: MatmulOperands,
  options: EngineCheckOptions = {},
): Promise<{ cycles: number }> {
  const design = engine.generator.generate(config);
  const packed = engine.pack(config, operands);
  const tilesPerBlock = ceilDiv(operands.N, config.n);
  const expected = goldenBeats(config, operands, mpgemmInt(operands));
  const waveDir = await mkdtemp(path.join(tmpdir(), `lutforge-${engine.name}-mismatch-`));
  const run = await expectMatchesGolden({
    design,
    inputs: packed.inputs,
    golden: () => ({ out: expected }),
    indices: (_stream, beat, leaf) => ({
      row: Math.floor(beat / tilesPerBlock) * config.m + Math.floor(leaf / config.n),
      col: (beat % tilesPerBlock) * config.n + (leaf % config.n),
    }),
    waveDir,
    maxCycles: 4 * engine.idealCycles(config, operands) + 64 * expected.length + 1000,
    ...(options.simulator === undefined ? {} : { simulator: options.simulator }),
  });
  return { cycles: run.cycles };
}

/**
 * The regression every engine variant passes: three random problems (M = 1, ragged K and N, K at
 * the configured limit) and the two all-extreme ones, each against the golden kernel.
 */
export async function regressEngine<Config extends { m: number; n: number; maxK: number }>(
  engine: MatmulEngine<Config>,
  config: Config,
  seed: number,
  ranges: OperandRanges,
): Promise<void> {
  const random = seededRandom(seed);
  const limit = config.maxK;
  const shapes = [
    { M: 1, K: random(1, limit), N: random(1, 8) },
    { M: random(2, 5), K: random(1, limit), N: random(1, 8) },
    { M: random(1, 5), K: limit - 1, N: 7 },
  ];
  for (const dims of shapes) await expectEngineMatchesGolden(engine, config, randomOperands(random, dims, ranges));
  // The largest magnitudes at the largest K: the accumulator widths are exactly enough.
  await expectEngineMatchesGolden(engine, config, extremeOperands({ M: 3, K: limit, N: 4 }, ranges, 'min', 'min'));
  await expectEngineMatchesGolden(engine, config, extremeOperands({ M: 2, K: limit, N: 4 }, ranges, 'max', 'max'));
}
