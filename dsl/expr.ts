// Expression nodes: immutable, shaped (width + signedness), built with methods. Widths grow where
// the math needs it (add, multiply, shift left) and shrink only when the user says so.

import { CrossModuleError, ShapeError, SignMismatchError, WidthMismatchError } from './errors.js';
import { asUnsignedBits, bitsOf, toBigInt, toSignedValue } from './bits.js';
import { decidedByRange, evaluateOp, type Op } from './evaluate.js';
import { describeShape, MAX_WIDTH, widthOf, type IntShape } from './shape.js';

/** The module a value belongs to; values of two modules never mix. */
export interface ExprOwner {
  readonly moduleName: string;
}

/** Anything an operator accepts: an expression, or a JS constant shaped to fit its partner. */
export type Operand = Expr | number | bigint | boolean;

/** Dynamic shift amounts above this width would make absurdly wide results. */
const MAX_DYNAMIC_SHIFT_BITS = 12;

// Operations whose low result bits depend only on the low operand bits, so a truncation of their
// result can be pushed into the operation itself (emitted `a + b` instead of a slice of a temp).
const truncatable = new Set<Op>(['add', 'sub', 'mul', 'and', 'or', 'xor']);

export class Expr {
  constructor(
    readonly op: Op,
    readonly width: number,
    readonly signed: boolean,
    readonly args: readonly Expr[],
    readonly owner: ExprOwner | null,
    /** Op-specific integers: slice [hi, lo], shift amount, repeat count, ext sign flag. */
    readonly params: readonly number[] = [],
    /** The value of a constant, as its unsigned bit pattern. */
    readonly value: bigint = 0n,
  ) {
    if (width > MAX_WIDTH) {
      throw new ShapeError(`a ${op} result would be ${width} bits wide, above the DSL's limit of ${MAX_WIDTH} bits`);
    }
  }

  get shape(): IntShape {
    return { kind: 'int', width: this.width, signed: this.signed };
  }

  describe(): string {
    return describeShape(this.shape);
  }

  /** How error messages refer to this value: a signal by its name, anything else by its shape. */
  label(): string {
    return `a ${this.describe()} value`;
  }

  // ---- arithmetic -------------------------------------------------------------------------

  /** Sum, one bit wider than the wider operand: never overflows. */
  add(other: Operand): Expr {
    const b = this.coerce(other);
    return binary('add', this, b, Math.max(this.width, b.width) + 1);
  }

  /** Difference, one bit wider than the wider operand (for unsigned operands it wraps modulo 2^width). */
  sub(other: Operand): Expr {
    const b = this.coerce(other);
    return binary('sub', this, b, Math.max(this.width, b.width) + 1);
  }

  /** Sum at the wider operand's width: the explicit wrap-around a counter wants. */
  addWrap(other: Operand): Expr {
    const b = this.coerce(other);
    return binary('add', this, b, Math.max(this.width, b.width));
  }

  /** Difference at the wider operand's width, wrapping. */
  subWrap(other: Operand): Expr {
    const b = this.coerce(other);
    return binary('sub', this, b, Math.max(this.width, b.width));
  }

  /** Product, as wide as both operands together. */
  mul(other: Operand): Expr {
    const b = this.coerce(other);
    return binary('mul', this, b, this.width + b.width);
  }

  /** Two's complement negation: a signed result one bit wider, exact for any input. */
  neg(): Expr {
    return node('neg', this.width + 1, true, [this], this.owner);
  }

  // ---- bitwise ------------------------------------------------------------------------------

  and(other: Operand): Expr {
    const b = this.coerce(other);
    return binary('and', this, b, Math.max(this.width, b.width));
  }

  or(other: Operand): Expr {
    const b = this.coerce(other);
    return binary('or', this, b, Math.max(this.width, b.width));
  }

  xor(other: Operand): Expr {
    const b = this.coerce(other);
    return binary('xor', this, b, Math.max(this.width, b.width));
  }

  not(): Expr {
    return node('not', this.width, this.signed, [this], this.owner);
  }

  andR(): Expr {
    return node('andr', 1, false, [this], this.owner);
  }

  orR(): Expr {
    return node('orr', 1, false, [this], this.owner);
  }

  xorR(): Expr {
    return node('xorr', 1, false, [this], this.owner);
  }

  // ---- comparisons ----------------------------------------------------------------------------

  eq(other: Operand): Expr {
    return compare('eq', this, this.coerce(other));
  }

