// The explorer's plots: the Pareto front against a brute-force oracle, then each plot kind
// rendered to SVG and read back (marks counted through the aria-roledescription vega gives every
// drawn item), byte-identical re-renders, offline rendering, and PNG output.

import fc from 'fast-check';
import type { TopLevelSpec } from 'vega-lite';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { textWidth } from '../../explore/label-placement.js';
import { barPlot, linePlot, paretoFront, plotFiles, renderSvg, scatterPlot, svgToPng, type PlotRow } from '../../explore/plot.js';

describe('paretoFront', () => {
  const rows: PlotRow[] = [
    { id: 'a', x: 1, y: 5 },
    { id: 'b', x: 2, y: 3 },
    { id: 'c', x: 3, y: 4 },
    { id: 'd', x: 4, y: 1 },
    { id: 'e', x: 2, y: 6 },
    { id: 'f', x: 4, y: 1 },
    { id: 'no-x', x: null, y: 0 },
    { id: 'no-y', x: 0 },
    { id: 'text', x: '0', y: 0 },
    { id: 'nan', x: Number.NaN, y: 0 },
  ];
  const ids = (front: readonly PlotRow[]): unknown[] => front.map((row) => row['id']);

  it('keeps the non-dominated rows of each sense, ties included, in ascending x', () => {
    expect(ids(paretoFront(rows, 'x', 'y', { x: 'min', y: 'min' }))).toEqual(['a', 'b', 'd', 'f']);
    expect(ids(paretoFront(rows, 'x', 'y', { x: 'min', y: 'max' }))).toEqual(['a', 'e']);
    expect(ids(paretoFront(rows, 'x', 'y', { x: 'max', y: 'min' }))).toEqual(['d', 'f']);
    expect(ids(paretoFront(rows, 'x', 'y', { x: 'max', y: 'max' }))).toEqual(['e', 'c', 'd', 'f']);
  });

  it('ignores rows missing either field and returns the rows themselves', () => {
    const front = paretoFront(rows, 'x', 'y', { x: 'min', y: 'min' });
    expect(front[0]).toBe(rows[0]);
    expect(paretoFront([{ x: 1 }, { y: 1 }], 'x', 'y', { x: 'min', y: 'min' })).toEqual([]);
    expect(paretoFront([], 'x', 'y', { x: 'min', y: 'min' })).toEqual([]);
  });

  it('matches a brute-force front and does not depend on row order', () => {
    const sense = fc.constantFrom('min' as const, 'max' as const);
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(null));
    const points = fc.array(fc.record({ x: value, y: value }), { maxLength: 25 });
    const scenario = points.chain((ps) => {
      const rows = ps.map((p, i) => ({ id: i, ...p }));
      return fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }), sense, sense);
    });
    fc.assert(
      fc.property(scenario, ([rows, shuffled, sx, sy]) => {
        const better = (a: number, b: number, s: 'min' | 'max'): boolean => (s === 'min' ? a <= b : a >= b);
        const valid = rows.filter((r): r is { id: number; x: number; y: number } => r.x !== null && r.y !== null);
        const dominated = (r: { x: number; y: number }): boolean =>
          valid.some((o) => better(o.x, r.x, sx) && better(o.y, r.y, sy) && (o.x !== r.x || o.y !== r.y));
        const expected = valid.filter((r) => !dominated(r)).map((r) => r.id);
        const front = paretoFront(rows, 'x', 'y', { x: sx, y: sy });
        expect(front.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected);
        expect(front.every((r, i) => i === 0 || (front[i - 1]!.x as number) <= (r.x as number))).toBe(true);
        expect(paretoFront(shuffled, 'x', 'y', { x: sx, y: sy })).toEqual(front);
      }),
    );
  });
});

// Six configurations: LUTs against throughput, two activation formats.
const configs: PlotRow[] = [
  { config: 'K=2 int4', luts: 4_000, tput: 17_000, format: 'int4', k: 2, ratio: 0.8 },
  { config: 'K=4 int4', luts: 13_000, tput: 43_000, format: 'int4', k: 4, ratio: 1.1 },
  { config: 'K=8 int4', luts: 28_000, tput: 40_000, format: 'int4', k: 8, ratio: 1.3 },
  { config: 'K=2 int8', luts: 6_500, tput: 11_000, format: 'int8', k: 2, ratio: 0.9 },
  { config: 'K=4 int8', luts: 15_000, tput: 60_000, format: 'int8', k: 4, ratio: 1.2 },
  { config: 'K=8 int8', luts: 61_000, tput: 250_000, format: 'int8', k: 8, ratio: 0.7 },
];
const luts = { field: 'luts', title: 'LUTs' } as const;
const tput = { field: 'tput', title: 'Throughput' } as const;
const format = { field: 'format', title: 'Activation format' } as const;
const maxPerLut = { x: 'min', y: 'max' } as const;

