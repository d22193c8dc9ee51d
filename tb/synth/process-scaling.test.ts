// The 180 nm to 28 nm factors against Stillmaker and Baas' coefficients, typed here again, and
// scale180To28 applying them as docs/design/physical.md says.

import { describe, expect, it } from 'vitest';
import { SCALING_180_TO_28, scale180To28 } from '../../synth/process-scaling.js';

const { factors } = SCALING_180_TO_28;

describe('the factors', () => {
  it('evaluates the 32 nm HP energy fit at 0.9 V to the corrigendum value, 0.4571', () => {
    const [a, b, c] = SCALING_180_TO_28.toNode.energy;
    expect(a * 0.81 + b * 0.9 + c).toBeCloseTo(0.4571, 4);
    expect(SCALING_180_TO_28.toNode.vdd).toBe(0.9);
    expect(SCALING_180_TO_28.fromNode.vdd).toBe(1.8);
  });

  it('divides the 32 nm HP fits at 0.9 V by the 180 nm fits at 1.8 V', () => {
    const delay180 = 97.09 * 1.8 ** 2 - 356.7 * 1.8 + 406.5;
    const delay32 = -1047 * 0.9 ** 3 + 2982 * 0.9 ** 2 - 2797 * 0.9 + 873.5;
    expect(factors.delay).toBeCloseTo(delay32 / delay180, 12);
    expect(factors.energy).toBeCloseTo((0.8367 * 0.81 - 0.4341 * 0.9 + 0.1701) / (24.64 * 1.8 - 17.98), 12);
    expect(factors.power).toBeCloseTo((4001 * 0.81 - 1733 * 0.9 + 533.6) / (101000 * 1.8 - 79720), 12);
    // Rounded, as docs/design/physical.md states them.
    expect(factors.delay).toBeCloseTo(0.1058, 4);
    expect(factors.energy).toBeCloseTo(0.01733, 5);
    expect(factors.power).toBeCloseTo(0.02170, 5);
  });

  it('interpolates area geometrically between the 32 nm (0.025) and 20 nm (0.011) table entries', () => {
    const fraction = Math.log(32 / 28) / Math.log(32 / 20);
    expect(factors.area).toBeCloseTo(0.025 * (0.011 / 0.025) ** fraction, 12);
    expect(factors.area).toBeLessThan(0.025);
    expect(factors.area).toBeGreaterThan(0.011);
    expect(factors.area).toBeCloseTo(0.0198, 4);
  });

  it('keeps the classic constant-field factors apart, for comparison only', () => {
    expect(SCALING_180_TO_28.constantField.area).toBeCloseTo((28 / 180) ** 2, 12);
    expect(SCALING_180_TO_28.constantField.delay).toBeCloseTo(28 / 180, 12);
    expect(SCALING_180_TO_28.estimate).toBe(true);
  });
});

describe('scale180To28', () => {
  it('multiplies each figure given by its factor', () => {
    const scaled = scale180To28({ areaUm2: 1_000_000, delayNs: 10, energyPj: 100, powerMw: 5 });
    expect(scaled.areaUm2).toBeCloseTo(1_000_000 * factors.area, 6);
    expect(scaled.delayNs).toBeCloseTo(10 * factors.delay, 12);
    expect(scaled.energyPj).toBeCloseTo(100 * factors.energy, 12);
    expect(scaled.powerMw).toBeCloseTo(5 * factors.power, 12);
  });

  it('returns only the figures it was given', () => {
    expect(Object.keys(scale180To28({ delayNs: 2 }))).toEqual(['delayNs']);
    expect(scale180To28({})).toEqual({});
    expect(scale180To28({ energyPj: 0 })).toEqual({ energyPj: 0 });
  });

  it('rejects negative and non-finite figures', () => {
    expect(() => scale180To28({ areaUm2: -1 })).toThrow(new RangeError('areaUm2 must be a finite non-negative number, got -1'));
    expect(() => scale180To28({ powerMw: Number.POSITIVE_INFINITY })).toThrow(/powerMw must be a finite/);
    expect(() => scale180To28({ delayNs: Number.NaN })).toThrow(RangeError);
  });
});
