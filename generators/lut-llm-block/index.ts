// The decoder block's stream kernels (block-spec section 3): RMSNorm, RoPE and SiLU-multiply, each
// a module with valid/ready streams of FP32 bit patterns and a cycle formula for free-running
// streams.

export { buildRmsnorm, checkRmsnormParams, rmsnormCycles, type RmsnormIo, type RmsnormParams } from './rmsnorm.js';
export { buildRope, checkRopeParams, ropeAngles, ropeCycles, type RopeIo, type RopeParams } from './rope.js';
export { buildSiluMul, SILU_MUL_LATENCY, siluMulCycles, type SiluMulIo } from './silu-mul.js';
export { float32Bits, type StreamPorts } from './common.js';
