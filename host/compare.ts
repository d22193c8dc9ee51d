// A matrix engine against its baseline at the same tile: the baseline (MAC or ADD) takes the
// design's m, n, k, wbits, act and maxK, both are synthesized by the same flow for each target
// (synth/synthesize.ts, whose cache makes a repeat fast), and on the standard cells both run the
// same seeded workload gate by gate for power (host/power-cache.ts). Every figure is given for
// both designs with its ratio, design over baseline, and says what it counts, since a ratio of
// logic alone and one with the memories can differ by ten times.

import type { MatmulDims } from '../contracts/matmul-operands.js';
import type { SerialPackConfig } from '../contracts/serial-packing.js';
import { matmulEngines } from '../generators/engines.js';
import type { MatmulEngine } from '../generators/matmul-engine/interface.js';
import type { YosysFlavour } from '../synth/runner.js';
import { figuresOf, synthesizeAll, type SynthReport } from '../synth/synthesize.js';
import type { SynthTarget } from '../synth/targets.js';
import { formatConfigError, type ConfigObject } from './config.js';
import { UsageError } from './errors.js';
import { workloadOperands } from './matmul-workload.js';
import { measurePowerCached } from './power-cache.js';
import { logicEnergyPerOpPj, type PowerReport } from './power.js';
import type { PhaseListener } from './run-matmul.js';