/** Items of one kind of mark: vega labels each drawn item with its role, legends and axes aside. */
function items(svg: string, role: string): string[] {
  return svg.match(new RegExp(`<[a-z]+ [^>]*aria-roledescription="${role}"[^>]*>`, 'g')) ?? [];
}

function translate(item: string): [number, number] {
  const match = /transform="translate\(([^,]+),([^)]+)\)"/.exec(item);
  if (!match) throw new Error(`no position in ${item}`);
  return [Number(match[1]), Number(match[2])];
}

/** The texts of the text marks (labels, not axes), with their anchor positions. */
function texts(svg: string): { text: string; x: number; y: number; anchor: string }[] {
  return [...svg.matchAll(/<text [^>]*aria-roledescription="text mark"[^>]*>([^<]*)<\/text>/g)].map((match) => {
    const [x, y] = translate(match[0]);
    return { text: match[1]!, x, y, anchor: /text-anchor="(\w+)"/.exec(match[0])?.[1] ?? 'start' };
  });
}

/** Pairs of labels whose boxes (DejaVu Sans widths, 10 px type) overlap. */
function overlappingLabels(labels: readonly { text: string; x: number; y: number; anchor: string }[]): string[] {
  const boxes = labels.map((label) => {
    const width = textWidth(label.text, 10);
    const left = label.anchor === 'middle' ? label.x - width / 2 : label.anchor === 'end' ? label.x - width : label.x;
    return { text: label.text, left, right: left + width, top: label.y - 10, bottom: label.y };
  });
  return boxes.flatMap((a, i) =>
    boxes.slice(i + 1).flatMap((b) => (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom ? [`${a.text} / ${b.text}`] : [])),
  );
}

function expectDocument(svg: string, title: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toContain(`>${title}</text>`);
}

// Vega-Lite and vega report dropped encodings and bad scales as console warnings; the plots
// should never trigger one.
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn');
});
afterEach(() => {
  expect(warn).not.toHaveBeenCalled();
  warn.mockRestore();
});

