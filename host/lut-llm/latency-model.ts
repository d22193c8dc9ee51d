// How long a language model's linear layers take on lutforge's LUT-LLM engine, per token in decode
// and per prompt in prefill, from the model's dimensions, the engine configuration, the clock and
// the memory bandwidth (docs/design/lut-llm.md, "Latency model"). Pure arithmetic, no simulation:
// the lookup part is the engine's own cycle formula (lutLlmCycleBudget, the replay of the lookup
// loop that Verilator matches), the streaming part the bytes the engine's table, weight-index and
// codebook streams carry divided by the bandwidth, the search part the indices a run needs divided
// by the rate of the centroid search.

import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import { lutLlmCycleBudget, type LutLlmCycleBudget } from '../../generators/lut-llm/cycle-budget.js';
import { chunksOfLastGroup, lutLlmLayout } from '../../generators/lut-llm/layout.js';
import type { ModelDims } from './model-dims.js';

/** The released design's clock: 4.000 ns met post-route on the V80 (qwen_block/timing.rpt). */
export const DEFAULT_CLOCK_MHZ = 250;
/** The V80's off-chip (HBM) bandwidth, `off_chip_bw` of qwen_lut_model/v80.json in LUT-FPGA/LUT-LLM. */
export const V80_HBM_GBS = 820;
/** The released block's longest prompt, MAX_SEQ_LEN of config/config.h in LUT-FPGA/LUT-LLM. */
export const DEFAULT_PREFILL_TOKENS = 128;

export const PROJECTIONS = ['qkv', 'o', 'up-gate', 'down'] as const;
export type ProjectionName = (typeof PROJECTIONS)[number];

/** One linear layer of a decoder layer: K inputs, N outputs (fused where the release fuses them). */
export interface ProjectionShape {
  readonly name: ProjectionName;
  readonly K: number;
  readonly N: number;
  /** The dimension K comes from, for messages. */
  readonly kFrom: string;
}

/** The four linear layers of a decoder layer, in the order they run. */
export function projectionShapes(dims: ModelDims): ProjectionShape[] {
  const attention = dims.heads * dims.headDim;
  return [
    { name: 'qkv', K: dims.hidden, N: (dims.heads + 2 * dims.kvHeads) * dims.headDim, kFrom: 'hidden' },
    { name: 'o', K: attention, N: dims.hidden, kFrom: 'heads x headDim' },
    { name: 'up-gate', K: dims.hidden, N: 2 * dims.intermediate, kFrom: 'hidden' },
    { name: 'down', K: dims.intermediate, N: dims.hidden, kFrom: 'intermediate' },
  ];
}

/** Why the model's layers cannot run on the configuration (a K that is not a multiple of v), or undefined. */
export function dimsConflict(config: LutLlmConfig, dims: ModelDims): string | undefined {
  const misfit = projectionShapes(dims).find((shape) => shape.K % config.v !== 0);
  return misfit && `${misfit.kFrom} = ${misfit.K} (K of ${misfit.name}) is not a multiple of v = ${config.v}, the sub-vector length of the configuration`;
}

export interface LookupCycles extends LutLlmCycleBudget {
  /** The sum of the five parts: the cycles the engine spends on the projection's runs. */
  readonly cycles: number;
}

export interface StreamBytes {
  readonly tables: number;
  readonly weightIndices: number;
  readonly codebooks: number;
  readonly total: number;
}

export interface ProjectionLatency extends ProjectionShape {
  /** Positions P = K / v and column groups G. */
  readonly P: number;
  readonly G: number;
  /** Engine runs: token runs of at most maxT times K slices of at most maxK (the host adds the slices' sums). */
  readonly runs: number;
  readonly lookups: LookupCycles;
  /** What the table, weight-index and codebook streams carry, and the cycles memory needs to supply it. */
  readonly streaming: StreamBytes & { readonly cycles: number };
  /**
   * Indices the runs need, the cycles the search units take to produce them, and the lookup steps
   * that wait for them (the cycle formula's searchWaits, part of `lookups.cycles`).
   */
  readonly search: { readonly indices: number; readonly cycles: number; readonly stallCycles: number };
  /** Per run the larger of the lookup cycles (search waits included) and streaming, summed over the runs. */
  readonly cycles: number;
  readonly bound: 'lookups' | 'streaming' | 'search';
}

