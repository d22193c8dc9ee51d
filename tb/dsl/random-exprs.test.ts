// Random expression trees: seeded trees of every operator, nested several levels deep and sharing
// subtrees between outputs, built both as DSL expressions and as a bigint reference model of the
// documented semantics. The hand-written operator tests check each operator alone; these check
// that the emitter composes them (temp wires, sign extension of subexpressions, fused truncation,
// operator precedence and Verilog's context-dependent widths) without changing any value.

import { describe, expect, it } from 'vitest';
import { Bool, cat, lit, mux, select, SInt, UInt, type Expr, type IntShape } from '../../dsl/index.js';
import { buildCombDesign, combOutputTests, inputVectors, once, popcount, Rng, wrap, type CombCase, type SignalsOf } from './harness.js';

const inputs = { a: UInt(8), b: UInt(5), c: SInt(8), d: SInt(5), e: Bool, f: SInt(1), k: UInt(3), x: UInt(70), y: SInt(70) };
type Inputs = typeof inputs;
type InputName = keyof Inputs;
type Io = SignalsOf<Inputs>;

type BinOp = 'add' | 'sub' | 'addWrap' | 'subWrap' | 'mul' | 'and' | 'or' | 'xor';
type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
type UnOp = 'neg' | 'not' | 'andR' | 'orR' | 'xorR' | 'asSigned' | 'asUnsigned' | 'msb';

/** A node of a random tree; `b` as a bigint is a JS constant shaped by its partner. */
type Node =
  | { readonly k: 'in'; readonly name: InputName }
  | { readonly k: 'lit'; readonly value: bigint; readonly shape: IntShape }
  | { readonly k: 'bin'; readonly op: BinOp; readonly a: Node; readonly b: Node | bigint }
  | { readonly k: 'cmp'; readonly op: CmpOp; readonly a: Node; readonly b: Node | bigint }
  | { readonly k: 'un'; readonly op: UnOp; readonly a: Node }
  | { readonly k: 'shlc' | 'shrc'; readonly a: Node; readonly n: number }
  | { readonly k: 'dshl' | 'dshr'; readonly a: Node; readonly amount: Node }
  | { readonly k: 'slice'; readonly a: Node; readonly hi: number; readonly lo: number }
  | { readonly k: 'cat'; readonly parts: readonly Node[] }
  | { readonly k: 'repeat'; readonly a: Node; readonly n: number }
  | { readonly k: 'extend' | 'sext' | 'zext' | 'trunc' | 'resize'; readonly a: Node; readonly width: number }
  | { readonly k: 'mux'; readonly cond: Node; readonly a: Node | bigint; readonly b: Node | bigint }
  | { readonly k: 'select'; readonly index: Node; readonly values: readonly (Node | bigint)[] };

/** A value of the reference model: the number it means, with the width and sign it has. */
interface Val {
  readonly v: bigint;
  readonly w: number;
  readonly s: boolean;
}

const bits = (x: Val): bigint => BigInt.asUintN(x.w, x.v);
const minWidth = (value: bigint, signed: boolean): number => {
  if (!signed) return Math.max(1, value.toString(2).length);
  const magnitude = value < 0n ? -value - 1n : value;
  return magnitude === 0n ? 1 : magnitude.toString(2).length + 1;
};
/** A JS constant as the DSL shapes it next to a partner of signedness `signed`. */
const constVal = (value: bigint, signed: boolean): Val => ({ v: value, w: minWidth(value, signed), s: signed });

// ---- the reference model: the documented semantics in bigint math --------------------------------------

