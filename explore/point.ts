// One point of a space: generate its design, synthesize it for the point's targets, simulate its
// workloads, and keep the measurements in a cache keyed by the content that decides them: the
// emitted Verilog, the targets, the Yosys build and the workloads. A re-run therefore skips every
// point whose hardware did not change, and a changed generator re-measures exactly the points
// whose Verilog changed.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EmittedDesign } from '../dsl/design.js';
import type { GeneratorRegistry, Throughput } from '../generators/registry.js';
import type { YosysFlavour } from '../synth/runner.js';
import { figuresOf, synthesize, type SynthReport } from '../synth/synthesize.js';
import { targetScript, type SynthTarget } from '../synth/targets.js';
import { canonicalJson, pointIdentity, type PointIdentity, type SpacePoint } from './space.js';
import { runWorkload, type WorkloadResult } from './workload.js';

/** What a point measures; this is what the cache holds. */
export interface Measurements {
  /** Top-level figures per target (see synth/targets.ts FIGURE_KEYS). */
  readonly synth: Readonly<Partial<Record<SynthTarget, Readonly<Record<string, number>>>>>;
  /** cmos: each module's own transistors, its instances of other modules, and how many instances of it the design holds. */
  readonly modules?: Readonly<Record<string, ModuleCost>>;
  readonly workloads: Readonly<Record<string, WorkloadResult>>;
  /** Wall time of the measurement (not of a cache hit). */
  readonly seconds: number;
}

export interface ModuleCost {
  readonly count: number;
  /** This module's own logic, without its children. */
  readonly transistors: number;
  readonly instances: Readonly<Record<string, number>>;
}

export interface PointResult extends Measurements, PointIdentity {
  readonly config: unknown;
  /** The cache key: a digest of the emitted Verilog, targets, Yosys build and workloads. */
  readonly id: string;
  readonly throughput?: Throughput;
  /** Throughput per cycle per 1,000 cmos transistors, and per xilinx LUT. */
  readonly density?: { readonly cmos?: number; readonly xilinx?: number };
  readonly cached: boolean;
}

export interface PointOptions {
  readonly registry: GeneratorRegistry;
  readonly flavour: YosysFlavour;
  readonly yosysVersion: string;
  readonly flatten: boolean;
  /** Explore results cache; null runs every point afresh. */
  readonly cacheDir: string | null;
  /** Yosys report cache (synth/synthesize.ts); null turns it off. */
  /** Synthesis cache; undefined: the library's default (toolchain/cache-dir.ts), null: none. */
  readonly synthCacheDir?: string | null;
}

// 2: module entries carry their instances.
const CACHE_FORMAT = 2;

/** Measures a point; `elaborated` is its design when the caller has generated it already. */
export async function runPoint(point: SpacePoint, options: PointOptions, elaborated?: EmittedDesign): Promise<PointResult> {
  const spec = options.registry.get(point.generator);
  if (spec === undefined) throw new Error(`generator '${point.generator}' vanished from the registry`);
  const design = elaborated ?? spec.generate(point.config);
  const id = createHash('sha256')
    .update(
      canonicalJson({
        format: CACHE_FORMAT,
        generator: point.generator,
        top: design.top,
        files: design.modules.map((module) => [module.fileName, module.text]),
        targets: point.targets,
        // The target scripts too: a change of flow (Booth multipliers, say) must re-measure.
        scripts: point.targets.map((target) => targetScript(target)),
        flatten: options.flatten,
        yosys: [options.flavour, options.yosysVersion],
        workloads: point.workloads,
      }),
    )
    .digest('hex')
    .slice(0, 24);

  const hit = options.cacheDir === null ? undefined : await readCached(options.cacheDir, id);
  const measured = hit ?? (await measure(point, design, options));
  if (hit === undefined && options.cacheDir !== null) await writeCached(options.cacheDir, id, measured);

  const throughput = spec.throughput?.(point.config);
  return {
    ...pointIdentity(point),
    config: point.config,
    id,
    ...(throughput === undefined ? {} : { throughput, density: densities(throughput, measured) }),
    ...measured,
    cached: hit !== undefined,
  };
}

async function measure(point: SpacePoint, design: EmittedDesign, options: PointOptions): Promise<Measurements> {
  const started = performance.now();
  const synthOptions = { flavour: options.flavour, flatten: options.flatten, cacheDir: options.synthCacheDir };
  const [reports, workloads] = await Promise.all([
    Promise.all(point.targets.map((target) => synthesize(design, target, synthOptions).then((result) => result.report))),
    // Workloads one after another: each builds its own Verilator model, which is the heavy part.
    (async () => {
      const results: Record<string, WorkloadResult> = {};
      for (const { name, spec } of point.workloads) results[name] = await runWorkload(point.generator, point.config, spec);
      return results;
    })(),
  ]);
  const synth: Partial<Record<SynthTarget, Record<string, number>>> = {};
  for (const report of reports) synth[report.target] = figuresOf(report.target, report);
  const cmos = reports.find((report) => report.target === 'cmos');
  return {
    synth,
    ...(cmos === undefined ? {} : { modules: moduleCounts(cmos) }),
    workloads,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Each module's own transistors and its instance count in the whole design (from the top down). */
function moduleCounts(report: SynthReport): Record<string, ModuleCost> {
  const counts = new Map<string, number>([[report.top, 1]]);
  // Modules come children first, so walking them backwards visits every parent before its children.
  for (const name of Object.keys(report.modules).reverse()) {
    const count = counts.get(name) ?? 0;
    for (const [child, instances] of Object.entries(report.modules[name]!.instances)) counts.set(child, (counts.get(child) ?? 0) + count * instances);
  }
  return Object.fromEntries(
    Object.entries(report.modules).map(([name, entry]) => [
      name,
      { count: counts.get(name) ?? 0, transistors: Number((entry as { transistors?: number }).transistors ?? 0), instances: entry.instances },
    ]),
  );
}

function densities(throughput: Throughput, measured: Measurements): { cmos?: number; xilinx?: number } {
  const transistors = measured.synth.cmos?.['transistors'];
  const luts = measured.synth.xilinx?.['lut'];
  return {
    ...(transistors ? { cmos: (1000 * throughput.perCycle) / transistors } : {}),
    ...(luts ? { xilinx: throughput.perCycle / luts } : {}),
  };
}

async function readCached(cacheDir: string, id: string): Promise<Measurements | undefined> {
  const text = await readFile(join(cacheDir, `${id}.json`), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Measurements;
  } catch {
    return undefined; // a damaged entry is measured again and overwritten
  }
}

/** Written to a temporary name and renamed, so a concurrent or interrupted run never reads half an entry. */
async function writeCached(cacheDir: string, id: string, measured: Measurements): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const temporary = join(cacheDir, `.${id}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(measured, null, 2)}\n`);
    await rename(temporary, join(cacheDir, `${id}.json`));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
