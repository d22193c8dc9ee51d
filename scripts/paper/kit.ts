// What every section of the paper report shares: finding measured points in explore results,
// markdown tables, number formats, the verdict words used to hold a figure against the paper, and
// how a script run alone adds its files to the checked-in copy.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { OUTPUT_MARKER_FILE, type OutputFile } from '../../host/atomic.js';
import type { PointResult } from '../../explore/point.js';
import { isFailed, type ExploreResults } from '../../explore/results.js';
import type { ParamValue } from '../../explore/space.js';
import { formatNumber } from '../../synth/report.js';

export interface Section {
  readonly title: string;
  /** Markdown body; plots are referenced as `![..](name.svg)`. */
  readonly body: string;
  readonly plots: readonly { readonly name: string; readonly spec: TopLevelSpec }[];
  /** One line per compared figure for the summary table at the top. */
  readonly summary: readonly SummaryLine[];
}

export type Verdict = 'meets' | 'beats' | 'misses' | 'differs';

export interface SummaryLine {
  readonly figure: string;
  readonly paper: string;
  readonly ours: string;
  readonly verdict: Verdict;
}

/** The measured points of a results document; a failed point stops the report, since every figure must be measured. */
export function measuredPoints(results: ExploreResults): PointResult[] {
  const failed = results.points.filter(isFailed);
  if (failed.length > 0) throw new Error(`space '${results.space.name}': ${failed.length} point(s) failed, first: ${failed[0]!.error}`);
  return results.points as PointResult[];
}

/** The one point whose parameters include `params` (and, if given, whose group is `group`). */
export function pointWith(points: readonly PointResult[], params: Readonly<Record<string, ParamValue>>, group?: string): PointResult {
  const found = points.filter((point) => (group === undefined || point.groupName === group) && Object.entries(params).every(([key, value]) => point.params[key] === value));
  if (found.length !== 1) throw new Error(`expected one point with ${JSON.stringify(params)}${group === undefined ? '' : ` in group ${group}`}, found ${found.length}`);
  return found[0]!;
}

export function transistors(point: PointResult): number {
  const value = point.synth.cmos?.['transistors'];
  if (value === undefined) throw new Error(`point ${point.index} has no cmos figures`);
  return value;
}

export function memoryBits(point: PointResult): number {
  return point.synth.cmos?.['memoryBits'] ?? 0;
}

/** MACs (or lookups) per cycle per 1,000 cmos transistors. */
export function density(point: PointResult): number {
  const value = point.density?.cmos;
  if (value === undefined) throw new Error(`point ${point.index} has no cmos density`);
  return value;
}

/** Transistors of every instance of the modules whose names start with `prefix`, their children included. */
export function moduleTransistors(point: PointResult, prefix: string): number {
  const modules = point.modules ?? {};
  const subtree = (name: string): number => {
    const entry = modules[name];
    if (entry === undefined) return 0;
    return entry.transistors + Object.entries(entry.instances).reduce((sum, [child, count]) => sum + count * subtree(child), 0);
  };
  return Object.entries(modules)
    .filter(([name]) => name.startsWith(prefix))
    .reduce((sum, [name, entry]) => sum + entry.count * subtree(name), 0);
}

/** One instance of the first module whose name starts with `prefix`, children included. */
export function oneInstance(point: PointResult, prefix: string): number {
  const match = Object.entries(point.modules ?? {}).find(([name]) => name.startsWith(prefix));
  if (match === undefined) throw new Error(`point ${point.index} has no module ${prefix}*`);
  return moduleTransistors(point, match[0]) / match[1].count;
}

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (value: string | number): string => (typeof value === 'number' ? formatNumber(value) : value);
  const align = headers.map((_, i) => (rows.every((row) => typeof row[i] === 'number' || /^[\d.,x%+-]+$/.test(String(row[i]))) ? '---:' : '---'));
  return [`| ${headers.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

export const fixed = (value: number, digits = 2): string => value.toFixed(digits);
export const ratio = (value: number): string => `${value.toFixed(2)}x`;
export const percent = (value: number, digits = 1): string => `${(100 * value).toFixed(digits)}%`;
export { formatNumber };

/** The argument of the largest value (first on ties). */
export function argmax<T>(items: readonly T[], value: (item: T) => number): T {
  let best = items[0];
  if (best === undefined) throw new Error('argmax of nothing');
  for (const item of items) if (value(item) > value(best)) best = item;
  return best;
}

/** Inclusive ranges of consecutive integers, for "wins at 1-2 bits": [1,2,4] -> "1-2, 4". */
export function describeRuns(values: readonly number[]): string {
  if (values.length === 0) return 'none';
  const runs: [number, number][] = [];
  for (const value of [...values].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last !== undefined && value === last[1] + 1) last[1] = value;
    else runs.push([value, value]);
  }
  return runs.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(', ');
}

/**
 * Writes files into a report directory outside `make paper` (a section refreshed alone), listing
 * them in its files.f so that the directory stays one lutforge output; a directory without files.f
 * (not a report) just gets the files.
 */
export async function writeIntoReport(directory: string, files: readonly OutputFile[]): Promise<void> {
  for (const file of files) await writeFile(join(directory, file.name), file.contents);
  const markerPath = join(directory, OUTPUT_MARKER_FILE);
  let marker: string[];
  try {
    marker = (await readFile(markerPath, 'utf8')).split('\n').filter((line) => line !== '');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return;
    throw error;
  }
  const missing = files.map((file) => file.name).filter((name) => !marker.includes(name));
  if (missing.length > 0) await writeFile(markerPath, `${[...marker, ...missing].join('\n')}\n`);
}
