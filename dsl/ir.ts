// The elaborated form of a module: what the checks, the Verilog emitter and any other back end
// read. It is built when a module body returns, frozen, and holds no reference to the builder, so
// a back end sees a finished description and cannot change it. Expressions are the DSL's
// immutable Expr nodes; a signal is the leaf node that refers to it, so a declaration and its
// uses inside expressions are one object.

import type { PortRole } from './design.js';
import type { Expr } from './expr.js';
import type { IntShape } from './shape.js';
import type { SourceLoc } from './source.js';

export type SignalKind =
  | 'input' // port driven by the parent
  | 'output' // port driven here
  | 'wire'
  | 'reg'
  | 'memread' // registered read data of a memory port
  | 'instin' // parent-side end of a submodule's input: driven here
  | 'instout'; // parent-side end of a submodule's output: driven by the submodule

export interface RegisterIR {
  readonly clock: SignalIR;
  /** Synchronous, active-high reset; null when the register has no reset value. */
  readonly reset: SignalIR | null;
  readonly init: bigint | null;
  readonly enable: Expr | null;
}

/** A named signal of a module: its declaration, and the expression leaf that reads it. */
export interface SignalIR extends Expr {
  readonly name: string;
  readonly kind: SignalKind;
  readonly loc: SourceLoc | undefined;
  /** Whether this leaf sits under a Flipped() in its aggregate (it flows against the rest). */
  readonly flipped: boolean;
  readonly role: PortRole;
  /** Set for registers only. */
  readonly register: RegisterIR | undefined;
  readonly isPort: boolean;
}

/** Whether an expression node is a signal reference (the leaves that name a declaration). */
export function isSignalRef(e: Expr): e is SignalIR {
  return e.op === 'ref';
}

// ---- statements ------------------------------------------------------------------------------

export interface ConnectIR {
  readonly kind: 'connect';
  readonly target: SignalIR;
  readonly value: Expr;
  readonly loc: SourceLoc | undefined;
}

export interface WhenBranchIR {
  /** null for `otherwise`. */
  readonly cond: Expr | null;
  readonly body: readonly StmtIR[];
  readonly loc: SourceLoc | undefined;
}

export interface WhenIR {
  readonly kind: 'when';
  readonly branches: readonly WhenBranchIR[];
}

export interface SwitchCaseIR {
  /** Bit patterns at the selector's width; null for `default`. */
  readonly values: readonly bigint[] | null;
  readonly body: readonly StmtIR[];
  readonly loc: SourceLoc | undefined;
}

export interface SwitchIR {
  readonly kind: 'switch';
  readonly selector: Expr;
  readonly cases: readonly SwitchCaseIR[];
  readonly loc: SourceLoc | undefined;
}

export interface MemWriteIR {
  readonly kind: 'memwrite';
  readonly memory: MemoryIR;
  readonly address: Expr;
  readonly data: Expr;
  readonly loc: SourceLoc | undefined;
}

/** Assignments nested in when/switch blocks, and memory writes; last assignment wins. */
export type StmtIR = ConnectIR | WhenIR | SwitchIR | MemWriteIR;

// ---- memories and instances ------------------------------------------------------------------------

export interface MemoryReadPortIR {
  readonly data: SignalIR;
  readonly address: Expr;
  readonly enable: Expr | null;
}

/**
 * The FPGA resource asked of synthesis (`ram_style`): `block` for deep buffers, `distributed` for
 * small ones.
 */
export type MemoryStyle = 'block' | 'distributed';

export interface MemoryIR {
  readonly name: string;
  /** Shape of one word. */
  readonly shape: IntShape;
  readonly depth: number;
  /** Initial contents as bit patterns from address 0; null for none. */
  readonly init: readonly bigint[] | null;
  readonly clock: SignalIR;
  readonly readPorts: readonly MemoryReadPortIR[];
  readonly style: MemoryStyle | undefined;
  readonly loc: SourceLoc | undefined;
}

export interface PortConnectionIR {
  /** The submodule's port name. */
  readonly port: string;
  /** The parent-side signal (kind `instin` or `instout`) wired to it. */
  readonly signal: SignalIR;
}

export interface InstanceIR {
  readonly name: string;
  readonly module: ModuleIR;
  /** One per port of the submodule, in its port order. */
  readonly connections: readonly PortConnectionIR[];
  readonly loc: SourceLoc | undefined;
}

// ---- modules ----------------------------------------------------------------------------------------

/** Output port name -> names of the input ports it depends on combinationally. */
export type CombPaths = ReadonlyMap<string, ReadonlySet<string>>;

export interface ModuleIR {
  readonly name: string;
  /** The user's line that defined the module. */
  readonly loc: SourceLoc | undefined;
  /** Generator parameters, recorded in the emitted header. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The ports in declaration order (each also listed in `signals`). */
  readonly ports: readonly SignalIR[];
  /** Every signal in declaration order. */
  readonly signals: readonly SignalIR[];
  readonly body: readonly StmtIR[];
  readonly memories: readonly MemoryIR[];
  readonly instances: readonly InstanceIR[];
  /** For each output port, the input ports it reaches without a register in between. */
  readonly combPaths: CombPaths;
}

/** A module as elaborated, before the checks have found its combinational paths. */
export type UncheckedModuleIR = Omit<ModuleIR, 'combPaths'>;

// ---- walking statements --------------------------------------------------------------------------------

/** Every statement block nested in `stmt` (branch bodies, case bodies). */
export function childBlocks(stmt: StmtIR): (readonly StmtIR[])[] {
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
export function switchIsFull(stmt: SwitchIR): boolean {
  if (stmt.cases.some((c) => c.values === null)) return true;
  const width = stmt.selector.width;
  if (width > 20) return false;
  const seen = new Set<bigint>();
  for (const c of stmt.cases) for (const v of c.values!) seen.add(v);
  return seen.size === 2 ** width;
}
