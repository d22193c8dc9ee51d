// xilinx (UltraScale+) resources of the LUT-LLM decoder block for bench-lut-llm-block, by part:
// the engine (its search's FP32 subtractors counted apart, as bench-lut-llm does, since the
// release puts them in DSPs), attention (the KV cache's memories measured alone beside it), the four
// RMSNorm instances, RoPE with its cos/sin ROM, SiLU, and the top's buffers and sequencer; and the
// whole block per lookup per cycle beside the release's 154.8 (docs/design/papers.md).

import { performance } from 'node:perf_hooks';
import { bitsFor, Bool, emitVerilog, moduleGenerator, UInt } from '../../api/index.js';
import { lutLlmBlockGenerator, lutLlmBlockShape, type LutLlmBlockConfig } from '../../generators/lut-llm-block/index.js';
import { buildConfig } from '../../cli/design-source.js';
import { UsageError } from '../../host/errors.js';
import { readModelDims } from '../../host/lut-llm/model-dims.js';
import type { YosysFlavour } from '../../synth/runner.js';
import { synthesize } from '../../synth/synthesize.js';
import { fixed, formatNumber, table } from '../paper/kit.js';
import {
  add,
  FIGURES_HEADER,
  figuresRow,
  RELEASE_LUT_PER_LOOKUP,
  RELEASE_QWEN_BLOCK,
  searchSubtractors,
  splitEngine,
  total,
  xilinxModules,
  ZERO,
  type Figures,
  type SubtractorCost,
} from './lut-llm-resources.js';

/** Cache and batch limits of each preset when --max-seq / --max-t do not say: small enough to synthesize in minutes. */
export const PRESET_LIMITS = { tiny: { maxSeq: 64, maxT: 16 }, model: { maxSeq: 256, maxT: 4 } };

/** What selects and sizes the blocks: --dims, --max-seq, --max-t, --config, --set. */
export interface BlockOptions {
  readonly dims: string;
  readonly maxSeq?: number;
  readonly maxT?: number;
  readonly config?: string;
  readonly set: readonly string[];
}

/** The preset's config object (before --config and --set). */
async function preset(name: string, options: BlockOptions): Promise<Record<string, unknown>> {
  if (name === 'tiny') return { maxSeq: options.maxSeq ?? PRESET_LIMITS.tiny.maxSeq, maxT: options.maxT ?? PRESET_LIMITS.tiny.maxT };
  const dims = await readModelDims(name, process.cwd());
  return {
    hidden: dims.hidden,
    intermediate: dims.intermediate,
    heads: dims.heads,
    kvHeads: dims.kvHeads,
    headDim: dims.headDim,
    maxSeq: options.maxSeq ?? PRESET_LIMITS.model.maxSeq,
    maxT: options.maxT ?? PRESET_LIMITS.model.maxT,
    engine: { groupCols: dims.headDim },
  };
}

/** The configs of every --dims entry, all checked before any synthesis starts. */
export async function blockConfigs(options: BlockOptions): Promise<{ label: string; config: LutLlmBlockConfig }[]> {
  const names = options.dims.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new UsageError(`--dims '${options.dims}' has an empty entry`);
  const configs = [];
  for (const name of names) {
    const config = (await buildConfig(lutLlmBlockGenerator, { set: options.set, ...(options.config === undefined ? {} : { config: options.config }) }, process.cwd(), await preset(name, options))) as LutLlmBlockConfig;
    configs.push({ label: name === 'tiny' ? 'tiny block' : `${name} dimensions`, config });
  }
  return configs;
}

/** The top's children by part, matched on their module names (generators/lut-llm-block/). */
const PARTS = [
  { key: 'engine', pattern: /^lut_llm_engine/ },
  { key: 'attention', pattern: /^lut_llm_attention/ },
  { key: 'norms', pattern: /^lut_llm_rmsnorm/ },
  { key: 'rope', pattern: /^lut_llm_rope/ },
  { key: 'silu', pattern: /^lut_llm_silu_mul/ },
] as const;
type PartKey = (typeof PARTS)[number]['key'] | 'top' | 'other';