  ne(other: Operand): Expr {
    return compare('ne', this, this.coerce(other));
  }

  lt(other: Operand): Expr {
    return compare('lt', this, this.coerce(other));
  }

  le(other: Operand): Expr {
    return compare('le', this, this.coerce(other));
  }

  gt(other: Operand): Expr {
    return compare('gt', this, this.coerce(other));
  }

  ge(other: Operand): Expr {
    return compare('ge', this, this.coerce(other));
  }

  // ---- shifts ------------------------------------------------------------------------------------

  /** Left shift. By a constant: `n` bits wider. By a value: wide enough for the largest amount. */
  shl(amount: number | Expr): Expr {
    if (typeof amount === 'number') {
      checkShiftConstant(amount);
      return amount === 0 ? this : node('shl', this.width + amount, this.signed, [this], this.owner, [amount]);
    }
    checkShiftAmount(amount, this);
    const grown = this.width + 2 ** amount.width - 1;
    return node('dshl', grown, this.signed, [this, amount], mergeOwners(this, amount));
  }

  /**
   * Right shift, arithmetic for signed values. By a constant the low bits are dropped (the result
   * is `n` bits narrower, at least one bit); by a value the width stays.
   */
  shr(amount: number | Expr): Expr {
    if (typeof amount === 'number') {
      checkShiftConstant(amount);
      if (amount === 0) return this;
      if (amount >= this.width) {
        return this.signed ? this.slice(this.width - 1, this.width - 1).asSigned() : lit(0n, { kind: 'int', width: 1, signed: false });
      }
      return node('slice', this.width - amount, this.signed, [this], this.owner, [this.width - 1, amount]);
    }
    checkShiftAmount(amount, this);
    return node('dshr', this.width, this.signed, [this, amount], mergeOwners(this, amount));
  }

  // ---- bits --------------------------------------------------------------------------------------

  /** Bits `hi` down to `lo` (inclusive), as an unsigned value. */
  slice(hi: number, lo: number): Expr {
    if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= this.width) {
      throw new ShapeError(`slice [${hi}:${lo}] is outside ${this.label()} (bits ${this.width - 1} to 0)`);
    }
    if (lo === 0 && hi === this.width - 1) return this.signed ? this.asUnsigned() : this;
    if (this.op === 'const') return lit(bitsOf(this.value, hi, lo), { kind: 'int', width: hi - lo + 1, signed: false });
    // Bits of bits are bits of the original: `x[7:4][1]` is `x[5]`, with no temp wire between.
    if (this.op === 'slice') {
      const base = this.params[1]!;
      return this.args[0]!.slice(base + hi, base + lo);
    }
    return node('slice', hi - lo + 1, false, [this], this.owner, [hi, lo]);
  }

  bit(index: number): Expr {
    return this.slice(index, index);
  }

  /** The most significant bit (the sign of a signed value). */
  msb(): Expr {
    return this.bit(this.width - 1);
  }

  /** This value followed by `others` toward the least significant end: `{this, ...others}`. */
  concat(...others: Expr[]): Expr {
    return cat(this, ...others);
  }

  /** `count` copies side by side: `{count{this}}`. */
  repeat(count: number): Expr {
    if (!Number.isInteger(count) || count < 1) throw new ShapeError(`repeat count must be a positive integer, got ${count}`);
    if (count === 1) return this.signed ? this.asUnsigned() : this;
    return node('repeat', this.width * count, false, [this], this.owner, [count]);
  }

  // ---- width and sign changes ----------------------------------------------------------------------

  /** Widen to `width` bits, sign-extending signed values and zero-extending unsigned ones. */
  extend(width: number): Expr {
    return this.signed ? this.sext(width) : this.zext(width);
  }

  /** Widen to `width` bits by copying the sign bit; keeps the signedness. */
  sext(width: number): Expr {
    return this.extendTo(width, true);
  }

  /** Widen to `width` bits with zeros; keeps the signedness. */
  zext(width: number): Expr {
    return this.extendTo(width, false);
  }

  /** Keep the low `width` bits; keeps the signedness. The explicit way to narrow a value. */
  trunc(width: number): Expr {
    if (!Number.isInteger(width) || width < 1 || width > this.width) {
      throw new ShapeError(`cannot truncate ${this.label()} to ${width} bits (it must be 1 to ${this.width})`);
    }
    if (width === this.width) return this;
    if (this.op === 'const') return lit(bitsOf(this.value, width - 1, 0), { kind: 'int', width, signed: false }).reinterpret(this.signed);
    if (this.op === 'ext') {
      const inner = this.args[0]!;
      return width >= inner.width ? inner.extendTo(width, this.params[0] === 1) : inner.trunc(width);
    }
    if (truncatable.has(this.op) && this.args.every((arg) => arg.width <= width)) {
      return node(this.op, width, this.signed, this.args, this.owner);
    }
    return node('slice', width, this.signed, [this], this.owner, [width - 1, 0]);
  }

  /** Widen (sign-aware) or truncate to exactly `width` bits. */
  resize(width: number): Expr {
    return width >= this.width ? this.extend(width) : this.trunc(width);
  }

  /** The same bits read as a two's complement number. */
  asSigned(): Expr {
    return this.reinterpret(true);
  }

  /** The same bits read as an unsigned number. */
  asUnsigned(): Expr {
    return this.reinterpret(false);
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  /** A JS constant shaped like this value: same signedness, as few bits as it needs. */
  coerce(value: Operand): Expr {
    if (value instanceof Expr) return value;
    const big = toBigInt(value);
    return lit(big, { kind: 'int', width: widthOf(big, this.signed), signed: this.signed });
  }

  private reinterpret(signed: boolean): Expr {
    if (signed === this.signed) return this;
    if (this.op === 'reinterpret') return this.args[0]!.signed === signed ? this.args[0]! : this.args[0]!.reinterpret(signed);
    if (this.op === 'const') return new Expr('const', this.width, signed, [], null, [], this.value);
    return node('reinterpret', this.width, signed, [this], this.owner);
  }

  private extendTo(width: number, signExtend: boolean): Expr {
    if (!Number.isInteger(width) || width < this.width) {
      throw new ShapeError(`cannot extend ${this.label()} to ${width} bits (use .trunc() to narrow)`);
    }
    if (width === this.width) return this;
    if (this.op === 'const') {
      const extended = signExtend ? asUnsignedBits(toSignedValue(this.value, this.width), width) : this.value;
      return new Expr('const', width, this.signed, [], null, [], extended);
    }
    return node('ext', width, this.signed, [this], this.owner, [signExtend ? 1 : 0]);
  }
}