export interface PhaseLatency {
  /** Tokens per step: 1 in decode, the prompt in prefill. */
  readonly tokens: number;
  readonly projections: readonly ProjectionLatency[];
  /** One decoder layer's linear layers, by bound and in all. */
  readonly layer: BoundTotals;
  /** All layers. */
  readonly model: BoundTotals;
  readonly milliseconds: number;
  readonly msPerToken: number;
  readonly tokensPerSecond: number;
}

export interface BoundTotals {
  readonly lookupCycles: number;
  readonly streamingCycles: number;
  readonly searchCycles: number;
  readonly searchStallCycles: number;
  readonly streamBytes: number;
  readonly cycles: number;
}

export interface LatencyOptions {
  readonly clockMhz: number;
  /** Memory bandwidth in GB/s (10^9 bytes per second). */
  readonly bandwidthGBs: number;
  readonly prefillTokens: number;
}

export interface LatencyEstimate extends LatencyOptions {
  readonly dims: ModelDims;
  readonly config: LutLlmConfig;
  readonly engine: { readonly positionsPerCycle: number; readonly lookupsPerCycle: number; readonly searchUnits: number; readonly centroidsPerPe: number };
  readonly decode: PhaseLatency;
  readonly prefill: PhaseLatency;
}

/** `total` split into pieces of at most `largest`: the full ones and the remainder, as (size, count). */
function pieces(total: number, largest: number): { readonly size: number; readonly count: number }[] {
  const full = Math.floor(total / largest);
  const rest = total - full * largest;
  return [...(full > 0 ? [{ size: largest, count: full }] : []), ...(rest > 0 ? [{ size: rest, count: 1 }] : [])];
}

