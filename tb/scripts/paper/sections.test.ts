// The paper report's reading of results: the verdicts must follow the measured numbers, so they
// are checked here on made-up results where the right answer is known.

import { describe, expect, it } from 'vitest';
import type { PointResult } from '../../../explore/point.js';
import type { ExploreResults } from '../../../explore/results.js';
import { spaceSchema, type Params } from '../../../explore/space.js';
import { ablationSection } from '../../../scripts/paper/engine-sections.js';
import { argmax, describeRuns, table } from '../../../scripts/paper/kit.js';
import { weightWidthSection } from '../../../scripts/paper/unit-sections.js';

const space = spaceSchema.parse({ name: 'made-up', groups: [{ generator: 'counter' }] });

/** A point with the given density and an area that gives it (perCycle 1), of 100 units of a hundredth of it each. */
function point(index: number, params: Params, densityValue: number, groupName?: string): PointResult {
  const transistors = Math.round(1000 / densityValue);
  return {
    index,
    group: 0,
    ...(groupName === undefined ? {} : { groupName }),
    generator: 'made-up',
    params,
    config: params,
    id: String(index),
    throughput: { perCycle: 1, unit: 'MAC' },
    density: { cmos: densityValue },
    synth: { cmos: { transistors, cells: 1, depth: 1, memoryBits: 0 } },
    modules: { serial_unit: { count: 100, transistors: transistors / 100, instances: {} } },
    workloads: {},
    seconds: 0,
    cached: false,
  };
}

const results = (points: PointResult[]): ExploreResults => ({ format: 1, space, spaceDigest: 'd', totalPoints: points.length, shards: [{ index: 1, count: 1 }], points });

describe('weight-width verdicts', () => {
  it('reads the widths at which each kind beats MAC from the numbers', () => {
    const densities: Record<string, number[]> = {
      lut: [8, 4, 3, 2, 1.5, 0.9],
      'lut-local': [5, 2.5, 0.9, 0.5, 0.4, 0.3],
      add: [6, 3, 1.1, 0.9, 0.5, 0.4],
      mac: [1, 1, 1, 1, 1, 1],
    };
    let index = 0;
    const points = Object.entries(densities).flatMap(([group, values]) => values.map((value, i) => point(index++, { wbits: i + 1 }, value, group)));
    const section = weightWidthSection(results(points));
    const verdicts = Object.fromEntries(section.summary.map((line) => [line.figure, [line.ours, line.verdict]]));
    expect(verdicts['LUT Tensor Core unit beats MAC at']).toEqual(['1-5 bits', 'misses']);
    expect(verdicts['conventional LUT beats MAC at']).toEqual(['1-2 bits', 'meets']);
    expect(verdicts['bit-serial ADD beats MAC at']).toEqual(['1-3 bits', 'differs']);
    expect(verdicts['LUT Tensor Core unit densest of the four at']).toEqual(['1-5 bits', 'misses']);
  });
});

describe('ablation verdicts', () => {
  it('compares each step with the paper within 0.05x', () => {
    const steps = [
      { reinterpret: false, symmetric: false, precompute: 'per-unit' },
      { reinterpret: true, symmetric: false, precompute: 'per-unit' },
      { reinterpret: true, symmetric: true, precompute: 'per-unit' },
      { reinterpret: true, symmetric: true, precompute: 'shared' },
    ];
    // Paper: 1.32x, 1.35x, 1.44x. Ours: 1.30x (within), 1.10x (misses), 2.00x (beats).
    const sharedFirst = [
      point(4, { reinterpret: false, symmetric: false }, 1.5, 'shared-first'),
      point(5, { reinterpret: true, symmetric: false }, 1.8, 'shared-first'),
    ];
    const section = ablationSection(results([...steps.map((params, i) => point(i, params, [1, 1.3, 1.1, 2][i]!, 'ablation')), ...sharedFirst]));
    expect(section.summary.map((line) => [line.paper, line.ours, line.verdict])).toEqual([
      ['1.32x', '1.30x', 'meets'],
      ['1.35x', '1.10x', 'misses'],
      ['1.44x', '2.00x', 'beats'],
    ]);
    expect(section.body).toContain('| + shared precompute | 500 | 5 | 2.00x | 1.44x |');
    expect(section.body).toContain('| + {-1,+1} reinterpretation | 556 | 5.6 | 1.20x |');
  });

  it('fails loudly when a configuration is missing rather than guessing', () => {
    expect(() => ablationSection(results([point(0, { reinterpret: false, symmetric: false, precompute: 'per-unit' }, 1, 'ablation')]))).toThrow(/expected one point/);
  });
});

describe('kit', () => {
  it('describes runs of integers', () => {
    expect(describeRuns([])).toBe('none');
    expect(describeRuns([4, 1, 2, 6])).toBe('1-2, 4, 6');
  });

  it('takes the first of equal maxima', () => {
    expect(argmax([{ k: 2, d: 1 }, { k: 3, d: 5 }, { k: 4, d: 5 }], (row) => row.d).k).toBe(3);
  });

  it('right-aligns numeric columns in markdown tables', () => {
    expect(table(['name', 'count'], [['a', 1234], ['b', '5.0x']])).toBe('| name | count |\n| --- | ---: |\n| a | 1,234 |\n| b | 5.0x |');
  });
});
