// The one normalize-and-round step every operator ends in. In: an unnormalized integer magnitude
// with the biased exponent of its MSB. A leading-zero count finds the hidden bit; the left shift is
// limited so the exponent stays at 1 or above (subnormal results), and when the exponent is already
// below 1 the same shifter moves right instead, the bits below the window becoming the sticky bit.
// Then one increment rounds to nearest even; carrying out of the fraction bumps the exponent (and
// turns the largest subnormal into the smallest normal) for free, because the exponent field sits
// directly above the fraction. Overflow is one compare on the rounded pattern.

import { cat, mux, type Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { addRanged, ranged, subRanged, unsignedBits, zeros, type Ranged } from './common.js';
import type { FpFormat } from '../../../contracts/fp-format.js';
import { leadingZeros } from './leading-zeros.js';
import { shiftLeft } from './shift.js';
import type { Stager } from './stages.js';
import { infMagnitude, nanMagnitude } from './unpack.js';

export interface RoundInput {
  /** Sign of a nonzero result. */
  readonly sign: Expr;
  /** The magnitude as an unsigned integer, not necessarily normalized. */
  readonly significand: Expr;
  /**
   * Biased exponent (of the output format) that the significand's MSB position has, as `exponent +
   * exponentOffset`: a constant offset kept apart folds into the arithmetic that reads it.
   */
  readonly exponent: Ranged;
  readonly exponentOffset?: number;
  /** A nonzero significand has at most this many leading zeros (default: its width - 1). */
  readonly maxLeadingZeros?: number;
}

/** What overrides the rounded value; the operator decides these from its operands. */
export interface RoundSpecials {
  readonly nan: Expr;
  /** An infinity of sign `infSign` (NaN when the output format is `fn`). */
  readonly inf: Expr;
  readonly infSign: Expr;
  /** Sign of the result when the significand is exactly zero (default: `sign`, as for products). */
  readonly zeroSign?: Expr;
}

export interface RoundContext {
  readonly m: ModuleBuilder;
  readonly name: string;
  readonly format: FpFormat;
  readonly flush: boolean;
  readonly stager: Stager;
  /** The stager cut between normalization and rounding. */
  readonly cut: number;
}

/** The packed result (sign, exponent, fraction) of rounding `input` into the format. */
export function normalizeRound(ctx: RoundContext, input: RoundInput, specials: RoundSpecials): Expr {
  const { m, name, format } = ctx;
  const p = format.mantissa + 1;
  // Room for the result, a guard bit and at least one sticky bit.
  const raw = input.significand;
  const significand = raw.width < p + 2 ? cat(raw, zeros(p + 2 - raw.width)) : raw;
  const width = significand.width;
  const maxLz = Math.min(input.maxLeadingZeros ?? width - 1, width - 1);
  const offset = input.exponentOffset ?? 0;
  // The left shift may not take the exponent below 1: it is at most E - 1.
  const limit = addRanged(input.exponent, offset - 1);
  const rightReach = limit.min < 0 ? Math.min(p + 1, -limit.min) : 0;

  const window = significand.slice(width - 1, width - 1 - maxLz);
  let lzInput = window;
  if (limit.min < maxLz) {
    // A 1 planted `limit` bits below the top stops the count there: min(lz, limit) computed beside
    // the significand rather than by a compare after the count (8 levels shorter on FP32 add, at
    // the cost of ~190 transistors for the decoder).
    const stops: Expr[] = [];
    for (let j = 0; j <= maxLz; j++) stops.push(limit.value.eq(j));
    lzInput = window.or(cat(...stops));
  }
  const lz = m.node(`${name}_lz`, leadingZeros(lzInput).count);
  // Only the sign of a zero result can differ from a nonzero one's: the magnitude takes care of itself.
  const zero = specials.zeroSign === undefined ? undefined : significand.eq(0);

  let amount: Expr = lz;
  if (rightReach > 0) {
    // Exponent below 1: shift right by 1 - E, expressed as a left shift of the significand placed
    // `rightReach` bits up in a wider field; shifts beyond the reach only feed the sticky bit.
    const amountBits = unsignedBits(rightReach + maxLz);
    const below = limit.value.lt(0);
    const rightShift = addRanged(limit, rightReach);
    const clamped = rightShift.min < 0 ? mux(rightShift.value.lt(0), 0, rightShift.value) : rightShift.value;
    const right = ranged(clamped, 0, rightReach).value.resize(amountBits);
    amount = mux(below, right, addRanged(ranged(lz, 0, maxLz), rightReach).value.resize(amountBits));
  }
  const field = rightReach > 0 ? cat(zeros(rightReach), significand) : significand;
  const shifted = shiftLeft(field, rightReach > 0 ? m.node(`${name}_shift`, amount) : amount, rightReach + maxLz);
  const normalized = m.node(`${name}_normalized`, shifted.slice(rightReach + width - 1, rightReach));
  const lostBelow = rightReach > 0 ? shifted.slice(rightReach - 1, 0).orR() : undefined;
  // The exponent after a left shift by lz; used only when the hidden bit is set (a normal result).
  const normalExponent = subRanged(addRanged(input.exponent, offset), ranged(lz, 0, maxLz));

  const staged = ctx.stager.cut(ctx.cut, {
    normalized,
    lostBelow,
    exponent: normalExponent.value,
    sign: input.sign,
    zero,
    zeroSign: specials.zeroSign,
    nan: specials.nan,
    inf: specials.inf,
    infSign: specials.infSign,
  });
  return roundAndPack(ctx, staged, { min: normalExponent.min, max: normalExponent.max });
}

interface Normalized extends RoundSpecials {
  readonly normalized: Expr;
  /** Bits shifted out below the window by a right shift (absent when there is none). */
  readonly lostBelow?: Expr;
  readonly exponent: Expr;
  readonly sign: Expr;
  /** The significand is zero (present when its sign differs from `sign`'s rule). */
  readonly zero?: Expr;
}

function roundAndPack(ctx: RoundContext, v: Normalized, exponentRange: { min: number; max: number }): Expr {
  const { m, name, format, flush } = ctx;
  const { exponent: e, mantissa } = format;
  const p = mantissa + 1;
  const n = v.normalized;
  const width = n.width;
  const hidden = n.bit(width - 1);
  const fraction = n.slice(width - 2, width - p);
  const lsb = n.bit(width - p);
  const guard = n.bit(width - p - 1);
  const below = n.slice(width - p - 2, 0).orR();
  const sticky = v.lostBelow ? below.or(v.lostBelow) : below;
  const roundUp = guard.and(lsb.or(sticky));
  // A normal result's exponent is at least 1, so only [1, max] needs bits; subnormals write 0.
  const fieldBits = Math.max(e, unsignedBits(Math.max(1, exponentRange.max)));
  const exponentField = mux(hidden, v.exponent.resize(fieldBits).asUnsigned(), 0);
  const rounded = m.node(`${name}_rounded`, cat(exponentField, fraction).add(roundUp));

  // Overflow: the rounded exponent reached the all-ones field (ieee) or the NaN code (fn), or went
  // past the field. Bit tests rather than a compare with a constant, so they take a few gates.
  const fn = format.specials === 'fn';
  const top = rounded.width - 1;
  const past = top >= e + mantissa ? rounded.slice(top, e + mantissa).orR() : zeros(1);
  const reached = fn ? rounded.slice(e + mantissa - 1, 0).andR() : rounded.slice(e + mantissa - 1, mantissa).andR();
  const overflow = top >= e + mantissa ? past.or(reached) : reached;
  const isNaN = fn ? v.nan.or(v.inf).or(overflow) : v.nan;
  const isInf = fn ? undefined : v.inf.or(overflow);
  // A zero significand needs no override of the magnitude (no hidden bit, so the rounded pattern
  // is 0 already), only of the sign. Under FTZ a zero exponent field after rounding (a subnormal)
  // is written as zero.
  const flushed = flush ? rounded.slice(top, mantissa).eq(0) : undefined;

  const finiteSign = v.zero && v.zeroSign ? mux(v.zero, v.zeroSign, v.sign) : v.sign;
  const sign = mux(isNaN, 0, mux(v.inf, v.infSign, finiteSign));
  const finite = flushed ? mux(flushed, 0, rounded.trunc(e + mantissa)) : rounded.trunc(e + mantissa);
  const magnitude = mux(isNaN, nanMagnitude(format), isInf ? mux(isInf, infMagnitude(format), finite) : finite);
  return m.node(`${name}_result`, cat(sign, magnitude));
}

