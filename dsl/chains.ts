// The chains that `when` and `switch` return: elseWhen/otherwise and is/default add branches to
// the statement they started, as long as nothing else has been added to the block since.

import { ElaborationError, ShapeError, SignMismatchError, WidthMismatchError } from './errors.js';
import { toBigInt } from './bits.js';
import { checkCondition, Expr, lit, type Operand } from './expr.js';
import { captureLoc, formatLoc, type SourceLoc } from './source.js';
import type { Stmt, Switch, When } from './stmt.js';

/** What a chain needs from the module builder that started it. */
export interface BlockHost {
  checkOwned(expr: Expr, what: string): void;
  addBranch(stmt: When, cond: Expr | null, body: () => void): void;
  /** Whether `stmt` is still the last statement of `block`, the block being built. */
  isLastIn(block: Stmt[], stmt: Stmt): boolean;
  /** Runs `body` with `block` as the block statements go to. */
  inBlock(block: Stmt[], body: () => void): void;
}

export class WhenChain {
  constructor(
    private readonly builder: BlockHost,
    private readonly stmt: When,
    private readonly block: Stmt[],
  ) {}

  elseWhen(cond: Expr, body: () => void): WhenChain {
    this.checkChainable('elseWhen');
    checkCondition(cond, 'elseWhen');
    this.builder.checkOwned(cond, 'elseWhen condition');
    this.builder.addBranch(this.stmt, cond, body);
    return this;
  }

  otherwise(body: () => void): void {
    this.checkChainable('otherwise');
    this.builder.addBranch(this.stmt, null, body);
  }

  private checkChainable(what: string): void {
    const closed = this.stmt.branches[this.stmt.branches.length - 1]?.cond === null;
    if (closed || !this.builder.isLastIn(this.block, this.stmt)) {
      throw new ElaborationError(`${what} must directly follow its when (or elseWhen) in the same block`);
    }
  }
}

export class SwitchChain {
  private readonly seen = new Map<bigint, SourceLoc | undefined>();

  constructor(
    private readonly builder: BlockHost,
    private readonly stmt: Switch,
    private readonly block: Stmt[],
  ) {}

  /** The body runs when the selector equals one of `values`. */
  is(values: Operand | readonly Operand[], body: () => void): SwitchChain {
    this.checkChainable('is');
    const loc = captureLoc();
    const list = Array.isArray(values) ? values : [values as Operand];
    if (list.length === 0) throw new ShapeError('switch is() needs at least one value');
    const patterns = list.map((v) => this.pattern(v, loc));
    const entry = { values: patterns, body: [] as Stmt[], loc };
    this.stmt.cases.push(entry);
    this.builder.inBlock(entry.body, body);
    return this;
  }

  default(body: () => void): void {
    this.checkChainable('default');
    const entry = { values: null, body: [] as Stmt[], loc: captureLoc() };
    this.stmt.cases.push(entry);
    this.builder.inBlock(entry.body, body);
  }

  private pattern(value: Operand, loc: SourceLoc | undefined): bigint {
    if (value instanceof Expr && value.op !== 'const') throw new ShapeError('switch is() values must be constants');
    const selector = this.stmt.selector;
    if (value instanceof Expr && value.signed !== selector.signed) {
      throw new SignMismatchError(`switch value ${value.label()} does not match the signedness of the ${selector.describe()} selector ${selector.label()}`);
    }
    if (value instanceof Expr && value.width > selector.width) {
      throw new WidthMismatchError(`switch value ${value.label()} is wider than the ${selector.describe()} selector ${selector.label()}`);
    }
    // Narrower constants extend by their signedness, so -1 matches an all-ones selector.
    const bits = value instanceof Expr ? value.extend(selector.width).value : lit(toBigInt(value), selector.shape).value;
    if (this.seen.has(bits)) throw new ShapeError(`switch value ${bits} already has a case at ${formatLoc(this.seen.get(bits))}`, loc);
    this.seen.set(bits, loc);
    return bits;
  }

  private checkChainable(what: string): void {
    const closed = this.stmt.cases[this.stmt.cases.length - 1]?.values === null;
    if (closed || !this.builder.isLastIn(this.block, this.stmt)) {
      throw new ElaborationError(`${what} must directly follow its switch (or previous is) in the same block, before default`);
    }
  }
}