export interface BlockResources {
  readonly label: string;
  readonly config: LutLlmBlockConfig;
  /** positionsPerCycle x lookupsPerCycle of the engine. */
  readonly lookups: number;
  readonly whole: Figures;
  readonly parts: Readonly<Record<PartKey, Figures>>;
  /** The engine's lookup chain and search; the rest of it is its own control and FP32 dequantization. */
  readonly engineParts: { readonly lookup: Figures; readonly search: Figures };
  /** Both KV cache memories (k_cache, v_cache), each synthesized alone with the attention's ports. */
  readonly kvCache: Figures;
  readonly kvCacheWords: number;
  readonly ropeRomWords: number;
  readonly subtractors: number;
  readonly seconds: number;
  readonly cached: boolean;
  readonly peakMemoryMb: number | undefined;
  readonly yosys: string;
}

/** Sums the top's children by part; its own logic (buffers, sequencer, reader, writer, collector) is `top`. */
export function splitBlock(modules: ReturnType<typeof xilinxModules>, top: string): Record<PartKey, Figures> {
  const own = modules[top];
  if (own === undefined) throw new Error(`the report has no module '${top}'`);
  const parts: Record<PartKey, Figures> = { engine: ZERO, attention: ZERO, norms: ZERO, rope: ZERO, silu: ZERO, top: { lut: own.lut, ff: own.ff, bram: own.bram, uram: own.uram, dsp: own.dsp }, other: ZERO };
  for (const [child, count] of Object.entries(own.instances)) {
    const key = PARTS.find((part) => part.pattern.test(child))?.key ?? 'other';
    parts[key] = add(parts[key], total(modules, child), count);
  }
  return parts;
}

/** One memory as the attention kernel builds its caches: 32-bit words, a write port and an enabled read port, block style. */
const cacheMemory = moduleGenerator('kv_cache_memory', (m, params: { depth: number }) => {
  const memory = m.memory('cache', { shape: UInt(32), depth: params.depth, style: 'block' });
  const writeAddress = m.input('write_address', UInt(memory.addressWidth));
  const writeData = m.input('write_data', UInt(32));
  const writeEnable = m.input('write_enable', Bool);
  const readAddress = m.input('read_address', UInt(memory.addressWidth));
  const readEnable = m.input('read_enable', Bool);
  const readData = m.output('read_data', UInt(32));
  memory.write(writeAddress, writeData, writeEnable);
  readData.assign(memory.read(readAddress, { enable: readEnable, name: 'word' }));
  return { readData };
});

const synthOptions = (flavour: YosysFlavour, cache: boolean) => ({ flatten: false, flavour, ...(cache ? {} : { cacheDir: null }) });

/** Synthesizes the block hierarchically (flatten: false) and one KV cache memory alone; `cache` reuses .cache/synth. */
export async function blockResources(label: string, config: LutLlmBlockConfig, flavour: YosysFlavour, cache: boolean): Promise<BlockResources> {
  const shape = lutLlmBlockShape(config);
  const started = performance.now();
  const result = await synthesize(lutLlmBlockGenerator.generate(config), 'xilinx', synthOptions(flavour, cache));
  const seconds = (performance.now() - started) / 1000;
  const modules = xilinxModules(result.report);
  const top = result.report.top;
  const engineModule = Object.keys(modules[top]?.instances ?? {}).find((child) => PARTS[0].pattern.test(child));
  // As attention.ts sizes k_cache and v_cache.
  const kvCacheWords = Math.max(2, config.maxSeq * config.kvHeads * config.headDim);
  const memory = await synthesize(emitVerilog(cacheMemory({ depth: kvCacheWords })), 'xilinx', synthOptions(flavour, cache));
  const oneCache = total(xilinxModules(memory.report), memory.report.top);
  return {
    label,
    config,
    lookups: shape.engine.positionsPerCycle * shape.engine.lookupsPerCycle,
    whole: total(modules, top),
    parts: splitBlock(modules, top),
    engineParts: engineModule === undefined ? { lookup: ZERO, search: ZERO } : splitEngine(modules, engineModule),
    kvCache: add(ZERO, oneCache, 2),
    kvCacheWords,
    // As rope.ts sizes cos_rom and sin_rom: a power-of-two row of pairs per position.
    ropeRomWords: Math.max(config.maxSeq, 2) << bitsFor(config.headDim / 2),
    subtractors: engineModule === undefined ? 0 : searchSubtractors(modules, engineModule, shape.engine),
    seconds,
    cached: result.cached,
    peakMemoryMb: result.peakMemoryMb,
    yosys: result.report.yosys,
  };
}