/** One projection at T tokens: every run through the cycle formula, the stream sizes and the search rate. */
export function projectionLatency(config: LutLlmConfig, shape: ProjectionShape, T: number, options: Pick<LatencyOptions, 'clockMhz' | 'bandwidthGBs'>): ProjectionLatency {
  const { K, N } = shape;
  if (K % config.v !== 0) throw new RangeError(`${shape.name}: K = ${K} is not a multiple of v = ${config.v}`);
  const layout = lutLlmLayout(config);
  const P = K / config.v;
  const G = Math.ceil(N / config.groupCols);
  const chunks = layout.shape.chunks;
  const lastChunks = chunksOfLastGroup(config, N, G);
  const stepsPerToken = (G - 1) * chunks + lastChunks;
  const units = layout.units;
  const perPe = layout.centroidsPerPe;
  // Bytes per second over cycles per second: the bytes memory delivers in one cycle.
  const bytesPerCycle = (options.bandwidthGBs * 1e9) / (options.clockMhz * 1e6);

  const lookups = { ideal: 0, idleLanes: 0, fill: 0, drain: 0, tableLoading: 0, searchWaits: 0, cycles: 0 };
  const bytes = { tables: 0, weightIndices: 0, codebooks: 0 };
  const search = { indices: 0, cycles: 0, stallCycles: 0 };
  let streamingCycles = 0;
  let cycles = 0;
  let runs = 0;
  for (const tokens of pieces(T, config.maxT)) {
    for (const slice of pieces(P, layout.shape.maxP)) {
      const count = tokens.count * slice.count;
      const budget = lutLlmCycleBudget(config, { T: tokens.size, P: slice.size, N, G });
      const lookupCycles = budget.ideal + budget.idleLanes + budget.fill + budget.drain + budget.tableLoading + budget.searchWaits;
      // Each (position, group) streams its table and its weight indices once per run, whatever the
      // tokens: tableBeats beats of rowsPerTableBeat rows, and a lookupsPerCycle-lane word per chunk.
      // Codebooks go out a position of every unit at a time. Counted per position, as the streams
      // carry them (padding rows and idle lanes included), so however beats group positions.
      const tables = (slice.size * G * layout.tableBeats * layout.rowsPerTableBeat * layout.shape.rowBits) / 8;
      const weightIndices = (slice.size * stepsPerToken * config.lookupsPerCycle * layout.shape.weightIndexBits) / 8;
      const codebooks = (Math.ceil(slice.size / units) * units * config.ca * config.v * layout.centroidBits) / 8;
      const runBytes = tables + weightIndices + codebooks;
      // Unit u searches positions p = u mod units, one sub-vector every centroidsPerPe cycles. The
      // lookups of column group 0 consume the indices as they come (later groups find them all in
      // place); the replay counts the steps that wait for them as searchWaits.
      const searchCycles = tokens.size * Math.ceil(slice.size / units) * perPe;
      const runStreaming = runBytes / bytesPerCycle;
      for (const key of ['ideal', 'idleLanes', 'fill', 'drain', 'tableLoading', 'searchWaits'] as const) lookups[key] += budget[key] * count;
      lookups.cycles += lookupCycles * count;
      bytes.tables += tables * count;
      bytes.weightIndices += weightIndices * count;
      bytes.codebooks += codebooks * count;
      search.indices += tokens.size * slice.size * count;
      search.cycles += searchCycles * count;
      search.stallCycles += budget.searchWaits * count;
      streamingCycles += runStreaming * count;
      cycles += Math.max(lookupCycles, runStreaming) * count;
      runs += count;
    }
  }
  const total = bytes.tables + bytes.weightIndices + bytes.codebooks;
    // The bound is what the time is made of: the streams when they take longer than the lookups,
  // else the search when its waits are most of the lookup cycles, else the lookups themselves.
  const bound = streamingCycles >= lookups.cycles ? 'streaming' : 2 * search.stallCycles > lookups.cycles ? 'search' : 'lookups';
  return { ...shape, P, G, runs, lookups, streaming: { ...bytes, total, cycles: streamingCycles }, search, cycles, bound };
}

function totals(projections: readonly ProjectionLatency[], times = 1): BoundTotals {
  const sum = (part: (projection: ProjectionLatency) => number): number => times * projections.reduce((acc, projection) => acc + part(projection), 0);
  return {
    lookupCycles: sum((p) => p.lookups.cycles),
    streamingCycles: sum((p) => p.streaming.cycles),
    searchCycles: sum((p) => p.search.cycles),
    searchStallCycles: sum((p) => p.search.stallCycles),
    streamBytes: sum((p) => p.streaming.total),
    cycles: sum((p) => p.cycles),
  };
}

/** One step of T tokens through every layer: the projections run one after another on the one engine. */
export function phaseLatency(config: LutLlmConfig, dims: ModelDims, T: number, options: Pick<LatencyOptions, 'clockMhz' | 'bandwidthGBs'>): PhaseLatency {
  const projections = projectionShapes(dims).map((shape) => projectionLatency(config, shape, T, options));
  const model = totals(projections, dims.layers);
  const milliseconds = model.cycles / (options.clockMhz * 1e3);
  return { tokens: T, projections, layer: totals(projections), model, milliseconds, msPerToken: milliseconds / T, tokensPerSecond: (1e3 * T) / milliseconds };
}

/** Decode (one token per step) and prefill (the prompt in one step) of the model's linear layers. */
export function lutLlmLatency(config: LutLlmConfig, dims: ModelDims, options: LatencyOptions): LatencyEstimate {
  const layout = lutLlmLayout(config);
  return {
    ...options,
    dims,
    config,
    engine: { positionsPerCycle: config.positionsPerCycle, lookupsPerCycle: config.lookupsPerCycle, searchUnits: layout.units, centroidsPerPe: layout.centroidsPerPe },
    decode: phaseLatency(config, dims, 1, options),
    prefill: phaseLatency(config, dims, options.prefillTokens, options),
  };
}
