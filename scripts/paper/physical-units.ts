// The arithmetic of the physical-units section, kept apart from its rendering so that it can be
// checked by hand (tb/scripts/paper/physical-units.test.ts): density in operations per second per
// mm^2 from MACs per cycle, a clock and an area, and the same figures scaled to 28 nm.

import { SCALING_180_TO_28 } from '../../synth/process-scaling.js';

/** The LUT Tensor Core paper counts a multiply-accumulate as two operations. */
export const OPS_PER_MAC = 2;

/**
 * Tera-operations per second per mm^2: 2 x MACs/cycle x f[MHz] x 1e6 / 1e12 over area[um^2] / 1e6,
 * which comes to 2 x MACs/cycle x f[MHz] / area[um^2].
 */
export function teraOpsPerMm2(macsPerCycle: number, clockMhz: number, areaUm2: number): number {
  if (!(areaUm2 > 0)) throw new RangeError(`area must be positive, got ${areaUm2}`);
  return (OPS_PER_MAC * macsPerCycle * clockMhz) / areaUm2;
}

/** What one standard-cell point measured, as the explore figures give it. */
export interface CellFigures {
  readonly macsPerCycle: number;
  readonly areaUm2: number;
  readonly memoryAreaUm2: number;
  readonly fmaxMhz: number;
}

/** Densities of one point: at its own fmax and at a common clock, without and with the SRAM macros. */
export interface Densities {
  readonly ownLogic: number;
  readonly ownWithMemory: number;
  readonly commonLogic: number;
  readonly commonWithMemory: number;
}

export function densities(point: CellFigures, commonMhz: number): Densities {
  const withMemory = point.areaUm2 + point.memoryAreaUm2;
  return {
    ownLogic: teraOpsPerMm2(point.macsPerCycle, point.fmaxMhz, point.areaUm2),
    ownWithMemory: teraOpsPerMm2(point.macsPerCycle, point.fmaxMhz, withMemory),
    commonLogic: teraOpsPerMm2(point.macsPerCycle, commonMhz, point.areaUm2),
    commonWithMemory: teraOpsPerMm2(point.macsPerCycle, commonMhz, withMemory),
  };
}

/**
 * The point as it might be at 28 nm (an estimate, never a measurement): area times the area
 * factor, fmax divided by the delay factor (synth/process-scaling.ts, Stillmaker-Baas 2017).
 */
export function scaledTo28(point: CellFigures): CellFigures {
  const { area, delay } = SCALING_180_TO_28.factors;
  return { macsPerCycle: point.macsPerCycle, areaUm2: point.areaUm2 * area, memoryAreaUm2: point.memoryAreaUm2 * area, fmaxMhz: point.fmaxMhz / delay };
}

/** Energy per MAC scaled to 28 nm by the energy factor (an estimate). */
export function energyTo28(energyPj: number): number {
  return energyPj * SCALING_180_TO_28.factors.energy;
}

/** mm^2 from um^2. */
export const mm2 = (um2: number): number => um2 / 1e6;

/** The paper's names of the activation formats. */
export const actName = (act: string): string => ({ fp16: 'FP16', bf16: 'BF16', int16: 'INT16', fp8e4m3: 'FP8', int8: 'INT8' })[act] ?? act;
