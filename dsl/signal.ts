// Named hardware: ports, wires, registers, memory read data and the parent-side ends of instance
// ports. A Signal is also an expression (a reference to itself), so it takes every operator.

import type { PortRole } from './design.js';
import { Expr, type Operand } from './expr.js';
import type { BundleShape, FlippedShape, IntShape, Shape, VecShape } from './shape.js';
import type { RegisterIR, SignalIR, SignalKind } from './ir.js';
import type { SourceLoc } from './source.js';

export type { SignalKind } from './ir.js';

/** How a signal's owner lets it be driven; implemented by the module builder. */
export interface SignalHost {
  readonly moduleName: string;
  connect(target: Signal, value: Operand): void;
}

export class Signal extends Expr implements SignalIR {
  constructor(
    readonly name: string,
    readonly kind: SignalKind,
    shape: IntShape,
    readonly host: SignalHost,
    readonly loc: SourceLoc | undefined,
    /** Whether this leaf sits under a Flipped() in its aggregate (it flows against the rest). */
    readonly flipped: boolean = false,
    readonly role: PortRole = 'data',
    /** Set for registers only. */
    readonly register: RegisterIR | undefined = undefined,
  ) {
    super('ref', shape.width, shape.signed, [], host);
  }

  /** Drive this signal with `value` (last assignment wins within `when` branches). */
  assign(value: Operand): void {
    this.host.connect(this, value);
  }

  override label(): string {
    return `'${this.name}' (${this.describe()})`;
  }

  get isPort(): boolean {
    return this.kind === 'input' || this.kind === 'output';
  }
}

/** The hardware handle for a shape: a Signal per integer leaf, arrays for Vec, objects for Bundle. */
export type Hw<S extends Shape> = S extends IntShape
  ? Signal
  : S extends VecShape<infer E>
    ? Hw<E>[]
    : S extends BundleShape<infer F>
      ? { -readonly [K in keyof F]: Hw<F[K]> }
      : S extends FlippedShape<infer I>
        ? Hw<I>
        : never;

/** A tree of signals as produced for an aggregate shape (or returned as a module's IO). */
export type HwTree = Signal | readonly HwTree[] | { readonly [name: string]: HwTree };

/** Builds the handle tree for `shape`, making one leaf per integer through `makeLeaf`. */
export function buildHw<S extends Shape>(
  shape: S,
  name: string,
  makeLeaf: (leafName: string, leafShape: IntShape, flipped: boolean) => Signal,
): Hw<S> {
  const build = (s: Shape, leafName: string, flipped: boolean): HwTree => {
    switch (s.kind) {
      case 'int':
        return makeLeaf(leafName, s, flipped);
      case 'flipped':
        return build(s.inner, leafName, !flipped);
      case 'vec':
        return Array.from({ length: s.length }, (_, i) => build(s.element, `${leafName}_${i}`, flipped));
      case 'bundle':
        return Object.fromEntries(Object.entries(s.fields).map(([field, fs]) => [field, build(fs, `${leafName}_${field}`, flipped)]));
    }
  };
  return build(shape, name, false) as Hw<S>;
}

/** Arrays and plain objects are the branches of a handle tree; anything else is a leaf. */
export function isHwBranch(node: unknown): node is readonly unknown[] | Record<string, unknown> {
  if (Array.isArray(node)) return true;
  if (node === null || typeof node !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(node);
  return proto === Object.prototype || proto === null;
}

/** Every leaf of a handle tree (Signals, and anything else found where a Signal belongs), in order. */
export function treeLeaves(tree: unknown): unknown[] {
  const leaves: unknown[] = [];
  const visit = (node: unknown): void => {
    if (isHwBranch(node)) (Array.isArray(node) ? node : Object.values(node)).forEach(visit);
    else leaves.push(node);
  };
  visit(tree);
  return leaves;
}

/** Every Signal in a handle tree, in declaration order. */
export function hwLeaves(tree: unknown): Signal[] {
  return treeLeaves(tree).filter((leaf): leaf is Signal => leaf instanceof Signal);
}

/** The same tree with every Signal replaced by `map(signal)`. */
export function mapHw<T>(tree: T, map: (signal: Signal) => Signal): T {
  const visit = (node: unknown): unknown => {
    if (node instanceof Signal) return map(node);
    if (Array.isArray(node)) return node.map(visit);
    if (isHwBranch(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
    return node;
  };
  return visit(tree) as T;
}

/** The first signal of `owner` inside `expr`, to name it in a cross-module message. */
export function foreignSignal(expr: Expr, owner: object): Signal | undefined {
  const stack: Expr[] = [expr];
  const seen = new Set<Expr>();
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    if (e instanceof Signal) {
      if (e.host === owner) return e;
    } else stack.push(...e.args);
  }
  return undefined;
}
