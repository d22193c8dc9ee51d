// The golden soft-float: bit-exact models of the floating-point operations for every FpFormat up to
// 32 bits wide, following the policy in contracts/fp-format.ts (round to nearest even, gradual
// underflow unless flushSubnormals, canonical NaNs, `fn` overflow to NaN). Bit patterns are plain
// unsigned numbers below 2^width.

export type { FpOptions } from './softfloat/core.js';
export { fpAdd, fpConvert, fpFromInt, fpMul, fpRound, fpScale, fpSub } from './softfloat/arith.js';
export { fpCompare, fpDecode, fpIsNaN, fpNeg, type FpOrder } from './softfloat/inspect.js';
export { fpExp, fpReciprocal, fpRsqrt } from './softfloat/functions.js';
