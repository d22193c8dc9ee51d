// Where the text labels of a scatter plot go, in pixels, so that none covers another label, a
// point or the Pareto step line: vega-lite draws text exactly where it is told and has no
// placement of its own. A greedy search over rings of candidate positions around each point,
// nearest first, in a fixed order: the same points always give the same picture.

/** A rectangle in plot pixels: left, top, width, height. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LabelRequest {
  /** The labelled point, in plot pixels (y grows downwards). */
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

export interface PlacedLabel {
  readonly text: string;
  /** The label's centre, in plot pixels. */
  readonly x: number;
  readonly y: number;
  /** Set when the label sits away from its point: the end of a leader line on the label's edge. */
  readonly leaderEnd?: { readonly x: number; readonly y: number };
}

export interface PlacementOptions {
  /** The plot area; labels stay inside it, clear of the axes and legend. */
  readonly width: number;
  readonly height: number;
  readonly fontSize: number;
  /** Every drawn point (labelled or not), as boxes to keep clear. */
  readonly obstacles: readonly Box[];
  /** Half the size of a point's mark, where a leader line starts. */
  readonly pointRadius: number;
  /** The side tried first: the one the step line leaves free. */
  readonly prefer: 'above' | 'below';
}

/**
 * Advance widths of DejaVu Sans (the plots' font, explore/render.ts) in hundredths of an em,
 * measured with resvg; characters not listed count as wide.
 */
const ADVANCE: Readonly<Record<string, number>> = {
  ' ': 32, '!': 40, '"': 46, '#': 84, $: 64, '%': 95, '&': 78, "'": 27, '(': 39, ')': 39, '*': 50, '+': 84, ',': 32, '-': 36, '.': 30, '/': 34,
  '0': 64, '1': 64, '2': 64, '3': 64, '4': 64, '5': 64, '6': 64, '7': 64, '8': 64, '9': 64, ':': 34, ';': 34, '<': 84, '=': 84, '>': 84, '?': 53, '@': 100,
  A: 68, B: 69, C: 70, D: 77, E: 63, F: 58, G: 77, H: 75, I: 29, J: 29, K: 66, L: 56, M: 86, N: 75, O: 79, P: 60, Q: 79, R: 69, S: 63, T: 61, U: 73,
  V: 68, W: 99, X: 69, Y: 61, Z: 69, '[': 39, '\\': 34, ']': 39, '^': 84, _: 50, '`': 50,
  a: 61, b: 63, c: 55, d: 63, e: 62, f: 35, g: 63, h: 63, i: 28, j: 28, k: 58, l: 28, m: 97, n: 63, o: 61, p: 63, q: 63, r: 41, s: 52, t: 39, u: 63,
  v: 59, w: 82, x: 59, y: 59, z: 52, '{': 64, '|': 34, '}': 64, '~': 84,
};
const WIDE = 100;

/** The width `text` takes at `fontSize` pixels in DejaVu Sans. */
export function textWidth(text: string, fontSize: number): number {
  let hundredths = 0;
  for (const char of text) hundredths += ADVANCE[char] ?? WIDE;
  return (hundredths / 100) * fontSize;
}

/** Line height of a label: the font size and a little air. */
export function textHeight(fontSize: number): number {
  return Math.ceil(fontSize * 1.2);
}

/** Gap kept between a label and anything else. */
const GAP = 2;
/**
 * Distances from a point's centre to its label tried in turn (the first clears a point's own
 * mark); past the first two a leader line shows whose label it is.
 */
const RINGS = [8, 14, 22, 32, 44, 58, 74, 92, 112, 134, 158, 184];
const LEADER_FROM_RING = 2;

/**
 * Places every label clear of the obstacles, the labels placed before it and the plot's edges.
 * `complete` is false when some label found no free place within the outermost ring; that label
 * then sits at its first candidate, possibly over something, and the caller should switch to
 * shorter labels (numbers with a key).
 */
export function placeLabels(requests: readonly LabelRequest[], options: PlacementOptions): { labels: PlacedLabel[]; complete: boolean } {
  const taken: Box[] = [...options.obstacles];
  const labels: PlacedLabel[] = [];
  let complete = true;
  const height = textHeight(options.fontSize);
  for (const request of requests) {
    const width = textWidth(request.text, options.fontSize);
    const candidates = candidateCentres(request, width, height, options.prefer);
    const fits = candidates.find(({ x, y, ring }) => {
      const box = centredBox(x, y, width, height);
      if (!inside(box, options) || taken.some((other) => overlaps(box, other))) return false;
      // A leader must not run along the step line or through another label: it would point wrong.
      return ring < LEADER_FROM_RING || leaderIsClear(request, edgeToward(box, request), taken, options.pointRadius);
    });
    if (fits === undefined) complete = false;
    const chosen = fits ?? candidates[0]!;
    const box = centredBox(chosen.x, chosen.y, width, height);
    taken.push(box);
    labels.push({
      text: request.text,
      x: chosen.x,
      y: chosen.y,
      ...(chosen.ring >= LEADER_FROM_RING ? { leaderEnd: edgeToward(box, request) } : {}),
    });
  }
  return { labels, complete };
}

