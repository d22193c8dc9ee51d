// Fuzz target of the LUT-LLM decoder block: small block configurations (grouped-query heads, head
// dimensions, engine settings, RoPE and RMSNorm constants, cache and batch limits), most often the
// tiny one, since every configuration is a whole block build. A case's model is quantized from
// seeded synthetic float weights (quantizeBlock, as `lutforge quantize-block` does); a vector is a
// sequence of runs (a prefill, decode steps, more prefills) of X rows, some with NaN, infinities,
// -0, huge or subnormal values, checked bit for bit against goldenBlock.
//
// The KV cache lives for the whole simulation (the block has no reset but the reset pin), so the
// vectors of a case are one sequence: vector i's first token sits at the position after vector
// i-1's last one, and its golden is computed over the cache that the earlier vectors filled (the
// golden is recomputed from the vectors present, so dropping or shrinking a vector stays
// consistent). The drawer shares out maxSeq positions over the case's vectors (a vector past
// them has no runs: nothing to send, nothing to check); a case whose vectors ask for more than
// maxSeq positions is refused as invalid input.

import type { ZodType } from 'zod';
import type { LutLlmBlockModel } from '../../contracts/lut-llm-block.js';
import { OperandError } from '../../contracts/matmul-operands.js';
import { lutLlmBlockGenerator } from '../../generators/lut-llm-block/index.js';
import { lutLlmBlockConfig, lutLlmBlockShape, type LutLlmBlockConfig } from '../../generators/lut-llm-block/config.js';
import { packLutLlmBlock } from '../../generators/lut-llm-block/pack.js';
import { emptyBlockCache, goldenBlock } from '../../golden/lut-llm-block.js';
import { quantizeBlock } from '../../host/lut-llm-block/quantize-block.js';
import { blockCycleLimit } from '../../host/lut-llm-block/run-block.js';
import { syntheticBlockInput, syntheticBlockWeights } from '../../host/lut-llm-block/synthetic.js';
import { windows } from './operands.js';
import { chance, childSeed, pick, smallInt, weighted, type Random } from './random.js';
import { runStreamVectors, type StreamVector } from './stream-runner.js';
import { defineTarget } from './types.js';

export interface BlockVector {
  /** Tokens of each run, in order (each 1 .. maxT). Empty: the case's positions ran out. */
  readonly runs: readonly number[];
  /** X [sum of runs, hidden]. */
  readonly x: Float32Array;
  /** The case's model: quantized from the synthetic block of this seed (the same in every vector of a case). */
  readonly modelSeed: number;
  readonly label: string;
}

/** The drawer's most likely configuration, and where shrinking goes: the cheapest block to build. */
export const TINY_BLOCK = {
  hidden: 32,
  intermediate: 32,
  heads: 2,
  kvHeads: 1,
  headDim: 8,
  ropeTheta: 10000,
  rmsEps: 1e-6,
  maxSeq: 16,
  maxT: 4,
  engine: { v: 2, ca: 4, cw: 4, tableBits: 8, distance: 'linf', groupCols: 8, lookupsPerCycle: 2, positionsPerCycle: 1 },
} as const;

/** Calibration rows of the quantizer (the projections' activation codebooks come from them). */
const CALIB_T = 24;

function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}