function evaluate(node: Node, env: Readonly<Record<InputName, bigint>>, memo: Map<Node, Val>): Val {
  const known = memo.get(node);
  if (known) return known;
  const ev = (n: Node): Val => evaluate(n, env, memo);
  const operand = (b: Node | bigint, partner: Val): Val => (typeof b === 'bigint' ? constVal(b, partner.s) : ev(b));
  let r: Val;
  switch (node.k) {
    case 'in':
      r = { v: env[node.name], w: inputs[node.name].width, s: inputs[node.name].signed };
      break;
    case 'lit':
      r = { v: node.value, w: node.shape.width, s: node.shape.signed };
      break;
    case 'bin': {
      const a = ev(node.a);
      const b = operand(node.b, a);
      const wide = Math.max(a.w, b.w);
      const [w, math] = {
        add: [wide + 1, a.v + b.v],
        sub: [wide + 1, a.v - b.v],
        addWrap: [wide, a.v + b.v],
        subWrap: [wide, a.v - b.v],
        mul: [a.w + b.w, a.v * b.v],
        and: [wide, a.v & b.v],
        or: [wide, a.v | b.v],
        xor: [wide, a.v ^ b.v],
      }[node.op] as [number, bigint];
      // Unsigned sub wraps modulo 2^width; everything else either fits or wraps on purpose.
      r = { v: wrap(math, w, a.s), w, s: a.s };
      break;
    }
    case 'cmp': {
      const a = ev(node.a);
      const b = operand(node.b, a);
      const result = { eq: a.v === b.v, ne: a.v !== b.v, lt: a.v < b.v, le: a.v <= b.v, gt: a.v > b.v, ge: a.v >= b.v }[node.op];
      r = { v: result ? 1n : 0n, w: 1, s: false };
      break;
    }
    case 'un': {
      const a = ev(node.a);
      switch (node.op) {
        case 'neg':
          r = { v: -a.v, w: a.w + 1, s: true };
          break;
        case 'not':
          r = { v: wrap(~a.v, a.w, a.s), w: a.w, s: a.s };
          break;
        case 'andR':
          r = { v: bits(a) === (1n << BigInt(a.w)) - 1n ? 1n : 0n, w: 1, s: false };
          break;
        case 'orR':
          r = { v: a.v !== 0n ? 1n : 0n, w: 1, s: false };
          break;
        case 'xorR':
          r = { v: BigInt(popcount(bits(a)) & 1), w: 1, s: false };
          break;
        case 'asSigned':
          r = { v: BigInt.asIntN(a.w, a.v), w: a.w, s: true };
          break;
        case 'asUnsigned':
          r = { v: bits(a), w: a.w, s: false };
          break;
        case 'msb':
          r = { v: bits(a) >> BigInt(a.w - 1), w: 1, s: false };
          break;
      }
      break;
    }
    case 'shlc': {
      const a = ev(node.a);
      r = { v: a.v << BigInt(node.n), w: a.w + node.n, s: a.s };
      break;
    }
    case 'shrc': {
      const a = ev(node.a);
      // Past the width only the sign is left (0 for unsigned values), in one bit.
      r = node.n === 0 ? a : { v: a.v >> BigInt(node.n), w: node.n >= a.w ? 1 : a.w - node.n, s: a.s };
      break;
    }
    case 'dshl': {
      const a = ev(node.a);
      const amount = ev(node.amount);
      r = { v: a.v << amount.v, w: a.w + 2 ** amount.w - 1, s: a.s };
      break;
    }
    case 'dshr': {
      const a = ev(node.a);
      r = { v: a.v >> ev(node.amount).v, w: a.w, s: a.s };
      break;
    }
    case 'slice': {
      const a = ev(node.a);
      const w = node.hi - node.lo + 1;
      r = { v: BigInt.asUintN(w, bits(a) >> BigInt(node.lo)), w, s: false };
      break;
    }
    case 'cat': {
      let v = 0n;
      let w = 0;
      for (const part of node.parts.map(ev)) {
        v = (v << BigInt(part.w)) | bits(part);
        w += part.w;
      }
      r = { v, w, s: false };
      break;
    }
    case 'repeat': {
      const a = ev(node.a);
      let v = 0n;
      for (let i = 0; i < node.n; i++) v = (v << BigInt(a.w)) | bits(a);
      r = { v, w: a.w * node.n, s: false };
      break;
    }
    case 'extend': {
      const a = ev(node.a);
      r = { v: a.v, w: node.width, s: a.s };
      break;
    }
    case 'sext':
    case 'zext': {
      // The fill is the one asked for, whatever the signedness, which the result keeps.
      const a = ev(node.a);
      const filled = node.k === 'sext' ? BigInt.asIntN(a.w, a.v) : bits(a);
      r = { v: node.width === a.w ? a.v : wrap(filled, node.width, a.s), w: node.width, s: a.s };
      break;
    }
    case 'trunc': {
      const a = ev(node.a);
      r = { v: wrap(a.v, node.width, a.s), w: node.width, s: a.s };
      break;
    }
    case 'resize': {
      const a = ev(node.a);
      r = { v: node.width >= a.w ? a.v : wrap(a.v, node.width, a.s), w: node.width, s: a.s };
      break;
    }
    case 'mux': {
      const cond = ev(node.cond);
      const [a, b] = choicePair(node.a, node.b, ev);
      r = { v: cond.v === 1n ? a.v : b.v, w: Math.max(a.w, b.w), s: a.s };
      break;
    }
    case 'select': {
      const index = ev(node.index);
      const first = ev(node.values.find((x): x is Node => typeof x !== 'bigint')!);
      const values = node.values.map((x) => (typeof x === 'bigint' ? constVal(x, first.s) : ev(x)));
      const w = Math.max(...values.map((x) => x.w));
      r = { v: index.v < BigInt(values.length) ? values[Number(index.v)]!.v : 0n, w, s: first.s };
      break;
    }
  }
  memo.set(node, r);
  return r;
}

