// The text form of a latency estimate (latency-model.ts), as `lutforge model lut-llm` prints it: the
// model and engine, then per phase one row per projection with its three bounds, the layer's
// lookup cycles by cause and its streamed bytes, and the totals over all layers.

import type { LatencyEstimate, PhaseLatency } from './latency-model.js';

const integer = (value: number): string => Math.round(value).toLocaleString('en-US');
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

/** Rows as columns: the first left-aligned, the others right-aligned. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}`.trimEnd());
}

function phaseText(estimate: LatencyEstimate, phase: PhaseLatency, label: string): string[] {
  const { layer, model } = phase;
  const weights = phase.projections.reduce((sum, projection) => sum + projection.K * projection.N, 0);
  const lookupParts = (['ideal', 'idleLanes', 'fill', 'drain', 'tableLoading', 'searchWaits'] as const).map((key) => phase.projections.reduce((sum, projection) => sum + projection.lookups[key], 0));
  const bytes = (key: 'tables' | 'weightIndices' | 'codebooks'): number => phase.projections.reduce((sum, projection) => sum + projection.streaming[key], 0);
  const rows = [
    ['projection', 'K', 'N', 'runs', 'lookups', 'streaming', 'search', 'search waits', 'cycles', 'bound'],
    ...phase.projections.map((p) => [p.name, integer(p.K), integer(p.N), integer(p.runs), integer(p.lookups.cycles), integer(p.streaming.cycles), integer(p.search.cycles), integer(p.search.stallCycles), integer(p.cycles), p.bound]),
    ['layer', '', '', '', integer(layer.lookupCycles), integer(layer.streamingCycles), integer(layer.searchCycles), integer(layer.searchStallCycles), integer(layer.cycles), ''],
  ];
  const [ideal, idleLanes, fill, drain, tableLoading, searchWaits] = lookupParts.map(integer);
  const rate = phase.tokens === 1 ? `${phase.msPerToken.toFixed(3)} ms per token (${phase.tokensPerSecond.toFixed(1)} tokens/s)` : `${phase.milliseconds.toFixed(3)} ms for ${phase.tokens} tokens: ${phase.tokensPerSecond.toFixed(1)} tokens/s (${phase.msPerToken.toFixed(3)} ms per token)`;
  return [
    `${label} (T = ${phase.tokens}), cycles of one layer:`,
    ...columns(rows),
    `  lookups by cause: ideal ${ideal}, idle lanes ${idleLanes}, fill ${fill}, drain ${drain}, table loading ${tableLoading}, search waits ${searchWaits}`,
    `  streamed per layer: tables ${megabytes(bytes('tables'))}, weight indices ${megabytes(bytes('weightIndices'))}, codebooks ${megabytes(bytes('codebooks'))} (${((8 * layer.streamBytes) / weights).toFixed(2)} bits per weight)`,
    `  ${estimate.dims.layers} layers: ${integer(model.cycles)} cycles = ${rate}`,
  ];
}

export function latencyText(estimate: LatencyEstimate): string {
  const { dims, config, engine } = estimate;
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const bytesPerCycle = (estimate.bandwidthGBs * 1e3) / estimate.clockMhz;
  return [
    `${dims.name ?? 'model'}: ${dims.layers} layers, hidden ${integer(dims.hidden)}, intermediate ${integer(dims.intermediate)}, ${dims.heads} heads, ${dims.kvHeads} KV heads, head dim ${dims.headDim}`,
    `engine: ${integer(engine.positionsPerCycle * engine.lookupsPerCycle)} lookups per cycle (${plural(engine.positionsPerCycle, 'position')} x ${engine.lookupsPerCycle} columns), ` +
      `${config.tableBits}-bit tables, ca ${config.ca}, cw ${config.cw}, v ${config.v}, groups of ${config.groupCols} columns, maxK ${config.maxK}, maxT ${config.maxT}; ` +
      `${plural(engine.searchUnits, 'search unit')}, ${plural(engine.centroidsPerPe, 'centroid')} per PE`,
    `clock ${estimate.clockMhz} MHz, memory ${estimate.bandwidthGBs} GB/s (${bytesPerCycle.toFixed(0)} bytes per cycle); linear layers only, one projection after another`,
    '',
    ...phaseText(estimate, estimate.decode, 'decode'),
    '',
    ...phaseText(estimate, estimate.prefill, 'prefill'),
    '',
  ].join('\n');
}
