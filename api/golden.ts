// `lutforge/golden`: the reference kernels the hardware is checked against, bit for bit. Plain
// TypeScript, no hardware: the integer definition `mpgemmInt`, bit-exact models of the LUT Tensor
// Core's algorithm (integer and floating point), the MAC baseline's FP order, the LUT-LLM model,
// and the soft-float they are built on (under `softfloat`, since its names match the hardware
// operators of `lutforge`).

export { mpgemmInt, tiledBeats } from '../golden/mpgemm.js';
export { buildTable, lookupSymmetric, lutMpgemm, lutStreamModel, symmetricEntries, type LutOptions } from '../golden/lut-mpgemm.js';
export { lutFpMpgemm, lutFpStreamModel, macFpMpgemm, mpgemmFloat64, type FpLutOptions, type FpMacOptions } from '../golden/lut-mpgemm-fp.js';
export { activationIndices, activationValues, denseReference, lutLlmAccumulate, lutLlmDequantize, lutLlmForward, nearestCentroid, relativeError, syntheticLlmData, type SyntheticLlmData } from '../golden/lut-llm.js';
export { extremeOperands, randomFloatOperands, randomOperands, type FloatOperandOptions, type OperandRanges } from '../golden/operands.js';
export * as softfloat from '../golden/softfloat.js';
export type { LlmActivations, LutLlmLayer } from '../contracts/lut-llm-layer.js';
export { seededRandom } from '../golden/random.js';