// ---- free functions -------------------------------------------------------------------------------------

/**
 * Makes an operation node, or its constant value when every operand is constant: constant
 * subexpressions never reach the Verilog, where lint tools flag them (and they cost nothing).
 */
function node(op: Op, width: number, signed: boolean, args: readonly Expr[], owner: ExprOwner | null, params: readonly number[] = []): Expr {
  if (args.length > 0 && args.every((arg) => arg.op === 'const')) {
    const known = args.map((arg) => ({ bits: arg.value, width: arg.width, signed: arg.signed }));
    const bits = evaluateOp(op, width, known, params);
    if (bits !== undefined) return new Expr('const', width, signed, [], null, [], bits);
  }
  return new Expr(op, width, signed, args, owner, params);
}

/** A constant of the given shape. Negative values are accepted for signed shapes only. */
export function lit(value: number | bigint | boolean, shape: IntShape): Expr {
  const big = toBigInt(value);
  const needed = widthOf(big, shape.signed);
  if (needed > shape.width) throw new ShapeError(`constant ${big} does not fit a ${describeShape(shape)} value`);
  return new Expr('const', shape.width, shape.signed, [], null, [], asUnsignedBits(big, shape.width));
}

/** Concatenation, first argument most significant. The result is unsigned. */
export function cat(...parts: Expr[]): Expr {
  if (parts.length === 0) throw new ShapeError('cat needs at least one value');
  if (parts.length === 1) return parts[0]!.signed ? parts[0]!.asUnsigned() : parts[0]!;
  let owner: ExprOwner | null = null;
  let width = 0;
  for (const part of parts) {
    owner = mergeOwner(owner, part);
    width += part.width;
  }
  return node('concat', width, false, parts, owner);
}

/** `cond ? whenTrue : whenFalse`, as wide as the wider choice. */
export function mux(cond: Expr, whenTrue: Operand, whenFalse: Operand): Expr {
  checkCondition(cond, 'mux');
  const [a, b] = coercePair(whenTrue, whenFalse);
  checkSameSign(a, b, 'mux');
  const owner = mergeOwner(mergeOwners(a, b), cond);
  const width = Math.max(a.width, b.width);
  // A constant condition picks its arm; the other one never reaches the Verilog.
  if (cond.op === 'const') return (cond.value === 1n ? a : b).extend(width);
  // Equal arms (two `.not()` of one signal, say) need no choice: `c ? ~t : ~t` is just `~t`.
  if (sameValue(a, b)) return a.extend(width);
  return node('mux', width, a.signed, [cond, a, b], owner);
}

