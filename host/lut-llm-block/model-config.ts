// config.json of a LUT-LLM block model directory (docs/design/lut-llm-block.md, "The model
// directory"): the block's dimensions and the engine keys its four projections share. The keys
// that depend on the block rather than on the model (maxK, maxT, dequant, maxScaleGroups, act) are
// not the user's to set: engineConfigOf derives them, so a projection always fits the engine.
// The same object as the hardware block's configuration (generators/lut-llm-block), kept here
// until that lands; one should import the other then.

import { z } from 'zod';
import { lutLlmConfig, type LutLlmConfig } from '../../generators/lut-llm/config.js';
import type { LutLlmBlockDims } from '../../contracts/lut-llm-block.js';
import { formatConfigError } from '../config.js';
import { UsageError } from '../errors.js';

const BLOCK_OWNED_ENGINE_KEYS = ['maxK', 'maxT', 'dequant', 'maxScaleGroups', 'act'] as const;
const engineShape = Object.fromEntries(Object.entries(lutLlmConfig.shape).filter(([key]) => !(BLOCK_OWNED_ENGINE_KEYS as readonly string[]).includes(key)));
export const blockEngineKeys = z.strictObject(engineShape as Omit<typeof lutLlmConfig.shape, (typeof BLOCK_OWNED_ENGINE_KEYS)[number]>);

const positiveInt = (max: number, what: string): z.ZodNumber => z.number().int().min(1).max(max).describe(what);

export const blockModelConfig = z
  .strictObject({
    hidden: positiveInt(65536, 'hidden size H (the block input and output width)'),
    intermediate: positiveInt(65536, 'intermediate size I of the gated MLP'),
    heads: positiveInt(1024, 'query heads NH'),
    kvHeads: positiveInt(1024, 'key/value heads NKV (grouped-query attention)'),
    headDim: positiveInt(4096, 'head dimension D (even: RoPE rotates halves)'),
    ropeTheta: z.number().positive().describe('RoPE base theta'),
    rmsEps: z.number().nonnegative().describe('RMSNorm epsilon'),
    maxSeq: positiveInt(65536, 'positions the KV cache holds'),
    maxT: positiveInt(4096, 'most tokens per run (default: maxSeq)').optional(),
    engine: blockEngineKeys.default(blockEngineKeys.parse({})).describe('the LUT-LLM linear engine keys shared by the four projections'),
  })
  .refine((c) => c.heads % c.kvHeads === 0, { message: 'heads must be a multiple of kvHeads (each key/value head serves heads / kvHeads query heads)', path: ['heads'] })
  .refine((c) => c.headDim % 2 === 0, { message: 'headDim must be even (RoPE rotates its two halves)', path: ['headDim'] })
  .refine((c) => c.headDim % c.engine.groupCols === 0, {
    message: 'engine.groupCols must divide headDim (QKV has one scale pair per head, and a table serves one scale)',
    path: ['engine', 'groupCols'],
  })
  .refine((c) => [c.hidden, c.heads * c.headDim, c.intermediate].every((k) => k % c.engine.v === 0), {
    message: 'engine.v must divide hidden, heads * headDim and intermediate (every projection input splits into sub-vectors)',
    path: ['engine', 'v'],
  })
  .refine((c) => c.maxT === undefined || c.maxT <= c.maxSeq, { message: 'maxT must be at most maxSeq', path: ['maxT'] });
export type BlockModelConfig = z.output<typeof blockModelConfig>;

export function blockDims(config: LutLlmBlockDims): LutLlmBlockDims {
  const { hidden, intermediate, heads, kvHeads, headDim, ropeTheta, rmsEps, maxSeq } = config;
  return { hidden, intermediate, heads, kvHeads, headDim, ropeTheta, rmsEps, maxSeq };
}

/** The lut-llm configuration every projection of the block is read and quantized with. */
export function engineConfigOf(config: BlockModelConfig): LutLlmConfig {
  return lutLlmConfig.parse(engineConfigInput(config));
}

function engineConfigInput(config: BlockModelConfig): Record<string, unknown> {
  const { hidden, intermediate, heads, kvHeads, headDim, maxSeq } = config;
  return {
    ...config.engine,
    act: 'fp32',
    dequant: true,
    maxK: Math.max(hidden, heads * headDim, intermediate),
    maxT: Math.min(4096, config.maxT ?? maxSeq),
    maxScaleGroups: Math.max(64, heads + 2 * kvHeads),
  };
}

/**
 * config.json's object validated, with the engine configuration it implies; any problem is one
 * UsageError line starting with `what` (`'model/config.json'`).
 */
export function checkBlockModelConfig(raw: unknown, what: string): { readonly config: BlockModelConfig; readonly engine: LutLlmConfig } {
  const parsed = blockModelConfig.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${what}: ${formatConfigError('block', parsed.error, raw, blockModelConfig).replace(/^block: /, '')}`);
  const engineInput = { ...parsed.data.engine };
  const engine = lutLlmConfig.safeParse(engineConfigInput(parsed.data));
  if (!engine.success) throw new UsageError(`${what}: ${formatConfigError('engine', engine.error, engineInput, lutLlmConfig).replace(/^engine: config\./, 'engine.')}`);
  return { config: parsed.data, engine: engine.data };
}
