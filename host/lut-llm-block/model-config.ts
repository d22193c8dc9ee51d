// config.json of a LUT-LLM block model directory (docs/design/lut-llm-block.md, "The model
// directory"): exactly the hardware block's configuration (generators/lut-llm-block/config.ts), so
// a model and the block that runs it cannot disagree. A model must state every dimension, where
// `lutforge gen` would fill in the tiny defaults: a dimension left out of a model is an error, not 64.

import { blockEngineKeys, lutLlmBlockConfig, lutLlmBlockShape, type LutLlmBlockConfig } from '../../generators/lut-llm-block/config.js';
import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import type { LutLlmBlockDims } from '../../contracts/lut-llm-block.js';
import { formatConfigError } from '../config.js';
import { UsageError } from '../errors.js';

export { blockEngineKeys };
export type BlockModelConfig = LutLlmBlockConfig;

/** The keys config.json must state. */
export const REQUIRED_MODEL_KEYS = ['hidden', 'intermediate', 'heads', 'kvHeads', 'headDim', 'ropeTheta', 'rmsEps', 'maxSeq', 'engine'] as const;

export function blockDims(config: LutLlmBlockDims): LutLlmBlockDims {
  const { hidden, intermediate, heads, kvHeads, headDim, ropeTheta, rmsEps, maxSeq } = config;
  return { hidden, intermediate, heads, kvHeads, headDim, ropeTheta, rmsEps, maxSeq };
}

/** The lut-llm configuration every projection of the block is read and quantized with. */
export function engineConfigOf(config: BlockModelConfig): LutLlmConfig {
  return lutLlmBlockShape(config).engine;
}

/**
 * config.json's object validated, with the engine configuration it implies; any problem is one
 * UsageError line starting with `what` (`'model/config.json'`).
 */
export function checkBlockModelConfig(raw: unknown, what: string): { readonly config: BlockModelConfig; readonly engine: LutLlmConfig } {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const missing = REQUIRED_MODEL_KEYS.find((key) => !(key in raw));
    if (missing !== undefined) throw new UsageError(`${what}: '${missing}' is missing; a block model states ${REQUIRED_MODEL_KEYS.join(', ')}`);
  }
  const parsed = lutLlmBlockConfig.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${what}: ${formatConfigError('block', parsed.error, raw, lutLlmBlockConfig).replace(/^block: /, '')}`);
  return { config: parsed.data, engine: engineConfigOf(parsed.data) };
}
