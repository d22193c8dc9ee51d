// Configuration of the LUT Tensor Core engine. The widths every part of it derives from are in
// contracts/engine-widths.ts, shared with the host packing and the golden models.

import { z } from 'zod';
import { isFloatAct } from '../../contracts/engine-widths.js';
import { tileConfigFields } from '../matmul-engine/tile-config.js';

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

