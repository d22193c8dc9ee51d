// The results of exploring a space (or a shard of it): one JSON document that says which space
// and which shards it covers and holds every point's measurements, a CSV of the same rows for
// spreadsheets and pandas, and the default plots. Shards of one space merge into the same
// document a single run would have written.

import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { withOutputMarker } from '../host/atomic.js';
import type { PointResult } from './point.js';
import { namePoints, omittedLines } from './labels.js';
import { barPlot, plotFiles, scatterPlot, type PlotRow } from './plot.js';
import { pointIdentity, type PointIdentity, type Shard, type Space, type SpacePoint } from './space.js';
import { UsageError } from '../host/errors.js';

/** A point whose measurement failed (a Yosys or simulator error): kept, so the rest of a sweep is not lost. */
export interface FailedPoint extends PointIdentity {
  readonly error: string;
}

export type ExploredPoint = PointResult | FailedPoint;

export function isFailed(point: ExploredPoint): point is FailedPoint {
  return 'error' in point;
}

export interface ExploreResults {
  readonly format: 1;
  readonly space: Space;
  readonly spaceDigest: string;
  readonly totalPoints: number;
  /** The shards this document covers, sorted; every shard of 1/1 for an unsharded run. */
  readonly shards: readonly Shard[];
  /** Sorted by index. */
  readonly points: readonly ExploredPoint[];
}

export function failedPoint(point: SpacePoint, error: unknown): FailedPoint {
  return {
    ...pointIdentity(point),
    error: error instanceof Error ? error.message : String(error),
  };
}

/** A short name for a point: its group name (or generator) and its parameters. */
export function pointLabel(point: Pick<ExploredPoint, 'generator' | 'groupName' | 'params'>): string {
  const params = Object.entries(point.params).map(([key, value]) => `${key}=${String(value)}`);
  return [point.groupName ?? point.generator, ...params].join(' ');
}

// ---- reading and merging ---------------------------------------------------------------------

const resultsHeader = z.object({
  format: z.literal(1),
  spaceDigest: z.string(),
  totalPoints: z.number().int().min(0),
  shards: z.array(z.object({ index: z.number().int().min(1), count: z.number().int().min(1) })),
  points: z.array(z.object({ index: z.number().int().min(0), id: z.string().optional() }).loose()),
  space: z.object({ name: z.string() }).loose(),
});