/** Nodes compared before `sameValue` gives up: it must stay cheap on deep, distinct trees. */
const SAME_VALUE_BUDGET = 64;

/** Whether two expressions are the same computation (same operators on the same signals). */
function sameValue(a: Expr, b: Expr): boolean {
  const pairs: Array<[Expr, Expr]> = [[a, b]];
  for (let budget = SAME_VALUE_BUDGET; pairs.length > 0; budget--) {
    if (budget === 0) return false;
    const [x, y] = pairs.pop()!;
    if (x === y) continue;
    // A signal is its own leaf node, so two different leaves are two different signals.
    if (x.op === 'ref' || x.op !== y.op || x.width !== y.width || x.signed !== y.signed || x.value !== y.value) return false;
    if (x.args.length !== y.args.length || x.params.length !== y.params.length || x.params.some((p, i) => p !== y.params[i])) return false;
    x.args.forEach((arg, i) => pairs.push([arg, y.args[i]!]));
  }
  return true;
}

// ---- internal checks ------------------------------------------------------------------------------------------

export function mergeOwner(owner: ExprOwner | null, e: Expr): ExprOwner | null {
  if (e.owner === null || e.owner === owner) return owner;
  if (owner === null) return e.owner;
  throw new CrossModuleError(
    `a value of module '${e.owner.moduleName}' is combined with a value of module '${owner.moduleName}'; modules only connect through instance ports`,
  );
}

export function mergeOwners(a: Expr, b: Expr): ExprOwner | null {
  return mergeOwner(mergeOwner(null, a), b);
}

function coercePair(a: Operand, b: Operand): [Expr, Expr] {
  if (a instanceof Expr) return [a, a.coerce(b)];
  if (b instanceof Expr) return [b.coerce(a), b];
  throw new ShapeError('at least one of the two values must be a hardware value (use lit() for constants)');
}

export function checkSameSign(a: Expr, b: Expr, what: string): void {
  if (a.signed !== b.signed) {
    throw new SignMismatchError(
      `${what} mixes ${a.label()} and ${b.label()}; convert one with .asSigned() or .asUnsigned()`,
    );
  }
}

export function checkCondition(cond: Expr, what: string): void {
  if (cond.width !== 1) {
    throw new WidthMismatchError(`${what} condition must be 1 bit wide, got ${cond.label()} (compare it, or use .orR())`);
  }
}

function binary(op: Op, a: Expr, b: Expr, width: number): Expr {
  checkSameSign(a, b, op);
  return node(op, width, a.signed, [a, b], mergeOwners(a, b));
}

function compare(op: Op, a: Expr, b: Expr): Expr {
  checkSameSign(a, b, op);
  const owner = mergeOwners(a, b);
  const known = decidedByRange(op, range(a), range(b));
  // A comparison its operands' ranges decide (`a >= 0` on an unsigned value) becomes a constant:
  // tools flag it in Verilog (Verilator's UNSIGNED / CMPCONST), and it costs no logic anyway.
  if (known !== undefined) return lit(known, { kind: 'int', width: 1, signed: false });
  return node(op, 1, false, [a, b], owner);
}

/** The smallest and largest value an expression can take (exact for constants). */
function range(e: Expr): [bigint, bigint] {
  if (e.op === 'const') {
    const v = e.signed ? toSignedValue(e.value, e.width) : e.value;
    return [v, v];
  }
  const w = BigInt(e.width);
  return e.signed ? [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n] : [0n, (1n << w) - 1n];
}

function checkShiftConstant(amount: number): void {
  if (!Number.isInteger(amount) || amount < 0) throw new ShapeError(`shift amount must be a non-negative integer, got ${amount}`);
}

function checkShiftAmount(amount: Expr, value: Expr): void {
  if (amount.signed) throw new SignMismatchError(`a shift amount must be unsigned, got ${amount.label()}`);
  if (amount.width > MAX_DYNAMIC_SHIFT_BITS) {
    throw new ShapeError(
      `a ${amount.width}-bit shift amount (${amount.label()}) is too wide (at most ${MAX_DYNAMIC_SHIFT_BITS} bits); truncate it before shifting ${value.label()}`,
    );
  }
}
