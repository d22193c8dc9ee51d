// The module builder: declarations, assignments, when/switch blocks, memories and instances. A
// module body runs against one builder; only the innermost running body may add hardware, and
// once the body has returned (see elaborate.ts) the builder accepts nothing more.

import type { PortRole } from './design.js';
import { CrossModuleError, DuplicateNameError, ElaborationError, NotAssignableError, ShapeError, SignMismatchError, WidthMismatchError } from './errors.js';
import { toBigInt } from './bits.js';
import { checkCondition, Expr, lit, type Operand } from './expr.js';
import { SwitchChain, WhenChain, type BlockHost } from './chains.js';
import type { CombPaths, ModuleIR, RegisterIR } from './ir.js';
import { Memory, type MemoryHost, type MemoryOptions } from './memory.js';
import { checkName } from './names.js';
import { Bool, describeShape, widthOf, type IntShape, type Shape } from './shape.js';
import { buildHw, foreignSignal, mapHw, Signal, type Hw, type SignalHost, type SignalKind } from './signal.js';
import { captureLoc, formatLoc, type SourceLoc } from './source.js';
import type { Stmt, Switch, When } from './stmt.js';

export interface RegOptions {
  /** Value loaded by the synchronous reset (the same for every leaf of an aggregate). */
  readonly init?: number | bigint | boolean;
  /** The register keeps its value on cycles where this 1-bit value is low (reset still wins). */
  readonly enable?: Expr;
  /** Defaults to the module's implicit clock `clk`. */
  readonly clock?: Signal;
  /** Defaults to the implicit reset `rst` when `init` is given. */
  readonly reset?: Signal;
}

/** Modules whose bodies are running, innermost last: only the innermost may be changed. */
const activeBuilders: ModuleBuilder[] = [];

/** Whether some module body is running (so a module defined now is a child of it). */
export function insideModuleBody(): boolean {
  return activeBuilders.length > 0;
}

export class ModuleBuilder implements SignalHost, MemoryHost, BlockHost {
  /** Every signal in declaration order; ports are also listed in `ports`. */
  readonly signals: Signal[] = [];
  readonly ports: Signal[] = [];
  readonly memories: Memory[] = [];
  readonly instances: Instance<unknown>[] = [];
  readonly body: Stmt[] = [];
  private readonly blockStack: Stmt[][] = [this.body];
  private readonly names = new Map<string, SourceLoc | undefined>();
  private implicitClock: Signal | undefined;
  private implicitReset: Signal | undefined;
  private finished = false;

  constructor(
    readonly moduleName: string,
    readonly loc: SourceLoc | undefined,
  ) {}

  // ---- declarations -------------------------------------------------------------------------------

  input<S extends Shape>(name: string, shape: S): Hw<S> {
    return buildHw(shape, this.checkedAggregateName(name), (leaf, leafShape, flipped) =>
      this.declarePort(leaf, flipped ? 'output' : 'input', leafShape, flipped),
    );
  }

  output<S extends Shape>(name: string, shape: S): Hw<S> {
    return buildHw(shape, this.checkedAggregateName(name), (leaf, leafShape, flipped) =>
      this.declarePort(leaf, flipped ? 'input' : 'output', leafShape, flipped),
    );
  }

  /** A clock input other than the implicit `clk`. */
  clockInput(name: string): Signal {
    return this.declarePort(this.checkedAggregateName(name), 'input', Bool, false, 'clock');
  }

  /** A synchronous active-high reset input other than the implicit `rst`. */
  resetInput(name: string): Signal {
    return this.declarePort(this.checkedAggregateName(name), 'input', Bool, false, 'reset');
  }

  /** The implicit clock input `clk`, created on first use. Registers and memories default to it. */
  get clock(): Signal {
    this.implicitClock ??= this.declarePort('clk', 'input', Bool, false, 'clock');
    return this.implicitClock;
  }

  /** The implicit synchronous reset input `rst`, created on first use. */
  get reset(): Signal {
    this.implicitReset ??= this.declarePort('rst', 'input', Bool, false, 'reset');
    return this.implicitReset;
  }

  /** Whether `port` is this module's implicit clock or reset (instances connect those by themselves). */
  isImplicit(port: Signal): boolean {
    return port === this.implicitClock || port === this.implicitReset;
  }

