// The LUT-LLM decoder block as a registered generator (`lutforge gen lut-llm-block`, synthesis,
// lint) and the host packing that `lutforge run lut-llm-block` drives it with.

import { emitVerilog } from '../../api/index.js';
import { defineGenerator } from '../registry.js';
import { buildLutLlmBlock } from './block.js';
import { lutLlmBlockConfig, lutLlmBlockShape } from './config.js';

export const lutLlmBlockGenerator = defineGenerator({
  name: 'lut-llm-block',
  description: 'LUT-LLM decoder block: one LUT-LLM linear engine reused for QKV, O, gate+up and down, with RMSNorm, RoPE, GQA attention over a KV cache and SiLU in FP32',
  schema: lutLlmBlockConfig,
  generate: (config) => emitVerilog(buildLutLlmBlock(config)),
  // The engine's lookups are the block's throughput: the other parts serve them.
  throughput: (config) => {
    const engine = lutLlmBlockShape(config).engine;
    return { perCycle: engine.positionsPerCycle * engine.lookupsPerCycle, unit: 'lookup' };
  },
});

export { buildLutLlmBlock } from './block.js';
export { lutLlmBlockConfig, lutLlmBlockShape, PROJECTIONS, type LutLlmBlockConfig, type LutLlmBlockShape, type Projection } from './config.js';
export { checkBlockRuns, packLutLlmBlock, unpackLutLlmBlock, type PhaseCycles } from './pack.js';
export { blockCycleModelMismatches, blockPhaseCycles, type BlockPhaseCycles, type MeasuredBlockRun } from './cycle-model.js';
export { BLOCK_PHASES, PROFILED_PHASES, type ProfiledPhase } from './phases.js';
export { buildAttention, attentionCyclesPerToken, attentionKvCycles, type AttentionParams } from './attention.js';
export { buildRmsnorm, checkRmsnormParams, rmsnormCycles, type RmsnormIo, type RmsnormParams } from './rmsnorm.js';
export { buildRope, checkRopeParams, ropeAngles, ropeCycles, type RopeIo, type RopeParams } from './rope.js';
export { buildSiluMul, SILU_MUL_LATENCY, siluMulCycles, type SiluMulIo } from './silu-mul.js';
export { float32Bits, type StreamPorts } from './common.js';
