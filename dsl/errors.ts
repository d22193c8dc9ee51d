// One exception class per kind of DSL misuse. Every message starts with the user's `file:line`
// and names the signal and the shapes involved, so the user can go straight to the mistake.

import { captureLoc, formatLoc, type SourceLoc } from './source.js';

export class HdlError extends Error {
  /** Where the misuse happened in the user's code (undefined if no user frame was found). */
  readonly loc: SourceLoc | undefined;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(detail: string, loc: SourceLoc | undefined = captureLoc()) {
    super(`${formatLoc(loc)}: ${detail}`);
    this.name = new.target.name;
    this.loc = loc;
    this.detail = detail;
  }
}

/** A value wider than its destination, or a condition that is not one bit wide. */
export class WidthMismatchError extends HdlError {}

/** Signed and unsigned values mixed without an explicit `.asSigned()` / `.asUnsigned()`. */
export class SignMismatchError extends HdlError {}

/** An impossible shape or literal: zero width, a slice outside the value, a constant that does not fit. */
export class ShapeError extends HdlError {}

/** An output, wire, register or instance input that is not driven, or not on every path. */
export class UndrivenError extends HdlError {}

/** An assignment that a later one always overrides: the signal would have two drivers. */
export class MultipleDriverError extends HdlError {}

/** An attempt to drive something that is driven elsewhere: an input port, an instance output, an expression. */
export class NotAssignableError extends HdlError {}

/** A combinational path from a signal back to itself. */
export class CombinationalLoopError extends HdlError {}

/** Two things in one module with the same name. */
export class DuplicateNameError extends HdlError {}

/** A name that is not a usable Verilog identifier or collides with a reserved one. */
export class InvalidNameError extends HdlError {}

/** A value of one module used while building another (modules only talk through ports). */
export class CrossModuleError extends HdlError {}

/** A DSL call made in the wrong place: after a module is finished, a dangling `otherwise`, etc. */
export class ElaborationError extends HdlError {}
