// The config keys of a matrix engine's tile and operands, the same for every family (the LUT
// Tensor Core, the MAC and ADD baselines, the dot-product arrays) so their configs line up.

import { z } from 'zod';
import { ACT_FORMATS } from '../../contracts/engine-widths.js';

/**
 * The tile and operand keys every matrix engine shares (tensor core, MAC and ADD baselines). The
 * texts of `k`, `wbits` and `act` say what the keys are to the LUT Tensor Core; a family whose
 * hardware reads them otherwise says so in its own schema (`lutforge list` prints the texts).
 */
export const tileConfigFields = {
  m: z.number().int().min(1).max(16).default(2).describe('activation rows per tile'),
  n: z.number().int().min(1).max(256).default(64).describe('output columns per tile'),
  k: z.number().int().min(1).max(8).default(4).describe('activations per unit and step (per table for the tensor core)'),
  wbits: z.number().int().min(1).max(4).default(2).describe('weight bits (bit planes, one per cycle, for the serial engines)'),
  act: z.enum(ACT_FORMATS).default('int8').describe('activation format: int8, int16, or fp16, bf16, fp8e4m3 (FP32 tables and accumulation)'),
  maxK: z.number().int().min(1).max(1 << 20).default(16384).describe('largest reduction length K the accumulators must hold'),
};
