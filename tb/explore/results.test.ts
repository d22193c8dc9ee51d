import { describe, expect, it } from 'vitest';
import type { PointResult } from '../../explore/point.js';
import { flatRows, mergeResults, missingPoints, parseResults, pointLabel, resultFiles, resultsCsv, type ExploreResults, type ExploredPoint } from '../../explore/results.js';
import { spaceSchema } from '../../explore/space.js';
import { UsageError } from '../../host/errors.js';

const space = spaceSchema.parse({ name: 'unit', groups: [{ generator: 'counter', product: { modulo: [2, 3, 4] } }] });

function point(index: number, overrides: Partial<PointResult> = {}): PointResult {
  return {
    index,
    group: 0,
    generator: 'counter',
    params: { modulo: index + 2, note: 'a, "quoted" value' },
    config: { modulo: index + 2 },
    id: `id-${index}`,
    throughput: { perCycle: 4, unit: 'MAC' },
    density: { cmos: 4000 / (100 + index) },
    synth: { cmos: { transistors: 100 + index, cells: 10, depth: 3, memoryBits: 0 } },
    workloads: { gemv: { cycles: 40, idealCycles: 32, efficiency: 0.8, ops: 64, mismatches: 0, elements: 4 } },
    seconds: 1,
    cached: false,
    ...overrides,
  };
}

function results(points: readonly ExploredPoint[], shard = { index: 1, count: 1 }): ExploreResults {
  return { format: 1, space, spaceDigest: 'digest-a', totalPoints: 3, shards: [shard], points };
}

describe('mergeResults', () => {
  it('joins shards in index order and lists the shards it covers', () => {
    const merged = mergeResults([
      { results: results([point(1)], { index: 2, count: 2 }), displayPath: 'b' },
      { results: results([point(0), point(2)], { index: 1, count: 2 }), displayPath: 'a' },
    ]);
    expect(merged.points.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(merged.shards).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    expect(missingPoints(merged)).toEqual([]);
  });

  it('reports the points no shard holds', () => {
    expect(missingPoints(mergeResults([{ results: results([point(0)]), displayPath: 'a' }]))).toEqual([1, 2]);
  });

  it('lets a success replace a failure of the same point, and keeps the same point measured twice once', () => {
    const failed = { index: 1, group: 0, generator: 'counter', params: {}, error: 'Yosys crashed' };
    const merged = mergeResults([
      { results: results([failed]), displayPath: 'a' },
      { results: results([point(1)]), displayPath: 'b' },
      { results: results([point(1)]), displayPath: 'c' },
    ]);
    expect(merged.points).toEqual([point(1)]);
  });

  it('refuses other spaces and points measured from different code', () => {
    const other = { ...results([point(0)]), spaceDigest: 'digest-b' };
    expect(() => mergeResults([{ results: results([point(0)]), displayPath: 'a' }, { results: other, displayPath: 'b' }])).toThrow(UsageError);
    expect(() => mergeResults([{ results: results([point(0)]), displayPath: 'a' }, { results: results([point(0, { id: 'other' })]), displayPath: 'b' }])).toThrow(
      /point 0 \(counter modulo=2 note=a, "quoted" value\) differs between 'a' and 'b'/,
    );
  });
});

describe('writing results', () => {
  it('flattens parameters, figures, density and workloads into one row per point', () => {
    const [row] = flatRows(results([point(0)]));
    expect(row).toMatchObject({ index: 0, generator: 'counter', 'param.modulo': 2, 'cmos.transistors': 100, 'density.cmos': 40, 'gemv.mismatches': 0, throughputUnit: 'MAC' });
  });

  it('quotes CSV fields that need it and puts errors last', () => {
    const failed = { index: 2, group: 0, generator: 'counter', params: { modulo: 4 }, error: 'broke, badly' };
    const lines = resultsCsv(results([point(0), failed])).trim().split('\n');
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['index', 'group', 'generator', 'label']);
    expect(lines[0]!.endsWith(',error')).toBe(true);
    expect(lines[1]).toContain('"a, ""quoted"" value"');
    expect(lines[2]).toMatch(/"broke, badly"$/);
  });

  it('labels points by group name or generator, then parameters', () => {
    expect(pointLabel({ generator: 'mac', params: { k: 4 } })).toBe('mac k=4');
    expect(pointLabel({ generator: 'mac', groupName: 'baseline', params: { k: 4 } })).toBe('baseline k=4');
  });
});

describe('resultFiles', () => {
  const text = (files: { name: string; contents: string | Uint8Array }[], name: string): string => String(files.find((file) => file.name === name)?.contents ?? '');

  it('plots density on cmos when the space has it, and lists every file in files.f', async () => {
    const files = await resultFiles(results([point(0), point(1)]), { png: false });
    expect(files.map((file) => file.name)).toEqual(['results.json', 'results.csv', 'pareto.svg', 'density.svg', 'files.f']);
    expect(text(files, 'pareto.svg')).toContain('density against area (cmos)');
    expect(text(files, 'files.f')).toBe('results.json\nresults.csv\npareto.svg\ndensity.svg\n');
  });

  it('labels the plots by the parameter that varies and says the shared one once', async () => {
    const files = await resultFiles(results([point(0), point(1), point(2)]), { png: false });
    const density = text(files, 'density.svg');
    for (const modulo of [2, 3, 4]) expect(density).toContain(`>modulo=${modulo}</text>`);
    expect(density).not.toContain('>counter modulo=');
    for (const name of ['density.svg', 'pareto.svg']) expect(text(files, name)).toContain('every point: note=a, &quot;quoted&quot; value');
    // results.csv keeps each point's full name.
    expect(text(files, 'results.csv')).toContain('"counter modulo=2 note=a, ""quoted"" value"');
  });

  it('plots density per LUT for an FPGA-only space, and no plots without density', async () => {
    const fpga = point(0, { synth: { xilinx: { lut: 800, ff: 10, carry: 0, lutram: 0, bram: 1, uram: 0, dsp: 0 } }, density: { xilinx: 0.005 } });
    const files = await resultFiles(results([fpga]), { png: true });
    expect(files.map((file) => file.name)).toEqual(['results.json', 'results.csv', 'pareto.svg', 'pareto.png', 'density.svg', 'density.png', 'files.f']);
    expect(text(files, 'pareto.svg')).toContain('density against area (xilinx)');
    expect(text(files, 'pareto.svg')).toContain('ops per cycle per LUT');
    const { density: _density, ...bare } = point(0);
    const plain = await resultFiles(results([bare]), { png: false });
    expect(plain.map((file) => file.name)).toEqual(['results.json', 'results.csv', 'files.f']);
  });
});

describe('parseResults', () => {
  it('reads what explore writes and names files that are something else', () => {
    const text = JSON.stringify(results([point(0)]));
    expect(parseResults(text, 'r.json').points).toHaveLength(1);
    expect(() => parseResults('{"format": 1}', 'x/results.json')).toThrow(/'x\/results\.json' is not an explore results file/);
    expect(() => parseResults('not json', 'y.json')).toThrow(/'y\.json' is not valid JSON/);
  });
});
