// What the function operators (exp, reciprocal, rsqrt) share: they are built for FP32 only (their
// fixed-point widths and tables are sized for a 24-bit significand), they work on the significand
// of a normalized input, and they compute in signed fixed point with explicit truncations, which
// the golden model (golden/softfloat/functions.ts) restates step by step.

import { ShapeError } from '../../errors.js';
import { lit, type Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { select } from '../../select.js';
import { UInt } from '../../shape.js';
import type { FpFormat } from '../../../contracts/fp-format.js';
import { leadingZeros } from './leading-zeros.js';
import { shiftLeft } from './shift.js';
import { checkOperand, zeros } from './common.js';
import { fpUnpack, type Unpacked } from './unpack.js';

/** Checks the operand and that `format` is FP32 (8 exponent bits, 23 fraction bits, IEEE specials), and decodes it. */
export function fp32Operand(value: Expr, format: FpFormat, operator: string, name: string, flush: boolean): Unpacked {
  checkOperand(value, format, `${operator} '${name}' operand`);
  if (format.exponent !== 8 || format.mantissa !== 23 || format.specials !== 'ieee') {
    throw new ShapeError(`${operator} '${name}' supports FP32 only (8 exponent and 23 fraction bits, IEEE specials), got ${format.name}`);
  }
  return fpUnpack(value, format, flush);
}

export interface NormalizedSignificand {
  /** The significand shifted left until its MSB is set (a nonzero input). */
  readonly significand: Expr;
  /** How far it moved: its leading-zero count (a constant 0 when subnormals are flushed). */
  readonly shift: Expr;
}

/** Moves a subnormal's leading 1 up to the hidden-bit position; normals pass unchanged. */
export function normalizeSignificand(m: ModuleBuilder, name: string, significand: Expr, flush: boolean): NormalizedSignificand {
  // Under DAZ a subnormal reads as zero, so every significand left is 0 or already normalized.
  if (flush) return { significand, shift: zeros(1) };
  const shift = m.node(`${name}_input_lz`, leadingZeros(significand).count);
  return { significand: m.node(`${name}_input_normalized`, shiftLeft(significand, shift, significand.width - 1)), shift };
}

/** An unsigned value read as a (non-negative) signed one, one bit wider. */
export function signed(value: Expr): Expr {
  return value.signed ? value : value.zext(value.width + 1).asSigned();
}

/** `table[index]` over constant entries of `width` bits: a ROM as a mux tree of constants. */
export function constantTable(index: Expr, table: readonly bigint[], width: number): Expr {
  return select(index, table.map((entry) => lit(entry, UInt(width))), { indexInRange: true });
}
