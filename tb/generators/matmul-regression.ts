// Shared by the engine regressions: the check that an engine's simulated output equals the golden kernel's bit for bit. The comparison goes through
// the golden-compare harness, so a mismatch names the row and column of the first wrong element,
// the cycle it came out, and keeps a waveform of the cycles around it.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MatmulEngine } from '../../generators/matmul-engine/interface.js';
import { floatFormat } from '../../golden/lut-mpgemm-fp.js';
import { ceilDiv } from '../../contracts/serial-packing.js';
import type { SimulatorName } from '../../sim/backend.js';
import { expectMatchesGolden } from '../golden-compare.js';
import { mpgemmInt, tiledBeats } from '../../golden/mpgemm.js';
import { extremeOperands, randomFloatOperands, randomOperands, type OperandRanges } from '../../golden/operands.js';

// The regressions pick their operands and float formats here; re-exported so they import one module.
export { floatFormat };
export { extremeOperands, randomFloatOperands, randomOperands, type FloatOperandOptions, type OperandRanges } from '../../golden/operands.js';
import type { ActFormat } from '../../contracts/engine-widths.js';
import type { MatmulDims, MatmulOperands, PackedRun } from '../../contracts/matmul-operands.js';
import { seededRandom } from '../../golden/random.js';
export { seededRandom } from '../../golden/random.js';

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