describe('scatterPlot', () => {
  it('draws one point per row with axis and legend titles', async () => {
    const svg = await renderSvg(scatterPlot(configs, { title: 'Area and speed', x: luts, y: tput, series: format }));
    expectDocument(svg, 'Area and speed');
    expect(items(svg, 'point')).toHaveLength(configs.length);
    for (const text of ['LUTs', 'Throughput', 'Activation format', 'int4', 'int8']) expect(svg).toContain(`>${text}</text>`);
    expect(items(svg, 'line mark')).toHaveLength(0);
  });

  it('joins exactly the front with a step line, filled, and labels it', async () => {
    const front = paretoFront(configs, 'luts', 'tput', maxPerLut);
    expect(front.map((row) => row['config'])).toEqual(['K=2 int4', 'K=4 int4', 'K=4 int8', 'K=8 int8']);
    const svg = await renderSvg(scatterPlot(configs, { title: 'Front', x: luts, y: tput, series: format, label: 'config', pareto: maxPerLut }));
    expectDocument(svg, 'Front');

    const points = items(svg, 'point');
    const filled = points.filter((point) => / fill="#/.test(point));
    expect(points).toHaveLength(configs.length);
    expect(filled).toHaveLength(front.length);

    const lines = items(svg, 'line mark');
    expect(lines).toHaveLength(1);
    const d = /\bd="([^"]*)"/.exec(lines[0]!)![1]!;
    const vertices = [...d.matchAll(/[ML]([^,MLZ]+),([^MLZ]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // A step line reaches each point through one corner, so the points are every other vertex.
    expect(vertices).toHaveLength(2 * front.length - 1);
    const corners = vertices.filter((_, i) => i % 2 === 0);
    const centres = filled.map(translate).sort((a, b) => a[0] - b[0]);
    corners.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(centres[i]![0], 2);
      expect(y).toBeCloseTo(centres[i]![1], 2);
    });

    const labels = items(svg, 'text mark');
    expect(labels).toHaveLength(front.length);
    for (const row of front) expect(svg).toContain(`>${String(row['config'])}</text>`);
  });

  // A front of long labels in a corner of the plot: centred above their points, they would all overlap.
  const crowdedFront: PlotRow[] = Array.from({ length: 9 }, (_, i) => ({
    luts: 1_000 + i * 40,
    tput: 1 + Math.sqrt(i) * 0.3,
    config: `lut act=fp8e4m3 k=${i + 2} wbits=${(i % 3) + 1}`,
    format: i % 2 === 0 ? 'int4' : 'int8',
  }));
  const dominated: PlotRow[] = Array.from({ length: 12 }, (_, i) => ({ luts: 1_100 + i * 90, tput: 0.4 + (i % 4) * 0.15, config: `dominated ${i}`, format: 'int4' }));

  it('labels every front point, with no label over another', async () => {
    const rows = [...crowdedFront, ...dominated];
    const front = paretoFront(rows, 'luts', 'tput', maxPerLut);
    expect(front).toHaveLength(crowdedFront.length);
    const svg = await renderSvg(scatterPlot(rows, { title: 'Crowded', x: { ...luts, scale: 'log' }, y: tput, series: format, label: 'config', pareto: maxPerLut }));
    const labels = texts(svg);
    expect(labels.map((label) => label.text).sort()).toEqual(front.map((row) => String(row['config'])).sort());
    expect(overlappingLabels(labels)).toEqual([]);
    // Screen readers read the label, not the coordinates it was placed at.
    expect(svg.includes('aria-label="lut act=fp8e4m3 k=2 wbits=1"')).toBe(true);
  });

  it('numbers the points and lists them in a key when the labels cannot all fit', async () => {
    const packed: PlotRow[] = Array.from({ length: 30 }, (_, i) => ({ luts: 1_000 + i * 20, tput: 1 + Math.sqrt(i) * 0.3, config: `lut act=fp8e4m3 k=${i} wbits=${i % 4}`, format: 'int4' }));
    const svg = await renderSvg(scatterPlot(packed, { title: 'Packed', x: { ...luts, scale: 'log' }, y: tput, label: 'config', pareto: maxPerLut }));
    const labels = texts(svg);
    const numbers = labels.filter((label) => /^\d+$/.test(label.text));
    const key = labels.filter((label) => !/^\d+$/.test(label.text));
    expect(numbers.map((label) => label.text).sort((a, b) => Number(a) - Number(b))).toEqual(packed.map((_, i) => String(i + 1)));
    expect(key.map((line) => line.text)).toEqual(packed.map((row, i) => `${i + 1}. ${String(row['config'])}`));
    expect(overlappingLabels(labels)).toEqual([]);
    // The key sits below the plot area (340 px high).
    for (const line of key) expect(line.y).toBeGreaterThan(340);
  });

  it('uses a log scale when asked and leaves out rows it cannot place', async () => {
    const linear = await renderSvg(scatterPlot(configs, { title: 'Linear', x: luts, y: tput }));
    expect(linear).toContain("X-axis titled 'LUTs' for a linear scale");
    const rows = [...configs, { config: 'empty', luts: 0, tput: 1, format: 'int4' }];
    const log = await renderSvg(scatterPlot(rows, { title: 'Log', x: { ...luts, scale: 'log' }, y: tput, pareto: maxPerLut }));
    expect(log).toContain("X-axis titled 'LUTs' for a log scale");
    expect(items(log, 'point')).toHaveLength(configs.length);
  });
});

describe('linePlot', () => {
  it('draws a line per series, a point per row and the reference rule', async () => {
    const spec = linePlot(configs, {
      title: 'Ratio against K',
      x: { field: 'k', title: 'K' },
      y: { field: 'ratio', title: 'LUT ratio', scale: 'log' },
      series: format,
      reference: { value: 1, label: 'baseline' },
    });
    const svg = await renderSvg(spec);
    expectDocument(svg, 'Ratio against K');
    expect(items(svg, 'line mark')).toHaveLength(2);
    expect(items(svg, 'point')).toHaveLength(configs.length);
    expect(svg).toContain("Y-axis titled 'LUT ratio' for a log scale");
    for (const text of ['K', 'LUT ratio', 'Activation format', 'baseline']) expect(svg).toContain(`>${text}</text>`);
  });
});

