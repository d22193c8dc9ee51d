// The decoder block's cycles by phase (docs/design/lut-llm-block.md, "Cycles"): what each of the
// top's `profile` counters reads after a run of T tokens at positions p0 .. p0+T-1, from the
// kernels' cycle formulas, the engine round replay (engine-round.ts) and the top's plumbing
// (block.ts, reader.ts, engine-port.ts). Pure arithmetic; the block's simulated tests compare it
// with the counters (blockCycleModelMismatches).
//
// Conventions of the counters: phase X counts every cycle the phase register holds X, from the
// cycle after the previous phase's `phase_done` to its own `phase_done` cycle. The reader issues
// its first read in the phase's first cycle and holds the word from the next; the writer sets
// `write_done` the cycle after it takes its last word, and `phase_done` is that cycle.

import { attentionCyclesPerToken } from './attention.js';
import { type LutLlmBlockConfig, lutLlmBlockShape } from './config.js';
import { engineRoundCycles } from './engine-round.js';
import type { ProfiledPhase } from './phases.js';
import { rmsnormCycles } from './rmsnorm.js';
import { ropeCycles } from './rope.js';
import { siluMulCycles } from './silu-mul.js';

export type BlockPhaseCycles = Readonly<Record<ProfiledPhase, number>>;

/**
 * An RMSNorm phase: rmsnormCycles counts from the first `x` beat to just after the last `out`
 * beat, after loading n weights (which the block did once after reset, so they come off). Plus one
 * cycle before the first beat (the reader's read) and one after (the writer's done).
 */
export function normPhaseCycles(n: number, T: number): number {
  return 1 + (rmsnormCycles(n, T) - n) + 1;
}

/**
 * The QK phase, per token: the reader gives k (NKV*D words) to the k norm, then v (NKV*D) to the
 * cache once the token's last k has left RoPE, then q (NH*D) to the q norm. An RMSNorm vector of D
 * words takes D cycles in, its first result comes 8 cycles after its last word (4 to make r, the
 * read, x*r, *w: rmsnorm.ts) and the next vector enters only 6 cycles after the last one's last word
 * (behind the output reads), so vector g of a head kind ends its input at D + g(D + 5) after the
 * first word. RoPE's first result comes 4 cycles after a vector's last word (ropeCycles' latency
 * plus its read) and the last D - 1 later. So a token's last k is in the cache at
 * 3D + 10 + (NKV-1)(D+5) after its first k word, its v takes NKV*D cycles, its q's last word
 * enters the q norm D + (NH-1)(D+5) later, and the next token's k follows at once (its first k
 * result leaves the norm exactly when RoPE has taken this token's last q: never a wait). The last
 * token's last q leaves RoPE 2D + 10 cycles after its last q word, and the writer ends two cycles
 * after that; with the reader's first cycle that is T * period + 2D + 12.
 */
export function qkPhaseCycles(config: Pick<LutLlmBlockConfig, 'heads' | 'kvHeads' | 'headDim'>, T: number): number {
  const { heads: NH, kvHeads: NKV, headDim: D } = config;
  const ropeLatency = ropeCycles(D, 1) - 2 * D + 1; // 4: the read, the products, the sum, the out register
  const normVector = D + 5; // rmsnorm's vector period, n + NORM_STEPS + 1
  const kInCache = 3 * D + 10 + (NKV - 1) * normVector;
  const period = kInCache + NKV * D + D + (NH - 1) * normVector;
  return T * period + (2 * D + 6 + ropeLatency) + 2;
}

/**
 * The attention phase: the kernel takes a query whole, then works on it (attentionCyclesPerToken,
 * which counts from its first q beat to the next query's), so tokens follow each other exactly.
 * Four more: the reader's first cycle, the execute stage a cycle behind the issue, the `out`
 * register and the writer's done.
 */
export function attentionPhaseCycles(config: Pick<LutLlmBlockConfig, 'heads' | 'headDim'>, T: number, firstPosition: number): number {
  let cycles = 4;
  for (let t = 0; t < T; t++) cycles += attentionCyclesPerToken(config, firstPosition + t);
  return cycles;
}

/** Every phase counter of one run of T tokens from position firstPosition (the cache holding the earlier ones). */
export function blockPhaseCycles(config: LutLlmBlockConfig, T: number, firstPosition: number): BlockPhaseCycles {
  const shape = lutLlmBlockShape(config);
  const { hidden: H, intermediate: I } = config;
  const round = (projection: keyof typeof shape.rounds): number => engineRoundCycles(shape.engine, shape.rounds[projection], T).cycles;
  return {
    // x arrives a word per cycle (the host's stream is always ready), plus the writer's done.
    load: T * H + 1,
    norm_in: normPhaseCycles(H, T),
    qkv: round('qkv'),
    qk: qkPhaseCycles(config, T),
    attn: attentionPhaseCycles(config, T, firstPosition),
    o: round('o'),
    norm_post: normPhaseCycles(H, T),
    gate_up: round('gateUp'),
    // Gate and up alternate on the reader, so a pair every two cycles; the kernel's pipeline, the
    // reader's first cycle and the writer's done on top.
    silu: 1 + 2 * T * I + siluMulCycles(0) + 1,
    down: round('down'),
    // The reader's words straight to y: its first cycle, T*H words, and `finished` a cycle after the last is taken.
    out: T * H + 2,
  };
}

/** A run as the simulated block reports it (host/lut-llm-block/run-block.ts, `runs[i]`). */
export interface MeasuredBlockRun {
  readonly tokens: number;
  readonly firstPosition: number;
  readonly phases: BlockPhaseCycles;
}

export interface CycleModelMismatch {
  readonly run: number;
  readonly phase: ProfiledPhase;
  readonly model: number;
  readonly measured: number;
}

/**
 * Every counter of `runs` that the cycle model does not predict exactly: empty when the model and
 * the hardware agree. The block's simulated tests call it on the runs they make anyway.
 */
export function blockCycleModelMismatches(config: LutLlmBlockConfig, runs: readonly MeasuredBlockRun[]): CycleModelMismatch[] {
  return runs.flatMap((run, index) => {
    const model = blockPhaseCycles(config, run.tokens, run.firstPosition);
    return (Object.keys(model) as ProfiledPhase[]).filter((phase) => model[phase] !== run.phases[phase]).map((phase) => ({ run: index, phase, model: model[phase], measured: run.phases[phase] }));
  });
}
