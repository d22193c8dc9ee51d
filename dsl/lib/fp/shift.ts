// Barrel shifters built from log2(width) stages of constant shifts, one 2:1 mux per bit and
// stage. The DSL's own shift by a value grows the result to hold every possible amount; here the
// width stays fixed and the caller bounds the amount.

import { cat, mux, type Expr } from '../../expr.js';
import { zeros } from './common.js';

/**
 * `value << amount` in value's width: bits moved past the top are dropped, so the caller must know
 * they are zeros. Amounts above `maxAmount` never occur, which saves the stages they would need.
 */
export function shiftLeft(value: Expr, amount: Expr, maxAmount = 2 ** amount.width - 1): Expr {
  const width = value.width;
  let shifted = value;
  for (let bit = 0; bit < amount.width && 2 ** bit <= maxAmount; bit++) {
    const step = 2 ** bit;
    const moved = step >= width ? zeros(width) : cat(shifted.slice(width - step - 1, 0), zeros(step));
    shifted = mux(amount.bit(bit), moved, shifted);
  }
  return shifted;
}

export interface StickyShift {
  /** `value >> amount` in value's width. */
  readonly value: Expr;
  /** Some 1 was shifted out below the LSB. */
  readonly sticky: Expr;
}

/** `value >> amount` that also reports whether any 1 fell off the bottom. */
export function shiftRightSticky(value: Expr, amount: Expr): StickyShift {
  const width = value.width;
  // Amount bits worth the whole width or more clear the value: one OR of them replaces their stages.
  let stages = 0;
  while (stages < amount.width && 2 ** stages < width) stages++;
  let shifted = value;
  let sticky: Expr = zeros(1);
  if (stages < amount.width) {
    const clears = amount.slice(amount.width - 1, stages).orR();
    sticky = clears.and(value.orR());
    shifted = mux(clears, zeros(width), value);
  }
  for (let bit = 0; bit < stages; bit++) {
    const step = 2 ** bit;
    const take = amount.bit(bit);
    sticky = sticky.or(take.and(shifted.slice(step - 1, 0).orR()));
    shifted = mux(take, shifted.shr(step).zext(width), shifted);
  }
  return { value: shifted, sticky };
}

