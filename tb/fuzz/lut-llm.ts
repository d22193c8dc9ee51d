// Fuzz target of the LUT-LLM engine: small configurations over every distance, activation format,
// table width, dequantization (with up to maxScaleGroups pairs), positions per cycle and search-unit
// setting, and vectors that are whole layer runs (random layers with ties, repeated centroids,
// specials or full tables, T tokens, ragged N, one (scale, zero) pair or one per scale group of
// whole column groups) from the engine tests' random-layer maker. All runs of a configuration go back to back through one
// stream run, each checked against the golden model's `out` beats (padding lanes included).

import type { ZodType } from 'zod';
import { lutLlmConfig, lutLlmShape, type LutLlmConfig } from '../../generators/lut-llm/config.js';
import { lutLlmGenerator } from '../../generators/lut-llm/index.js';
import { chunksOfLastGroup } from '../../generators/lut-llm/layout.js';
import { lutLlmIdealCycles, packLutLlm } from '../../generators/lut-llm/pack.js';
import { goldenOutBeats } from '../generators/lut-llm/engine-harness.js';
import { randomLayer } from '../generators/lut-llm/random-layer.js';
import { windows } from './operands.js';
import { chance, childSeed, pick, smallInt, weighted, type Random } from './random.js';
import { runStreamVectors, type StreamVector } from './stream-runner.js';
import { defineTarget } from './types.js';
import type { LlmActivations, LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import { DISTANCES, LLM_ACT_FORMATS } from '../../contracts/lut-llm-layer.js';

export interface LlmVector {
  readonly layer: LutLlmLayer;
  readonly x: LlmActivations;
  /** What drew it, to draw it again for another configuration while the configuration shrinks. */
  readonly seed: number;
  readonly label: string;
}

function drawConfig(random: Random): Record<string, unknown> {
  const distance = pick(random, DISTANCES);
  const act = pick(random, LLM_ACT_FORMATS);
  let v = weighted(random, [[3, 1], [4, 2], [2, random(3, 4)], [1, random(5, 8)]]);
  let ca = smallInt(random, 2, 6, 20);
  // Positions in parallel: set units then divide P' or are a multiple of it (index banks).
  const positionsPerCycle = chance(random, 30) ? random(2, 4) : 1;
  const searchUnits = chance(random, 25) ? pick(random, [1, 2, 3, 4, 6].filter((u) => u % positionsPerCycle === 0 || positionsPerCycle % u === 0)) : undefined;
  // The search has ca elements per unit, each with v subtractors (FP32 ones for float activations)
  // and for l2 v multipliers: a build takes tens of seconds past a few dozen of those, so most
  // draws stay under that and one in ten goes four times higher.
  const weight = (distance === 'l2' ? 3 : distance === 'l1' ? 1.5 : 1) * (act === 'int16' ? 1 : 3) * (searchUnits ?? positionsPerCycle);
  const budget = chance(random, 10) ? 160 : 40;
  while (ca * v * weight > budget && ca > 2) ca--;
  while (ca * v * weight > budget && v > 1) v--;
  const lookupsPerCycle = smallInt(random, 1, 4, 8);
  return {
    v,
    ca,
    cw: smallInt(random, 2, 6, 17),
    tableBits: pick(random, [4, 8] as const),
    distance,
    act,
    lookupsPerCycle,
    groupCols: lookupsPerCycle * smallInt(random, 1, 3, 6),
    ...(searchUnits === undefined ? {} : { searchUnits }),
    maxT: smallInt(random, 1, 4, 8),
    maxK: v * Math.max(positionsPerCycle, smallInt(random, 1, 8, 24)),
    positionsPerCycle,
    dequant: chance(random, 40),
    maxScaleGroups: smallInt(random, 1, 3, 8),
  };
}

function drawVector(config: LutLlmConfig, random: Random): LlmVector {
  const { maxP } = lutLlmShape(config);
  const T = chance(random, 20) ? config.maxT : random(1, config.maxT);
  const P = chance(random, 20) ? maxP : random(1, maxP);
  const roll = random(0, 99);
  const N = roll < 15 ? 1 : roll < 30 ? config.groupCols * random(1, 3) : random(1, 3 * config.groupCols);
  const specials = config.act !== 'int16' && chance(random, 20);
  const fullTables = chance(random, 10);
  const seed = childSeed(random);
  // Whole column groups: half the time one pair per column group (as many as the hardware holds).
  const G = Math.ceil(N / config.groupCols);
  const scaleGroups = N % config.groupCols === 0 && chance(random, 50) && (!config.dequant || G <= config.maxScaleGroups) ? G : 1;
  const { layer, x } = randomLayer(config, { T, K: P * config.v, N, seed, specials, fullTables, scaleGroups });
  const label = [specials ? 'specials' : '', fullTables ? 'full tables' : '', scaleGroups > 1 ? `${scaleGroups} scale groups` : ''].filter(Boolean).join(', ') || 'random';
  return { layer, x, seed, label };
}

function streamVector(config: LutLlmConfig, { layer, x }: LlmVector): StreamVector {
  const packed = packLutLlm(config, layer, x);
  const expected = goldenOutBeats(config, { layer, x });
  const inputBeats = Object.values(packed.inputs).reduce((sum, beats) => sum + beats.length, 0);
  const ideal = lutLlmIdealCycles(config, { T: x.T, P: layer.P, N: layer.N });
  // Beats go group by group, token by token, chunk by chunk (the last group's chunks fewer).
  const chunks = config.groupCols / config.lookupsPerCycle;
  const owners: { t: number; n: number }[] = [];
  for (let g = 0; g < layer.G; g++) {
    for (let t = 0; t < x.T; t++) {
      for (let c = 0; c < (g === layer.G - 1 ? chunksOfLastGroup(config, layer.N, layer.G) : chunks); c++) owners.push({ t, n: g * config.groupCols + c * config.lookupsPerCycle });
    }
  }
  const where = (_stream: string, beat: number, leaf: number): string => {
    const lane = leaf % config.lookupsPerCycle;
    return `${leaf >= config.lookupsPerCycle ? 'y' : 'acc'}[t=${owners[beat]?.t}][n=${(owners[beat]?.n ?? 0) + lane}]`;
  };
  return { inputs: packed.inputs, expected: { out: expected }, maxCycles: 8 * ideal + 100 * expected.length + 2000 + 50 * inputBeats, where };
}

/** Tokens [t0, t1). */
function sliceTokens(vector: LlmVector, t0: number, t1: number): LlmVector {
  const { x } = vector;
  return { ...vector, x: { ...x, T: t1 - t0, data: x.data.slice(t0 * x.K, t1 * x.K) } };
}

/** Positions [p0, p1) of the layer and the activations. */
function slicePositions(vector: LlmVector, p0: number, p1: number): LlmVector {
  const { layer, x } = vector;
  const { N, G, ca, cw, v } = layer;
  const K = (p1 - p0) * v;
  return {
    ...vector,
    layer: {
      ...layer,
      P: p1 - p0,
      actCodebook: layer.actCodebook.slice(p0 * ca * v, p1 * ca * v),
      weightCodebook: layer.weightCodebook.slice(p0 * G * cw * v, p1 * G * cw * v),
      weightIndex: layer.weightIndex.slice(p0 * N, p1 * N),
      table: layer.table.slice(p0 * G * ca * cw, p1 * G * ca * cw),
    },
    x: { ...x, K, data: x.data.filter((_, i) => i % x.K >= p0 * v && i % x.K < p1 * v) },
  };
}

/** One (scale, zero) pair, the one of column `column`'s scale group: valid for any N. */
function oneScale(layer: LutLlmLayer, column: number): Pick<LutLlmLayer, 'scale' | 'zero'> {
  const s = Math.floor(column / (layer.N / layer.scale.length));
  return { scale: layer.scale.slice(s, s + 1), zero: layer.zero.slice(s, s + 1) };
}

/** Columns [c0, c1), c0 at a group boundary so every column keeps its group's table (and one pair, its first column's). */
function sliceColumns(vector: LlmVector, c0: number, c1: number): LlmVector {
  const { layer } = vector;
  const { N, G, ca, cw, v, groupCols } = layer;
  const g0 = c0 / groupCols;
  const width = Math.ceil((c1 - c0) / groupCols);
  const perPosition = <T extends Uint8Array | Float32Array>(array: T, rowLength: number, from: number, count: number): T =>
    array.filter((_, i) => i % rowLength >= from && i % rowLength < from + count) as T;
  return {
    ...vector,
    layer: {
      ...layer,
      N: c1 - c0,
      G: width,
      weightIndex: perPosition(layer.weightIndex, N, c0, c1 - c0),
      table: perPosition(layer.table, G * ca * cw, g0 * ca * cw, width * ca * cw),
      weightCodebook: perPosition(layer.weightCodebook, G * cw * v, g0 * cw * v, width * cw * v),
      ...oneScale(layer, c0),
    },
  };
}

function shrinkVector(vector: LlmVector): LlmVector[] {
  const { layer, x } = vector;
  const candidates: LlmVector[] = [];
  for (const [t0, t1] of windows(x.T)) candidates.push(sliceTokens(vector, t0, t1));
  for (const [p0, p1] of windows(layer.P)) candidates.push(slicePositions(vector, p0, p1));
  const seen = new Set<string>();
  for (const [a, b] of windows(layer.N)) {
    const c0 = Math.floor(a / layer.groupCols) * layer.groupCols;
    if (c0 === 0 && b === layer.N) continue;
    if (!seen.has(`${c0},${b}`)) candidates.push(sliceColumns(vector, c0, b));
    seen.add(`${c0},${b}`);
  }
  const zeroed = <T extends { fill(value: number): T; slice(): T; some(test: (value: number) => boolean): boolean }>(array: T): T | undefined =>
    array.some((value) => value !== 0) ? array.slice().fill(0) : undefined;
  const table = zeroed(layer.table);
  if (table !== undefined) candidates.push({ ...vector, layer: { ...layer, table } });
  const weightIndex = zeroed(layer.weightIndex);
  if (weightIndex !== undefined) candidates.push({ ...vector, layer: { ...layer, weightIndex } });
  const data = zeroed<LlmActivations['data']>(x.data);
  if (data !== undefined) candidates.push({ ...vector, x: { ...x, data } });
  if (layer.scale.length > 1) candidates.push({ ...vector, layer: { ...layer, ...oneScale(layer, 0) } });
  const actCodebook = zeroed<LutLlmLayer['actCodebook']>(layer.actCodebook);
  if (actCodebook !== undefined) candidates.push({ ...vector, layer: { ...layer, actCodebook } });
  return candidates;
}

const STRUCTURE = ['v', 'ca', 'cw', 'groupCols', 'tableBits'] as const;

/** Cut to the configuration's limits, or drawn again from the vector's seed when the layer's structure changed. */
function fitVector(config: LutLlmConfig, vector: LlmVector): LlmVector {
  const { layer, x } = vector;
  const { maxP } = lutLlmShape(config);
  if (STRUCTURE.some((key) => layer[key] !== config[key]) || x.act !== config.act) {
    const P = Math.max(1, Math.min(maxP, Math.floor(x.K / config.v)));
    return { ...randomLayer(config, { T: Math.min(x.T, config.maxT), K: P * config.v, N: layer.N, seed: vector.seed }), seed: vector.seed, label: `${vector.label} (redrawn)` };
  }
  const tokens = x.T > config.maxT ? sliceTokens(vector, 0, config.maxT) : vector;
  const positions = layer.P > maxP ? slicePositions(tokens, 0, maxP) : tokens;
  const tooManyPairs = config.dequant && layer.scale.length > config.maxScaleGroups;
  return tooManyPairs ? { ...positions, layer: { ...positions.layer, ...oneScale(layer, 0) } } : positions;
}

export const lutLlmTarget = defineTarget<LutLlmConfig, LlmVector>({
  name: 'lut-llm',
  schema: lutLlmConfig as unknown as ZodType<LutLlmConfig>,
  drawConfig,
  drawVectors: (config, random, count) => Array.from({ length: count }, () => drawVector(config, random)),
  run: async (config, vectors, options = {}) => {
    const streams = vectors.map((vector) => streamVector(config, vector));
    return runStreamVectors(lutLlmGenerator.generate(config), streams, vectors.map((vector) => options.perturb?.(vector) ?? false));
  },
  shrinkVector: (_config, vector) => shrinkVector(vector),
  fitVector,
  // lookupsPerCycle before groupCols: it must divide it.
  // positionsPerCycle before maxK and searchUnits: it bounds the one and constrains the other.
  simplest: { lookupsPerCycle: [1], groupCols: [1], positionsPerCycle: [1], maxT: [1], ca: [2], cw: [2], v: [1], maxK: [1], searchUnits: [undefined], dequant: [false], maxScaleGroups: [1], distance: ['linf'], act: ['fp32'], tableBits: [8] },
  size: ({ layer, x }) => x.T * x.K + layer.P * layer.N + layer.table.length,
  describe: ({ layer, x, label }) => `T${x.T} K${x.K} N${layer.N} ${label}`,
});
