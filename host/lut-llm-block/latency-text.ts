// The text form of a block decode estimate (latency.ts), as `lutforge model lut-llm-block` prints
// it: one column per position (and the decode average), one row per part of a layer's cycles.

import { columns } from '../lut-llm/latency-text.js';
import type { BlockLatency, LayerCycles } from './latency.js';

const integer = (value: number): string => Math.round(value).toLocaleString('en-US');

/** The rows of a layer's cycles by part, in the order a token goes through them. */
export function layerRows(layer: LayerCycles): [string, number][] {
  const round = (name: string, r: LayerCycles['rounds']['qkv']): [string, number] => [`${name} round${r.bound === 'streaming' ? ' (streaming-bound)' : ''}`, r.cycles];
  return [
    ['load x, out y, run beats', layer.loadOut],
    ['input and post norms', layer.norms],
    round('qkv', layer.rounds.qkv),
    ['q/k norms, RoPE, cache', layer.qkNormRope],
    ['attention', layer.attention],
    round('o', layer.rounds.o),
    round('up+gate', layer.rounds.gateUp),
    ['SiLU x up', layer.silu],
    round('down', layer.rounds.down),
    ['norm weights reload (not in the top yet)', layer.normReload],
  ];
}

export function blockLatencyText(latency: BlockLatency): string {
  const { dims, engine } = latency;
  const layers = [...latency.positions.map((p) => p.layer), latency.average.layer];
  const heads = ['cycles of one layer', ...latency.positions.map((p) => `p = ${p.layer.position}`), `mean of ${latency.average.tokens}`];
  const parts = layers.map(layerRows);
  const rows = [heads, ...parts[0]!.map(([name], i) => [name, ...parts.map((rowsOf) => integer(rowsOf[i]![1]))]), ['layer', ...layers.map((l) => integer(l.total))]];
  const ms = [...latency.positions.map((p) => p.msPerToken), latency.average.msPerToken];
  const rounds = (['qkv', 'o', 'gateUp', 'down'] as const).map((p) => `${p} ${integer(latency.positions[0]!.layer.rounds[p].block)} in the block, ${integer(latency.positions[0]!.layer.rounds[p].streaming)} streaming`);
  return [
    `${dims.name ?? 'model'} on the LUT-LLM decoder block: ${dims.layers} layers, hidden ${integer(dims.hidden)}, intermediate ${integer(dims.intermediate)}, ${dims.heads} heads, ${dims.kvHeads} KV heads, head dim ${dims.headDim}`,
    `engine: ${integer(engine.positionsPerCycle * engine.lookupsPerCycle)} lookups per cycle (${engine.positionsPerCycle} x ${engine.lookupsPerCycle}), ${engine.tableBits}-bit tables, ca ${engine.ca}, cw ${engine.cw}, v ${engine.v}, groups of ${engine.groupCols} columns`,
    `clock ${latency.clockMhz} MHz, memory ${latency.bandwidthGBs} GB/s; decode (T = 1), the block run once per layer; the attention one FP32 operation per cycle`,
    '',
    ...columns(rows),
    `  engine rounds (cycles): ${rounds.join('; ')}`,
    `  ${dims.layers} layers: ${ms.map((value, i) => `${value.toFixed(3)} ms per token ${i < latency.positions.length ? `at p = ${latency.positions[i]!.layer.position}` : `averaged over ${latency.average.tokens} tokens`}`).join(', ')}`,
    '',
  ].join('\n');
}
