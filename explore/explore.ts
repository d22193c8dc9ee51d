// Explores the points of a space (or of one shard of it): up to `jobs` points at a time, each
// generated, synthesized and simulated by runPoint, reporting each finished point as it lands.
// Points are independent, which is what makes sharding across machines need no extra code.

import { availableParallelism } from 'node:os';
import type { EmittedDesign } from '../dsl/design.js';
import { HdlError } from '../dsl/errors.js';
import type { GeneratorRegistry } from '../generators/registry.js';
import { resolveFlavour, yosysVersion, type YosysFlavour } from '../synth/runner.js';
import { runPoint } from './point.js';
import { failedPoint, type ExploredPoint, type ExploreResults } from './results.js';
import { shardPoints, spaceDigest, type Shard, type Space, type SpacePoint } from './space.js';
import { mapPool } from '../host/pool.js';

export interface ExploreOptions {
  readonly registry: GeneratorRegistry;
  /** Points measured at once (default: the core count; Yosys and Verilator each bound their own parallelism too). */
  readonly jobs?: number;
  readonly shard?: Shard;
  readonly flavour?: YosysFlavour;
  readonly cacheDir: string | null;
  /** Synthesis cache; undefined: the library's default (toolchain/cache-dir.ts), null: none. */
  readonly synthCacheDir?: string | null;
  /** Called once the points of this run are known, then after each point. */
  readonly onStart?: (total: number) => void;
  readonly onPoint?: (point: ExploredPoint, done: number, total: number) => void;
}

export async function exploreSpace(space: Space, points: readonly SpacePoint[], options: ExploreOptions): Promise<ExploreResults> {
  const shard = options.shard ?? { index: 1, count: 1 };
  const mine = shardPoints(points, shard);
  // Every design is elaborated before the first Yosys or Verilator run: DSL misuse in a generator
  // is bad input (exit 2, nothing written) and must not surface only after hours of measuring.
  // Any other error of a generator is that point's failure, recorded like a Yosys one.
  const designs = new Map<number, EmittedDesign | { readonly error: unknown }>();
  for (const point of mine) designs.set(point.index, elaborate(options.registry, point));
  const flavour = resolveFlavour(options.flavour);
  const version = await yosysVersion(flavour);
  const pointOptions = {
    registry: options.registry,
    flavour,
    yosysVersion: version,
    flatten: space.flatten,
    cacheDir: options.cacheDir,
    synthCacheDir: options.synthCacheDir,
  };
  options.onStart?.(mine.length);
  let done = 0;
  const results = await mapPool(mine, options.jobs ?? availableParallelism(), async (point) => {
    const design = designs.get(point.index);
    designs.delete(point.index);
    const result: ExploredPoint =
      design === undefined || 'error' in design
        ? failedPoint(point, design?.error ?? new Error('the point was not elaborated'))
        : await runPoint(point, pointOptions, design).catch((error: unknown) => failedPoint(point, error));
    options.onPoint?.(result, ++done, mine.length);
    return result;
  });
  return {
    format: 1,
    space,
    spaceDigest: spaceDigest(space),
    totalPoints: points.length,
    shards: [shard],
    points: results.sort((a, b) => a.index - b.index),
  };
}

function elaborate(registry: GeneratorRegistry, point: SpacePoint): EmittedDesign | { readonly error: unknown } {
  const spec = registry.get(point.generator);
  if (spec === undefined) return { error: new Error(`generator '${point.generator}' vanished from the registry`) };
  try {
    return spec.generate(point.config);
  } catch (error) {
    if (error instanceof HdlError) throw error;
    return { error };
  }
}
