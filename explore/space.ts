// A design space: which generators to build, at which parameter points, for which synthesis
// targets, and on which simulated workloads. A space file lists groups; each group is one
// generator with fixed settings (`set`), explicit configurations (`list`) and a cartesian
// `product` of parameter values, crossed with each other. Expansion is deterministic (product keys
// in sorted order, values in file order), so every process numbers the points alike and a shard
// is the same slice on every machine.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatConfigError } from '../host/config.js';
import type { GeneratorRegistry } from '../generators/registry.js';
import { SYNTH_TARGETS, type SynthTarget } from '../synth/targets.js';
import { checkWorkload, workloadSchema, type WorkloadSpec } from './workload.js';
import { UsageError } from '../host/errors.js';

const paramValue = z.union([z.string(), z.number(), z.boolean()]);
export type ParamValue = z.infer<typeof paramValue>;
export type Params = Readonly<Record<string, ParamValue>>;

const groupSchema = z.strictObject({
  generator: z.string().min(1),
  name: z.string().min(1).optional().describe('a label for the group, carried into every result'),
  set: z.record(z.string(), paramValue).default({}),
  list: z.array(z.record(z.string(), paramValue)).min(1, 'an empty list has no points').optional(),
  product: z.record(z.string(), z.array(paramValue).min(1, 'an empty value list makes the product empty')).default({}),
  targets: z.array(z.enum(SYNTH_TARGETS)).optional().describe('overrides the space targets for this group'),
  workloads: z.array(z.string()).default([]).describe('names of space workloads to simulate each point on'),
});

export const spaceSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a space name is letters, digits, dot, dash and underscore'),
  description: z.string().optional(),
  targets: z.array(z.enum(SYNTH_TARGETS)).default(['cmos']),
  /** Hierarchical figures by default: large arrays do not flatten in the 4 GiB WebAssembly Yosys. */
  flatten: z.boolean().default(false),
  workloads: z.record(z.string(), workloadSchema).default({}),
  groups: z.array(groupSchema).min(1, 'a space needs at least one group'),
});
export type Space = z.output<typeof spaceSchema>;

/** What names a point in results, whether it was measured or failed. */
export interface PointIdentity {
  /** Position in the expansion of the whole space: the point's identity across shards. */
  readonly index: number;
  readonly group: number;
  readonly groupName?: string;
  readonly generator: string;
  /** The parameters as the space gives them (set, list entry and product values), sorted by key. */
  readonly params: Params;
}

export function pointIdentity(point: PointIdentity): PointIdentity {
  return {
    index: point.index,
    group: point.group,
    ...(point.groupName === undefined ? {} : { groupName: point.groupName }),
    generator: point.generator,
    params: point.params,
  };
}

export interface SpacePoint extends PointIdentity {
  /** The validated configuration, defaults filled in. */
  readonly config: unknown;
  readonly targets: readonly SynthTarget[];
  readonly workloads: readonly { readonly name: string; readonly spec: WorkloadSpec }[];
}

/** Validates a parsed space file against the registry and expands it; every problem is a UsageError naming the file. */
export function parseSpace(value: unknown, displayPath: string, registry: GeneratorRegistry): { space: Space; points: SpacePoint[] } {
  const parsed = spaceSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`space '${displayPath}': ${formatSpaceIssues(parsed.error)}`);
  const space = parsed.data;
  const points: SpacePoint[] = [];
  space.groups.forEach((group, groupIndex) => {
    const where = `space '${displayPath}': groups[${groupIndex}]`;
    const spec = registry.get(group.generator);
    if (spec === undefined) {
      throw new UsageError(`${where}: unknown generator '${group.generator}' (known: ${[...registry.keys()].sort().join(', ')})`);
    }
    for (const name of group.workloads) {
      if (space.workloads[name] === undefined) {
        const known = Object.keys(space.workloads);
        throw new UsageError(`${where}: unknown workload '${name}' (${known.length > 0 ? `known: ${known.sort().join(', ')}` : 'the space defines none'})`);
      }
    }
    const targets = group.targets ?? space.targets;
    if (targets.length === 0 && group.workloads.length === 0) throw new UsageError(`${where}: no synthesis target and no workload: nothing to measure`);
    for (const params of expandGroup(group)) {
      const checked = spec.schema.safeParse(params);
      if (!checked.success) throw new UsageError(`${where}: ${formatConfigError(spec.name, checked.error, params, spec.schema)}`);
      for (const name of group.workloads) {
        const problem = checkWorkload(spec.name, checked.data, name, space.workloads[name]!);
        if (problem !== undefined) throw new UsageError(`${where}: ${problem}`);
      }
      points.push({
        index: points.length,
        group: groupIndex,
        ...(group.name === undefined ? {} : { groupName: group.name }),
        generator: spec.name,
        params,
        config: checked.data,
        targets: [...new Set(targets)],
        workloads: group.workloads.map((name) => ({ name, spec: space.workloads[name]! })),
      });
    }
  });
  return { space, points };
}

type Group = Space['groups'][number];

/** Every parameter set of a group: each list entry (or none) crossed with the product, over `set`. */
function expandGroup(group: Group): Params[] {
  const bases = group.list ?? [{}];
  const keys = Object.keys(group.product).sort();
  let combos: Record<string, ParamValue>[] = [{}];
  for (const key of keys) combos = combos.flatMap((combo) => group.product[key]!.map((value) => ({ ...combo, [key]: value })));
  return bases.flatMap((base) => combos.map((combo) => sortedParams({ ...group.set, ...base, ...combo })));
}

function sortedParams(params: Record<string, ParamValue>): Params {
  return Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function formatSpaceIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('').replace(/^\./, '');
      if (issue.code === 'unrecognized_keys') return `${path === '' ? '' : `${path}: `}unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
      return `${path === '' ? '' : `${path}: `}${issue.message}`;
    })
    .join('; ');
}

export interface Shard {
  /** 1-based, as CI matrices and array jobs usually number. */
  readonly index: number;
  readonly count: number;
}

/** Parses `i/n` with 1 <= i <= n. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--shard ${text}: expected i/n, for example 1/4`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new UsageError(`--shard ${text}: the shard count must be at least 1`);
  if (index < 1 || index > count) throw new UsageError(`--shard ${text}: the shard index must lie in 1..${count}`);
  return { index, count };
}

/**
 * The points of one shard: every count-th point, starting at index - 1. Round robin rather than
 * contiguous blocks, since neighbouring points of a sweep cost alike and blocks would not balance.
 */
export function shardPoints<T extends { readonly index: number }>(points: readonly T[], shard: Shard): T[] {
  return points.filter((point) => point.index % shard.count === shard.index - 1);
}

/** A digest of the space as validated: shards of one space agree on it, so merge can tell spaces apart. */
export function spaceDigest(space: Space): string {
  return createHash('sha256').update(canonicalJson(space)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted at every level: the same value gives the same text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
