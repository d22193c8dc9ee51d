// Synthesis of one design for one target, with a content-hash cache, into a report: the figures
// of the flattened top as top-level keys, and the same figures for each module's own logic.

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { EmittedDesign } from '../dsl/design.js';
import { resolveFlavour, runScript, yosysPeakMemoryMb, SynthInputError, yosysHasBooth, yosysVersion, type ScriptRun, type YosysFlavour } from './runner.js';
import { readCacheEntry, storeCacheEntry } from './result-cache.js';
import { requireSuccess } from './script-failure.js';
import { mapToCells, type CellExtras, type CellMapping } from './standard-cells.js';
import { cacheDir as defaultCacheDir } from '../toolchain/cache-dir.js';
import {
  FIGURE_KEYS,
  fillScript,
  isSynthTarget,
  moduleFigures,
  parseDepths,
  parseMemoryBits,
  parseStat,
  scriptOutputs,
  SYNTH_TARGETS,
  targetScript,
  type FigureSets,
  type GateTarget,
  type SynthTarget,
} from './targets.js';

/** Said in every report: our absolute figures are not the papers' (DC, TSMC 28 nm; Vivado). */

/** Said in every standard-cell report: what its absolute figures are and are not. */
export const CELL_NOTE =
  "Physical units from a real 0.18 um cell library (or the Liberty file given), OpenSTA timing and an SRAM model for the memories; the papers used TSMC 28 nm: compare ratios, or the 28 nm estimates of docs/design/physical.md, not raw figures.";

export const COMPARABILITY_NOTE =
  "Only ratios between designs synthesized by this same flow (same target and Yosys) are comparable to the papers' ratios; absolute figures are not comparable to the papers' numbers.";

export type ModuleReport<T extends SynthTarget = SynthTarget> = FigureSets[T] & {
  /** Primitive cells of this module alone, by type. */
  readonly cellTypes: Readonly<Record<string, number>>;
  /** Instances of other design modules inside this one, by module name. */
  readonly instances: Readonly<Record<string, number>>;
};

export type TargetReport<T extends SynthTarget> = FigureSets[T] & (T extends 'osu018' ? CellExtras : unknown) & {
  readonly target: T;
  readonly top: string;
  readonly flavour: YosysFlavour;
  /** The Yosys build that produced the figures. */
  readonly yosys: string;
  /**
   * Whether multipliers were Booth-encoded (`synth -booth`), as a production flow builds them.
   * False only on a system Yosys older than 0.33, whose MAC figures are then too large.
   */
  readonly boothMultipliers: boolean;
  /** Cells of the flattened top by type (the top-level figures are sums over these). */
  readonly cellTypes: Readonly<Record<string, number>>;
  /**
   * True when the top-level figures come from the flattened design. False (`flatten: false`): they
   * are the sums over the hierarchy, and cmos `depth` is the deepest module's own path, a lower
   * bound, since paths are not followed across module boundaries.
   */
  readonly flattened: boolean;
  /** Each module's own logic (children are counted in their own entry), children first. */
  readonly modules: Readonly<Record<string, ModuleReport<T>>>;
  readonly note: string;
};

export type SynthReport = { [T in SynthTarget]: TargetReport<T> }[SynthTarget];

export interface SynthOptions {
  /** `embedded` (default, or $LUTFORGE_YOSYS) or `system`. */
  readonly flavour?: YosysFlavour;
  /** Cache directory; default `defaultCacheDir('synth')` (toolchain/cache-dir.ts), beside the simulators' caches; null turns caching off. */
  readonly cacheDir?: string | null;
  /** Flatten for the top-level figures (default true); false sums the hierarchy (see `flattened`). The standard-cell target always flattens. */
  readonly flatten?: boolean;
  /** Standard-cell target: the Liberty file (default $LUTFORGE_LIBERTY, else the OSU 0.18 um cells). */
  readonly liberty?: string;
  /** Standard-cell target: the clock ABC maps towards, in MHz (default 100). */
  readonly clockMhz?: number;
}

