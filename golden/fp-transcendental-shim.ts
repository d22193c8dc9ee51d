// TEMPORARY (branch bgolden): stand-ins for fpExp / fpReciprocal / fpRsqrt until the `fpops`
// branch lands them in golden/softfloat.ts with the API of block-spec.md; delete this file then.
// Decoded, computed in float64, rounded once to FP32 (Float32Array rounds to nearest even and
// keeps subnormals); NaN results become the canonical NaN.

import type { FpFormat } from '../contracts/fp-format.js';
import { fpDecode } from './softfloat.js';

const box = new Float32Array(1);
const bitsOf = new Uint32Array(box.buffer);

function fp32Pattern(value: number): number {
  box[0] = Number.isNaN(value) ? NaN : value;
  return Number.isNaN(value) ? 0x7fc0_0000 : bitsOf[0]!;
}

export function fpExp(format: FpFormat, bits: number): number {
  return fp32Pattern(Math.exp(fpDecode(format, bits)));
}

export function fpReciprocal(format: FpFormat, bits: number): number {
  return fp32Pattern(1 / fpDecode(format, bits));
}

export function fpRsqrt(format: FpFormat, bits: number): number {
  const x = fpDecode(format, bits);
  // IEEE rSqrt: rsqrt(-0) = -inf.
  return fp32Pattern(Object.is(x, -0) ? -Infinity : 1 / Math.sqrt(x));
}
