// Plots for the design-space explorer as standard Vega-Lite specs: anyone can open them in the
// Vega editor, and explore/render.ts turns them into SVG and PNG without a browser. The builders
// only choose encodings and readable defaults; the data goes in inline, copied, so a spec is
// self-contained and vega never touches the caller's rows.

import type { Config, TopLevelSpec } from 'vega-lite';
import { PLOT_FONT_FAMILY } from './render.js';
import { fixedDomain, labelLayers, type Scale } from './scatter-labels.js';

export { plotFiles, renderSvg, svgToPng } from './render.js';

export type PlotRow = Readonly<Record<string, string | number | boolean | null>>;
export interface Axis {
  readonly field: string;
  readonly title: string;
  readonly scale?: 'linear' | 'log';
  readonly zero?: boolean;
}
/** Colour (and shape) grouping. */
export interface Series {
  readonly field: string;
  readonly title: string;
}
export interface Reference {
  readonly value: number;
  readonly label: string;
}
export type Sense = { readonly x: 'min' | 'max'; readonly y: 'min' | 'max' };

export interface ScatterOptions {
  readonly title: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly series?: Series;
  /**
   * Field written next to points: the front's points with `pareto`, else every point. Every such
   * point gets its label, placed clear of the others; when they cannot all fit, numbers and a key.
   */
  readonly label?: string;
  readonly pareto?: Sense;
  /** Lines under the title, e.g. what the labels leave out. */
  readonly notes?: readonly string[];
}
export interface LineOptions {
  readonly title: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly series?: Series;
  /** A horizontal rule, e.g. ratio 1. */
  readonly reference?: Reference;
}
export interface BarOptions {
  readonly title: string;
  readonly category: Axis;
  readonly value: Axis;
  /** Grouped bars (xOffset). */
  readonly series?: Series;
  readonly reference?: Reference;
  /** Categories by value; 'none' (the default) keeps the rows' order. */
  readonly sort?: 'none' | 'ascending' | 'descending';
  /** Lines under the title, e.g. what the category labels leave out. */
  readonly notes?: readonly string[];
}

type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

const WIDTH = 560;
const HEIGHT = 340;
const FRONT_COLOR = '#333333';
/** Room beyond the outermost points, as a fraction of each axis, for their labels. */
const LABEL_HEADROOM = 0.05;
const REFERENCE_COLOR = '#c0392b';

const CONFIG: Config = {
  // PNGs would otherwise come out transparent.
  background: 'white',
  font: `${PLOT_FONT_FAMILY}, Verdana, sans-serif`,
  padding: 12,
  view: { stroke: '#cccccc' },
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555555', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8, gridColor: '#e8e8e8', labelLimit: 180 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 200 },
};

/**
 * Scatter of all rows; with `pareto`, the non-dominated rows are joined by a step line and drawn
 * filled (others hollow). Here and in the other plots, rows with a value at or below zero on a log
 * axis are left out: a log scale has no place for them.
 */
export function scatterPlot(allRows: readonly PlotRow[], options: ScatterOptions): TopLevelSpec {
  const { x, y, series, label, pareto } = options;
  // The front is taken over the rows drawn, so the line and the filled points always agree.
  const rows = placeable(allRows, [x, y]);
  // Labels are placed in pixels, which needs the scales' domains known here rather than left to vega.
  const scales = label === undefined ? undefined : { x: fixedScale(x, rows), y: fixedScale(y, rows) };
  const encoding = {
    x: position(x, rows, scales?.x),
    y: position(y, rows, scales?.y),
    ...groupEncoding(series),
  };
  const point = { type: 'point', size: 70, strokeWidth: 1.6, opacity: 0.9 } as const;
  const front = pareto === undefined ? undefined : paretoFront(rows, x.field, y.field, pareto);
  const interpolate = pareto?.x === 'min' ? 'step-after' : 'step-before';
  const labels =
    label === undefined || scales === undefined
      ? undefined
      : labelLayers({
          rows,
          labelled: front ?? rows,
          labelField: label,
          x: { field: x.field, scale: scales.x },
          y: { field: y.field, scale: scales.y },
          ...(front === undefined ? {} : { stepLine: interpolate }),
          // The good side of the front (above for 'max', below for 'min') is free of the step line.
          prefer: pareto?.y === 'min' ? 'below' : 'above',
          width: WIDTH,
          height: HEIGHT,
          encoding: { x: encoding.x, y: encoding.y },
        });
  const notes = options.notes ?? [];
  if (front === undefined || pareto === undefined) {
    const layer: Layer[] = [{ data: { name: 'rows' }, mark: { ...point, filled: true }, encoding }, ...(labels?.layers ?? [])];
    return topLevel(options.title, notes.length > 0 ? [...notes] : undefined, { rows: copyRows(rows), ...labels?.datasets }, layer);
  }

  const onFront = new Set<PlotRow>(front);
  const layer: Layer[] = [
    {
      data: { name: 'front' },
      // Stepping on the dominated side traces the boundary of what the front dominates.
      mark: { type: 'line', interpolate, color: FRONT_COLOR, strokeWidth: 1.5, opacity: 0.8 },
      // No colour: the front runs across series.
      encoding: { x: encoding.x, y: encoding.y },
    },
    { data: { name: 'dominated' }, mark: { ...point, filled: false }, encoding },
    { data: { name: 'front' }, mark: { ...point, filled: true }, encoding },
    ...(labels?.layers ?? []),
  ];
  // Short lines: vega sizes the SVG from an estimate of text width that runs ~35% wide
  // without a canvas, so one long line would pad the plot with blank space on the right.
  const subtitle = [
    'Filled points on the step line: the Pareto front',
    `best at ${better(pareto.x)} ${x.title} and ${better(pareto.y)} ${y.title}`,
    ...notes,
  ];
  const datasets = { front: copyRows(front), dominated: copyRows(rows.filter((row) => !onFront.has(row))), ...labels?.datasets };
  return topLevel(options.title, subtitle, datasets, layer);
}

