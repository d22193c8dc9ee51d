// The block's phases, in the order one run goes through them (docs/design/lut-llm-block.md), and
// the per-phase constants the shared reader, writer and collector select between.

import { type Expr, lit, select, UInt } from '../../api/index.js';
import type { BlockProjection } from '../../contracts/lut-llm-block.js';

export const BLOCK_PHASES = ['idle', 'load', 'norm_in', 'qkv', 'qk', 'attn', 'o', 'norm_post', 'gate_up', 'silu', 'down', 'out', 'profile'] as const;
export type BlockPhase = (typeof BLOCK_PHASES)[number];

/** The phases a run spends cycles in, each with a cycle counter reported on `profile`. */
export const PROFILED_PHASES = BLOCK_PHASES.slice(1, -1) as readonly Exclude<BlockPhase, 'idle' | 'profile'>[];
export type ProfiledPhase = (typeof PROFILED_PHASES)[number];

/** The phase in which the engine runs each projection. */
export const ROUND_PHASES = { qkv: 'qkv', o: 'o', gateUp: 'gate_up', down: 'down' } as const satisfies Record<BlockProjection, BlockPhase>;
export const PHASE_BITS = 4;

export function phaseCode(phase: BlockPhase): number {
  return BLOCK_PHASES.indexOf(phase);
}

/** A constant per phase (0 where `values` names none), selected by the phase register. */
export function perPhase(phase: Expr, width: number, values: Partial<Record<BlockPhase, number>>): Expr {
  const choices = BLOCK_PHASES.map((p) => lit(values[p] ?? 0, UInt(width)));
  return select(phase, choices);
}

/** High in the listed phases. */
export function inPhase(phase: Expr, ...phases: BlockPhase[]): Expr {
  return phases.map((p) => phase.eq(phaseCode(p))).reduce((a, b) => a.or(b));
}
