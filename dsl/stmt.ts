// The statements of a module body while its builder runs: the blocks stay open for the when/switch
// chains to add branches. Elaboration copies them into the frozen IR (ir.ts). Last assignment
// wins, as in Chisel; the checks reject assignments that can never take effect.

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