describe('barPlot', () => {
  it('draws one bar per row, sorted by value when asked', async () => {
    const spec = barPlot(configs, {
      title: 'Relative area',
      category: { field: 'config', title: 'Configuration' },
      value: { field: 'ratio', title: 'LUT ratio' },
      reference: { value: 1, label: 'baseline' },
      sort: 'descending',
    });
    const svg = await renderSvg(spec);
    expectDocument(svg, 'Relative area');
    const bars = items(svg, 'bar');
    expect(bars).toHaveLength(configs.length);
    const byPosition = bars
      .map((bar) => ({ left: Number(/ d="M([^,]+),/.exec(bar)![1]), value: Number(/LUT ratio: ([\d.]+)/.exec(bar)![1]) }))
      .sort((a, b) => a.left - b.left)
      .map((bar) => bar.value);
    expect(byPosition).toEqual([...byPosition].sort((a, b) => b - a));
    expect(svg).toContain('>baseline</text>');
  });

  it('groups bars by series with a legend', async () => {
    const svg = await renderSvg(barPlot(configs, { title: 'Area by K', category: { field: 'k', title: 'K' }, value: luts, series: format }));
    expectDocument(svg, 'Area by K');
    expect(items(svg, 'bar')).toHaveLength(configs.length);
    expect(svg).toContain('>Activation format</text>');
    expect(svg).toContain('>60k</text>');
  });
});

describe('rendering', () => {
  it('is byte-identical across renders, including concurrent ones', async () => {
    const spec = scatterPlot(configs, { title: 'Same', x: luts, y: tput, series: format, label: 'config', pareto: maxPerLut });
    // Clipping and gradients make vega number definitions from process-wide counters.
    const stops = [{ offset: 0, color: 'white' }, { offset: 1, color: 'steelblue' }];
    const defs: TopLevelSpec = {
      data: { values: [{ a: 1, b: 2 }] },
      layer: [
        { mark: { type: 'bar', clip: true, color: { gradient: 'radial', stops } }, encoding: { x: { field: 'a', type: 'quantitative' } } },
        { mark: { type: 'bar', color: { gradient: 'linear', stops } }, encoding: { y: { field: 'b', type: 'quantitative' } } },
      ],
    };
    const first = await renderSvg(spec);
    const [second, defs1, defs2] = await Promise.all([renderSvg(spec), renderSvg(defs), renderSvg(defs)]);
    expect(second).toBe(first);
    expect(defs2).toBe(defs1);
    expect(defs1).toContain('clip-path="url(#clip1)"');
    for (const [, id] of defs1.matchAll(/url\(#([^)]+)\)/g)) expect(defs1).toContain(`id="${id!}"`);
  });

  it('escapes text and never loads anything', async () => {
    const svg = await renderSvg(barPlot(configs, { title: 'LUTs & <cycles>', category: { field: 'config', title: 'C' }, value: { field: 'ratio', title: 'R' } }));
    expect(svg).toContain('>LUTs &amp; &lt;cycles&gt;</text>');
    const remote: TopLevelSpec = { data: { url: 'https://example.com/rows.json' }, mark: 'point' };
    await expect(renderSvg(remote)).rejects.toThrow(/offline.*example\.com/);
    // Vega itself warns that the load failed before renderSvg turns it into an error.
    warn.mockClear();
  });

  it('rasterises to PNG and lists the files of a plot', async () => {
    const spec = linePlot(configs, { title: 'PNG', x: { field: 'k', title: 'K' }, y: tput, series: format });
    const files = await plotFiles('density', spec, { png: true });
    expect(files.map((file) => file.name)).toEqual(['density.svg', 'density.png']);
    expect(files[0]!.contents).toBe(await renderSvg(spec));
    const png = files[1]!.contents;
    expect(png).toBeInstanceOf(Uint8Array);
    expect([...(png as Uint8Array).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(10_000);
    expect(svgToPng(files[0]!.contents as string)).toEqual(png);

    expect((await plotFiles('density', spec, { png: false })).map((file) => file.name)).toEqual(['density.svg']);
    await expect(plotFiles('a/b', spec, { png: false })).rejects.toThrow(/plain file name/);
  });
});
