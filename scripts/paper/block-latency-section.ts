// The decoder block's part of docs/paper/latency.md: Qwen3 1.7B decode on the LUT-LLM block
// (host/lut-llm-block/latency.ts, `lutforge model lut-llm-block`), per layer by part at positions
// 0, 511 and 4095 and averaged over a 1,024-token decode, beside the linear-only figures above and
// the paper's 5.1 ms per token; then two computed what-ifs, labelled as such: attention with
// multiply-add lanes, and the engine rounds at the engine's own pace. latency-section.ts appends it.

import { lutLlmBlockShape } from '../../generators/lut-llm-block/config.js';
import { DEFAULT_CLOCK_MHZ, phaseLatency, V80_HBM_GBS } from '../../host/lut-llm/latency-model.js';
import type { ModelDims } from '../../host/lut-llm/model-dims.js';
import { attentionWithLanes, blockConfigFor, blockDecodeLatency, type BlockEngineKeys, type BlockLatency, DEFAULT_AVERAGE_TOKENS, DEFAULT_POSITIONS, type LayerCycles } from '../../host/lut-llm-block/latency.js';
import { fixed, formatNumber, table } from './kit.js';

export interface BlockScenario {
  readonly label: string;
  readonly engine: BlockEngineKeys;
}

const OPTIONS = { clockMhz: DEFAULT_CLOCK_MHZ, bandwidthGBs: V80_HBM_GBS };
const WHAT_IF_LANES = [16, 64, 256] as const;

const ms = (dims: ModelDims, cycles: number): number => (dims.layers * cycles) / (DEFAULT_CLOCK_MHZ * 1e3);
const percent = (part: number, whole: number): string => `${fixed((100 * part) / whole, 0)}%`;
const roundsOf = (layer: LayerCycles): number => layer.rounds.qkv.cycles + layer.rounds.o.cycles + layer.rounds.gateUp.cycles + layer.rounds.down.cycles;

/** The linear layers at the engine's own pace (the latency model above), with the block's engine sizes (maxK, dequant). */
function engineAlone(dims: ModelDims, engine: BlockEngineKeys): number {
  const shape = lutLlmBlockShape(blockConfigFor(dims, engine, DEFAULT_AVERAGE_TOKENS));
  return phaseLatency(shape.engine, dims, 1, OPTIONS).layer.cycles;
}

