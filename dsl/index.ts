// The lutforge DSL: shapes, expressions, modules, checks, the IR back ends read and the Verilog emitter.

export type { DesignWarning, EmittedDesign, EmittedModule, PortDirection, PortInfo, PortRole } from './design.js';
export {
  CombinationalLoopError,
  CrossModuleError,
  DuplicateNameError,
  ElaborationError,
  HdlError,
  InvalidNameError,
  MultipleDriverError,
  NotAssignableError,
  ShapeError,
  SignMismatchError,
  UndrivenError,
  WidthMismatchError,
} from './errors.js';
export { cat, Expr, lit, mux, type Operand } from './expr.js';
export { select, type SelectOptions } from './select.js';
export { Bool, Bundle, bitsFor, Flipped, SInt, Stream, UInt, Vec, type BundleShape, type IntShape, type Shape, type VecShape } from './shape.js';
export { Signal, type Hw, type SignalKind } from './signal.js';
export { Memory, type MemoryOptions, type MemoryStyle } from './memory.js';
export { Instance, ModuleBuilder, ModuleDef, type RegOptions } from './builder.js';
export { defineModule, moduleGenerator } from './elaborate.js';
export { connect, type ValueTree } from './connect.js';
export { emitVerilog } from './emit.js';
export type {
  CombPaths,
  ConnectIR,
  InstanceIR,
  MemoryIR,
  MemoryReadPortIR,
  MemWriteIR,
  ModuleIR,
  PortConnectionIR,
  RegisterIR,
  SignalIR,
  StmtIR,
  SwitchCaseIR,
  SwitchIR,
  WhenBranchIR,
  WhenIR,
} from './ir.js';
export { formatLoc, type SourceLoc } from './source.js';
