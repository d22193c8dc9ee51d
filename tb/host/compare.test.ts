// The comparison's bookkeeping without tools: the baseline takes the design's tile and refuses
// what would change it, and every ratio is the quotient of the two designs' own figures, each
// derived figure (density, throughput at fmax, energy of the logic) from that design's figures.

import { describe, expect, it } from 'vitest';
import { matmulEngines } from '../../generators/engines.js';
import { baselineFor, powerFigures, targetFigures, type ComparedFigure, type EngineConfig, type EngineSide } from '../../host/compare.js';
import { comparisonReport, formatRatio } from '../../host/compare-report.js';
import { UsageError } from '../../host/errors.js';
import type { PowerReport } from '../../host/power.js';
import type { SynthReport } from '../../synth/synthesize.js';
import type { MatmulEngine } from '../../generators/matmul-engine/interface.js';

function side(name: 'tensor-core' | 'mac' | 'add', input: object = {}): EngineSide {
  const engine = matmulEngines.get(name) as unknown as MatmulEngine<EngineConfig>;
  return { engine, config: engine.generator.schema.parse(input) as EngineConfig };
}

const report = (fields: object): SynthReport => ({ flattened: false, yosys: 'test', ...fields }) as unknown as SynthReport;

function figureNamed(figures: readonly ComparedFigure[], name: string): ComparedFigure {
  const found = figures.find((f) => f.figure === name);
  if (found === undefined) throw new Error(`no figure '${name}' (have ${figures.map((f) => f.figure).join(', ')})`);
  return found;
}

describe('baselineFor', () => {
  it("copies the design's tile into the baseline and leaves its own parameters at their defaults", () => {
    const design = side('tensor-core', { m: 1, n: 8, k: 2, wbits: 3, act: 'int16', maxK: 512, symmetric: false });
    const baseline = baselineFor(design, 'mac');
    expect(baseline.engine.name).toBe('mac');
    expect(baseline.config).toEqual({ m: 1, n: 8, k: 2, wbits: 3, act: 'int16', maxK: 512, narrowWeights: false });
  });

  it("takes the baseline's own settings but not the tile's", () => {
    const design = side('tensor-core');
    expect(baselineFor(design, 'mac', { narrowWeights: true }).config).toMatchObject({ narrowWeights: true, wbits: 2 });
    expect(() => baselineFor(design, 'mac', { wbits: 1 })).toThrow(new UsageError("--baseline-set wbits: the baseline takes the design's tile (m, n, k, wbits, act, maxK); change it with --set"));
  });

  it('refuses an unknown baseline, the design itself, and a tile the baseline cannot take', () => {
    expect(() => baselineFor(side('tensor-core'), 'dsp')).toThrow(new UsageError("unknown baseline 'dsp' (known: mac, add)"));
    expect(() => baselineFor(side('mac'), 'mac')).toThrow(UsageError);
    expect(() => baselineFor(side('tensor-core', { act: 'fp16' }), 'add')).toThrow(/^--baseline add: add: config\.act: the ADD baseline takes integer activations/);
  });
});