function drawConfig(random: Random): Record<string, unknown> {
  // Each draw away from the tiny block is rare on its own; most cases are tiny in most keys.
  const kvHeads = weighted(random, [[7, 1], [2, 2]]);
  const heads = kvHeads * weighted(random, [[6, 2], [2, 1], [1, 4]]);
  const headDim = weighted(random, [[7, 8], [2, 4], [1, 16]]);
  const hidden = weighted(random, [[7, 32], [1, 16], [1, 24], [1, 2 * random(4, 24)]]);
  const intermediate = weighted(random, [[7, 32], [1, 16], [1, 48], [1, 2 * random(4, 24)]]);
  // v must divide hidden, heads * headDim and intermediate (all even here).
  const wantedV = weighted(random, [[7, 2], [2, 1], [1, 4]]);
  const v = [hidden, heads * headDim, intermediate].every((k) => k % wantedV === 0) ? wantedV : 2;
  const groupCols = chance(random, 70) ? Math.min(8, headDim) : pick(random, divisors(headDim));
  const lookupsPerCycle = chance(random, 70) ? Math.min(2, groupCols) : pick(random, divisors(groupCols));
  const maxSeq = weighted(random, [[7, 16], [2, 12], [1, random(8, 32)]]);
  return {
    hidden,
    intermediate,
    heads,
    kvHeads,
    headDim,
    ropeTheta: weighted(random, [[6, 10000], [2, 1_000_000], [1, 10], [1, random(2, 500)]]),
    rmsEps: weighted(random, [[6, 1e-6], [2, 1e-5], [1, 0.25], [1, 1e-30]]),
    maxSeq,
    maxT: Math.min(maxSeq, smallInt(random, 1, 4, 8)),
    engine: {
      v,
      ca: smallInt(random, 4, 8, 16),
      cw: smallInt(random, 4, 8, 16),
      tableBits: pick(random, [4, 8] as const),
      // The FP32 search has ca * v subtractors per unit (and multipliers for l2): linf is cheapest.
      distance: weighted(random, [[6, 'linf'], [2, 'l1'], [1, 'l2']]),
      groupCols,
      lookupsPerCycle,
      positionsPerCycle: chance(random, 15) ? 2 : 1,
    },
  };
}

const SPECIALS = [Number.NaN, Infinity, -Infinity, -0, 3.4e38, -3.4e38, 1e-40, -1.4e-45, 1e20] as const;

/** X rows from the synthetic hidden-state distribution, now and then with special values or zero rows. */
function drawRows(random: Random, hidden: number, T: number): { x: Float32Array; label: string } {
  const x = syntheticBlockInput(hidden, T, childSeed(random));
  const labels: string[] = [];
  if (T === 0) return { x, label: 'past maxSeq' };
  if (chance(random, 25)) {
    const count = random(1, 3);
    for (let n = 0; n < count; n++) x[random(0, x.length - 1)] = pick(random, SPECIALS);
    labels.push('specials');
  }
  if (chance(random, 5)) {
    x.fill(pick(random, [0, -0, 1e-40, 3.4e38]), 0, hidden);
    labels.push('uniform row');
  }
  return { x, label: labels.join(', ') || 'random' };
}

/** `tokens` as runs: a prefill, then decode steps and now and then another prefill. */
function drawRuns(random: Random, tokens: number, maxT: number): number[] {
  const runs: number[] = [];
  for (let left = tokens; left > 0; left -= runs[runs.length - 1]!) {
    runs.push(runs.length > 0 && chance(random, 60) ? 1 : random(1, Math.min(maxT, left)));
  }
  return runs;
}

function drawVectors(config: LutLlmBlockConfig, random: Random, count: number): BlockVector[] {
  const modelSeed = childSeed(random);
  let positions = config.maxSeq;
  return Array.from({ length: count }, (_, i) => {
    // Leave a position for each vector still to come, while there are any.
    const later = count - i - 1;
    const most = Math.max(0, Math.min(positions - Math.min(later, positions - 1), Math.ceil((2 * positions) / (later + 1))));
    const tokens = positions === 0 ? 0 : random(1, Math.max(1, most));
    positions -= tokens;
    const { x, label } = drawRows(random, config.hidden, tokens);
    return { runs: drawRuns(random, tokens, lutLlmBlockShape(config).maxT), x, modelSeed, label };
  });
}

const models = new Map<string, LutLlmBlockModel>();

/** The quantized synthetic block of the configuration and seed (memoized: shrinking reruns it). */
export function fuzzBlockModel(config: LutLlmBlockConfig, seed: number): LutLlmBlockModel {
  const key = `${seed} ${JSON.stringify(config)}`;
  const known = models.get(key);
  if (known !== undefined) return known;
  const { engine, ...dims } = config;
  const weights = syntheticBlockWeights(dims, seed);
  const calib = syntheticBlockInput(config.hidden, CALIB_T, (seed ^ 0x6a09e667) >>> 0);
  const { model } = quantizeBlock(weights, engine, calib, { seed });
  if (models.size >= 8) models.delete(models.keys().next().value!);
  models.set(key, model);
  return model;
}

