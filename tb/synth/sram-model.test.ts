// The SRAM model against the published figures it is built from, typed here again from the
// GF180MCU datasheets (tables 4.3 and 5.3, typical corner, 1.8 V, 25 °C) and Liberty views, so a
// slip in the model's table fails; then its tiling, port and monotonicity rules.

import { describe, expect, it } from 'vitest';
import { estimateSram, logicBitcellAreaFloorUm2, portAreaFactor, SRAM_MODEL, type MemoryShape } from '../../synth/sram-model.js';

/** The model reproduces the published macros exactly: they are its table. Allow float noise only. */
const RELATIVE_TOLERANCE = 1e-12;

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * RELATIVE_TOLERANCE);
}

function shape(widthBits: number, depth: number, readPorts = 1, writePorts = 0): MemoryShape {
  return { name: `m${widthBits}x${depth}`, widthBits, depth, readPorts, writePorts };
}

// depth, area µm², AC read and write (µW at 1 MHz = pJ), leakage mW, Tal ns (> Tah), Tcyc ns.
const DATASHEETS = [
  { depth: 64, area: 100571.5568, read: 84.3399, write: 92.043, leakage: 1.699488e-5, access: 16.1808, cycle: 21.4387 },
  { depth: 128, area: 116118.5168, read: 88.7733, write: 96.498, leakage: 2.60946e-5, access: 16.5192, cycle: 21.8315 },
  { depth: 256, area: 147212.4368, read: 93.51, write: 102.006, leakage: 4.42944e-5, access: 17.106, cycle: 22.4703 },
  { depth: 512, area: 209400.2768, read: 103.176, write: 112.563, leakage: 8.06994e-5, access: 18.2016, cycle: 23.5606 },
] as const;

describe('published GF180MCU macros', () => {
  for (const sheet of DATASHEETS) {
    it(`reproduces sram${sheet.depth}x8 at the typical corner`, () => {
      const estimate = estimateSram(shape(8, sheet.depth));
      expect(estimate.macros).toBe(1);
      expect(estimate.bits).toBe(8 * sheet.depth);
      expectClose(estimate.areaUm2, sheet.area);
      expectClose(estimate.readEnergyPj, sheet.read);
      expectClose(estimate.writeEnergyPj, sheet.write);
      expectClose(estimate.leakageMw, sheet.leakage);
      expectClose(estimate.accessNs, sheet.access);
      // The datasheet rounds Tcyc to four decimals; the Liberty min_period has five.
      expect(estimate.cycleNs).toBeCloseTo(sheet.cycle, 3);
    });
  }

  it('rounds a depth up to the next published macro, as a designer with this family must', () => {
    const between = estimateSram(shape(8, 100));
    const at128 = estimateSram(shape(8, 128));
    expect({ ...between, bits: 0 }).toEqual({ ...at128, bits: 0 });
    expect(between.bits).toBe(800);
    expect(estimateSram(shape(8, 2)).areaUm2).toBe(DATASHEETS[0].area);
  });
});

describe('tiling by the family size limits', () => {
  const top = DATASHEETS[3];

  it('puts ceil(width / 8) macros side by side and ceil(depth / 512) banks one above another', () => {
    const estimate = estimateSram(shape(64, 2048));
    expect(estimate.macros).toBe(8 * 4);
    expectClose(estimate.areaUm2, 32 * top.area);
    // One bank reads; the other three banks' eight macros are clocked while deselected.
    expectClose(estimate.readEnergyPj, 8 * top.read + 24 * 8.06994e-5);
    expectClose(estimate.writeEnergyPj, 8 * top.write + 24 * 8.06994e-5);
    expectClose(estimate.leakageMw, 32 * top.leakage);
    expectClose(estimate.accessNs, top.access);
  });

  it('gives one area to every factorisation of the same bits into whole macros', () => {
    const areas = [shape(176, 4096), shape(704, 1024), shape(1408, 512)].map((s) => estimateSram(s));
    for (const estimate of areas) {
      expect(estimate.bits).toBe(720_896);
      expect(estimate.macros).toBe(176);
      expectClose(estimate.areaUm2, 176 * top.area);
    }
    // Energy per access does differ: a wider word reads more macros at once.
    expect(areas[2]!.readEnergyPj).toBeGreaterThan(areas[0]!.readEnergyPj);
  });

  it('rounds a ragged width up to whole x8 macros', () => {
    expect(estimateSram(shape(9, 512)).macros).toBe(2);
    expect(estimateSram(shape(9, 512)).bits).toBe(4608);
  });
});

