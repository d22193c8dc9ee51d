// The emitted form of a design: what every tool downstream of the DSL (simulator, synthesis,
// CLI) consumes. Nothing here refers to IR internals, so those tools stay decoupled from them.

import type { SourceLoc } from './source.js';

export type PortDirection = 'input' | 'output';

/** What a port carries, so harnesses can tell the clock and reset apart from data. */
export type PortRole = 'data' | 'clock' | 'reset';

export interface PortInfo {
  readonly name: string;
  readonly direction: PortDirection;
  readonly width: number;
  readonly signed: boolean;
  readonly role: PortRole;
}

export interface EmittedModule {
  /** Verilog module name, unique within the design. */
  readonly name: string;
  /** `<name>.v`: one module per file, which keeps `verilator -Wall` (DECLFILENAME) quiet. */
  readonly fileName: string;
  readonly text: string;
}

export interface EmittedDesign {
  /** Name of the top module. */
  readonly top: string;
  /** Every module of the design, children before parents, the top last. */
  readonly modules: readonly EmittedModule[];
  /** Ports of the top module, in declaration order. */
  readonly ports: readonly PortInfo[];
  /**
   * What the emitter found but built anyway: logic the user declared that reaches no output
   * (dsl/unused.ts), one entry per declaration. Absent for hand-written designs.
   */
  readonly warnings?: readonly DesignWarning[];
}

/** A finding about a design that does not stop it from being built. */
export interface DesignWarning {
  /** The module it is about. */
  readonly module: string;
  /** The signal, memory or instance names it is about (leaves of one declaration share a warning). */
  readonly names: readonly string[];
  /** The user's line that declared them. */
  readonly loc: SourceLoc | undefined;
  /** What is wrong, without the location. */
  readonly detail: string;
  /** `file:line: detail`, as the CLI prints it after `warning:`. */
  readonly message: string;
}