/** What the block is: dimensions, cache and batch limits, engine. */
export function describeBlock(r: BlockResources): string {
  const { config: c } = r;
  const e = lutLlmBlockShape(c).engine;
  return (
    `hidden ${c.hidden}, intermediate ${c.intermediate}, heads ${c.heads}, kvHeads ${c.kvHeads}, headDim ${c.headDim}, maxSeq ${c.maxSeq}, maxT ${c.maxT}; ` +
    `engine ${e.positionsPerCycle} x ${e.lookupsPerCycle} = ${r.lookups} lookups/cycle, v ${e.v}, Ca ${e.ca}, Cw ${e.cw}, groupCols ${e.groupCols}, ${e.tableBits}-bit tables, maxK ${e.maxK}; ` +
    `KV cache 2 x ${formatNumber(r.kvCacheWords)} words, RoPE ROMs 2 x ${formatNumber(r.ropeRomWords)} words (32-bit)`
  );
}

interface Row {
  readonly name: string;
  readonly figures: Figures;
}

/** The table's rows: the whole block, its parts, the KV cache within attention, the subtractors within the engine. */
export function blockRows(r: BlockResources, subtractor: SubtractorCost): Row[] {
  const subtractorLuts = { ...ZERO, lut: r.subtractors * subtractor.lut };
  const rows: Row[] = [
    { name: 'whole block', figures: r.whole },
    { name: '  engine', figures: r.parts.engine },
    { name: '    lookup chain', figures: r.engineParts.lookup },
    { name: '    search', figures: r.engineParts.search },
    { name: `    search FP32 subtractors (${formatNumber(r.subtractors)})`, figures: subtractorLuts },
    { name: '    control + FP32 dequant', figures: add(add(r.parts.engine, r.engineParts.lookup, -1), r.engineParts.search, -1) },
    { name: '  attention', figures: r.parts.attention },
    { name: '    KV cache (alone)', figures: r.kvCache },
    { name: '  norms (4 RMSNorm)', figures: r.parts.norms },
    { name: '  RoPE (with its ROMs)', figures: r.parts.rope },
    { name: '  SiLU x up', figures: r.parts.silu },
    { name: '  top: buffers + sequencer', figures: r.parts.top },
  ];
  if (Object.values(r.parts.other).some((value) => value !== 0)) rows.push({ name: '  other', figures: r.parts.other });
  rows.push({ name: 'whole block w/o subtractors', figures: { ...r.whole, lut: r.whole.lut - subtractorLuts.lut } });
  return rows;
}

/** LUT per lookup per cycle: the whole block, and without the engine's FP32 subtractors. */
export function perLookup(r: BlockResources, subtractor: SubtractorCost): { whole: number; withoutSubtractors: number } {
  return { whole: r.whole.lut / r.lookups, withoutSubtractors: (r.whole.lut - r.subtractors * subtractor.lut) / r.lookups };
}

const RELEASE_LINE =
  `the release (qwen_block): ${fixed(RELEASE_LUT_PER_LOOKUP, 1)} LUT per lookup per cycle = ${formatNumber(RELEASE_QWEN_BLOCK.lut)} LUT / ${formatNumber(RELEASE_QWEN_BLOCK.lookups)} lookups per cycle ` +
  '(docs/design/papers.md, "Released implementation": the whole accelerator, HBM interface and platform included, its FP32 subtractors in DSPs)';