describe('targetFigures', () => {
  it('cmos: every ratio is design / baseline, density from each side alone', () => {
    const figures = targetFigures(
      { report: report({ target: 'cmos', transistors: 40_000, memoryBits: 3_000, cells: 1, depth: 1 }), perCycle: 32 },
      { report: report({ target: 'cmos', transistors: 160_000, memoryBits: 1_000, cells: 1, depth: 1 }), perCycle: 64 },
    );
    expect(figureNamed(figures, 'throughput')).toMatchObject({ design: 32, baseline: 64, ratio: 0.5 });
    expect(figureNamed(figures, 'area')).toMatchObject({ design: 40_000, baseline: 160_000, ratio: 0.25 });
    expect(figureNamed(figures, 'memory').ratio).toBe(3);
    const density = figureNamed(figures, 'density');
    expect(density).toMatchObject({ design: 0.8, baseline: 0.4 });
    expect(density.ratio).toBeCloseTo(2, 12);
    for (const f of figures) expect(f.includes.length).toBeGreaterThan(10);
  });

  it('osu018: logic and logic + memories apart, at one clock and at each fmax', () => {
    const figures = targetFigures(
      { report: report({ target: 'osu018', areaUm2: 2e6, memoryAreaUm2: 8e6, fmaxMhz: 50 }), perCycle: 100 },
      { report: report({ target: 'osu018', areaUm2: 8e6, memoryAreaUm2: 2e6, fmaxMhz: 100 }), perCycle: 100 },
    );
    expect(figureNamed(figures, 'area: logic').ratio).toBeCloseTo(0.25, 12);
    expect(figureNamed(figures, 'area: logic + memories').ratio).toBeCloseTo(1, 12);
    expect(figureNamed(figures, 'throughput at fmax')).toMatchObject({ design: 5, baseline: 10, ratio: 0.5 });
    expect(figureNamed(figures, 'density at one clock: logic').ratio).toBeCloseTo(4, 12);
    expect(figureNamed(figures, 'density at one clock: logic + memories').ratio).toBeCloseTo(1, 12);
    expect(figureNamed(figures, 'density at fmax: logic').ratio).toBeCloseTo(2, 12);
    expect(figureNamed(figures, 'density at fmax: logic + memories').ratio).toBeCloseTo(0.5, 12);
  });

  it('a baseline figure of 0 has no ratio', () => {
    const figures = targetFigures(
      { report: report({ target: 'xilinx', lut: 10, ff: 0, carry: 0, lutram: 0, bram: 0, uram: 0, dsp: 2 }), perCycle: 20 },
      { report: report({ target: 'xilinx', lut: 40, ff: 0, carry: 0, lutram: 0, bram: 0, uram: 0, dsp: 0 }), perCycle: 20 },
    );
    expect(figureNamed(figures, 'dsp').ratio).toBeNull();
    expect(figureNamed(figures, 'density').ratio).toBe(4);
    expect(formatRatio(null)).toBe('n/a');
  });
});

describe('powerFigures', () => {
  const power = (fields: Partial<PowerReport>): PowerReport =>
    ({ clockMhz: 100, cycles: 100, dynamicMw: 3, leakageMw: 1, memoryMw: 4, powerMw: 8, energyPerOpPj: 16, meetsTiming: true, fmaxMhz: 120, ...fields }) as PowerReport;

  it('splits logic from memories in power and energy per MAC', () => {
    const figures = powerFigures(power({}), power({ dynamicMw: 7, leakageMw: 1, memoryMw: 2, powerMw: 10, energyPerOpPj: 10 }));
    expect(figureNamed(figures, 'power: logic')).toMatchObject({ design: 4, baseline: 8, ratio: 0.5 });
    expect(figureNamed(figures, 'power: logic + memories').ratio).toBeCloseTo(0.8, 12);
    expect(figureNamed(figures, 'energy per MAC: logic')).toMatchObject({ design: 8, baseline: 8, ratio: 1 });
    expect(figureNamed(figures, 'energy per MAC: logic + memories').ratio).toBeCloseTo(1.6, 12);
  });
});

describe('comparisonReport', () => {
  it('names the tile, the ratio and what each figure includes', () => {
    const design = side('tensor-core', { n: 8 });
    const baseline = baselineFor(design, 'mac');
    const figures = targetFigures(
      { report: report({ target: 'cmos', transistors: 1000, memoryBits: 0 }), perCycle: 8 },
      { report: report({ target: 'cmos', transistors: 4000, memoryBits: 0 }), perCycle: 16 },
    );
    const text = comparisonReport({
      design: { engine: 'tensor-core', config: design.config },
      baseline: { engine: 'mac', config: baseline.config },
      ratio: 'tensor-core / mac',
      targets: [{ target: 'cmos', yosys: 'test', flattened: false, cached: false, figures }],
    });
    expect(text).toContain('## tensor-core against mac at the same tile (m=2, n=8, k=4, wbits=2, act=int8, maxK=16384)');
    expect(text).toContain('Every ratio is tensor-core / mac; mac has narrowWeights=false.');
    expect(text).toMatch(/\n\| area \| transistors \| 1,000 \| 4,000 \| 0\.25x \| logic only [^|]+\|\n/);
    expect(text).toMatch(/\n\| density \| MACs\/cycle per 1,000 transistors \| 8 \| 4 \| 2\.00x \| /);
  });
});