function choicePair(a: Node | bigint, b: Node | bigint, ev: (n: Node) => Val): [Val, Val] {
  if (typeof a !== 'bigint') {
    const av = ev(a);
    return [av, typeof b === 'bigint' ? constVal(b, av.s) : ev(b)];
  }
  const bv = ev(b as Node);
  return [constVal(a, bv.s), bv];
}

// ---- the same trees as DSL expressions ---------------------------------------------------------------------

function build(node: Node, io: Io, memo: Map<Node, Expr>): Expr {
  const known = memo.get(node);
  if (known) return known;
  const b = (n: Node): Expr => build(n, io, memo);
  const operand = (x: Node | bigint): Expr | bigint => (typeof x === 'bigint' ? x : b(x));
  let e: Expr;
  switch (node.k) {
    case 'in':
      e = io[node.name];
      break;
    case 'lit':
      e = lit(node.value, node.shape);
      break;
    case 'bin':
      e = b(node.a)[node.op](operand(node.b));
      break;
    case 'cmp':
      e = b(node.a)[node.op](operand(node.b));
      break;
    case 'un':
      e = b(node.a)[node.op]();
      break;
    case 'shlc':
      e = b(node.a).shl(node.n);
      break;
    case 'shrc':
      e = b(node.a).shr(node.n);
      break;
    case 'dshl':
      e = b(node.a).shl(b(node.amount));
      break;
    case 'dshr':
      e = b(node.a).shr(b(node.amount));
      break;
    case 'slice':
      e = b(node.a).slice(node.hi, node.lo);
      break;
    case 'cat':
      e = cat(...node.parts.map(b));
      break;
    case 'repeat':
      e = b(node.a).repeat(node.n);
      break;
    case 'extend':
      e = b(node.a).extend(node.width);
      break;
    case 'sext':
      e = b(node.a).sext(node.width);
      break;
    case 'zext':
      e = b(node.a).zext(node.width);
      break;
    case 'trunc':
      e = b(node.a).trunc(node.width);
      break;
    case 'resize':
      e = b(node.a).resize(node.width);
      break;
    case 'mux':
      e = mux(b(node.cond), operand(node.a), operand(node.b));
      break;
    case 'select':
      e = select(b(node.index), node.values.map(operand));
      break;
  }
  memo.set(node, e);
  return e;
}

/** The DSL expression a tree stands for, for failure messages. */
function show(node: Node): string {
  const arg = (x: Node | bigint): string => (typeof x === 'bigint' ? `${x}` : show(x));
  switch (node.k) {
    case 'in':
      return node.name;
    case 'lit':
      return `lit(${node.value}, ${node.shape.signed ? 'SInt' : 'UInt'}(${node.shape.width}))`;
    case 'bin':
    case 'cmp':
      return `${show(node.a)}.${node.op}(${arg(node.b)})`;
    case 'un':
      return `${show(node.a)}.${node.op}()`;
    case 'shlc':
      return `${show(node.a)}.shl(${node.n})`;
    case 'shrc':
      return `${show(node.a)}.shr(${node.n})`;
    case 'dshl':
      return `${show(node.a)}.shl(${show(node.amount)})`;
    case 'dshr':
      return `${show(node.a)}.shr(${show(node.amount)})`;
    case 'slice':
      return `${show(node.a)}.slice(${node.hi}, ${node.lo})`;
    case 'cat':
      return `cat(${node.parts.map(show).join(', ')})`;
    case 'repeat':
      return `${show(node.a)}.repeat(${node.n})`;
    case 'extend':
    case 'sext':
    case 'zext':
    case 'trunc':
    case 'resize':
      return `${show(node.a)}.${node.k}(${node.width})`;
    case 'mux':
      return `mux(${show(node.cond)}, ${arg(node.a)}, ${arg(node.b)})`;
    case 'select':
      return `select(${show(node.index)}, [${node.values.map(arg).join(', ')}])`;
  }
}