  wire<S extends Shape>(name: string, shape: S): Hw<S> {
    return buildHw(shape, this.checkedAggregateName(name), (leaf, leafShape, flipped) =>
      this.declare(leaf, 'wire', leafShape, flipped),
    );
  }

  /** A wire holding `value`: names an intermediate result in the emitted Verilog. */
  node(name: string, value: Expr): Signal {
    const wire = this.declare(this.checkedAggregateName(name), 'wire', value.shape, false);
    this.connect(wire, value);
    return wire;
  }

  reg<S extends Shape>(name: string, shape: S, options: RegOptions = {}): Hw<S> {
    const clock = options.clock ?? this.clock;
    this.checkOwned(clock, `clock of register '${name}'`);
    if (clock.role !== 'clock') throw new ElaborationError(`register '${name}' is clocked by '${clock.name}', which is not a clock input`);
    const hasInit = options.init !== undefined || options.reset !== undefined;
    const reset = hasInit ? (options.reset ?? this.reset) : null;
    if (reset) this.checkOwned(reset, `reset of register '${name}'`);
    const enable = options.enable ?? null;
    if (enable) {
      checkCondition(enable, `enable of register '${name}'`);
      this.checkOwned(enable, `enable of register '${name}'`);
    }
    const init = hasInit ? toBigInt(options.init ?? 0) : null;
    return buildHw(shape, this.checkedAggregateName(name), (leaf, leafShape, flipped) => {
      const initBits = init === null ? null : this.constantFor(init, leafShape, `init value of register '${leaf}'`).value;
      return this.declare(leaf, 'reg', leafShape, flipped, 'data', captureLoc(), { clock, reset, init: initBits, enable });
    });
  }

  memory(name: string, options: MemoryOptions & { clock?: Signal }): Memory {
    this.checkOpen();
    const loc = captureLoc();
    this.claimName(this.checkedAggregateName(name), loc);
    const memory = new Memory(name, options.shape, options.depth, options.init, options.clock ?? this.clock, this, loc, options.style);
    this.memories.push(memory);
    return memory;
  }

  instance<IO>(def: ModuleDef<IO>, name: string): Instance<IO> {
    this.checkOpen();
    const loc = captureLoc();
    this.claimName(this.checkedAggregateName(name), loc);
    const portMap = new Map<string, Signal>();
    for (const port of def.builder.ports) {
      const kind: SignalKind = port.kind === 'input' ? 'instin' : 'instout';
      portMap.set(port.name, this.declare(`${name}_${port.name}`, kind, port.shape, port.flipped, port.role, loc));
    }
    for (const port of def.builder.ports) {
      if (!def.builder.isImplicit(port)) continue;
      // Implicit clock and reset follow the parent's, whatever block the instance was made in.
      const parentSide = port.role === 'clock' ? this.clock : this.reset;
      this.body.push({ kind: 'connect', target: portMap.get(port.name)!, value: parentSide, loc });
    }
    const instance = new Instance<IO>(name, def, mapHw(def.io, (child) => portMap.get(child.name)!), portMap, loc);
    this.instances.push(instance as Instance<unknown>);
    return instance;
  }

  // ---- statements ------------------------------------------------------------------------------------

  connect(target: Signal, value: Operand): void {
    this.checkOpen(`'${target.name}'`);
    if (target.host !== this) {
      throw new CrossModuleError(`'${target.name}' belongs to module '${target.host.moduleName}' and cannot be driven from module '${this.moduleName}'`);
    }
    if (target.kind === 'input' || target.kind === 'instout' || target.kind === 'memread') {
      const why = { input: 'it is an input port, driven by the parent', instout: 'it is an instance output, driven by the instance', memread: 'it is memory read data' }[target.kind];
      throw new NotAssignableError(`cannot assign '${target.name}': ${why}`);
    }
    const expr = value instanceof Expr ? value : this.constantFor(value, target.shape, `${target.kind} '${target.name}'`);
    this.checkOwned(expr, `value assigned to '${target.name}'`);
    if (expr.signed !== target.signed) {
      throw new SignMismatchError(
        `cannot assign ${expr.label()} to ${target.describe()} ${target.kind} '${target.name}'; convert it with .asSigned() or .asUnsigned()`,
      );
    }
    if (expr.width > target.width) {
      throw new WidthMismatchError(
        `cannot assign ${expr.label()} to ${target.describe()} ${target.kind} '${target.name}': it would drop bits; use .trunc(${target.width}) or .resize(${target.width})`,
      );
    }
    this.currentBlock.push({ kind: 'connect', target, value: expr.extend(target.width), loc: captureLoc() });
  }