export function printBlock(r: BlockResources, subtractor: SubtractorCost): void {
  const synthesis = r.cached ? 'from the synthesis cache' : `synthesis ${r.seconds.toFixed(0)} s${r.peakMemoryMb === undefined ? '' : `, Yosys peak ${formatNumber(Math.round(r.peakMemoryMb))} MB`}`;
  console.log(`\n${r.label}: ${describeBlock(r)} (${synthesis})`);
  console.log(FIGURES_HEADER);
  for (const row of blockRows(r, subtractor)) console.log(figuresRow(row.name, row.figures, r.lookups));
  const ratio = perLookup(r, subtractor);
  console.log(`LUT per lookup per cycle: ${fixed(ratio.whole, 1)} whole block, ${fixed(ratio.withoutSubtractors, 1)} without the engine's FP32 subtractors; ${RELEASE_LINE}`);
}

/** The console's indentation as words: a part's share within the part above it reads "of which". */
const markdownPart = (name: string): string => (name.startsWith('    ') ? `of which ${name.trim()}` : name.trim());

/** A docs/paper section: one table per block, then the ratios beside the release's. */
export function blockMarkdown(results: readonly BlockResources[], subtractor: SubtractorCost, command: string): string {
  const parts = results.flatMap((r) => [
    `**${r.label}**: ${describeBlock(r)}. Yosys: ${r.yosys}${r.cached ? '' : `, ${r.seconds.toFixed(0)} s`}.`,
    '',
    table(
      ['part', 'LUT', 'FF', 'BRAM (RAMB36)', 'DSP', 'LUT per lookup per cycle'],
      blockRows(r, subtractor).map(({ name, figures: f }) => [markdownPart(name), formatNumber(f.lut), formatNumber(f.ff), fixed(f.bram, 1), formatNumber(f.dsp), fixed(f.lut / r.lookups, 1)]),
    ),
    '',
  ]);
  return [
    '# Resources of the LUT-LLM decoder block',
    '',
    `Generated by \`${command}\` (not part of \`make paper\`: the larger block takes many minutes to synthesize).`,
    "xilinx (UltraScale+) mapping, hierarchical (each module synthesized once, counted per instance). The KV cache row is both",
    "cache memories synthesized alone with the attention kernel's ports; they are part of the attention row, not added to it. The",
    `search FP32 subtractors row is the centroid search's subtractors at ${subtractor.lut} LUT each (one synthesized alone), part of the search row:`,
    'the release binds them to DSPs, so the last row leaves them out. The engine\'s own logic (control + FP32 dequant) holds its',
    'FP32 dequantization: on each of the lookupsPerCycle lanes, integer to FP32, a multiply by the scale and a subtract of the offset.',
    '',
    ...parts,
    table(
      ['block', 'lookups per cycle', 'LUT', 'LUT per lookup per cycle', 'without the FP32 subtractors', 'the release (qwen_block)'],
      results.map((r) => {
        const ratio = perLookup(r, subtractor);
        return [r.label, formatNumber(r.lookups), formatNumber(r.whole.lut), fixed(ratio.whole, 1), fixed(ratio.withoutSubtractors, 1), fixed(RELEASE_LUT_PER_LOOKUP, 1)];
      }),
    ),
    '',
    `The release's figure is ${formatNumber(RELEASE_QWEN_BLOCK.lut)} LUT over ${formatNumber(RELEASE_QWEN_BLOCK.lookups)} lookups per cycle (16 positions x 512 columns), from its`,
    'implementation report (docs/design/papers.md, "Released implementation"): the whole accelerator, with attention, softmax,',
    'normalization, the URAM accumulators, the HBM interface and platform, and its FP32 subtractors in DSPs. Ours is the block',
    "alone (no memory interface: the host streams the engine's tables and indices), at its own lookup rate.",
    '',
  ].join('\n');
}
