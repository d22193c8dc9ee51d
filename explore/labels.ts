// Short names for the points of a plot or a progress log. A space fixes most parameters and
// sweeps a few, so a point's full parameter list (`lut act=int8 k=4 kind=lut m=2 n=64 units=64`)
// is mostly the same text on every point, and plots cut it before the one value that differs.
// Here a point is named by what tells it apart: its group, when there are several, and the
// parameters that vary within a group; what every point shares, and what each group fixes, is
// said once (in a subtitle).

import type { ParamValue, PointIdentity } from './space.js';

export type NamedPoint = Pick<PointIdentity, 'group' | 'groupName' | 'generator' | 'params'>;

export interface PointNames {
  /** Per point, in the order given: the group (when there are several) and the parameters that vary. Never empty, never repeated. */
  readonly labels: readonly string[];
  /** Per point: only the parameters that vary, for a chart that shows the group apart (by colour); the group's title when none vary. */
  readonly paramLabels: readonly string[];
  /** Per point: its group's title (the group name, else the generator, numbered when two unnamed groups share one). */
  readonly groups: readonly string[];
  /** Whether the points come from more than one group. */
  readonly severalGroups: boolean;
  /** `key=value` of the parameters every point has with the same value, in key order. */
  readonly common: readonly string[];
  /** With several groups: per group with parameters of its own that are fixed within it, `lut: kind=lut`. */
  readonly perGroup: readonly string[];
}

/** Names `points` by what tells them apart; see the file comment. */
export function namePoints(points: readonly NamedPoint[]): PointNames {
  const groups = groupTitles(points);
  const groupIds = [...new Set(points.map((point) => point.group))];
  const severalGroups = groupIds.length > 1;
  const keys = [...new Set(points.flatMap((point) => Object.keys(point.params)))].sort(compareStrings);

  const common: string[] = [];
  const fixedPerGroup = new Map<number, string[]>(groupIds.map((id) => [id, []]));
  const varying: string[] = [];
  for (const key of keys) {
    if (points[0]!.params[key] !== undefined && constantOver(points, key)) {
      common.push(`${key}=${format(points[0]!.params[key]!)}`);
    } else if (severalGroups && groupIds.every((id) => constantOver(points.filter((point) => point.group === id), key))) {
      // Fixed within each group, different across them (`kind` of a `lut` and a `mac` group):
      // the group name in the label already tells the value.
      for (const id of groupIds) {
        const value = points.find((point) => point.group === id)!.params[key];
        if (value !== undefined) fixedPerGroup.get(id)!.push(`${key}=${format(value)}`);
      }
    } else {
      varying.push(key);
    }
  }

  const paramText = (point: NamedPoint): string =>
    varying.flatMap((key) => (point.params[key] === undefined ? [] : [`${key}=${format(point.params[key])}`])).join(' ');
  const labels = unique(
    points.map((point, i) => [severalGroups ? groups[i]! : '', paramText(point)].filter((part) => part !== '').join(' ') || groups[i]!),
  );
  const paramLabels = points.map((point, i) => paramText(point) || groups[i]!);
  const perGroup = groupIds.flatMap((id) => {
    const fixed = fixedPerGroup.get(id)!;
    return fixed.length === 0 ? [] : [`${groups[points.findIndex((point) => point.group === id)]!}: ${fixed.join(' ')}`];
  });
  return { labels, paramLabels, groups, severalGroups, common, perGroup };
}

/**
 * Lines for a plot's subtitle saying what the labels leave out, each at most `width` characters
 * (vega does not wrap titles); none when nothing is left out.
 */
export function omittedLines(names: PointNames, width = 90): string[] {
  const parts = [...(names.common.length > 0 ? [`every point: ${names.common.join(' ')}`] : []), ...names.perGroup];
  return wrapWords(parts.join('; '), width);
}

function groupTitles(points: readonly NamedPoint[]): string[] {
  // Two unnamed groups of one generator would otherwise share a title.
  const generatorGroups = new Map<string, Set<number>>();
  for (const point of points) {
    if (point.groupName !== undefined) continue;
    const set = generatorGroups.get(point.generator) ?? new Set<number>();
    set.add(point.group);
    generatorGroups.set(point.generator, set);
  }
  return points.map((point) => {
    if (point.groupName !== undefined) return point.groupName;
    return (generatorGroups.get(point.generator)?.size ?? 0) > 1 ? `${point.generator} (group ${point.group})` : point.generator;
  });
}

/** Whether every point has the same value for `key`, or every point lacks it. */
function constantOver(points: readonly NamedPoint[], key: string): boolean {
  const first = points[0]?.params[key];
  return points.every((point) => point.params[key] === first);
}

function format(value: ParamValue): string {
  return String(value);
}

/** Equal labels (two groups with one title and the same parameters) get the point's position. */
function unique(labels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return labels.map((label, i) => ((counts.get(label) ?? 0) > 1 ? `${label} #${i + 1}` : label));
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((part) => part !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
