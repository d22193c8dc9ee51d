// Shared by the engine regressions: random and extreme operands from a seed, and the check that an
// engine's simulated output equals the golden kernel's bit for bit. The comparison goes through
// the golden-compare harness, so a mismatch names the row and column of the first wrong element,
// the cycle it came out, and keeps a waveform of the cycles around it.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MatmulDims, MatmulEngine, MatmulOperands, PackedRun } from '../../generators/matmul.js';
import type { ActFormat } from '../../generators/lut-tensor-core/config.js';
import { floatFormat } from '../golden/lut-mpgemm-fp.js';
import { ceilDiv } from '../../generators/lut-tensor-core/pack.js';
import type { SimulatorName } from '../../sim/stream.js';
import { expectMatchesGolden } from '../golden-compare.js';
import { mpgemmInt, tiledBeats } from '../golden/mpgemm.js';
import { fpRound } from '../golden/softfloat.js';
import { canonicalNaN, fpWidth, type FpFormat } from '../../dsl/lib/fp/format.js';

// The regressions of float engines pick their format with it; re-exported so they import one module.
export { floatFormat };

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

export interface EngineCheckOptions {
  readonly simulator?: SimulatorName;
  /**
   * The expected `out` beats, padding included; default: mpgemmInt's Y in tiles with zero padding.
   * Floating-point engines pass their bit-exact models here (their padding is +-0, not only 0).
   */
  readonly golden?: (packed: PackedRun, operands: MatmulOperands) => bigint[][];
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
  const expected = options.golden?.(packed, operands) ?? tiledBeats(config, operands, mpgemmInt(operands));
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
 * The second-simulator check: the same operands on Verilator and on Icarus, each against the
 * golden kernel, and the same cycle count from both.
 */
export async function expectSimulatorsAgree<Config extends { m: number; n: number }>(
  engine: MatmulEngine<Config>,
  config: Config,
  operands: MatmulOperands,
  options: Omit<EngineCheckOptions, 'simulator'> = {},
): Promise<void> {
  const [verilator, icarus] = await Promise.all([
    expectEngineMatchesGolden(engine, config, operands, options),
    expectEngineMatchesGolden(engine, config, operands, { ...options, simulator: 'icarus' }),
  ]);
  if (icarus.cycles !== verilator.cycles) throw new Error(`Icarus took ${icarus.cycles} cycles, Verilator ${verilator.cycles}`);
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
  options: EngineCheckOptions = {},
): Promise<void> {
  const random = seededRandom(seed);
  const limit = config.maxK;
  const shapes = [
    { M: 1, K: random(1, limit), N: random(1, 8) },
    { M: random(2, 5), K: random(1, limit), N: random(1, 8) },
    { M: random(1, 5), K: limit - 1, N: 7 },
  ];
  for (const dims of shapes) await expectEngineMatchesGolden(engine, config, randomOperands(random, dims, ranges), options);
  // The largest magnitudes at the largest K: the accumulator widths are exactly enough.
  await expectEngineMatchesGolden(engine, config, extremeOperands({ M: 3, K: limit, N: 4 }, ranges, 'min', 'min'), options);
  await expectEngineMatchesGolden(engine, config, extremeOperands({ M: 2, K: limit, N: 4 }, ranges, 'max', 'max'), options);
}

export interface FloatOperandOptions {
  readonly format: FpFormat;
  readonly wbits: number;
  /** Mix in NaN, infinities, the largest finite values and both zeros (default: finite values only). */
  readonly specials?: boolean;
}

/**
 * Random operands with floating-point activations (bit patterns): mostly normal values spread
 * over a few binades, with subnormals, zeros of both signs and exact ties among them, so every
 * rounding path of the FP32 datapaths runs; with `specials`, NaN, +-inf and +-max too.
 */
export function randomFloatOperands(random: (lo: number, hi: number) => number, dims: MatmulDims, options: FloatOperandOptions): MatmulOperands {
  const { format, wbits } = options;
  const width = fpWidth(format);
  const exponentOnes = 2 ** format.exponent - 1;
  const top = 2 ** wbits - 1;
  const activation = (): number => {
    const roll = random(0, 19);
    const sign = random(0, 1) * 2 ** (width - 1);
    if (roll === 0) return sign; // +-0
    if (roll === 1) return sign + random(1, 2 ** format.mantissa - 1); // subnormal
    if (options.specials === true && roll === 2) return sign + canonicalNaNOf(format);
    if (options.specials === true && roll === 3) return sign + (format.specials === 'ieee' ? exponentOnes * 2 ** format.mantissa : 0); // +-inf (+-0 in fn formats)
    if (options.specials === true && roll === 4) return sign + largestFinite(format); // +-max
    // A normal value within 2^-6 .. 2^6 of 1, rounded from float64 by the soft-float.
    const value = (random(0, 1) ? 1 : -1) * (1 + random(0, 2 ** 20) / 2 ** 20) * 2 ** random(-6, 6);
    return fpRound(format, value);
  };
  return {
    ...dims,
    act: Int32Array.from({ length: dims.M * dims.K }, activation),
    codes: Uint8Array.from({ length: dims.K * dims.N }, () => random(0, top)),
    zeros: Int32Array.from({ length: dims.N }, () => random(0, top)),
  };
}

function canonicalNaNOf(format: FpFormat): number {
  return Number(canonicalNaN(format));
}

/** The bit pattern of the largest finite value (positive). */
function largestFinite(format: FpFormat): number {
  const mantissaOnes = 2 ** format.mantissa - 1;
  // `fn` formats spend the all-ones mantissa of the top exponent on NaN.
  return format.specials === 'ieee' ? (2 ** format.exponent - 2) * 2 ** format.mantissa + mantissaOnes : (2 ** format.exponent - 1) * 2 ** format.mantissa + mantissaOnes - 1;
}

/** Three random problems (M = 1, ragged K and N, K at the limit) and one full of NaN, infinities and extremes. */
export async function regressFloatEngine<Config extends { m: number; n: number; maxK: number; act: ActFormat; wbits: number }>(
  engine: MatmulEngine<Config>,
  config: Config,
  seed: number,
  golden: (packed: PackedRun, operands: MatmulOperands) => bigint[][],
): Promise<void> {
  const random = seededRandom(seed);
  const format = floatFormat(config.act);
  const shapes: MatmulDims[] = [
    { M: 1, K: random(1, config.maxK), N: random(1, 8) },
    { M: random(2, 5), K: random(1, config.maxK), N: random(1, 8) },
    { M: random(1, 5), K: config.maxK - 1, N: 7 },
  ];
  for (const dims of shapes) {
    await expectEngineMatchesGolden(engine, config, randomFloatOperands(random, dims, { format, wbits: config.wbits }), { golden });
  }
  const specials = randomFloatOperands(random, { M: 3, K: config.maxK, N: 5 }, { format, wbits: config.wbits, specials: true });
  await expectEngineMatchesGolden(engine, config, specials, { golden });
}