/** Reads a results.json written by explore; a file of another kind is a UsageError naming it. */
export function parseResults(text: string, displayPath: string): ExploreResults {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`'${displayPath}' is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const checked = resultsHeader.safeParse(value);
  if (!checked.success) throw new UsageError(`'${displayPath}' is not an explore results file (${checked.error.issues[0]?.path.join('.') ?? ''}: ${checked.error.issues[0]?.message ?? ''})`);
  return value as ExploreResults;
}

/**
 * Joins shard results of one space. Different spaces, or one point measured differently in two
 * shards (different code, so a different id), are UsageErrors: merging them would mix designs.
 */
export function mergeResults(parts: readonly { readonly results: ExploreResults; readonly displayPath: string }[]): ExploreResults {
  const first = parts[0];
  if (first === undefined) throw new UsageError('explore merge needs at least one results directory');
  const byIndex = new Map<number, { point: ExploredPoint; from: string }>();
  const shards = new Map<string, Shard>();
  for (const { results, displayPath } of parts) {
    if (results.spaceDigest !== first.results.spaceDigest) {
      throw new UsageError(`'${displayPath}' explores another space (${results.space.name}, digest ${results.spaceDigest}) than '${first.displayPath}' (${first.results.space.name}, digest ${first.results.spaceDigest})`);
    }
    for (const shard of results.shards) shards.set(`${shard.index}/${shard.count}`, shard);
    for (const point of results.points) {
      const seen = byIndex.get(point.index);
      if (seen !== undefined && !isFailed(seen.point) && !isFailed(point) && seen.point.id !== point.id) {
        throw new UsageError(`point ${point.index} (${pointLabel(point)}) differs between '${seen.from}' and '${displayPath}': they were measured from different code`);
      }
      // A success wins over a failure of the same point (a shard re-run after a fix).
      if (seen === undefined || isFailed(seen.point)) byIndex.set(point.index, { point, from: displayPath });
    }
  }
  return {
    format: 1,
    space: first.results.space,
    spaceDigest: first.results.spaceDigest,
    totalPoints: first.results.totalPoints,
    shards: [...shards.values()].sort((a, b) => a.count - b.count || a.index - b.index),
    points: [...byIndex.values()].map(({ point }) => point).sort((a, b) => a.index - b.index),
  };
}

/** Indices of the space's points that the results do not hold. */
export function missingPoints(results: ExploreResults): number[] {
  const present = new Set(results.points.map((point) => point.index));
  return Array.from({ length: results.totalPoints }, (_, index) => index).filter((index) => !present.has(index));
}

// ---- writing ---------------------------------------------------------------------------------

/** One flat row per point: parameters, throughput, density, figures per target, workload results. */
export function flatRows(results: ExploreResults): Record<string, string | number | boolean | null>[] {
  return results.points.map((point) => {
    const row: Record<string, string | number | boolean | null> = {
      index: point.index,
      group: point.groupName ?? String(point.group),
      generator: point.generator,
      label: pointLabel(point),
    };
    for (const [key, value] of Object.entries(point.params)) row[`param.${key}`] = value;
    if (isFailed(point)) {
      row['error'] = point.error;
      return row;
    }
    row['id'] = point.id;
    if (point.throughput !== undefined) {
      row['throughput'] = point.throughput.perCycle;
      row['throughputUnit'] = point.throughput.unit;
    }
    if (point.density?.cmos !== undefined) row['density.cmos'] = point.density.cmos;
    if (point.density?.xilinx !== undefined) row['density.xilinx'] = point.density.xilinx;
    for (const [target, figures] of Object.entries(point.synth)) for (const [key, value] of Object.entries(figures ?? {})) row[`${target}.${key}`] = value;
    for (const [name, run] of Object.entries(point.workloads)) {
      row[`${name}.cycles`] = run.cycles;
      row[`${name}.idealCycles`] = run.idealCycles;
      row[`${name}.efficiency`] = run.efficiency;
      row[`${name}.mismatches`] = run.mismatches;
    }
    return row;
  });
}

export function resultsCsv(results: ExploreResults): string {
  const rows = flatRows(results);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const fixed = ['index', 'group', 'generator', 'label'];
  const ordered = [...fixed, ...columns.filter((column) => !fixed.includes(column) && column !== 'error'), ...(columns.includes('error') ? ['error'] : [])];
  return stringify(rows, { header: true, columns: ordered, cast: { boolean: (value) => String(value) } });
}

/** Plot-only fields (not in results.csv, whose `label` names a point in full). */
const PLOT_LABEL = 'plot.label';
const PLOT_CATEGORY = 'plot.category';
const PLOT_GROUP = 'plot.group';

const DENSITY_BASES = [
  { target: 'cmos', density: 'density.cmos', densityTitle: 'ops per cycle per 1,000 transistors', area: 'cmos.transistors', areaTitle: 'transistors' },
  { target: 'xilinx', density: 'density.xilinx', densityTitle: 'ops per cycle per LUT', area: 'xilinx.lut', areaTitle: 'LUTs' },
] as const;

/**
 * The results directory's files: results.json, results.csv, the plots when density was measured,
 * and files.f naming them (the marker that lets a later run replace the directory, host/atomic.ts).
 */
export async function resultFiles(results: ExploreResults, options: { readonly png: boolean }): Promise<{ name: string; contents: string | Uint8Array }[]> {
  const files: { name: string; contents: string | Uint8Array }[] = [
    { name: 'results.json', contents: `${JSON.stringify(results, null, 2)}\n` },
    { name: 'results.csv', contents: resultsCsv(results) },
  ];
  const rows = flatRows(results);
  // Density on cmos when the space synthesized for it, else per xilinx LUT (an FPGA-only space).
  const basis = DENSITY_BASES.find((candidate) => rows.some((row) => typeof row[candidate.density] === 'number'));
  if (basis !== undefined) {
    const plotted = results.points.flatMap((point, i) => (typeof rows[i]![basis.density] === 'number' ? [{ point, row: rows[i]! }] : []));
    // Labels name what tells the plotted points apart; the rest is said once under the title.
    const names = namePoints(plotted.map(({ point }) => point));
    const measured: PlotRow[] = plotted.map(({ row }, i) => ({
      ...row,
      [PLOT_LABEL]: names.labels[i]!,
      [PLOT_CATEGORY]: names.severalGroups ? names.paramLabels[i]! : names.labels[i]!,
      [PLOT_GROUP]: names.groups[i]!,
    }));
    const notes = omittedLines(names);
    const series = names.severalGroups ? { field: PLOT_GROUP, title: 'group' } : undefined;
    const density = { field: basis.density, title: basis.densityTitle };
    files.push(
      ...(await plotFiles(
        'pareto',
        scatterPlot(measured, {
          title: `${results.space.name}: density against area (${basis.target})`,
          x: { field: basis.area, title: basis.areaTitle, scale: 'log' },
          y: density,
          ...(series === undefined ? {} : { series }),
          label: PLOT_LABEL,
          pareto: { x: 'min', y: 'max' },
          notes,
        }),
        options,
      )),
      ...(await plotFiles(
        'density',
        barPlot(measured, {
          title: `${results.space.name}: density by configuration (${basis.target})`,
          // With several groups, a category holds one bar per group side by side.
          category: { field: PLOT_CATEGORY, title: 'configuration' },
          value: density,
          ...(series === undefined ? {} : { series }),
          sort: 'none',
          notes,
        }),
        options,
      )),
    );
  }
  return withOutputMarker(files);
}