describe('monotonicity', () => {
  it('more words: more area, more energy per access, more leakage', () => {
    const depths = [64, 128, 256, 512, 1024, 2048, 4096, 8192];
    const estimates = depths.map((depth) => estimateSram(shape(32, depth)));
    for (let i = 1; i < estimates.length; i++) {
      const [smaller, larger] = [estimates[i - 1]!, estimates[i]!];
      expect(larger.areaUm2).toBeGreaterThan(smaller.areaUm2);
      expect(larger.readEnergyPj).toBeGreaterThan(smaller.readEnergyPj);
      expect(larger.writeEnergyPj).toBeGreaterThan(smaller.writeEnergyPj);
      expect(larger.leakageMw).toBeGreaterThan(smaller.leakageMw);
      expect(larger.accessNs).toBeGreaterThanOrEqual(smaller.accessNs);
    }
  });

  it('wider words: more area and more energy per access', () => {
    const widths = [8, 16, 64, 256, 1024];
    const estimates = widths.map((width) => estimateSram(shape(width, 1024)));
    for (let i = 1; i < estimates.length; i++) {
      expect(estimates[i]!.areaUm2).toBeGreaterThan(estimates[i - 1]!.areaUm2);
      expect(estimates[i]!.readEnergyPj).toBeGreaterThan(estimates[i - 1]!.readEnergyPj);
    }
  });

  it('more ports: more area and leakage, by CACTI multiport cell rule', () => {
    const one = estimateSram(shape(64, 1024, 1, 0));
    const two = estimateSram(shape(64, 1024, 1, 1));
    const three = estimateSram(shape(64, 1024, 2, 1));
    // CACTI's 180 nm cell: 146 F², aspect 1.46, so 10 F x 14.6 F; each extra port adds 2 x 2.5 F.
    expectClose(two.areaUm2 / one.areaUm2, (15 * 19.6) / 146);
    expectClose(three.areaUm2 / one.areaUm2, (20 * 24.6) / 146);
    expect(three.leakageMw).toBeGreaterThan(two.leakageMw);
    expect(two.leakageMw).toBeGreaterThan(one.leakageMw);
    expect(portAreaFactor(1)).toBe(1);
  });
});

describe('the logic-cell floor', () => {
  it('is the bits in CACTI 146 F² cell at F = 0.18 µm, below the macro estimate', () => {
    const s = shape(64, 4096);
    expectClose(logicBitcellAreaFloorUm2(s), 262_144 * 146 * 0.18 * 0.18);
    expect(logicBitcellAreaFloorUm2(s)).toBeLessThan(estimateSram(s).areaUm2);
    expectClose(SRAM_MODEL.logicBitcellUm2, 4.7304);
  });

  it('sits below the published macros, which add periphery to a 13.5 µm² cell', () => {
    for (const sheet of DATASHEETS) {
      expect(8 * sheet.depth * SRAM_MODEL.gf180mcuBitcellUm2).toBeLessThan(sheet.area);
      expect(logicBitcellAreaFloorUm2(shape(8, sheet.depth))).toBeLessThan(8 * sheet.depth * SRAM_MODEL.gf180mcuBitcellUm2);
    }
  });
});

describe('invalid shapes', () => {
  it('rejects zero, fractional and negative sizes and ports, naming the memory and the field', () => {
    expect(() => estimateSram({ ...shape(8, 64), name: 'tables', widthBits: 0 })).toThrow(new RangeError("memory 'tables': widthBits must be a positive integer, got 0"));
    expect(() => estimateSram(shape(8, 0))).toThrow(/depth must be a positive integer, got 0/);
    expect(() => estimateSram(shape(8, 1.5))).toThrow(/depth must be a positive integer, got 1.5/);
    expect(() => estimateSram(shape(8, 64, 0, 1))).toThrow(/readPorts must be a positive integer, got 0/);
    expect(() => estimateSram(shape(8, 64, 1, -1))).toThrow(/writePorts must be a non-negative integer, got -1/);
    expect(() => estimateSram(shape(Number.NaN, 64))).toThrow(RangeError);
    expect(() => logicBitcellAreaFloorUm2(shape(8, 0))).toThrow(RangeError);
  });
});
