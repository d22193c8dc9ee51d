// Fuzz targets of the matrix engines (tensor-core, mac, add): a configuration drawn over the
// schemas' ranges but small enough to build in seconds, and vectors that are random M x K x N
// problems (GEMV rows, ragged K and N, K at maxK, extremes, float specials). All vectors of a
// configuration run back to back in one stream run, each checked against the golden kernel: the
// exact integer product, or the bit-exact FP32 models for float activations.

import type { ZodType } from 'zod';
import { matmulCycleLimit } from '../../host/run-matmul.js';
import { macConfig } from '../../generators/baseline/mac.js';
import { addConfig } from '../../generators/baseline/add.js';
import { matmulEngines } from '../../generators/engines.js';
import { tensorCoreConfig, type TensorCoreConfig } from '../../generators/lut-tensor-core/config.js';
import { ceilDiv } from '../../contracts/serial-packing.js';
import type { MatmulEngineName } from '../../generators/matmul-engine/interface.js';
import { lutFpStreamModel, macFpBeats } from '../../golden/lut-mpgemm-fp.js';
import { mpgemmInt, tiledBeats } from '../../golden/mpgemm.js';
import { describeOperands, dimensionShrinks, drawOperands, fitOperands, operandSize, valueShrinks } from './operands.js';
import { chance, pick, smallInt, weighted, type Random } from './random.js';
import { runStreamVectors, type StreamVector } from './stream-runner.js';
import { defineTarget, type AnyTarget } from './types.js';
import { ACT_FORMATS, isFloatAct, type ActFormat } from '../../contracts/engine-widths.js';
import type { MatmulDims, MatmulOperands } from '../../contracts/matmul-operands.js';

/** What the three engines' configurations share (mac adds narrowWeights, tensor-core the table keys). */
type EngineConfig = Pick<TensorCoreConfig, 'm' | 'n' | 'k' | 'wbits' | 'act' | 'maxK'> & Partial<Pick<TensorCoreConfig, 'symmetric' | 'reinterpret'>>;

export interface MatmulVector {
  readonly operands: MatmulOperands;
  /** The activation format the operands are in (to fit them to another one while shrinking). */
  readonly format: ActFormat;
  readonly label: string;
}

/**
 * The shared tile keys: float engines get smaller tiles and k (each unit has FP32 adders), and the
 * MAC's multipliers (m * n * k of them, int16 ones dearest) are kept to a few dozen. Now and then
 * an integer tile is one or two rows of many columns, so a weight beat is wider than 64 bits.
 */
function drawTile(random: Random, act: ActFormat, multipliers = Infinity): Record<string, unknown> {
  const float = isFloatAct(act);
  const k = float ? weighted(random, [[2, 1], [6, random(2, 4)], [1, 5]]) : weighted(random, [[2, 1], [7, random(2, 5)], [1, random(6, 8)]]);
  const big = !float && k <= 5;
  const wide = big && chance(random, 8);
  let m = float ? weighted(random, [[4, 1], [1, 2]]) : wide ? random(1, 2) : big ? smallInt(random, 1, 3, 5) : 1;
  let n = float ? smallInt(random, 1, 2, 3) : wide ? random(10, 24) : big ? smallInt(random, 1, 4, 9) : random(1, 2);
  while (m * n * k > multipliers && n > 1) n--;
  while (m * n * k > multipliers && m > 1) m--;
  return { m, n, k, wbits: random(1, 4), act, maxK: drawMaxK(random, k, !float && m * n <= 4 && k <= 4) };
}

/**
 * Mostly small limits (1, one group, a few groups, ragged), sometimes a few hundred, and for small
 * integer tiles the wide ones where results need more than 32 bits (int16, W4, maxK >= 8192).
 */
function drawMaxK(random: Random, k: number, wideAllowed: boolean): number {
  const roll = random(0, 99);
  if (roll < 8) return pick(random, [1, k, k + 1]);
  if (roll < 55) return random(1, 64);
  if (roll < 70) return k * random(1, 16);
  if (roll < 90 || !wideAllowed) return random(65, 300);
  return pick(random, [4096, 8192, 16384, 65536, 1 << 20]);
}

function drawAct(random: Random, floats: boolean): ActFormat {
  return floats ? pick(random, ACT_FORMATS) : pick(random, ['int8', 'int16'] as const);
}

const TABLES = [
  { symmetric: true, reinterpret: true },
  { symmetric: false, reinterpret: true },
  { symmetric: false, reinterpret: false },
] as const;

function drawTensorCore(random: Random): Record<string, unknown> {
  const act = drawAct(random, chance(random, 40));
  const precompute = isFloatAct(act) ? 'shared' : pick(random, ['shared', 'per-unit'] as const);
  return { ...drawTile(random, act), ...pick(random, TABLES), precompute };
}

