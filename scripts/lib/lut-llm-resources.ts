// xilinx (UltraScale+) resources of LUT-LLM engines for bench-lut-llm: per engine, the whole
// engine, its lookup chain and its centroid search, absolute and per lookup per cycle; the search's
// FP32 subtractors counted apart (the release puts them in DSPs), from one subtractor synthesized
// alone; and the lookup chain as a multiple of its floor on the fabric (synth/xilinx-floor.ts).

import { performance } from 'node:perf_hooks';
import { emitVerilog, FP32, fpAdd, fpNeg, moduleGenerator, UInt } from '../../api/index.js';
import { lutLlmConfig, lutLlmShape, type LutLlmConfig } from '../../generators/lut-llm/config.js';
import { lutLlmEngine } from '../../generators/lut-llm/index.js';
import type { YosysFlavour } from '../../synth/runner.js';
import { synthesize, type SynthReport } from '../../synth/synthesize.js';
import { lookupChainFloor } from '../../synth/xilinx-floor.js';

/** One engine shape: positions looked up per cycle x columns per cycle. */
export interface EngineSize {
  readonly positions: number;
  readonly columns: number;
}

/** xilinx figures of a part: BRAM in RAMB36 (a RAMB18 counting half). */
export interface Figures {
  lut: number;
  ff: number;
  bram: number;
  uram: number;
  dsp: number;
}

/** A hierarchical (flatten: false) xilinx report's modules: each module's own logic and its children. */
export type XilinxModules = Readonly<Record<string, Figures & { readonly instances: Readonly<Record<string, number>> }>>;

export const ZERO: Figures = { lut: 0, ff: 0, bram: 0, uram: 0, dsp: 0 };
const KEYS = ['lut', 'ff', 'bram', 'uram', 'dsp'] as const;

/** The released accelerator (`qwen_block`, docs/design/papers.md, "Released implementation"): whole-design totals and its lookup rate. */
export const RELEASE_QWEN_BLOCK = { lut: 1_267_909, ff: 1_046_647, ramb18: 1537, ramb36: 32, uram: 480, dsp: 4162, lookups: 8192 } as const;

/** The released design's LUT per lookup per cycle: 1,267,909 / 8,192 = 154.8. */
export const RELEASE_LUT_PER_LOOKUP = RELEASE_QWEN_BLOCK.lut / RELEASE_QWEN_BLOCK.lookups;

export function add(a: Figures, b: Figures, times = 1): Figures {
  return { lut: a.lut + times * b.lut, ff: a.ff + times * b.ff, bram: a.bram + times * b.bram, uram: a.uram + times * b.uram, dsp: a.dsp + times * b.dsp };
}

/** `8x256` -> 8 positions x 256 columns per cycle. */
export function parseEngineSize(text: string): EngineSize {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  if (match === null) throw new Error(`engine size '${text}' is not POSITIONSxCOLUMNS (e.g. 8x256)`);
  return { positions: Number(match[1]), columns: Number(match[2]) };
}

/** The engine's config: the defaults (maxK 4096, Cw 16, 8-bit tables unless given), groupCols at least the column count. */
export function engineConfig(size: EngineSize, tableBits: 4 | 8 = 8): LutLlmConfig {
  const raw: Record<string, unknown> = { lookupsPerCycle: size.columns, groupCols: Math.max(512, size.columns), tableBits };
  // Only asked for when used, so the script runs on a generator without the key (one position per cycle).
  if (size.positions !== 1) raw.positionsPerCycle = size.positions;
  return lutLlmConfig.parse(raw);
}

const fp32Subtractor = moduleGenerator('fp32_subtractor', (m, _params: Record<string, never>) => {
  const a = m.input('a', UInt(32));
  const b = m.input('b', UInt(32));
  const difference = m.output('difference', UInt(32));
  // As the search PE computes x_i - c_i (generators/lut-llm/search.ts).
  difference.assign(fpAdd(m, 'sub', a, fpNeg(b, FP32), FP32));
  return { a, b, difference };
});

export interface SubtractorCost {
  readonly lut: number;
  readonly carry: number;
  readonly seconds: number;
}

/** One FP32 subtractor (dsl/lib/fp fpAdd of a negated operand) synthesized alone. */
export async function subtractorCost(flavour: YosysFlavour): Promise<SubtractorCost> {
  const started = performance.now();
  const { report } = await synthesize(emitVerilog(fp32Subtractor({})), 'xilinx', { flavour, cacheDir: null });
  if (report.target !== 'xilinx') throw new Error(`expected a xilinx report, got ${report.target}`);
  return { lut: report.lut, carry: report.carry, seconds: (performance.now() - started) / 1000 };
}

/** The modules of a hierarchical xilinx report. */
export function xilinxModules(report: SynthReport): XilinxModules {
  if (report.target !== 'xilinx') throw new Error(`expected a xilinx report, got ${report.target}`);
  return report.modules as unknown as XilinxModules;
}

/** A module's figures with everything it instantiates, counted per instance. */
export function total(modules: XilinxModules, name: string): Figures {
  const entry = modules[name];
  if (entry === undefined) return { ...ZERO };
  let sum: Figures = { lut: entry.lut, ff: entry.ff, bram: entry.bram, uram: entry.uram, dsp: entry.dsp };
  for (const [child, count] of Object.entries(entry.instances)) sum = add(sum, total(modules, child), count);
  return sum;
}