/** A box of side 2 * radius around each point. */
export function pointBoxes(points: readonly { readonly x: number; readonly y: number }[], radius: number): Box[] {
  return points.map(({ x, y }) => ({ x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius }));
}

/** Thin boxes along the segments of a polyline given by its vertices. */
export function segmentBoxes(vertices: readonly { readonly x: number; readonly y: number }[]): Box[] {
  return vertices.slice(1).map((end, i) => {
    const start = vertices[i]!;
    return { x: Math.min(start.x, end.x) - 0.5, y: Math.min(start.y, end.y) - 0.5, width: Math.abs(end.x - start.x) + 1, height: Math.abs(end.y - start.y) + 1 };
  });
}

interface Candidate {
  readonly x: number;
  readonly y: number;
  readonly ring: number;
}

/**
 * Label centres around a point, nearest ring first. Within a ring: on the preferred side (centred,
 * or slid so the point sits under one end, which lets long labels pass each other), then beside
 * the point (level, then nudged to either side), then the diagonals, then the other side.
 */
function candidateCentres(point: LabelRequest, width: number, height: number, prefer: 'above' | 'below'): Candidate[] {
  const sign = prefer === 'above' ? -1 : 1;
  const slide = Math.max(0, width / 2 - 6);
  // Clear of a step line through the point, which runs level with it.
  const nudge = height / 2 + GAP + 1;
  const candidates: Candidate[] = [];
  RINGS.forEach((r, ring) => {
    const at = (dx: number, dy: number): Candidate => ({ x: point.x + dx, y: point.y + dy, ring });
    const vertical = (side: number): Candidate[] => [0, slide, -slide].map((dx) => at(dx, side * (r + height / 2)));
    const beside = (dy: number): Candidate[] => [at(r + width / 2, dy), at(-r - width / 2, dy)];
    const diagonal = r * Math.SQRT1_2;
    const diagonals = (side: number): Candidate[] => [at(diagonal + width / 2, side * (diagonal + height / 2)), at(-diagonal - width / 2, side * (diagonal + height / 2))];
    candidates.push(...vertical(sign), ...beside(0), ...beside(sign * nudge), ...beside(-sign * nudge), ...diagonals(sign), ...vertical(-sign), ...diagonals(-sign));
  });
  return candidates;
}

function centredBox(x: number, y: number, width: number, height: number): Box {
  return { x: x - width / 2, y: y - height / 2, width, height };
}

function inside(box: Box, area: { readonly width: number; readonly height: number }): boolean {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= area.width && box.y + box.height <= area.height;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/** Whether the leader from `point` to `end`, outside the point's mark, misses every box. */
function leaderIsClear(point: { x: number; y: number }, end: { x: number; y: number }, boxes: readonly Box[], radius: number): boolean {
  const length = Math.hypot(end.x - point.x, end.y - point.y);
  if (length <= radius + GAP) return true;
  const t0 = (radius + GAP) / length;
  const start = { x: point.x + (end.x - point.x) * t0, y: point.y + (end.y - point.y) * t0 };
  return boxes.every((box) => !segmentMeetsBox(start, end, box));
}

/** Liang-Barsky: whether the segment from a to b passes through the box. */
function segmentMeetsBox(a: { x: number; y: number }, b: { x: number; y: number }, box: Box): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let low = 0;
  let high = 1;
  const edges: [number, number][] = [
    [-dx, a.x - box.x],
    [dx, box.x + box.width - a.x],
    [-dy, a.y - box.y],
    [dy, box.y + box.height - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) low = Math.max(low, t);
      else high = Math.min(high, t);
      if (low > high) return false;
    }
  }
  return true;
}

/** Where the line from the box's centre to `point` leaves the box. */
function edgeToward(box: Box, point: { readonly x: number; readonly y: number }): { x: number; y: number } {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = point.x - cx;
  const dy = point.y - cy;
  const scale = Math.min(dx === 0 ? Infinity : box.width / 2 / Math.abs(dx), dy === 0 ? Infinity : box.height / 2 / Math.abs(dy));
  return { x: cx + dx * Math.min(1, scale), y: cy + dy * Math.min(1, scale) };
}