function drawMac(random: Random): Record<string, unknown> {
  const act = drawAct(random, chance(random, 40));
  const multipliers = act === 'int8' ? 24 : act === 'int16' ? 12 : 8;
  return { ...drawTile(random, act, multipliers), narrowWeights: !isFloatAct(act) && chance(random, 50) };
}

function drawAdd(random: Random): Record<string, unknown> {
  return drawTile(random, drawAct(random, false));
}

/** A problem shape: GEMV rows, tiles and a bit, K at or near the limit, the smallest. */
function drawDims(random: Random, config: EngineConfig): MatmulDims {
  const usualK = Math.min(config.maxK, 96);
  const roll = random(0, 99);
  // Wide limits take K = maxK rarely: a million-long reduction is a few seconds of packing.
  const atLimit = config.maxK <= 4096 ? roll < 15 : roll < 3;
  const K = atLimit ? config.maxK : roll < 25 ? pick(random, [1, Math.min(config.k, usualK), Math.min(config.k + 1, usualK)]) : random(1, usualK);
  const large = K > 4096;
  const M = large ? 1 : roll >= 25 && roll < 45 ? 1 : random(1, 2 * config.m + 1);
  const N = large ? random(1, 2) : random(1, roll >= 85 ? 3 * config.n : 2 * config.n + 1);
  return { M, K, N };
}

/** The `out` beats the engine must send: the golden kernel's Y in tiles, or the FP32 bit-exact models. */
function goldenBeats(name: MatmulEngineName, config: EngineConfig, operands: MatmulOperands, inputs: StreamVector['inputs']): bigint[][] {
  if (!isFloatAct(config.act)) return tiledBeats(config, operands, mpgemmInt(operands));
  if (name === 'mac') return macFpBeats(config, operands);
  return lutFpStreamModel({ ...config, symmetric: config.symmetric ?? true, reinterpret: config.reinterpret ?? true }, inputs);
}

function streamVector(name: MatmulEngineName, config: EngineConfig, operands: MatmulOperands): StreamVector {
  const engine = matmulEngines.get(name)!;
  const packed = engine.pack(config, operands);
  const inputBeats = Object.values(packed.inputs).reduce((sum, beats) => sum + beats.length, 0);
  const expected = goldenBeats(name, config, operands, packed.inputs);
  const tilesPerBlock = ceilDiv(operands.N, config.n);
  return {
    inputs: packed.inputs,
    expected: { out: expected },
    maxCycles: matmulCycleLimit(engine.idealCycles(config, operands), inputBeats, expected.length),
    where: (_stream, beat, leaf) =>
      `Y[${Math.floor(beat / tilesPerBlock) * config.m + Math.floor(leaf / config.n)}][${(beat % tilesPerBlock) * config.n + (leaf % config.n)}]`,
  };
}

function matmulTarget(name: MatmulEngineName, schema: typeof tensorCoreConfig | typeof macConfig | typeof addConfig, draw: (random: Random) => Record<string, unknown>, simplest: Record<string, readonly unknown[]>): AnyTarget {
  return defineTarget<EngineConfig, MatmulVector>({
    name,
    schema: schema as unknown as ZodType<EngineConfig>,
    drawConfig: draw,
    drawVectors: (config, random, count) =>
      Array.from({ length: count }, () => {
        const { operands, label } = drawOperands(random, drawDims(random, config), config);
        return { operands, format: config.act, label };
      }),
    run: async (config, vectors, options = {}) => {
      const engine = matmulEngines.get(name)!;
      // Packing first: an operand the engine cannot take should not wait for elaboration.
      const streams = vectors.map((vector) => streamVector(name, config, vector.operands));
      return runStreamVectors(engine.generator.generate(config), streams, vectors.map((vector) => options.perturb?.(vector) ?? false));
    },
    shrinkVector: (_config, vector) => [...dimensionShrinks(vector.operands), ...valueShrinks(vector.operands)].map((operands) => ({ ...vector, operands })),
    fitVector: (config, vector) => {
      const operands = fitOperands(vector.operands, vector.format, config);
      return operands === undefined ? undefined : { operands, format: config.act, label: vector.label };
    },
    simplest,
    size: (vector) => operandSize(vector.operands),
    describe: (vector) => `${describeOperands(vector.operands)} ${vector.label}`,
  });
}

const TILE_SIMPLEST = { m: [1], n: [1], maxK: [1], k: [1], wbits: [1], act: ['int8'] } as const;

export const tensorCoreTarget = matmulTarget('tensor-core', tensorCoreConfig, drawTensorCore, {
  ...TILE_SIMPLEST,
  precompute: ['shared'],
  symmetric: [true],
  reinterpret: [true],
});
export const macTarget = matmulTarget('mac', macConfig, drawMac, { ...TILE_SIMPLEST, narrowWeights: [false] });
export const addTarget = matmulTarget('add', addConfig, drawAdd, TILE_SIMPLEST);