/** Instances of modules whose name matches `pattern` anywhere under `name`. */
export function countInstances(modules: XilinxModules, name: string, pattern: RegExp): number {
  let count = 0;
  for (const [child, times] of Object.entries(modules[name]?.instances ?? {})) {
    count += times * (pattern.test(child) ? 1 : countInstances(modules, child, pattern));
  }
  return count;
}

export interface EngineResources {
  readonly size: EngineSize;
  readonly config: LutLlmConfig;
  readonly whole: Figures;
  /** The top's children other than the search units: the lookup stage(s) with buffers and accumulators. */
  readonly lookup: Figures;
  readonly search: Figures;
  /** FP32 subtractors in the search: PEs x v (float activations only). */
  readonly subtractors: number;
  readonly seconds: number;
  readonly peakMemoryMb: number | undefined;
  readonly yosys: string;
}

/** An engine's children: its centroid search units, and the rest (the lookup stage(s) with buffers and accumulators). */
export function splitEngine(modules: XilinxModules, engine: string): { lookup: Figures; search: Figures } {
  let lookup = { ...ZERO };
  let search = { ...ZERO };
  for (const [child, count] of Object.entries(modules[engine]?.instances ?? {})) {
    if (/search/.test(child)) search = add(search, total(modules, child), count);
    else lookup = add(lookup, total(modules, child), count);
  }
  return { lookup, search };
}

/** Synthesizes one engine hierarchically (flatten: false), nothing cached. */
export async function engineResources(size: EngineSize, flavour: YosysFlavour, tableBits: 4 | 8 = 8): Promise<EngineResources> {
  const config = engineConfig(size, tableBits);
  const started = performance.now();
  const result = await synthesize(lutLlmEngine.generator.generate(config), 'xilinx', { flatten: false, flavour, cacheDir: null });
  const seconds = (performance.now() - started) / 1000;
  const report: SynthReport = result.report;
  const modules = xilinxModules(report);
  const { lookup, search } = splitEngine(modules, report.top);
  return {
    size,
    config,
    whole: total(modules, report.top),
    lookup,
    search,
    subtractors: searchSubtractors(modules, report.top, config),
    seconds,
    peakMemoryMb: result.peakMemoryMb,
    yosys: report.yosys,
  };
}

/** FP32 subtractors in the search of the engine under `name`: PEs x v (float activations only). */
export function searchSubtractors(modules: XilinxModules, name: string, config: LutLlmConfig): number {
  return config.act === 'int16' ? 0 : countInstances(modules, name, /centroid_pe/) * config.v;
}

export const group = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const FIGURES_HEADER = 'part                          LUT         FF          BRAM36   URAM  DSP   | per lookup/cycle: LUT    FF      BRAM36   URAM   DSP';

/** One line of a part's figures under FIGURES_HEADER: absolute, then per lookup per cycle. */
export function figuresRow(name: string, f: Figures, lookups: number): string {
  const absolute = `${group(f.lut).padStart(10)}  ${group(f.ff).padStart(10)}  ${group(f.bram, 1).padStart(7)}  ${group(f.uram).padStart(4)}  ${group(f.dsp).padStart(4)}`;
  const per = KEYS.map((key) => (f[key] / lookups).toFixed(key === 'bram' || key === 'uram' || key === 'dsp' ? 4 : 1).padStart(key === 'lut' ? 8 : 7)).join(' ');
  return `${name.padEnd(28)} ${absolute}   |              ${per}`;
}

/** The engine's table: absolute and per lookup per cycle, the subtractors apart, the chain against its floor. */
export function printEngine(r: EngineResources, subtractor: SubtractorCost): void {
  const lookups = r.size.positions * r.size.columns;
  const { config } = r;
  const shape = lutLlmShape(config);
  console.log(
    `\n${r.size.positions} x ${r.size.columns} = ${group(lookups)} lookups/cycle (Cw ${config.cw}, ${config.tableBits}-bit tables, maxK ${config.maxK}, maxT ${config.maxT}, ` +
      `groupCols ${config.groupCols}, ${config.act} ${config.distance}): synthesis ${r.seconds.toFixed(0)} s` +
      (r.peakMemoryMb === undefined ? `, node process peak ${group(process.resourceUsage().maxRSS / 1024)} MB` : `, Yosys peak ${group(r.peakMemoryMb)} MB`),
  );
  console.log(FIGURES_HEADER);
  const row = (name: string, f: Figures): void => console.log(figuresRow(name, f, lookups));
  const subtractorLuts = r.subtractors * subtractor.lut;
  row('whole engine', r.whole);
  row('  lookup chain', r.lookup);
  row('  search', r.search);
  row('  engine top (control)', add(add(r.whole, r.lookup, -1), r.search, -1));
  row(`  FP32 subtractors (${group(r.subtractors)})`, { ...ZERO, lut: subtractorLuts });
  row('whole engine w/o subtractors', { ...r.whole, lut: r.whole.lut - subtractorLuts });
  const floor = lookupChainFloor({ cw: config.cw, tableBits: config.tableBits, positionsPerCycle: r.size.positions, accBits: shape.accBits });
  const chainPerLookup = r.lookup.lut / lookups;
  console.log(
    `lookup chain floor (Cw:1 mux of ${config.tableBits} bits + adder share, ${shape.accBits}-bit accumulators): ${floor.lut.toFixed(2)} LUT6 ` +
      `(+ ${floor.muxf7.toFixed(2)} MUXF7, ${floor.muxf8.toFixed(2)} MUXF8, ${floor.carry8.toFixed(2)} CARRY8) per lookup; measured chain ${chainPerLookup.toFixed(1)} = ${(chainPerLookup / floor.lut).toFixed(2)}x the floor`,
  );
}