function tokensOf(vector: BlockVector): number {
  return vector.runs.reduce((a, b) => a + b, 0);
}

/** Each vector's beats and golden y, the cache carried from one vector to the next. */
export function blockStreamVectors(config: LutLlmBlockConfig, vectors: readonly BlockVector[]): StreamVector[] {
  const total = vectors.reduce((sum, vector) => sum + tokensOf(vector), 0);
  if (total > config.maxSeq) throw new OperandError(`the case's vectors hold ${total} tokens; the cache holds maxSeq = ${config.maxSeq} positions`);
  const seed = vectors[0]?.modelSeed ?? 0;
  if (vectors.some((vector) => vector.modelSeed !== seed)) throw new OperandError('the vectors of a block case must share one model seed');
  const model = fuzzBlockModel(config, seed);
  const H = config.hidden;
  const cache = emptyBlockCache(model.dims);
  const earlierRuns: number[] = [];
  let position = 0;
  return vectors.map((vector, i) => {
    if (vector.x.length !== tokensOf(vector) * H) throw new OperandError(`vector ${i} holds ${vector.x.length} values for ${tokensOf(vector)} tokens of hidden ${H}`);
    const first = position;
    const y: bigint[][] = [];
    let row = 0;
    for (const tokens of vector.runs) {
      const out = goldenBlock(model, vector.x.subarray(row * H, (row + tokens) * H), position, cache).y;
      for (const word of new Uint32Array(out.buffer, out.byteOffset, out.length)) y.push([BigInt(word)]);
      row += tokens;
      position += tokens;
    }
    if (vector.runs.length === 0) return { inputs: {}, expected: { y: [] }, maxCycles: 0 };
    // Only the first vector with tokens loads the norm weights: the block keeps them.
    const { norms, ...rest } = packLutLlmBlock(config, model, vector.x, vector.runs).inputs;
    const inputs = first === 0 && norms !== undefined ? { norms, ...rest } : rest;
    const before = blockCycleLimit(config, earlierRuns);
    earlierRuns.push(...vector.runs);
    const where = (_stream: string, beat: number): string => `y[position ${first + Math.floor(beat / H)}][${beat % H}]`;
    return { inputs, expected: { y }, unchecked: { profile: vector.runs.length }, maxCycles: blockCycleLimit(config, earlierRuns) - before, where };
  });
}

function withRuns(vector: BlockVector, H: number, picks: readonly [number, number][], runs: readonly number[]): BlockVector {
  const x = new Float32Array(runs.reduce((a, b) => a + b, 0) * H);
  let at = 0;
  for (const [row, tokens] of picks) {
    x.set(vector.x.subarray(row * H, (row + tokens) * H), at * H);
    at += tokens;
  }
  return { ...vector, runs, x };
}

/** Runs [r0, r1) of the vector. */
function sliceRuns(vector: BlockVector, H: number, r0: number, r1: number): BlockVector {
  const starts = vector.runs.map((_, i) => vector.runs.slice(0, i).reduce((a, b) => a + b, 0));
  const kept = vector.runs.slice(r0, r1);
  return withRuns(vector, H, kept.map((tokens, i) => [starts[r0 + i]!, tokens]), kept);
}

/** Run r cut to its first `tokens` tokens. */
function shortenRun(vector: BlockVector, H: number, r: number, tokens: number): BlockVector {
  const starts = vector.runs.map((_, i) => vector.runs.slice(0, i).reduce((a, b) => a + b, 0));
  const runs = vector.runs.map((t, i) => (i === r ? tokens : t));
  return withRuns(vector, H, runs.map((t, i) => [starts[i]!, t]), runs);
}

function zeroed(vector: BlockVector, from: number, to: number): BlockVector | undefined {
  if (!vector.x.subarray(from, to).some((value) => !Object.is(value, 0))) return undefined;
  const x = vector.x.slice();
  x.fill(0, from, to);
  return { ...vector, x };
}

