// The labels of a scatter plot: every labelled point gets its text, placed clear of the other
// labels, the points and the step line (explore/label-placement.ts). Placing needs pixels, so the
// scales get fixed domains here (rounded as vega would) and positions are computed, not left to
// vega. When the full labels do not all fit, the points are numbered instead and a key below the
// plot lists what each number stands for.

import { scale as vegaScale } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { placeLabels, pointBoxes, segmentBoxes, textHeight, textWidth, type PlacedLabel } from './label-placement.js';

// As in explore/plot.ts, which imports this file (so these are not imported from there).
type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];
type PlotRow = Readonly<Record<string, string | number | boolean | null>>;

export interface Scale {
  readonly type: 'linear' | 'log';
  readonly domain: readonly [number, number];
}

/**
 * The domain vega would choose for `values` (rounded outwards; from zero when `zero`), made
 * explicit, with `headroom` (a fraction of the span) added at both ends first: room for the
 * labels of the outermost points.
 */
export function fixedDomain(values: readonly number[], type: 'linear' | 'log', zero: boolean, headroom = 0): [number, number] {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low === high) [low, high] = type === 'log' ? [low / 10, high * 10] : [low - 1, high + 1];
  if (type === 'log') {
    const span = Math.log(high / low);
    [low, high] = [low * Math.exp(-headroom * span), high * Math.exp(headroom * span)];
  } else {
    const span = high - low;
    // Headroom must not push a non-negative axis below zero.
    [low, high] = [low >= 0 ? Math.max(0, low - headroom * span) : low - headroom * span, high + headroom * span];
  }
  if (type === 'linear' && zero) {
    low = Math.min(0, low);
    high = Math.max(0, high);
  }
  const niced = (vegaScale(type) as () => { domain(d: number[]): { nice(): { domain(): number[] } } })().domain([low, high]).nice().domain();
  return [niced[0]!, niced[1]!];
}

/** Position along a scale in pixels, 0 to `length` (flip for y). */
function toPixel(value: number, { type, domain: [d0, d1] }: Scale, length: number): number {
  const t = type === 'log' ? Math.log(value / d0) / Math.log(d1 / d0) : (value - d0) / (d1 - d0);
  return t * length;
}

function fromPixel(pixel: number, { type, domain: [d0, d1] }: Scale, length: number): number {
  const t = pixel / length;
  return type === 'log' ? d0 * (d1 / d0) ** t : d0 + t * (d1 - d0);
}

export interface LabelLayout {
  readonly rows: readonly PlotRow[];
  /** The rows that get a label, in the order they are placed. */
  readonly labelled: readonly PlotRow[];
  readonly labelField: string;
  readonly x: { readonly field: string; readonly scale: Scale };
  readonly y: { readonly field: string; readonly scale: Scale };
  /** Vertices of the Pareto step line through `labelled`, when drawn. */
  readonly stepLine?: 'step-after' | 'step-before';
  readonly prefer: 'above' | 'below';
  readonly width: number;
  readonly height: number;
  /** The encodings the points use, reused so the labels share their scales and axes. */
  readonly encoding: { readonly x: unknown; readonly y: unknown };
}

const FONT_SIZE = 10;
const POINT_RADIUS = 5.5;
const LABEL_COLOR = '#444444';
const KEY_TOP_GAP = 52;

