// The statements of a module body: assignments nested in when/switch blocks, and memory writes.
// Last assignment wins, as in Chisel; the checks reject assignments that can never take effect.

import type { Expr } from './expr.js';
import type { Memory } from './memory.js';
import type { Signal } from './signal.js';
import type { SourceLoc } from './source.js';

export interface Connect {
  readonly kind: 'connect';
  readonly target: Signal;
  readonly value: Expr;
  readonly loc: SourceLoc | undefined;
}

export interface WhenBranch {
  /** null for `otherwise`. */
  readonly cond: Expr | null;
  readonly body: Stmt[];
  readonly loc: SourceLoc | undefined;
}

export interface When {
  readonly kind: 'when';
  readonly branches: WhenBranch[];
}

export interface SwitchCase {
  /** Bit patterns at the selector's width; null for `default`. */
  readonly values: readonly bigint[] | null;
  readonly body: Stmt[];
  readonly loc: SourceLoc | undefined;
}

export interface Switch {
  readonly kind: 'switch';
  readonly selector: Expr;
  readonly cases: SwitchCase[];
  readonly loc: SourceLoc | undefined;
}

export interface MemWrite {
  readonly kind: 'memwrite';
  readonly memory: Memory;
  readonly address: Expr;
  readonly data: Expr;
  readonly loc: SourceLoc | undefined;
}

export type Stmt = Connect | When | Switch | MemWrite;

/** Every statement block nested in `stmt` (branch bodies, case bodies). */
export function childBlocks(stmt: Stmt): Stmt[][] {
  switch (stmt.kind) {
    case 'when':
      return stmt.branches.map((b) => b.body);
    case 'switch':
      return stmt.cases.map((c) => c.body);
    default:
      return [];
  }
}

/** Whether a switch covers every value of its selector (so it needs no default to be complete). */
export function switchIsFull(stmt: Switch): boolean {
  if (stmt.cases.some((c) => c.values === null)) return true;
  const width = stmt.selector.width;
  if (width > 20) return false;
  const seen = new Set<bigint>();
  for (const c of stmt.cases) for (const v of c.values!) seen.add(v);
  return seen.size === 2 ** width;
}