  when(cond: Expr, body: () => void): WhenChain {
    this.checkOpen();
    checkCondition(cond, 'when');
    this.checkOwned(cond, 'when condition');
    const stmt: When = { kind: 'when', branches: [] };
    const block = this.currentBlock;
    block.push(stmt);
    const chain = new WhenChain(this, stmt, block);
    this.addBranch(stmt, cond, body);
    return chain;
  }

  switch(selector: Expr): SwitchChain {
    this.checkOpen();
    this.checkOwned(selector, 'switch selector');
    const stmt: Switch = { kind: 'switch', selector, cases: [], loc: captureLoc() };
    const block = this.currentBlock;
    block.push(stmt);
    return new SwitchChain(this, stmt, block);
  }

  /** @internal used by WhenChain */
  addBranch(stmt: When, cond: Expr | null, body: () => void): void {
    const branch = { cond, body: [] as Stmt[], loc: captureLoc() };
    stmt.branches.push(branch);
    this.inBlock(branch.body, body);
  }

  /** @internal used by the chains to reject dangling elseWhen/otherwise/is. */
  isLastIn(block: Stmt[], stmt: Stmt): boolean {
    return this.currentBlock === block && block[block.length - 1] === stmt && !this.finished;
  }

  /** @internal */
  inBlock(block: Stmt[], body: () => void): void {
    this.blockStack.push(block);
    try {
      body();
    } finally {
      this.blockStack.pop();
    }
  }

  // ---- memories (MemoryHost) -----------------------------------------------------------------------------

  memoryRead(memory: Memory, address: Expr, enable: Operand | undefined, name: string | undefined): Signal {
    this.checkOpen(`memory '${memory.name}'`);
    this.checkOwned(address, `address of memory '${memory.name}'`);
    const enableExpr = enable === undefined ? null : enable instanceof Expr ? enable : lit(toBigInt(enable), Bool);
    if (enableExpr) {
      checkCondition(enableExpr, `read enable of memory '${memory.name}'`);
      this.checkOwned(enableExpr, `read enable of memory '${memory.name}'`);
    }
    const portName = name ?? (memory.readPorts.length === 0 ? `${memory.name}_rdata` : `${memory.name}_rdata${memory.readPorts.length}`);
    const data = this.declare(this.checkedAggregateName(portName), 'memread', memory.shape, false);
    memory.readPorts.push({ data, address, enable: enableExpr });
    return data;
  }

  memoryWrite(memory: Memory, address: Expr, data: Operand, enable: Operand | undefined): void {
    this.checkOpen(`memory '${memory.name}'`);
    this.checkOwned(address, `address of memory '${memory.name}'`);
    const word = data instanceof Expr ? data : lit(toBigInt(data), memory.shape);
    this.checkOwned(word, `data written to memory '${memory.name}'`);
    if (word.signed !== memory.shape.signed || word.width > memory.shape.width) {
      const problem = word.signed !== memory.shape.signed ? SignMismatchError : WidthMismatchError;
      throw new problem(`memory '${memory.name}' holds ${memory.shape.width}-bit ${memory.shape.signed ? 'signed' : 'unsigned'} words; cannot write ${word.label()}`);
    }
    const write: Stmt = { kind: 'memwrite', memory, address, data: word.extend(memory.shape.width), loc: captureLoc() };
    if (enable === undefined) {
      this.currentBlock.push(write);
      return;
    }
    const cond = enable instanceof Expr ? enable : lit(toBigInt(enable), Bool);
    checkCondition(cond, `write enable of memory '${memory.name}'`);
    this.checkOwned(cond, `write enable of memory '${memory.name}'`);
    this.currentBlock.push({ kind: 'when', branches: [{ cond, body: [write], loc: write.loc }] });
  }

  // ---- bookkeeping ---------------------------------------------------------------------------------------

  /** @internal called by defineModule once the body has returned. */
  finish(): void {
    this.finished = true;
  }

