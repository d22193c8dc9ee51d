// What a block run reports: the hardware's cycles per token by round and by part, and how far its
// y is from the golden block (bit for bit), from the float64 reference of the same quantized block
// (FP32 rounding alone) and, given the float weights, from the unquantized float block.

import type { LutLlmBlockModel } from '../../contracts/lut-llm-block.js';
import { BLOCK_PROJECTIONS, type BlockProjection } from '../../contracts/lut-llm-block.js';
import { ROUND_PHASES } from '../../generators/lut-llm-block/phases.js';
import { goldenBlock } from '../../golden/lut-llm-block.js';
import { lutLinearReference, referenceBlock } from '../../golden/lut-llm-block-reference.js';
import type { BlockRunResult } from './run-block.js';
import { floatBlock, relativeFrobenius } from './quantize-block.js';
import type { BlockWeights } from './weights.js';

/** Cycles per token, averaged over the run's tokens. The parts add up to `total`. */
export interface BlockCyclesPerToken {
  readonly total: number;
  readonly rounds: Readonly<Record<BlockProjection, number>>;
  readonly parts: {
    /** The four engine rounds, whole: lookups, the search, feeding the activations one word per cycle, writing y back. */
    readonly engineRounds: number;
    /** Of engineRounds: T * P * N / (lookups per cycle) summed over the rounds, what a never-waiting engine takes. */
    readonly engineLookups: number;
    /** QK, softmax and AV over the cache. */
    readonly attention: number;
    /** The input and post-attention RMSNorms, and the q/k norms with RoPE and the cache writes (phase `qk`). */
    readonly norms: number;
    readonly silu: number;
    /** Taking X in and sending Y out. */
    readonly io: number;
    /** Cycles outside every phase: loading the norm weights, waiting for the host between runs, the profile beats. */
    readonly stalls: number;
  };
}

export function cyclesPerToken(run: BlockRunResult): BlockCyclesPerToken {
  const T = run.runs.reduce((sum, r) => sum + r.tokens, 0);
  const sum = (pick: (r: BlockRunResult['runs'][number]) => number): number => run.runs.reduce((total, r) => total + pick(r), 0) / T;
  const rounds = Object.fromEntries(BLOCK_PROJECTIONS.map((p) => [p, sum((r) => r.phases[ROUND_PHASES[p]])])) as Record<BlockProjection, number>;
  const engineRounds = BLOCK_PROJECTIONS.reduce((total, p) => total + rounds[p], 0);
  return {
    total: run.cycles / T,
    rounds,
    parts: {
      engineRounds,
      engineLookups: sum((r) => BLOCK_PROJECTIONS.reduce((total, p) => total + r.idealLookupCycles[p], 0)),
      attention: sum((r) => r.phases.attn),
      norms: sum((r) => r.phases.norm_in + r.phases.norm_post + r.phases.qk),
      silu: sum((r) => r.phases.silu),
      io: sum((r) => r.phases.load + r.phases.out),
      stalls: run.outsidePhases / T,
    },
  };
}

export interface BlockAccuracy {
  /** Words of y that differ from the golden block's bit pattern (0 when the hardware is right). */
  readonly goldenMismatches: number;
  /** ||y - ref|| / ||ref|| against the float64 reference with the same engine indices: the FP32 rounding. */
  readonly vsReference: number;
  /** Against the float block of the unquantized weights, when they are given: the quantization's error. */
  readonly vsFloatBlock: number | null;
}

export function blockAccuracy(model: LutLlmBlockModel, x: Float32Array, y: Float32Array, floatWeights?: BlockWeights): BlockAccuracy {
  const golden = goldenBlock(model, x);
  const [got, want] = [new Uint32Array(y.buffer, y.byteOffset, y.length), new Uint32Array(golden.y.buffer, golden.y.byteOffset, golden.y.length)];
  const goldenMismatches = got.reduce((count, word, i) => count + (word === want[i] ? 0 : 1), 0);
  const reference = referenceBlock(model, lutLinearReference(model, golden.indices), x).map((bounded) => bounded.v);
  return {
    goldenMismatches,
    vsReference: relativeFrobenius(y, reference),
    vsFloatBlock: floatWeights === undefined ? null : relativeFrobenius(y, floatBlock(floatWeights, x)),
  };
}