export interface SynthResult {
  readonly report: SynthReport;
  /** True when the report came from the cache and Yosys did not run. */
  readonly cached: boolean;
  /** Yosys' own peak memory in MB, when it ran and reports it (the system Yosys does; the embedded one does not). */
  readonly peakMemoryMb?: number;
}

/** Synthesizes `design` for `target`. Bad designs and unknown targets throw SynthInputError. */
export async function synthesize(design: EmittedDesign, target: string, options: SynthOptions = {}): Promise<SynthResult> {
  if (!isSynthTarget(target)) throw new SynthInputError(`unknown synthesis target '${target}' (known: ${SYNTH_TARGETS.join(', ')})`);
  const flavour = resolveFlavour(options.flavour);
  const [version, booth] = await Promise.all([yosysVersion(flavour), yosysHasBooth(flavour)]);
  const cacheDir = options.cacheDir === null ? undefined : resolve(options.cacheDir ?? defaultCacheDir('synth'));
  if (target === 'osu018') {
    const cellOptions = { flavour, yosysVersion: version, booth, cacheDir, ...pick(options, 'liberty', 'clockMhz') };
    const mapping = await mapToCells(design, cellOptions);
    return { report: cellReport(design, flavour, version, booth, mapping), cached: mapping.cached };
  }
  const flatten = options.flatten ?? true;
  const script = fillScript(targetScript(target), design, { flatten, booth });
  const files = Object.fromEntries(design.modules.map((module) => [module.fileName, module.text]));
  const key = createHash('sha256').update(JSON.stringify({ format: 2, flavour, version, target, script, files })).digest('hex');

  if (cacheDir !== undefined) {
    const hit = await readCacheEntry(cacheDir, key, ['report.json']);
    if (hit !== undefined) return { report: JSON.parse(hit['report.json'] ?? '') as SynthReport, cached: true };
  }
  const run = await runScript(flavour, files, script, scriptOutputs(target, flatten));
  requireSuccess(design, run);
  const report = buildReport(design, target, flavour, version, run, flatten, booth);
  if (cacheDir !== undefined) await storeCacheEntry(cacheDir, key, { 'report.json': `${JSON.stringify(report, null, 2)}\n` });
  const peakMemoryMb = yosysPeakMemoryMb(run.log);
  return { report, cached: false, ...(peakMemoryMb === undefined ? {} : { peakMemoryMb }) };
}

export interface SynthJob {
  readonly design: EmittedDesign;
  readonly target: string;
}

/**
 * Synthesizes several designs at once (the runner bounds the parallelism by the core count),
 * calling `onDone` as each finishes. Results come back in job order; the first failure rejects.
 */
export async function synthesizeAll(
  jobs: readonly SynthJob[],
  options: SynthOptions = {},
  onDone?: (job: SynthJob, result: SynthResult) => void,
): Promise<SynthResult[]> {
  return Promise.all(
    jobs.map(async (job) => {
      const result = await synthesize(job.design, job.target, options);
      onDone?.(job, result);
      return result;
    }),
  );
}

/** The figure keys of a report or module entry, with their values. */
export function figuresOf(target: SynthTarget, entry: object): Record<string, number> {
  const values = entry as Readonly<Record<string, unknown>>;
  return Object.fromEntries(FIGURE_KEYS[target].map((key) => [key, Number(values[key] ?? 0)]));
}

/** The standard-cell report: flat, so its one module entry is the top. */
function cellReport(design: EmittedDesign, flavour: YosysFlavour, version: string, booth: boolean, mapping: CellMapping): SynthReport {
  const entry = { ...mapping.figures, cellTypes: mapping.cellTypes, instances: {} };
  return {
    target: 'osu018',
    top: design.top,
    ...mapping.figures,
    flavour,
    yosys: version,
    boothMultipliers: booth,
    cellTypes: mapping.cellTypes,
    flattened: true,
    modules: { [design.top]: entry },
    ...mapping.extras,
    note: CELL_NOTE,
  };
}

