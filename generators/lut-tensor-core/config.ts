// Configuration of the LUT Tensor Core engine. The widths every part of it derives from are in
// contracts/engine-widths.ts, shared with the host packing and the golden models.

import { z } from 'zod';
import { ACT_FORMATS, isFloatAct } from '../../contracts/engine-widths.js';

/** The tile and operand keys every matrix engine shares (tensor core, MAC and ADD baselines). */
export const tileConfigFields = {
  m: z.number().int().min(1).max(16).default(2).describe('activation rows per tile'),
  n: z.number().int().min(1).max(256).default(64).describe('output columns per tile'),
  k: z.number().int().min(1).max(8).default(4).describe('activations per unit and step (per table for the tensor core)'),
  wbits: z.number().int().min(1).max(4).default(2).describe('weight bits (bit planes, one per cycle, for the serial engines)'),
  act: z.enum(ACT_FORMATS).default('int8').describe('activation format: int8, int16, or fp16, bf16, fp8e4m3 (FP32 tables and accumulation)'),
  maxK: z.number().int().min(1).max(1 << 20).default(16384).describe('largest reduction length K the accumulators must hold'),
};

export const tensorCoreConfig = z
  .strictObject({
    ...tileConfigFields,
    symmetric: z.boolean().default(true).describe('store 2^(k-1) table entries and flip the sign by the top weight bit'),
    reinterpret: z.boolean().default(true).describe('read weight bits as {-1,+1} (false: {0,1}, the unsigned table of the ablation)'),
    precompute: z.enum(['shared', 'per-unit']).default('shared').describe('one table unit per activation row, or one beside every LUT unit'),
  })
  .refine((config) => config.reinterpret || !config.symmetric, {
    message: 'symmetric tables need the {-1,+1} reinterpretation: set reinterpret to true or symmetric to false',
    path: ['symmetric'],
  })
  .refine((config) => config.precompute === 'shared' || !isFloatAct(config.act), {
    message: 'per-unit precompute is an integer-activation ablation; floating-point activations need precompute=shared',
    path: ['precompute'],
  });
export type TensorCoreConfig = z.output<typeof tensorCoreConfig>;