// ---- random trees ---------------------------------------------------------------------------------------------

const MAX_WIDTH = 160;
const zeroEnv = Object.fromEntries(Object.keys(inputs).map((n) => [n, 0n])) as Record<InputName, bigint>;

class TreeGen {
  private readonly shapes = new Map<Node, Val>();
  /** Nodes built so far: later trees reuse them, so outputs share subexpressions. */
  private readonly pool: Node[] = [];

  constructor(private readonly rng: Rng) {}

  shape(n: Node): Val {
    return evaluate(n, zeroEnv, this.shapes);
  }

  tree(depth: number): Node {
    const node = this.node(depth);
    return this.shape(node).w > MAX_WIDTH ? { k: 'trunc', a: node, width: MAX_WIDTH } : node;
  }

  private leaf(): Node {
    const r = this.rng;
    if (r.chance(0.1)) return this.literal(r.chance(0.5));
    if (this.pool.length > 0 && r.chance(0.25)) return r.pick(this.pool);
    return { k: 'in', name: r.pick(Object.keys(inputs) as InputName[]) };
  }

  private literal(signed: boolean): Node {
    const shape = signed ? SInt(1 + this.rng.below(12)) : UInt(1 + this.rng.below(12));
    return { k: 'lit', value: this.rng.value(shape.width, shape.signed), shape };
  }

  /** A JS constant that fits next to a partner of the given sign. */
  private constant(signed: boolean): bigint {
    const r = this.rng;
    const v = r.pick([0n, 1n, 3n, 100n, 255n, 1000n, (1n << 40n) + 7n]);
    return signed && r.chance(0.5) ? -v - (r.chance(0.5) ? 1n : 0n) : v;
  }

  /** `n` converted to the given signedness if it differs. */
  private as(n: Node, signed: boolean): Node {
    return this.shape(n).s === signed ? n : { k: 'un', op: signed ? 'asSigned' : 'asUnsigned', a: n };
  }

  /** A narrow unsigned value, for shift amounts and select indices. */
  private narrow(maxWidth: number, depth: number): Node {
    const n = this.tree(Math.max(0, depth - 2));
    const w = this.shape(n).w;
    const hi = Math.min(w - 1, this.rng.below(maxWidth));
    return { k: 'slice', a: n, hi, lo: 0 };
  }

  private cond(depth: number): Node {
    const n = this.tree(Math.max(0, depth - 1));
    const { w, s } = this.shape(n);
    if (w === 1 && !s) return n;
    const r = this.rng;
    return r.chance(0.5) ? { k: 'un', op: r.pick(['orR', 'xorR', 'msb'] as const), a: n } : { k: 'cmp', op: r.pick(['lt', 'ge', 'eq'] as const), a: n, b: this.constant(s) };
  }