/** Copies the keys of `options` that are set. */
function pick<T extends object, K extends keyof T>(options: T, ...keys: K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (options[key] !== undefined) picked[key] = options[key];
  return picked;
}

function buildReport(
  design: EmittedDesign,
  target: GateTarget,
  flavour: YosysFlavour,
  version: string,
  run: ScriptRun,
  flatten: boolean,
  booth: boolean,
): SynthReport {
  const output = (name: string): string => {
    const text = run.outputs[name];
    if (text === undefined) throw new Error(`Yosys did not write ${name}`);
    return text;
  };
  const designModules = new Set(design.modules.map((module) => module.name));
  const moduleStats = parseStat(output('modules.json'));
  const moduleDepths = target === 'cmos' ? parseDepths(output('modules_depth.txt')) : {};
  const moduleMemories = target === 'cmos' ? parseMemoryBits(output('memories.txt')) : {};

  const modules: Record<string, ModuleEntry> = {};
  // Emission order: children first, the top last. Modules Yosys removed (none expected) are skipped.
  for (const { name } of design.modules) {
    const stat = moduleStats[name];
    if (stat === undefined) continue;
    const { figures, cellTypes, instances } = moduleFigures(target, stat, designModules, moduleDepths[name], moduleMemories[name] ?? 0);
    modules[name] = { ...figures, cellTypes, instances };
  }
  let top: { figures: Record<string, number>; cellTypes: Record<string, number> };
  if (flatten) {
    const topStat = parseStat(output('top.json'))[design.top];
    if (topStat === undefined) throw new Error(`Yosys reported no figures for the top module '${design.top}'`);
    const topDepth = target === 'cmos' ? parseDepths(output('top_depth.txt'))[design.top] : undefined;
    const topMemory = target === 'cmos' ? (parseMemoryBits(output('top_memories.txt'))[design.top] ?? 0) : 0;
    top = moduleFigures(target, topStat, designModules, topDepth, topMemory);
  } else {
    top = hierarchyTotals(modules, design.top);
  }
  const report = {
    target,
    top: design.top,
    ...top.figures,
    flavour,
    yosys: version,
    boothMultipliers: booth,
    cellTypes: top.cellTypes,
    flattened: flatten,
    modules,
    note: COMPARABILITY_NOTE,
  };
  // The figure keys were filled from FIGURE_KEYS[target] by moduleFigures.
  return report as unknown as SynthReport;
}

interface ModuleEntry {
  readonly [figure: string]: number | Readonly<Record<string, number>>;
  readonly cellTypes: Readonly<Record<string, number>>;
  readonly instances: Readonly<Record<string, number>>;
}

/** A module's figures with every instance beneath it counted; `depth` is the deepest module's own. */
function hierarchyTotals(modules: Readonly<Record<string, ModuleEntry>>, name: string): { figures: Record<string, number>; cellTypes: Record<string, number> } {
  const entry = modules[name];
  if (entry === undefined) throw new Error(`Yosys reported no figures for module '${name}'`);
  const figures: Record<string, number> = {};
  const cellTypes: Record<string, number> = { ...entry.cellTypes };
  for (const [key, value] of Object.entries(entry)) if (typeof value === 'number') figures[key] = value;
  for (const [child, count] of Object.entries(entry.instances)) {
    const totals = hierarchyTotals(modules, child);
    for (const [key, value] of Object.entries(totals.figures)) figures[key] = key === 'depth' ? Math.max(figures[key] ?? 0, value) : (figures[key] ?? 0) + count * value;
    for (const [type, cells] of Object.entries(totals.cellTypes)) cellTypes[type] = (cellTypes[type] ?? 0) + count * cells;
  }
  return { figures, cellTypes };
}