function better(sense: 'min' | 'max'): string {
  return sense === 'min' ? 'lower' : 'higher';
}

/** Lines with points per series (e.g. density against K, one line per activation format). */
export function linePlot(allRows: readonly PlotRow[], options: LineOptions): TopLevelSpec {
  const { x, y, series, reference } = options;
  const rows = placeable(allRows, [x, y]);
  const colour = groupEncoding(series);
  const layer: Layer[] = [
    {
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x: position(x, rows), y: position(y, rows), ...(colour.color ? { color: colour.color } : {}) },
    },
    {
      mark: { type: 'point', filled: true, size: 60, opacity: 1 },
      encoding: { x: position(x, rows), y: position(y, rows), ...colour },
    },
  ];
  if (reference) layer.push(...referenceLayers(reference));
  return topLevel(options.title, undefined, { rows: copyRows(rows) }, [{ data: { name: 'rows' }, layer }]);
}

/** Bars by category (configuration labels), grouped by series when given. */
export function barPlot(allRows: readonly PlotRow[], options: BarOptions): TopLevelSpec {
  const { category, value, series, reference } = options;
  const rows = placeable(allRows, [value]);
  const order = options.sort ?? 'none';
  const labels = rows.map((row) => String(row[category.field] ?? ''));
  const categories = new Set(labels).size;
  const longest = labels.reduce((max, text) => Math.max(max, text.length), 0);
  // Vega does not wrap axis labels: tilt them once they would overrun their band.
  const tilt = longest * 7 > (0.9 * WIDTH) / Math.max(1, categories);
  const layer: Layer[] = [
    {
      mark: { type: 'bar', ...(series ? {} : { color: '#4c78a8' }) },
      encoding: {
        x: {
          field: fieldRef(category.field),
          type: 'nominal',
          title: category.title,
          sort: order === 'none' ? null : { field: fieldRef(value.field), op: 'mean', order },
          axis: { labelAngle: tilt ? -35 : 0, labelLimit: 160 },
        },
        y: position(value, rows),
        ...(series ? { xOffset: { field: fieldRef(series.field), type: 'nominal' }, color: groupEncoding(series).color } : {}),
      },
    },
  ];
  if (reference) layer.push(...referenceLayers(reference));
  const notes = options.notes === undefined || options.notes.length === 0 ? undefined : [...options.notes];
  return topLevel(options.title, notes, { rows: copyRows(rows) }, [{ data: { name: 'rows' }, layer }]);
}

/** The non-dominated rows (ties kept), in ascending x. Rows missing either field are ignored. */
export function paretoFront<T extends PlotRow>(rows: readonly T[], x: string, y: string, sense: Sense): T[] {
  // Minimise both keys: a row survives unless another is no worse on both and better on one.
  const sign = (s: 'min' | 'max'): number => (s === 'min' ? 1 : -1);
  const points = rows.flatMap((row) => {
    const px = row[x];
    const py = row[y];
    if (typeof px !== 'number' || typeof py !== 'number' || !Number.isFinite(px) || !Number.isFinite(py)) return [];
    return [{ row, x: px, y: py, kx: sign(sense.x) * px, ky: sign(sense.y) * py, key: rowKey(row) }];
  });
  points.sort((a, b) => a.kx - b.kx || a.ky - b.ky || compareStrings(a.key, b.key));
  const front: typeof points = [];
  let bestKy = Infinity;
  for (let start = 0; start < points.length; ) {
    // Among rows with equal x only the best y can survive, and only if every row with a better x
    // has a worse y.
    const first = points[start]!;
    let end = start;
    while (end < points.length && points[end]!.kx === first.kx) end += 1;
    if (first.ky < bestKy) {
      for (let i = start; i < end && points[i]!.ky === first.ky; i += 1) front.push(points[i]!);
      bestKy = first.ky;
    }
    start = end;
  }
  front.sort((a, b) => a.x - b.x || a.y - b.y || compareStrings(a.key, b.key));
  return front.map((point) => point.row);
}