function shrinkVector(config: LutLlmBlockConfig, vector: BlockVector): BlockVector[] {
  const H = config.hidden;
  const candidates: (BlockVector | undefined)[] = [];
  for (const [r0, r1] of windows(vector.runs.length)) candidates.push(sliceRuns(vector, H, r0, r1));
  vector.runs.forEach((tokens, r) => {
    if (tokens > 1) candidates.push(shortenRun(vector, H, r, 1), shortenRun(vector, H, r, Math.ceil(tokens / 2)));
  });
  // Values toward zero: all of X, each half, each row, then single values of one-token vectors.
  const size = vector.x.length;
  candidates.push(zeroed(vector, 0, size), zeroed(vector, 0, Math.ceil(size / 2)), zeroed(vector, Math.ceil(size / 2), size));
  const T = size / H;
  if (T > 1) for (let t = 0; t < T; t++) candidates.push(zeroed(vector, t * H, (t + 1) * H));
  else for (let i = 0; i < size; i++) candidates.push(zeroed(vector, i, i + 1));
  return candidates.filter((candidate): candidate is BlockVector => candidate !== undefined);
}

/** The vector for another configuration: columns cut or zero-padded to hidden, runs split at maxT, tokens cut at maxSeq. */
function fitVector(config: LutLlmBlockConfig, vector: BlockVector): BlockVector {
  const oldH = vector.x.length / Math.max(1, tokensOf(vector)) || config.hidden;
  const runs: number[] = [];
  let left = config.maxSeq;
  const { maxT } = lutLlmBlockShape(config);
  for (const tokens of vector.runs) {
    for (let rest = tokens; rest > 0 && left > 0; rest -= maxT) {
      const run = Math.min(rest, maxT, left);
      runs.push(run);
      left -= run;
    }
  }
  const T = runs.reduce((a, b) => a + b, 0);
  const H = config.hidden;
  const x = new Float32Array(T * H);
  for (let t = 0; t < T; t++) for (let i = 0; i < Math.min(H, oldH); i++) x[t * H + i] = vector.x[t * oldH + i]!;
  return { ...vector, runs, x };
}

export const lutLlmBlockTarget = defineTarget<LutLlmBlockConfig, BlockVector>({
  name: 'lut-llm-block',
  schema: lutLlmBlockConfig as unknown as ZodType<LutLlmBlockConfig>,
  drawConfig,
  drawVectors,
  run: async (config, vectors, options = {}) => {
    const streams = blockStreamVectors(config, vectors);
    return runStreamVectors(lutLlmBlockGenerator.generate(config), streams, vectors.map((vector) => options.perturb?.(vector) ?? false));
  },
  shrinkVector,
  fitVector,
  // Toward the tiny block: the costliest parts first (each attempt is a build). kvHeads before
  // heads (heads % kvHeads), lookupsPerCycle before groupCols before headDim (each divides the
  // next), v before the sizes it divides, maxT before maxSeq (maxT <= maxSeq).
  simplest: {
    'engine.positionsPerCycle': [1],
    'engine.distance': ['linf'],
    'engine.ca': [TINY_BLOCK.engine.ca],
    'engine.cw': [TINY_BLOCK.engine.cw],
    'engine.lookupsPerCycle': [TINY_BLOCK.engine.lookupsPerCycle, 1],
    'engine.groupCols': [TINY_BLOCK.engine.groupCols],
    'engine.v': [TINY_BLOCK.engine.v],
    'engine.tableBits': [8],
    kvHeads: [1],
    heads: [TINY_BLOCK.heads, 1],
    headDim: [TINY_BLOCK.headDim],
    hidden: [TINY_BLOCK.hidden],
    intermediate: [TINY_BLOCK.intermediate],
    maxT: [TINY_BLOCK.maxT],
    maxSeq: [TINY_BLOCK.maxSeq],
    ropeTheta: [TINY_BLOCK.ropeTheta],
    rmsEps: [TINY_BLOCK.rmsEps],
  },
  size: (vector) => vector.x.length,
  describe: (vector) => `runs [${vector.runs.join(', ')}] T${tokensOf(vector)} ${vector.label}`,
});