  private get currentBlock(): Stmt[] {
    return this.blockStack[this.blockStack.length - 1]!;
  }

  /** Hardware may be added to a module only while its own body runs (not a child's, not later). */
  private checkOpen(what = 'hardware'): void {
    const active = activeBuilders[activeBuilders.length - 1];
    if (active === this) return;
    if (active !== undefined) {
      throw new CrossModuleError(
        `${what} belongs to module '${this.moduleName}' and cannot be changed from module '${active.moduleName}'; modules connect only through instance ports`,
      );
    }
    throw new ElaborationError(`module '${this.moduleName}' is already finished; add ${what} to it only inside its body`);
  }

  /** @internal runs a module body with this builder as the one being built. */
  build<T>(body: () => T): T {
    activeBuilders.push(this);
    try {
      return body();
    } finally {
      activeBuilders.pop();
    }
  }

  checkOwned(expr: Expr, what: string): void {
    if (expr.owner !== null && expr.owner !== this) {
      const foreign = foreignSignal(expr, expr.owner);
      throw new CrossModuleError(
        `${what} reads ${foreign ? `'${foreign.name}' of ` : ''}module '${expr.owner.moduleName}' from inside module '${this.moduleName}'; pass values between modules through instance ports`,
      );
    }
  }

  /** A JS constant as a value of `shape`, with an error naming what it was for when it does not fit. */
  private constantFor(value: number | bigint | boolean, shape: IntShape, what: string): Expr {
    const big = toBigInt(value);
    if (widthOf(big, shape.signed) > shape.width || (!shape.signed && big < 0n)) {
      throw new ShapeError(`constant ${big} does not fit ${what} (${describeShape(shape)})`);
    }
    return lit(big, shape);
  }

  private checkedAggregateName(name: string): string {
    checkName(name, 'signal');
    return name;
  }

  private claimName(name: string, loc: SourceLoc | undefined): void {
    const previous = this.names.get(name);
    if (this.names.has(name)) {
      throw new DuplicateNameError(`'${name}' is already declared in module '${this.moduleName}' at ${formatLoc(previous)}`, loc);
    }
    this.names.set(name, loc);
  }

  private declare(
    name: string,
    kind: SignalKind,
    shape: IntShape,
    flipped: boolean,
    role: PortRole = 'data',
    loc: SourceLoc | undefined = captureLoc(),
    register: RegisterIR | undefined = undefined,
  ): Signal {
    this.checkOpen();
    this.claimName(name, loc);
    const signal = new Signal(name, kind, shape, this, loc, flipped, role, register);
    this.signals.push(signal);
    return signal;
  }

  private declarePort(name: string, kind: 'input' | 'output', shape: IntShape, flipped: boolean, role: PortRole = 'data'): Signal {
    const port = this.declare(name, kind, shape, flipped, role);
    this.ports.push(port);
    return port;
  }
}

export class Instance<IO> {
  constructor(
    readonly name: string,
    readonly def: ModuleDef<IO>,
    /** The submodule's IO as seen from the parent: drive its inputs, read its outputs. */
    readonly io: IO,
    /** Parent-side signal of every submodule port, by the submodule's port name. */
    readonly portMap: ReadonlyMap<string, Signal>,
    readonly loc: SourceLoc | undefined,
  ) {}

  /** The parent-side end of the submodule port `name` (flattened name, e.g. `in_valid`). */
  port(name: string): Signal {
    const signal = this.portMap.get(name);
    if (!signal) throw new ElaborationError(`module '${this.def.name}' has no port '${name}' (ports: ${[...this.portMap.keys()].join(', ')})`);
    return signal;
  }
}

/** A finished module: its IO handles for instantiating it, and the frozen IR the back ends read. */
export class ModuleDef<IO = unknown> {
  readonly name: string;
  /** Generator parameters, recorded in the emitted header. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly loc: SourceLoc | undefined;
  /** For each output port, the input ports it depends on without a register in between. */
  readonly combPaths: CombPaths;

  constructor(
    readonly io: IO,
    /** The builder that ran the body; finished, so it accepts no more hardware. */
    readonly builder: ModuleBuilder,
    readonly ir: ModuleIR,
  ) {
    this.name = ir.name;
    this.params = ir.params;
    this.loc = ir.loc;
    this.combPaths = ir.combPaths;
  }
}
