// Constants as bit patterns: JS numbers made exact, and two's complement values converted to and
// from the unsigned patterns that expression nodes store.

import { ShapeError } from './errors.js';

/** A JS constant as an exact bigint; numbers beyond 2^53 would already have lost bits. */
export function toBigInt(value: number | bigint | boolean): bigint {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new ShapeError(`constant ${value} is not a safe integer; pass a bigint`);
    return BigInt(value);
  }
  return value;
}

/** The two's complement bit pattern of `value` in `width` bits. */
export function asUnsignedBits(value: bigint, width: number): bigint {
  return BigInt.asUintN(width, value);
}

/** The value a `width`-bit two's complement pattern stands for. */
export function toSignedValue(bits: bigint, width: number): bigint {
  return BigInt.asIntN(width, bits);
}

/** Bits `hi` down to `lo` of `value`. */
export function bitsOf(value: bigint, hi: number, lo: number): bigint {
  return (value >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}
