// Configuration of the LUT-LLM decoder block (docs/design/lut-llm-block.md): the layer's
// dimensions, its RoPE and RMSNorm constants, the cache and batch limits, and the linear engine
// shared by the four projections. The model directory's config.json holds exactly this object, so
// a model and the hardware that runs it cannot disagree on a dimension.

import { z } from 'zod';
import { lutLlmConfig, lutLlmConfigKeys, type LutLlmConfig } from '../lut-llm/config.js';

/** The engine keys a block fixes itself: the block sizes maxK, maxT and the scale groups, and always dequantizes in FP32. */
const BLOCK_OWNED_ENGINE_KEYS = ['maxK', 'maxT', 'dequant', 'maxScaleGroups', 'act'] as const;

/** The engine keys a block model sets: the lut-llm keys but those the block owns. */
export const blockEngineKeys = lutLlmConfigKeys.omit({ maxK: true, maxT: true, dequant: true, maxScaleGroups: true, act: true });

/** A small engine that fits the default block: groupCols must divide headDim (a scale pair per head). */
const DEFAULT_BLOCK_ENGINE = { ca: 16, cw: 16, groupCols: 16, lookupsPerCycle: 8 };

export const lutLlmBlockConfig = z
  .strictObject({
    hidden: z.number().int().min(2).max(8192).default(64).describe('hidden size H (the block input and output width)'),
    intermediate: z.number().int().min(1).max(32768).default(128).describe('intermediate size I of the gated MLP'),
    heads: z.number().int().min(1).max(128).default(4).describe('query heads'),
    kvHeads: z.number().int().min(1).max(128).default(2).describe('key/value heads (grouped-query attention)'),
    headDim: z.number().int().min(2).max(512).default(16).describe('head dimension D (even: RoPE rotates halves)'),
    ropeTheta: z.number().positive().default(1_000_000).describe('RoPE base theta'),
    rmsEps: z.number().positive().default(1e-6).describe('RMSNorm epsilon'),
    maxSeq: z.number().int().min(1).max(65536).default(64).describe('positions the KV cache holds'),
    maxT: z.number().int().min(1).max(4096).optional().describe('most tokens per run, the buffers\' depth (default: 16, or maxSeq if smaller)'),
    engine: blockEngineKeys.prefault(DEFAULT_BLOCK_ENGINE).describe('the LUT-LLM linear engine shared by the four projections (its other keys take the lut-llm defaults)'),
  })
  .refine((c) => c.heads % c.kvHeads === 0, { message: 'heads must be a multiple of kvHeads', path: ['heads'] })
  .refine((c) => c.headDim % 2 === 0, { message: 'headDim must be even (RoPE rotates its two halves)', path: ['headDim'] })
  .refine((c) => c.maxT === undefined || c.maxT <= c.maxSeq, { message: 'maxT must be at most maxSeq (a run writes a cache entry per token)', path: ['maxT'] })
  .refine((c) => c.headDim % c.engine.groupCols === 0, {
    message: 'engine.groupCols must divide headDim: QKV has one scale pair per head, and a table serves one scale',
    path: ['engine', 'groupCols'],
  })
  .refine((c) => [c.hidden, c.heads * c.headDim, c.intermediate].every((k) => k % c.engine.v === 0), {
    message: 'engine.v must divide hidden, heads * headDim and intermediate (every projection input splits into sub-vectors)',
    path: ['engine', 'v'],
  })
  // The engine's own rules, on the keys together with the sizes the block gives it (maxK, maxT).
  .superRefine((c, context) => {
    const engine = lutLlmConfig.safeParse(engineInput(c));
    for (const issue of engine.error?.issues ?? []) context.addIssue({ code: 'custom', path: ['engine', ...issue.path.map(String)], message: issue.message });
  });
export type LutLlmBlockConfig = z.output<typeof lutLlmBlockConfig>;

export { BLOCK_PROJECTIONS as PROJECTIONS, type BlockProjection as Projection } from '../../contracts/lut-llm-block.js';
import type { BlockProjection as Projection } from '../../contracts/lut-llm-block.js';

/** Sizes every part of the block derives from. */
export interface LutLlmBlockShape {
  /** Columns of the fused QKV projection: (heads + 2 kvHeads) headDim. */
  readonly qkvN: number;
  /** heads * headDim: the attention output, the O projection's input. */
  readonly attnWidth: number;
  /** K and N of each projection, in round order. */
  readonly rounds: Readonly<Record<Projection, { readonly K: number; readonly N: number; readonly scaleGroups: number }>>;
  /** Words per token of each buffer. */
  readonly actRow: number;
  readonly resultRow: number;
  /** Tokens per run the buffers hold. */
  readonly maxT: number;
  readonly engine: LutLlmConfig;
}

/** maxT when config.json does not say: a prefill batch of 16 fills the engine's pipeline well and keeps the buffers small. */
const DEFAULT_MAX_T = 16;

export function lutLlmBlockShape(config: LutLlmBlockConfig): LutLlmBlockShape {
  const { hidden: H, intermediate: I, heads, kvHeads, headDim: D } = config;
  const qkvN = (heads + 2 * kvHeads) * D;
  const attnWidth = heads * D;
  const rounds = {
    qkv: { K: H, N: qkvN, scaleGroups: heads + 2 * kvHeads },
    o: { K: attnWidth, N: H, scaleGroups: 1 },
    gateUp: { K: H, N: 2 * I, scaleGroups: 1 },
    down: { K: I, N: H, scaleGroups: 1 },
  };
  const maxK = Math.max(H, attnWidth, I);
  const maxT = blockMaxT(config);
  const engine = lutLlmConfig.parse(engineInput(config));
  return { qkvN, attnWidth, rounds, actRow: maxK, resultRow: Math.max(qkvN, 2 * I, H), maxT, engine };
}

function blockMaxT(config: Pick<LutLlmBlockConfig, 'maxT' | 'maxSeq'>): number {
  return config.maxT ?? Math.min(DEFAULT_MAX_T, config.maxSeq);
}

/** The engine's configuration before parsing: the block's engine keys and the keys the block owns. */
function engineInput(config: Omit<LutLlmBlockConfig, 'engine'> & { readonly engine: object }): Record<string, unknown> {
  const { hidden: H, intermediate: I, heads, kvHeads, headDim: D } = config;
  return {
    ...config.engine,
    maxK: Math.max(H, heads * D, I),
    maxT: blockMaxT(config),
    dequant: true,
    act: 'fp32',
    // QKV's one pair per head is the most a round needs.
    maxScaleGroups: heads + 2 * kvHeads,
  };
}

export { BLOCK_OWNED_ENGINE_KEYS };
