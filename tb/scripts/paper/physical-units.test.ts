// The physical-units section's arithmetic, checked on numbers worked out by hand: a density in
// TOPs/mm^2 must follow from MACs per cycle, clock and area, and the 28 nm figures from the
// scaling factors, or every table of the section is off by the same mistake.

import { describe, expect, it } from 'vitest';
import type { PowerReport } from '../../../host/power.js';
import { logicEnergyPj } from '../../../scripts/paper/physical-power.js';
import { densities, energyTo28, scaledTo28, teraOpsPerMm2 } from '../../../scripts/paper/physical-units.js';
import { SCALING_180_TO_28 } from '../../../synth/process-scaling.js';

describe('density in TOPs/mm^2', () => {
  it('counts two operations per MAC', () => {
    // 512 MACs/cycle at 100 MHz = 1.024e11 ops/s = 0.1024 TOPs, over 1 mm^2.
    expect(teraOpsPerMm2(512, 100, 1e6)).toBeCloseTo(0.1024, 12);
    // The same over 0.01 mm^2 is 100 times denser.
    expect(teraOpsPerMm2(512, 100, 1e4)).toBeCloseTo(10.24, 10);
  });

  it('refuses an empty area', () => {
    expect(() => teraOpsPerMm2(1, 100, 0)).toThrow(RangeError);
  });

  it('gives own-fmax and common-clock figures, without and with the memories', () => {
    const d = densities({ macsPerCycle: 256, areaUm2: 2e5, memoryAreaUm2: 6e5, fmaxMhz: 250 }, 100);
    expect(d.ownLogic).toBeCloseTo((2 * 256 * 250) / 2e5, 12);
    expect(d.ownWithMemory).toBeCloseTo((2 * 256 * 250) / 8e5, 12);
    expect(d.commonLogic).toBeCloseTo((2 * 256 * 100) / 2e5, 12);
    expect(d.commonWithMemory).toBeCloseTo((2 * 256 * 100) / 8e5, 12);
  });
});

describe('28 nm estimates', () => {
  const { area, delay, energy } = SCALING_180_TO_28.factors;

  it('shrinks areas by the area factor and raises fmax by the inverse delay factor', () => {
    const scaled = scaledTo28({ macsPerCycle: 8, areaUm2: 1000, memoryAreaUm2: 500, fmaxMhz: 200 });
    expect(scaled.areaUm2).toBeCloseTo(1000 * area, 9);
    expect(scaled.memoryAreaUm2).toBeCloseTo(500 * area, 9);
    expect(scaled.fmaxMhz).toBeCloseTo(200 / delay, 9);
    expect(scaled.macsPerCycle).toBe(8);
    // Density then grows by 1 / (area x delay), about 480x for these factors.
    const gain = teraOpsPerMm2(8, scaled.fmaxMhz, scaled.areaUm2) / teraOpsPerMm2(8, 200, 1000);
    expect(gain).toBeCloseTo(1 / (area * delay), 6);
  });

  it('scales energy by the energy factor', () => {
    expect(energyTo28(10)).toBeCloseTo(10 * energy, 12);
  });
});

describe('energy per MAC of the logic alone', () => {
  it('takes the memories out in proportion to their power', () => {
    // 4 mW of 10 are memories: the logic's share of 2 pJ/MAC is 1.2 pJ.
    const report = { powerMw: 10, dynamicMw: 5.5, leakageMw: 0.5, memoryMw: 4, energyPerOpPj: 2 } as PowerReport;
    expect(logicEnergyPj(report)).toBeCloseTo(1.2, 12);
  });
});