/** Identical points still need an order that does not depend on the input's order. */
function rowKey(row: PlotRow): string {
  return JSON.stringify(Object.keys(row).sort().map((key) => [key, row[key]]));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function topLevel(
  title: string,
  subtitle: string[] | undefined,
  datasets: Record<string, Record<string, unknown>[]>,
  layer: Layer[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: subtitle === undefined ? { text: title } : { text: title, subtitle },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    datasets,
    layer,
  };
}

/**
 * Vega-Lite drops rows with a missing value but not a zero or negative one on a log scale, and
 * vega then piles all of them onto the axis; leaving them out is the only honest picture.
 */
function placeable(rows: readonly PlotRow[], axes: readonly Axis[]): readonly PlotRow[] {
  const logFields = axes.filter((axis) => axis.scale === 'log').map((axis) => axis.field);
  if (logFields.length === 0) return rows;
  const onScale = (value: PlotRow[string] | undefined): boolean => typeof value !== 'number' || value > 0;
  return rows.filter((row) => logFields.every((field) => onScale(row[field])));
}

function copyRows(rows: readonly PlotRow[]): Record<string, unknown>[] {
  return rows.map((row) => ({ ...row }));
}

/** Vega-Lite reads dots and brackets in field names as nested access; these are flat rows. */
function fieldRef(field: string): string {
  return field.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

function numbers(rows: readonly PlotRow[], field: string): number[] {
  return rows.map((row) => row[field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** The scale vega would pick for the axis, with its domain made explicit. */
function fixedScale(axis: Axis, rows: readonly PlotRow[]): Scale {
  const type = axis.scale ?? 'linear';
  const values = numbers(rows, axis.field);
  // Vega-Lite starts a linear x or y scale at zero unless told not to.
  const domain = fixedDomain(values.length > 0 ? values : [type === 'log' ? 1 : 0], type, axis.zero ?? true, LABEL_HEADROOM);
  return { type, domain };
}

function position(axis: Axis, rows: readonly PlotRow[], fixed?: Scale) {
  const values = numbers(rows, axis.field);
  const log = axis.scale === 'log';
  const largest = values.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
  const integral = values.length > 0 && values.every(Number.isInteger);
  return {
    field: fieldRef(axis.field),
    type: 'quantitative',
    title: axis.title,
    // A log scale has no zero, so `zero` only applies to linear ones.
    scale: fixed
      ? { type: fixed.type, domain: [...fixed.domain], nice: false, ...(fixed.type === 'log' ? {} : { zero: false }) }
      : log
        ? { type: 'log' as const }
        : axis.zero === undefined
          ? {}
          : { zero: axis.zero },
    axis: {
      // SI prefixes keep LUT and cycle counts short; small values read best in vega's default.
      // vega gives every tick the same prefix, which would make zero read '0k'.
      ...(largest >= 10_000 ? { format: '~s', labelExpr: "datum.value === 0 ? '0' : datum.label" } : {}),
      // Counts and parameters such as K have no halves; ticks at 2.5 would suggest they do.
      ...(integral && !log ? { tickMinStep: 1 } : {}),
    },
  } as const;
}

function groupEncoding(series: Series | undefined) {
  if (!series) return {};
  const def = { field: fieldRef(series.field), type: 'nominal', title: series.title } as const;
  return { color: def, shape: def };
}

/** A dashed horizontal rule at `value` on the y scale, labelled at its right end. */
function referenceLayers(reference: Reference): Layer[] {
  const at = { datum: reference.value, type: 'quantitative' } as const;
  return [
    {
      data: { values: [{}] },
      mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { y: at },
    },
    {
      data: { values: [{}] },
      mark: { type: 'text', text: reference.label, align: 'right', baseline: 'bottom', dy: -3, color: REFERENCE_COLOR, fontSize: 11 },
      encoding: { y: at, x: { value: WIDTH - 4 } },
    },
  ];
}
