// Decode latency of a whole decoder stack on the LUT-LLM block (docs/design/lut-llm-block.md,
// "Latency"): per token and layer, the block's phase cycles at position p from its cycle model
// (generators/lut-llm-block/cycle-model.ts, which the simulated block matches counter for counter),
// each engine round bounded below by streaming its tables, weight indices and codebooks at the
// memory bandwidth (the scale issue's latency model, host/lut-llm/latency-model.ts); times the
// layers, at the clock. Pure arithmetic, no simulation.

import { attentionCyclesPerToken } from '../../generators/lut-llm-block/attention.js';
import { type LutLlmBlockConfig, lutLlmBlockShape, PROJECTIONS, type Projection } from '../../generators/lut-llm-block/config.js';
import { blockPhaseCycles, type BlockPhaseCycles } from '../../generators/lut-llm-block/cycle-model.js';
import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import { projectionLatency, projectionShapes, type LatencyOptions } from '../lut-llm/latency-model.js';
import type { ModelDims } from '../lut-llm/model-dims.js';

/** The engine keys a block takes (the block fixes maxK, maxT, dequant, act and the scale groups itself). */
export type BlockEngineKeys = Omit<Partial<LutLlmConfig>, 'maxK' | 'maxT' | 'dequant' | 'act' | 'maxScaleGroups'>;

/** The positions `lutforge model lut-llm-block` reports unless told, and the decode it averages over. */
export const DEFAULT_POSITIONS = [0, 511, 4095] as const;
export const DEFAULT_AVERAGE_TOKENS = 1024;

/** Cycles between two runs outside every phase: the `run` beat and the `profile` beat (the simulated block's outsidePhases). */
export const RUN_OVERHEAD_CYCLES = 2;

/** An engine round: the block's replay (feed, lookups, collector) and the streaming floor; the round takes the larger. */
export interface RoundCycles {
  readonly block: number;
  readonly streaming: number;
  readonly cycles: number;
  readonly bound: 'block' | 'streaming';
}

/** One token through one layer at one position, cycles by part. */
export interface LayerCycles {
  readonly position: number;
  readonly rounds: Readonly<Record<Projection, RoundCycles>>;
  /** The attention phase: QK, softmax and AV over positions 0..p, one FP32 operation per cycle. */
  readonly attention: number;
  /** The QK phase: the q and k norms, RoPE, and k, v into the cache. */
  readonly qkNormRope: number;
  /** The input and post-attention RMSNorms. */
  readonly norms: number;
  readonly silu: number;
  /** x in, y out, one word per cycle, and the run and profile beats. */
  readonly loadOut: number;
  /**
   * The layer's norm weights (2 hidden + 2 headDim words): the top as built loads them once after
   * reset, so a stack that reuses the one block per layer needs this reload (not in the hardware).
   */
  readonly normReload: number;
  readonly total: number;
}

export interface BlockLatency {
  readonly dims: ModelDims;
  readonly engine: LutLlmConfig;
  readonly clockMhz: number;
  readonly bandwidthGBs: number;
  /** Per position asked for: one layer's cycles and the model's ms per token. */
  readonly positions: readonly { readonly layer: LayerCycles; readonly msPerToken: number }[];
  /** A decode of `tokens` tokens from an empty cache (positions 0..tokens-1): the mean per token. */
  readonly average: { readonly tokens: number; readonly layer: LayerCycles; readonly msPerToken: number };
}

/** The block configuration for the model's dimensions; the block's own checks (groupCols dividing headDim) are not applied, only its sizes. */
export function blockConfigFor(dims: ModelDims, engine: BlockEngineKeys, maxSeq: number): LutLlmBlockConfig {
  return { hidden: dims.hidden, intermediate: dims.intermediate, heads: dims.heads, kvHeads: dims.kvHeads, headDim: dims.headDim, ropeTheta: 1_000_000, rmsEps: 1e-6, maxSeq, maxT: 1, engine } as LutLlmBlockConfig;
}

const ROUND_NAMES: Readonly<Record<Projection, string>> = { qkv: 'qkv', o: 'o', gateUp: 'up-gate', down: 'down' };

function layerCycles(config: LutLlmBlockConfig, phases: BlockPhaseCycles, rounds: Readonly<Record<Projection, RoundCycles>>, position: number): LayerCycles {
  const parts = {
    attention: phases.attn,
    qkNormRope: phases.qk,
    norms: phases.norm_in + phases.norm_post,
    silu: phases.silu,
    loadOut: phases.load + phases.out + RUN_OVERHEAD_CYCLES,
    normReload: 2 * config.hidden + 2 * config.headDim,
  };
  const engine = PROJECTIONS.reduce((sum, p) => sum + rounds[p].cycles, 0);
  return { position, rounds, ...parts, total: engine + Object.values(parts).reduce((a, b) => a + b, 0) };
}

/** Decode (T = 1) of the model on the block at each of `positions`, and averaged over a decode of `averageTokens`. */
export function blockDecodeLatency(dims: ModelDims, engineKeys: BlockEngineKeys, options: Pick<LatencyOptions, 'clockMhz' | 'bandwidthGBs'>, positions: readonly number[], averageTokens: number): BlockLatency {
  const maxSeq = Math.max(averageTokens, ...positions.map((p) => p + 1));
  const config = blockConfigFor(dims, engineKeys, maxSeq);
  const shape = lutLlmBlockShape(config);
  const phases0 = blockPhaseCycles(config, 1, 0);
  const shapes = projectionShapes(dims);
  const rounds = Object.fromEntries(
    PROJECTIONS.map((p) => {
      const block = phases0[p === 'gateUp' ? 'gate_up' : p];
      const projection = shapes.find((s) => s.name === ROUND_NAMES[p])!;
      const streaming = projectionLatency(shape.engine, projection, 1, options).streaming.cycles;
      return [p, { block, streaming, cycles: Math.max(block, streaming), bound: streaming > block ? 'streaming' : 'block' }];
    }),
  ) as Record<Projection, RoundCycles>;
  const msPerToken = (layer: LayerCycles): number => (dims.layers * layer.total) / (options.clockMhz * 1e3);
  const at = (position: number): LayerCycles => layerCycles(config, { ...phases0, attn: 4 + attentionCyclesPerToken(config, position) }, rounds, position);
  let attention = 0;
  for (let p = 0; p < averageTokens; p++) attention += 4 + attentionCyclesPerToken(config, p);
  const average = layerCycles(config, { ...phases0, attn: attention / averageTokens }, rounds, (averageTokens - 1) / 2);
  return {
    dims,
    engine: shape.engine,
    ...options,
    positions: positions.map((position) => {
      const layer = at(position);
      return { layer, msPerToken: msPerToken(layer) };
    }),
    average: { tokens: averageTokens, layer: average, msPerToken: msPerToken(average) },
  };
}

/**
 * A what-if, not the hardware: the attention kernel with its two multiply-add loops (QK and AV,
 * 2D of its 2D + 3 cycles per position and head) spread over `lanes` multiply-adders, the score,
 * exponent and sum steps (3 per position and head, whose sum runs in the spec's order of j) left
 * one per cycle. Cycles of one token's attention phase at `position`.
 */
export function attentionWithLanes(dims: Pick<ModelDims, 'heads' | 'headDim'>, position: number, lanes: number): number {
  const { heads, headDim } = dims;
  return 4 + heads * headDim + heads * ((position + 1) * (Math.ceil((2 * headDim) / lanes) + 3) + headDim + 2);
}