/** The label, leader and key layers and their datasets. */
export function labelLayers(layout: LabelLayout): { layers: Layer[]; datasets: Record<string, Record<string, unknown>[]> } {
  const { width, height } = layout;
  const pixel = (row: PlotRow): { x: number; y: number } | undefined => {
    const vx = row[layout.x.field];
    const vy = row[layout.y.field];
    if (typeof vx !== 'number' || typeof vy !== 'number' || !Number.isFinite(vx) || !Number.isFinite(vy)) return undefined;
    return { x: toPixel(vx, layout.x.scale, width), y: height - toPixel(vy, layout.y.scale, height) };
  };
  const drawn = layout.rows.flatMap((row) => pixel(row) ?? []);
  const targets = layout.labelled.flatMap((row) => {
    const at = pixel(row);
    return at === undefined ? [] : [{ ...at, text: String(row[layout.labelField] ?? '') }];
  });
  const obstacles = [...pointBoxes(drawn, POINT_RADIUS), ...(layout.stepLine === undefined ? [] : segmentBoxes(stepVertices(targets, layout.stepLine)))];
  const options = { width, height, fontSize: FONT_SIZE, obstacles, pointRadius: POINT_RADIUS, prefer: layout.prefer };
  const full = placeLabels(targets, options);
  const numbered = full.complete ? undefined : placeLabels(targets.map((target, i) => ({ ...target, text: String(i + 1) })), options);
  const placed = numbered?.labels ?? full.labels;

  const toData = (x: number, y: number): Record<string, number> => ({
    [layout.x.field]: fromPixel(x, layout.x.scale, width),
    [layout.y.field]: fromPixel(height - y, layout.y.scale, height),
  });
  const datasets: Record<string, Record<string, unknown>[]> = {
    labels: placed.map((label) => ({ ...toData(label.x, label.y), text: label.text })),
  };
  const position = { x: layout.encoding.x, y: layout.encoding.y } as Record<string, unknown>;
  const layers: Layer[] = [
    {
      data: { name: 'labels' },
      mark: { type: 'text', fontSize: FONT_SIZE, color: LABEL_COLOR, align: 'center', baseline: 'middle' },
      // Screen readers get the label, not the coordinates it was placed at.
      encoding: { ...position, text: { field: 'text' }, description: { field: 'text' } },
    } as Layer,
  ];
  const leaders = placed.flatMap((label, i) => leader(label, targets[i]!));
  if (leaders.length > 0) {
    datasets['leaders'] = leaders.map(({ from, to }) => {
      const start = toData(from.x, from.y);
      const end = toData(to.x, to.y);
      return { ...start, x2: end[layout.x.field], y2: end[layout.y.field] };
    });
    layers.push({
      data: { name: 'leaders' },
      mark: { type: 'rule', color: '#999999', strokeWidth: 0.8 },
      encoding: { ...position, x2: { field: 'x2' }, y2: { field: 'y2' } },
    } as Layer);
  }
  if (numbered !== undefined) {
    datasets['key'] = keyRows(targets.map((target) => target.text), width, height);
    layers.push({
      data: { name: 'key' },
      mark: { type: 'text', fontSize: FONT_SIZE, color: LABEL_COLOR, align: 'left', baseline: 'middle' },
      // Pixel positions below the plot (no scale): vega grows the picture to hold them.
      encoding: { x: { field: 'x', type: 'quantitative', scale: null }, y: { field: 'y', type: 'quantitative', scale: null }, text: { field: 'text' }, description: { field: 'text' } },
    } as Layer);
  }
  return { layers, datasets };
}

/** The corners of the step line vega draws through the points (sorted by x, as paretoFront returns them). */
function stepVertices(points: readonly { x: number; y: number }[], interpolate: 'step-after' | 'step-before'): { x: number; y: number }[] {
  return points.flatMap((point, i) => {
    const previous = points[i - 1];
    if (previous === undefined) return [point];
    const corner = interpolate === 'step-after' ? { x: point.x, y: previous.y } : { x: previous.x, y: point.y };
    return [corner, point];
  });
}

function leader(label: PlacedLabel, point: { x: number; y: number }): { from: { x: number; y: number }; to: { x: number; y: number } }[] {
  if (label.leaderEnd === undefined) return [];
  // From the edge of the point's mark, not its centre, so the mark stays clean.
  const dx = label.leaderEnd.x - point.x;
  const dy = label.leaderEnd.y - point.y;
  const length = Math.hypot(dx, dy);
  if (length <= POINT_RADIUS + 1) return [];
  const from = { x: point.x + (dx / length) * (POINT_RADIUS + 1), y: point.y + (dy / length) * (POINT_RADIUS + 1) };
  return [{ from, to: label.leaderEnd }];
}

/** `1. lut act=int8 k=4` lines in as many columns as fit the plot's width, top to bottom first. */
function keyRows(texts: readonly string[], width: number, height: number): { x: number; y: number; text: string }[] {
  const lines = texts.map((text, i) => `${i + 1}. ${text}`);
  const columnWidth = Math.max(...lines.map((line) => textWidth(line, FONT_SIZE))) + 16;
  const columns = Math.max(1, Math.min(lines.length, Math.floor(width / columnWidth)));
  const perColumn = Math.ceil(lines.length / columns);
  const lineHeight = textHeight(FONT_SIZE) + 2;
  return lines.map((text, i) => ({
    x: Math.floor(i / perColumn) * columnWidth,
    y: height + KEY_TOP_GAP + (i % perColumn) * lineHeight,
    text,
  }));
}
