// Floating-point hardware operators for any exponent/mantissa split, following the policy in
// format.ts (round to nearest even, gradual underflow unless flushSubnormals, canonical NaNs).
// Inline builders (fpAdd, fpMul, fpExp, ...) build the logic inside a module; the generators (fpAdder,
// fpMultiplier, ...) wrap each in a module of its own.

export * from '../../../contracts/fp-format.js';
export { fpLatency, type FpOptions } from './common.js';
export { fpAdd } from './add.js';
export { fpMul, type FpMulFormats } from './mul.js';
export { fpConvert, fpFromInt } from './convert.js';
export { fpScale } from './scale.js';
export { fpExp } from './exp.js';
export { fpReciprocal } from './reciprocal.js';
export { fpRsqrt } from './rsqrt.js';
export { fpCompare, fpNeg, type FpOrdering } from './compare.js';
export { fpUnpack, type Unpacked } from './unpack.js';
export { leadingZeros, type LeadingZeros } from './leading-zeros.js';
export { shiftLeft, shiftRightSticky, type StickyShift } from './shift.js';
export {
  fpAdder,
  fpConverter,
  fpExponential,
  fpIntConverter,
  fpMultiplier,
  fpReciprocalUnit,
  fpRsqrtUnit,
  fpScaler,
  type FpAdderParams,
  type FpBinaryIO,
  type FpConverterParams,
  type FpFunctionParams,
  type FpIntConverterParams,
  type FpMultiplierParams,
  type FpScalerIO,
  type FpScalerParams,
  type FpUnaryIO,
} from './modules.js';
