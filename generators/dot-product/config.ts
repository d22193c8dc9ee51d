// Configuration of a dot-product array: `units` dot-product units of one kind sharing one
// activation group, the level at which the LUT Tensor Core paper compares LUT, MAC and ADD units
// (its K sweep and its weight-width sweep) rather than whole engines.

import { z } from 'zod';
import type { Throughput } from '../registry.js';
import { TABLE_KINDS } from '../../contracts/table-kind.js';
import { ACT_FORMATS, isFloatAct } from '../../contracts/engine-widths.js';
import { tileConfigFields } from '../matmul-engine/tile-config.js';

/**
 * - `lut`: one table precompute broadcast to every unit (the LUT Tensor Core);
 * - `lut-local`: each unit builds its own table (the conventional LUT);
 * - `add`: each unit adds the activations whose weight bit is set (bit-serial ADD, UNPU);
 * - `mac`: each unit multiplies k activation/weight pairs.
 */
export const DOT_PRODUCT_KINDS = ['lut', 'lut-local', 'add', 'mac'] as const;
export type DotProductKind = (typeof DOT_PRODUCT_KINDS)[number];

export const dotProductConfig = z
  .strictObject({
    kind: z.enum(DOT_PRODUCT_KINDS).default('lut').describe("unit kind: 'lut' (shared table), 'lut-local' (table per unit), 'add' (bit-serial add-or-skip), 'mac' (multipliers)"),
    k: tileConfigFields.k.describe('activations per unit and step (per table for the lut kinds)'),
    wbits: z.number().int().min(1).max(8).default(1).describe("weight bits: bit planes (one per cycle) for the serial kinds; 'mac' multiplies by wbits+1-bit q - z"),
    act: z.enum(ACT_FORMATS).default('int8').describe("activation format; fp16, bf16, fp8e4m3 only with 'lut' (FP32 tables) and 'mac' (weights in the activation format)"),
    table: z.enum(TABLE_KINDS).default('symmetric').describe("table of the lut kinds: 'symmetric' (2^(k-1) entries), 'naive' (2^k, {-1,+1}) or 'unsigned' (2^k, {0,1})"),
    units: z.number().int().min(1).max(256).default(64).describe("units sharing one activation group (for 'lut', one table precompute serves them all)"),
    maxK: tileConfigFields.maxK,
  })
  .refine((config) => !isFloatAct(config.act) || config.kind === 'lut' || config.kind === 'mac', {
    message: "floating-point activations run on kind 'lut' (FP32 tables) or 'mac'; 'lut-local' and 'add' take int8 or int16",
    path: ['act'],
  })
  .refine((config) => config.table === 'symmetric' || config.kind === 'lut' || config.kind === 'lut-local', {
    message: "table applies to kinds 'lut' and 'lut-local' only ('add' has no table, 'mac' multiplies): leave it at 'symmetric'",
    path: ['table'],
  });
export type DotProductConfig = z.output<typeof dotProductConfig>;

/** Whether the units take one weight bit plane per cycle (every kind but 'mac'). */
export function isSerialKind(kind: DotProductKind): boolean {
  return kind !== 'mac';
}

/** MACs per cycle at full rate: a serial unit finishes k weights every wbits cycles, a MAC unit every cycle. */
export function dotProductThroughput(config: DotProductConfig): Throughput {
  const perUnit = isSerialKind(config.kind) ? config.k / config.wbits : config.k;
  return { perCycle: config.units * perUnit, unit: 'MAC' };
}