/** The engines a design can be compared against. */
export const BASELINE_NAMES = ['mac', 'add'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

/** The configuration keys that make the tile and the operands: the baseline takes them from the design. */
export const TILE_KEYS = ['m', 'n', 'k', 'wbits', 'act', 'maxK'] as const;

export type EngineConfig = SerialPackConfig & { readonly maxK: number };

/** One side of the comparison: an engine and its validated configuration. */
export interface EngineSide {
  readonly engine: MatmulEngine<EngineConfig>;
  readonly config: EngineConfig;
}

export function isBaselineName(name: string): name is BaselineName {
  return (BASELINE_NAMES as readonly string[]).includes(name);
}

/**
 * The baseline configured for the design's tile: the design's TILE_KEYS, then `settings` (the
 * baseline's own parameters, such as the MAC's narrowWeights). Bad input throws a UsageError:
 * an unknown baseline, the design's own engine, a setting that would change the tile, or a tile
 * the baseline cannot take (ADD has no floating-point activations).
 */
export function baselineFor(design: EngineSide, baselineName: string, settings: ConfigObject = {}): EngineSide {
  if (!isBaselineName(baselineName)) throw new UsageError(`unknown baseline '${baselineName}' (known: ${BASELINE_NAMES.join(', ')})`);
  if (baselineName === design.engine.name) throw new UsageError(`--baseline ${baselineName}: that is the design's own engine; compare another engine against it`);
  const tileKey = Object.keys(settings).find((key) => (TILE_KEYS as readonly string[]).includes(key));
  if (tileKey !== undefined) {
    throw new UsageError(`--baseline-set ${tileKey}: the baseline takes the design's tile (${TILE_KEYS.join(', ')}); change it with --set`);
  }
  const engine = matmulEngines.get(baselineName) as unknown as MatmulEngine<EngineConfig>;
  const input = { ...tileOf(design.config), ...settings };
  const parsed = engine.generator.schema.safeParse(input);
  if (!parsed.success) throw new UsageError(`--baseline ${baselineName}: ${formatConfigError(baselineName, parsed.error, input, engine.generator.schema)}`);
  return { engine, config: parsed.data as EngineConfig };
}

/** The tile keys of a configuration. */
export function tileOf(config: EngineConfig): Record<(typeof TILE_KEYS)[number], unknown> {
  return Object.fromEntries(TILE_KEYS.map((key) => [key, config[key]])) as Record<(typeof TILE_KEYS)[number], unknown>;
}

/** One figure of both designs and their ratio. */
export interface ComparedFigure {
  readonly figure: string;
  readonly unit: string;
  readonly design: number;
  readonly baseline: number;
  /** design / baseline; null when the baseline's figure is 0. */
  readonly ratio: number | null;
  /** What the figure counts and what it leaves out. */
  readonly includes: string;
}

export interface TargetComparison {
  readonly target: SynthTarget;
  /** The Yosys build of both syntheses. */
  readonly yosys: string;
  /** Whether the figures are of the flattened designs (else sums over the hierarchy). */
  readonly flattened: boolean;
  /** True when both reports came from the synthesis cache. */
  readonly cached: boolean;
  readonly figures: readonly ComparedFigure[];
}

export interface PowerComparison {
  /** The seeded uniform workload both engines ran. */
  readonly workload: MatmulDims & { readonly seed: number };
  readonly clockMhz: number;
  readonly cached: boolean;
  readonly figures: readonly ComparedFigure[];
  readonly design: PowerReport;
  readonly baseline: PowerReport;
}

export interface Comparison {
  readonly design: { readonly engine: string; readonly config: EngineConfig };
  readonly baseline: { readonly engine: string; readonly config: EngineConfig };
  /** What every ratio is. */
  readonly ratio: string;
  readonly targets: readonly TargetComparison[];
  readonly power?: PowerComparison;
}

export interface CompareOptions {
  readonly targets: readonly SynthTarget[];
  readonly flavour?: YosysFlavour;
  /** Flatten for the cmos and FPGA figures (default false: sums over the hierarchy, as docs/paper's). */
  readonly flatten?: boolean;
  /** Synthesis cache (also holds the power reports); null for none. */
  readonly cacheDir?: string | null;
  /** osu018: Liberty file (default $LUTFORGE_LIBERTY, else the OSU 0.18 um cells). */
  readonly liberty?: string;
  /** osu018: the clock the cells are mapped towards and the power is computed at (default 100 MHz). */
  readonly clockMhz?: number;
  /** osu018: measure power on this workload (undefined: no power). */
  readonly power?: { readonly dims: MatmulDims; readonly seed: number };
  readonly onPhase?: PhaseListener;
}

/** The power workload unless one is given: one tile of rows and columns over K = 256 (or maxK if smaller), as docs/paper's power runs. */
export function defaultPowerDims(config: EngineConfig): MatmulDims {
  return { M: config.m, K: Math.min(256, config.maxK), N: config.n };
}

/** Synthesizes both designs for every target (and measures power on osu018 when asked) and sets the figures side by side. */
export async function compareEngines(design: EngineSide, baseline: EngineSide, options: CompareOptions): Promise<Comparison> {
  const flatten = options.flatten ?? false;
  const throughput = (side: EngineSide): number => {
    const value = side.engine.generator.throughput?.(side.config);
    if (value === undefined) throw new Error(`engine '${side.engine.name}' declares no throughput`);
    return value.perCycle;
  };
  const [ourRate, theirRate] = [throughput(design), throughput(baseline)];
  const emitted = [design, baseline].map((side) => side.engine.generator.generate(side.config));
  const jobs = options.targets.flatMap((target) => emitted.map((one) => ({ design: one, target })));
  options.onPhase?.(`synthesizing ${design.engine.name} and ${baseline.engine.name} for ${options.targets.join(', ')} with Yosys`);
  const results = await synthesizeAll(jobs, {
    flatten,
    ...(options.flavour === undefined ? {} : { flavour: options.flavour }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.liberty === undefined ? {} : { liberty: options.liberty }),
    ...(options.clockMhz === undefined ? {} : { clockMhz: options.clockMhz }),
  });
  const targets = options.targets.map((target, index) => {
    const [ours, theirs] = [results[2 * index], results[2 * index + 1]];
    if (ours === undefined || theirs === undefined) throw new Error(`no synthesis result for ${target}`);
    return {
      target,
      yosys: ours.report.yosys,
      flattened: ours.report.flattened,
      cached: ours.cached && theirs.cached,
      figures: targetFigures({ report: ours.report, perCycle: ourRate }, { report: theirs.report, perCycle: theirRate }),
    };
  });
  const power = options.power === undefined || !options.targets.includes('osu018') ? undefined : await comparePower(design, baseline, options.power, options);
  return {
    design: { engine: design.engine.name, config: design.config },
    baseline: { engine: baseline.engine.name, config: baseline.config },
    ratio: `${design.engine.name} / ${baseline.engine.name}`,
    targets,
    ...(power === undefined ? {} : { power }),
  };
}

async function comparePower(design: EngineSide, baseline: EngineSide, workload: NonNullable<CompareOptions['power']>, options: CompareOptions): Promise<PowerComparison> {
  // The tile keys are equal, so one draw of operands fits both engines.
  const operands = workloadOperands(design.config, workload.dims, workload.seed, 'uniform');
  const powerOptions = {
    ...(options.flavour === undefined ? {} : { flavour: options.flavour }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.liberty === undefined ? {} : { liberty: options.liberty }),
    ...(options.clockMhz === undefined ? {} : { clockMhz: options.clockMhz, mappingClockMhz: options.clockMhz }),
  };
  const measure = (side: EngineSide) =>
    measurePowerCached(side.engine, side.config, operands, { ...powerOptions, onPhase: (phase) => options.onPhase?.(`${side.engine.name}: ${phase}`) });
  // One after the other: each gate-level simulation is a heavy process of its own.
  options.onPhase?.(`measuring the power of ${design.engine.name} and ${baseline.engine.name} on a ${workload.dims.M}x${workload.dims.K}x${workload.dims.N} workload`);
  const ours = await measure(design);
  const theirs = await measure(baseline);
  return {
    workload: { ...workload.dims, seed: workload.seed },
    clockMhz: ours.report.clockMhz,
    cached: ours.cached && theirs.cached,
    figures: powerFigures(ours.report, theirs.report),
    design: ours.report,
    baseline: theirs.report,
  };
}

/** What one design measured on one target, with its throughput. */
export interface MeasuredSide {
  readonly report: SynthReport;
  readonly perCycle: number;
}

const THROUGHPUT_NOTE = "the generator's full-rate MACs per cycle (bit-serial engines: one weight bit plane per cycle); pipeline fill and correction beats not counted";

function figure(name: string, unit: string, design: number, baseline: number, includes: string): ComparedFigure {
  return { figure: name, unit, design, baseline, ratio: baseline === 0 ? null : design / baseline, includes };
}

/** The figures of one target, each for both designs with the ratio design / baseline. */
export function targetFigures(design: MeasuredSide, baseline: MeasuredSide): ComparedFigure[] {
  const target = design.report.target;
  if (baseline.report.target !== target) throw new Error(`cannot compare a ${target} report with a ${baseline.report.target} one`);
  const ours = figuresOf(target, design.report);
  const theirs = figuresOf(target, baseline.report);
  const pair = (key: string): [number, number] => [ours[key] ?? 0, theirs[key] ?? 0];
  const throughput = figure('throughput', 'MACs/cycle', design.perCycle, baseline.perCycle, THROUGHPUT_NOTE);
  const hierarchy = design.report.flattened ? 'flattened design' : 'summed over the hierarchy';
  if (target === 'cmos') {
    const [t1, t2] = pair('transistors');
    const [b1, b2] = pair('memoryBits');
    return [
      throughput,
      figure('area', 'transistors', t1, t2, `logic only (Yosys stat -tech cmos, ${hierarchy}); memories are SRAM macros, not counted`),
      figure('memory', 'SRAM bits', b1, b2, 'the bits of the memories (table and stream buffers), not priced on cmos'),
      figure('density', 'MACs/cycle per 1,000 transistors', (1000 * design.perCycle) / t1, (1000 * baseline.perCycle) / t2, 'throughput over logic transistors at one clock; memories left out'),
    ];
  }
  if (target === 'osu018') {
    const [a1, a2] = pair('areaUm2');
    const [m1, m2] = pair('memoryAreaUm2');
    const [f1, f2] = pair('fmaxMhz');
    const mm2 = (um2: number): number => um2 / 1e6;
    const gmacs = (perCycle: number, mhz: number): number => (perCycle * mhz) / 1000;
    const sram = 'memories as SRAM macros priced by the SRAM model of docs/design/physical.md (an upper bound, about 10x a logic-process bitcell)';
    return [
      throughput,
      figure('fmax', 'MHz', f1, f2, 'static timing (OpenSTA) of the logic, memories taken as ideal registered macros'),
      figure('throughput at fmax', 'GMAC/s', gmacs(design.perCycle, f1), gmacs(baseline.perCycle, f2), 'MACs/cycle x each design\'s own fmax'),
      figure('area: logic', 'mm2', mm2(a1), mm2(a2), 'standard-cell area of the logic only'),
      figure('area: logic + memories', 'mm2', mm2(a1 + m1), mm2(a2 + m2), `logic plus the ${sram}`),
      figure('density at one clock: logic', 'MACs/cycle per mm2', design.perCycle / mm2(a1), baseline.perCycle / mm2(a2), 'throughput per cycle over logic area: both at the same clock'),
      figure('density at one clock: logic + memories', 'MACs/cycle per mm2', design.perCycle / mm2(a1 + m1), baseline.perCycle / mm2(a2 + m2), 'as above over logic plus the memories (SRAM model)'),
      figure('density at fmax: logic', 'GMAC/s per mm2', gmacs(design.perCycle, f1) / mm2(a1), gmacs(baseline.perCycle, f2) / mm2(a2), 'throughput at each design\'s own fmax over logic area (x2 for TOPs/mm2)'),
      figure('density at fmax: logic + memories', 'GMAC/s per mm2', gmacs(design.perCycle, f1) / mm2(a1 + m1), gmacs(baseline.perCycle, f2) / mm2(a2 + m2), 'as above over logic plus the memories (SRAM model)'),
    ];
  }
  // FPGA targets: every resource, and density per LUT.
  const resources = Object.keys(ours).map((key) => figure(key, key !== 'bram' ? 'count' : target === 'xilinx' ? 'RAMB36 tiles' : 'EBR blocks', ...pair(key), `the whole design's, ${hierarchy}`));
  const [l1, l2] = pair('lut');
  return [
    throughput,
    ...resources,
    figure('density', 'MACs/cycle per LUT', l1 === 0 ? 0 : design.perCycle / l1, l2 === 0 ? 0 : baseline.perCycle / l2, 'throughput over LUTs only; flip-flops, DSPs and block RAMs beside'),
  ];
}

/** The power figures of the two gate-level runs, each for both engines with the ratio design / baseline. */
export function powerFigures(design: PowerReport, baseline: PowerReport): ComparedFigure[] {
  const logicMw = (report: PowerReport): number => report.dynamicMw + report.leakageMw;
  const run = `over the whole run at ${design.clockMhz} MHz, reset to the last result`;
  return [
    figure('run', 'cycles', design.cycles, baseline.cycles, 'clock cycles of the workload, reset to the last result, fill and correction beats included'),
    figure('power: logic', 'mW', logicMw(design), logicMw(baseline), `standard cells (internal + switching + leakage, OpenSTA on the simulated activity) ${run}`),
    figure('power: logic + memories', 'mW', design.powerMw, baseline.powerMw, `plus each memory access priced by the SRAM model and its leakage, ${run}`),
    figure('energy per MAC: logic', 'pJ', logicEnergyPerOpPj(design), logicEnergyPerOpPj(baseline), 'logic power x cycles / clock / MACs of the workload'),
    figure('energy per MAC: logic + memories', 'pJ', design.energyPerOpPj, baseline.energyPerOpPj, 'total power x cycles / clock / MACs of the workload'),
  ];
}
