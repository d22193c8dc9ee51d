// Small helpers every floating-point operator shares: option checks, constant fields, and the
// static value ranges that size the exponent arithmetic to the fewest bits that cannot overflow.

import { ShapeError, WidthMismatchError } from '../../errors.js';
import { lit, type Expr } from '../../expr.js';
import { UInt } from '../../shape.js';
import { checkFormat, fpWidth, type FpFormat } from '../../../contracts/fp-format.js';

export interface FpOptions {
  /** FTZ + DAZ per the policy in format.ts (default false: gradual underflow). */
  readonly flushSubnormals?: boolean;
  /** Pipeline register stages inserted inside the operator (default 0 = combinational). */
  readonly stages?: number;
  /** Pipeline registers advance only while this is high. */
  readonly enable?: Expr;
}

/** Register stages between an operator's operands and its result. */
export function fpLatency(options: FpOptions = {}): number {
  const stages = options.stages ?? 0;
  if (!Number.isInteger(stages) || stages < 0) throw new ShapeError(`fp operator stages must be a non-negative integer, got ${stages}`);
  return stages;
}

/** Checks the format and that `value` holds exactly one of its bit patterns. */
export function checkOperand(value: Expr, format: FpFormat, what: string): void {
  checkFormat(format);
  const width = fpWidth(format);
  if (value.width !== width || value.signed) {
    throw new WidthMismatchError(`${what} must be a ${width}-bit unsigned ${format.name} bit pattern, got ${value.label()}`);
  }
}

export function zeros(width: number): Expr {
  return lit(0n, UInt(width));
}

export function ones(width: number): Expr {
  return lit((1n << BigInt(width)) - 1n, UInt(width));
}

export function constant(value: number | bigint, width: number): Expr {
  return lit(BigInt(value), UInt(width));
}

/** Bits of an unsigned value up to `max`. */
export function unsignedBits(max: number): number {
  return Math.max(1, Math.ceil(Math.log2(max + 1)));
}

/** Bits of a two's complement value in [min, max]. */
export function signedBits(min: number, max: number): number {
  let bits = 1;
  while (-(2 ** (bits - 1)) > min || 2 ** (bits - 1) - 1 < max) bits++;
  return bits;
}

/** An integer known to lie in [min, max]: the range sizes everything computed from it. */
export interface Ranged {
  readonly value: Expr;
  readonly min: number;
  readonly max: number;
}

/** The value as a Ranged, in the fewest bits its range needs (unsigned when it cannot be negative). */
export function ranged(value: Expr, min: number, max: number): Ranged {
  return { value: fromPattern(modBits(value, rangeBits(min, max)), min), min, max };
}

/** a + b (b a Ranged or a constant), in the fewest bits the sum's range needs. */
export function addRanged(a: Ranged, b: Ranged | number): Ranged {
  const [bMin, bMax] = typeof b === 'number' ? [b, b] : [b.min, b.max];
  return combine(a, b, a.min + bMin, a.max + bMax, 'add');
}

/** a - b, in the fewest bits the difference's range needs. */
export function subRanged(a: Ranged, b: Ranged): Ranged {
  return combine(a, b, a.min - b.max, a.max - b.min, 'sub');
}

// Two's complement arithmetic is exact modulo 2^width, so once the result's range fits `width` bits
// the operands can be cut to `width` bits too, whatever their own ranges.
function combine(a: Ranged, b: Ranged | number, min: number, max: number, op: 'add' | 'sub'): Ranged {
  const width = rangeBits(min, max);
  const x = modBits(a.value, width);
  const y = typeof b === 'number' ? lit(BigInt.asUintN(width, BigInt(b)), UInt(width)) : modBits(b.value, width);
  if (typeof b === 'number' && b === 0) return { value: fromPattern(x, min), min, max };
  return { value: fromPattern(op === 'add' ? x.addWrap(y) : x.subWrap(y), min), min, max };
}

function rangeBits(min: number, max: number): number {
  return min >= 0 ? unsignedBits(max) : signedBits(min, max);
}

/** The low `width` bits of x's two's complement value, unsigned. */
function modBits(x: Expr, width: number): Expr {
  return x.resize(width).asUnsigned();
}

function fromPattern(bits: Expr, min: number): Expr {
  return min >= 0 ? bits : bits.asSigned();
}