  private node(depth: number): Node {
    if (depth === 0) return this.leaf();
    const r = this.rng;
    const a = this.tree(depth - 1);
    const sa = this.shape(a);
    const other = (): Node | bigint => (r.chance(0.25) ? this.constant(sa.s) : r.chance(0.15) ? this.literal(sa.s) : this.as(this.tree(depth - 1), sa.s));
    let n: Node;
    switch (r.below(16)) {
      case 0:
      case 1: {
        const op = r.pick(['add', 'sub', 'addWrap', 'subWrap', 'and', 'or', 'xor'] as const);
        n = { k: 'bin', op, a, b: other() };
        break;
      }
      case 2: {
        const b = other();
        const wb = typeof b === 'bigint' ? minWidth(b, sa.s) : this.shape(b).w;
        n = sa.w + wb <= MAX_WIDTH ? { k: 'bin', op: 'mul', a, b } : { k: 'bin', op: 'add', a, b };
        break;
      }
      case 3:
        n = { k: 'cmp', op: r.pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const), a, b: other() };
        break;
      case 4:
        n = { k: 'un', op: r.pick(['neg', 'not', 'andR', 'orR', 'xorR', 'asSigned', 'asUnsigned', 'msb'] as const), a };
        break;
      case 5:
        n = { k: 'shlc', a, n: r.below(6) };
        break;
      case 6:
        n = { k: 'shrc', a, n: r.below(sa.w + 3) };
        break;
      case 7:
        n = { k: 'dshl', a, amount: this.narrow(3, depth) };
        break;
      case 8:
        n = { k: 'dshr', a, amount: this.narrow(4, depth) };
        break;
      case 9: {
        const lo = r.below(sa.w);
        n = { k: 'slice', a, hi: lo + r.below(sa.w - lo), lo };
        break;
      }
      case 10:
        n = { k: 'cat', parts: [a, this.tree(depth - 1), ...(r.chance(0.3) ? [this.leaf()] : [])] };
        break;
      case 11:
        n = { k: 'repeat', a, n: 1 + r.below(3) };
        break;
      case 12:
        n = { k: r.pick(['extend', 'sext', 'zext'] as const), a, width: sa.w + r.below(12) };
        break;
      case 13:
        n = r.chance(0.5) ? { k: 'trunc', a, width: 1 + r.below(sa.w) } : { k: 'resize', a, width: 1 + r.below(sa.w + 8) };
        break;
      case 14:
        n = { k: 'mux', cond: this.cond(depth), a, b: other() };
        if (r.chance(0.2)) n = { k: 'mux', cond: this.cond(depth), a: this.constant(sa.s), b: a };
        break;
      default: {
        const index = this.narrow(3, depth);
        const count = 1 + r.below(2 ** this.shape(index).w);
        const values = Array.from({ length: count }, (_, i) => (i === 0 ? a : other()));
        // The first value need not be the hardware one.
        if (count > 1 && r.chance(0.3)) values.reverse();
        n = { k: 'select', index, values };
        break;
      }
    }
    // Trunc fusion applies to add/sub/mul/and/or/xor whose operands fit the new width.
    if (n.k === 'bin' && r.chance(0.3)) {
      const w = this.shape(n).w;
      n = { k: 'trunc', a: n, width: Math.max(1, w - 1 - r.below(2)) };
    }
    this.pool.push(n);
    return n;
  }
}

// ---- the suite -------------------------------------------------------------------------------------------------

const TREES = 90;

function randomCases(seed: number): CombCase<Inputs>[] {
  const gen = new TreeGen(new Rng(seed));
  return Array.from({ length: TREES }, (_, i) => {
    const tree = gen.tree(2 + (i % 4));
    const shape = gen.shape(tree);
    return {
      name: `r${i}`,
      what: `random tree ${i}, ${shape.w}-bit ${shape.s ? 'signed' : 'unsigned'}`,
      width: shape.w,
      signed: shape.s,
      build: (io: Io): Expr => build(tree, io, sharedMemo(io)),
      model: (v) => evaluate(tree, v, new Map()).v,
      detail: `DSL: ${show(tree)}`,
    };
  });
}

/** One memo per module build (keyed by its inputs): trees that share a node share its Expr. */
const sharedMemos = new WeakMap<Io, Map<Node, Expr>>();
function sharedMemo(io: Io): Map<Node, Expr> {
  let m = sharedMemos.get(io);
  if (!m) sharedMemos.set(io, (m = new Map()));
  return m;
}

describe('random expression trees', () => {
  const spec = {
    module: 'random_exprs',
    inputs,
    // RSEED=<n> explores other seeds; the suite runs the fixed one. Some seeds build a comparison
    // with an unfolded constant subexpression, the known lint bug of operators.test.ts
    // ('comparisons with a constant expression'), which fails the lint test and the build.
    cases: randomCases(Number(process.env.RSEED ?? 51)),
    vectors: { seed: 52, cross: [['a', 'c'], ['c', 'd'], ['x', 'y'], ['k', 'y']] as const, mixed: 48, random: 32 },
  };
  const built = once(() => buildCombDesign(spec));

  it('gives every tree the width and signedness the reference model predicts', () => {
    const actual = Object.fromEntries(spec.cases.map((c) => [c.name, built().shapes.get(c.name)]));
    const predicted = Object.fromEntries(spec.cases.map((c) => [c.name, { kind: 'int', width: c.width, signed: c.signed }]));
    expect(actual).toEqual(predicted);
  });

  combOutputTests(() => built().design, inputVectors(inputs, spec.vectors), spec.cases);
});