export function blockLatencyLines(dims: ModelDims, scenarios: readonly BlockScenario[], paperMsPerToken: number): string[] {
  const results = scenarios.map((scenario) => ({ scenario, latency: blockDecodeLatency(dims, scenario.engine, OPTIONS, DEFAULT_POSITIONS, DEFAULT_AVERAGE_TOKENS), alone: engineAlone(dims, scenario.engine) }));
  const columns = (latency: BlockLatency): LayerCycles[] => [...latency.positions.map((p) => p.layer), latency.average.layer];
  const positionHeads = [...DEFAULT_POSITIONS.map((p) => `p = ${formatNumber(p)}`), `mean of ${formatNumber(DEFAULT_AVERAGE_TOKENS)} tokens`];
  const summary = results.map(({ scenario, latency, alone }) => [
    scenario.label,
    ...columns(latency).map((layer) => fixed(ms(dims, layer.total), 1)),
    fixed(ms(dims, alone), 2),
  ]);
  const roundName = { qkv: 'QKV', o: 'O', gateUp: 'up+gate', down: 'down' } as const;
  const [first] = results;
  const fixedParts = (layer: LayerCycles): [string, number][] => [
    ['x in, y out, run and profile beats', layer.loadOut],
    ['input and post-attention RMSNorm', layer.norms],
    ['q/k RMSNorm, RoPE, k and v into the cache', layer.qkNormRope],
    ['SiLU x up', layer.silu],
    ['norm weights reload per layer (not in the top yet)', layer.normReload],
  ];
  const roundRows = results.flatMap(({ scenario, latency }) => {
    const layer = latency.positions[0]!.layer;
    return (['qkv', 'o', 'gateUp', 'down'] as const).map((p) => [`${roundName[p]}, ${scenario.label}`, formatNumber(layer.rounds[p].block), formatNumber(Math.round(layer.rounds[p].streaming)), formatNumber(layer.rounds[p].cycles)]);
  });
  const attentionRows = columns(first!.latency).map((layer, i) => [`attention, ${positionHeads[i]}`, formatNumber(Math.round(layer.attention))]);
  const lanesRows = DEFAULT_POSITIONS.map((p) => [`p = ${formatNumber(p)}`, formatNumber(attentionWithLanes(dims, p, 1)), ...WHAT_IF_LANES.map((lanes) => formatNumber(attentionWithLanes(dims, p, lanes)))]);
  const meanWithLanes = (lanes: number): number => {
    let sum = 0;
    for (let p = 0; p < DEFAULT_AVERAGE_TOKENS; p++) sum += attentionWithLanes(dims, p, lanes);
    return sum / DEFAULT_AVERAGE_TOKENS;
  };
  const last = results[results.length - 1]!;
  const lastMean = last.latency.average.layer;
  const nonAttention = lastMean.total - lastMean.attention;
  const otherParts = nonAttention - roundsOf(lastMean);
  const whatIfMs = (attention: number, rounds: number): number => ms(dims, attention + rounds + otherParts);
  const whatIfRows = [
    ['as modelled: attention 1 lane, rounds in the block', fixed(whatIfMs(lastMean.attention, roundsOf(lastMean)), 1)],
    ...WHAT_IF_LANES.map((lanes) => [`attention with ${lanes} multiply-add lanes, rounds in the block`, fixed(whatIfMs(meanWithLanes(lanes), roundsOf(lastMean)), 1)]),
    ...WHAT_IF_LANES.map((lanes) => [`attention with ${lanes} lanes, rounds at the engine's own pace (${formatNumber(Math.round(last.alone))} cycles)`, fixed(whatIfMs(meanWithLanes(lanes), last.alone), 1)]),
  ];
  const p0 = first!.latency.positions[0]!.layer;
  const p4095 = first!.latency.positions[DEFAULT_POSITIONS.length - 1]!.layer;
  const lastP0 = last.latency.positions[0]!.layer;
  return [
    '## The whole decoder block: Qwen3 1.7B decode on lutforge\'s LUT-LLM block',
    '',
    'From `lutforge model lut-llm-block --dims qwen3-1.7b` (`host/lut-llm-block/latency.ts`; `docs/design/lut-llm-block.md`, "Cycles" and',
    '"Latency"): every phase of one decode token (T = 1) through one layer from the block\'s cycle model',
    '(`generators/lut-llm-block/cycle-model.ts`), which predicts each of the simulated block\'s per-phase counters exactly on',
    'every run the tests simulate (three block shapes, prefill T = 1 to 8 and decode); each engine round at least the time',
    `its tables, weight indices and codebooks take to stream at ${V80_HBM_GBS} GB/s (the latency model above); the block run once`,
    `per layer, ${dims.layers} layers, ${DEFAULT_CLOCK_MHZ} MHz. Decode starts from an empty cache; the mean is over positions 0 to ${formatNumber(DEFAULT_AVERAGE_TOKENS - 1)}.`,
    'A model, not a measurement: the Qwen3-sized block is not simulated, and its KV cache (per layer 2 x 8 KV heads x 128 x',
    'positions FP32 words, 16 MB at 4,096 positions) would live in HBM, not the block RAM of the tiny blocks (the attention',
    'reads a word per cycle, 1 GB/s, which HBM supplies).',
    '',
    table(['engine', ...positionHeads.map((h) => `ms per token, ${h}`), 'linear layers alone at the engine\'s pace, ms'], summary),
    '',
    `Beside these, the paper's ${fixed(paperMsPerToken, 1)} ms per token is the whole model measured on the V80. Both engines here have`,
    'column groups of 512, which the block as built does not take for QKV (its config wants groupCols to divide headDim, 128:',
    'one scale pair per head). The figures are for the engines as the latency model above configures them; a block that',
    'builds for Qwen3 needs groupCols 128 (at most 128 lookups per position per cycle, and a search sized to 2 chunks),',
    'which changes the rounds, not the attention that dominates.',
    '',
    'Cycles of one layer by part, the same for both engines:',
    '',
    table(['part', 'cycles'], [...fixedParts(p0).map(([name, cycles]) => [name, formatNumber(cycles)]), ...attentionRows]),
    '',
    'The engine rounds, at any position (the block\'s replay: the one-word-per-cycle reader feeding the search, the lookups,',
    'the one-result-per-cycle collector; and the streaming floor):',
    '',
    table(['round', 'in the block', 'streaming', 'cycles'], roundRows),
    '',
    `**Where the time goes.** The attention kernel does one FP32 operation per cycle: per head and position 2 x 128`,
    `multiply-adds (QK and AV) and 3 more steps (score, two exponent steps), ${formatNumber(dims.heads * (2 * dims.headDim + 3))} cycles per position`,
    `per layer. At p = 0 it is ${percent(p0.attention, p0.total)} of a layer with the default engine and ${percent(lastP0.attention, lastP0.total)} at the release's shape;`,
    `at p = 4,095 it is ${formatNumber(p4095.attention)} cycles, ${percent(p4095.attention, p4095.total)} of the layer, ${fixed(ms(dims, p4095.attention), 0)} ms per token over ${dims.layers} layers`,
    `against ${fixed(paperMsPerToken, 1)} ms for the paper's whole model. Averaged over a ${formatNumber(DEFAULT_AVERAGE_TOKENS)}-token decode it is ${percent(lastMean.attention, lastMean.total)} of the time at the release's shape.`,
    `The engine rounds come next: with the default engine (64 lookups per cycle) they are the lookups, ${formatNumber(roundsOf(p0))} cycles a layer against`,
    `${formatNumber(Math.round(first!.alone))} for the engine alone (the block's feed and collector add the rest); at the release's shape they are bound by the block's plumbing, which moves one FP32 word per`,
    `cycle: a round takes about K + N cycles (the activations in, the results out), ${formatNumber(roundsOf(lastP0))} a layer against`,
    `${formatNumber(Math.round(last.alone))} at the engine's own pace. The other parts (norms, RoPE, SiLU, x and y, the norm reload) are also a word per`,
    `cycle: ${formatNumber(otherParts)} cycles a layer.`,
    '',
    '**What-if (computed, not measured or built): lanes.** Attention cycles of one layer with its two multiply-add loops',
    'spread over L lanes (lanes over j for QK and over i for AV keep the spec\'s order of every sum), the score, exponent and',
    'sum steps left one per cycle (the softmax sum over j is a chain of adds in the spec\'s order, 1 per position per head',
    'at best):',
    '',
    table(['position', '1 lane (as built)', ...WHAT_IF_LANES.map((lanes) => `${lanes} lanes`)], lanesRows),
    '',
    `Decode ms per token at ${last.scenario.label}, mean of ${formatNumber(DEFAULT_AVERAGE_TOKENS)} tokens, under the what-ifs (the other parts as modelled):`,
    '',
    table(['what-if', 'ms per token'], whatIfRows),
    '',
  ];
}
