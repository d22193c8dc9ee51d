// `lutforge/golden`: the reference kernels the hardware is checked against, bit for bit. Plain
// TypeScript, no hardware: the integer definition `mpgemmInt`, bit-exact models of the LUT Tensor
// Core's algorithm (integer and floating point), the MAC baseline's FP order, the LUT-LLM model,
// and the soft-float they are built on (under `softfloat`, since its names match the hardware
// operators of `lutforge`).

export { mpgemmInt, tiledBeats } from '../tb/golden/mpgemm.js';
export { buildTable, lookupSymmetric, lutMpgemm, lutStreamModel, symmetricEntries, type LutOptions } from '../tb/golden/lut-mpgemm.js';
export { lutFpMpgemm, lutFpStreamModel, macFpMpgemm, mpgemmFloat64, type FpLutOptions, type FpMacOptions } from '../tb/golden/lut-mpgemm-fp.js';
export {
  activationIndices,
  activationValues,
  denseReference,
  lutLlmAccumulate,
  lutLlmDequantize,
  lutLlmForward,
  nearestCentroid,
  relativeError,
  syntheticLlmData,
  type LlmActivations,
  type LutLlmLayer,
  type SyntheticLlmData,
} from '../tb/golden/lut-llm.js';
export {
  extremeOperands,
  randomFloatOperands,
  randomOperands,
  seededRandom,
  type FloatOperandOptions,
  type OperandRanges,
} from '../tb/golden/operands.js';
export * as softfloat from '../tb/golden/softfloat.js';
