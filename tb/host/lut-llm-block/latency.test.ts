// Decode latency on the block (host/lut-llm-block/latency.ts): the parts add up, the rounds are the
// cycle model's or the streaming floor, attention alone grows with the position, the decode average
// is the mean over its positions, and the lanes what-if reduces to the kernel at one lane.

import { describe, expect, it } from 'vitest';
import { attentionCyclesPerToken } from '../../../generators/lut-llm-block/attention.js';
import { lutLlmBlockShape, PROJECTIONS } from '../../../generators/lut-llm-block/config.js';
import { engineRoundCycles } from '../../../generators/lut-llm-block/engine-round.js';
import { attentionWithLanes, blockConfigFor, blockDecodeLatency } from '../../../host/lut-llm-block/latency.js';
import { blockLatencyText } from '../../../host/lut-llm-block/latency-text.js';
import { readModelDims } from '../../../host/lut-llm/model-dims.js';

const OPTIONS = { clockMhz: 250, bandwidthGBs: 820 };
/** A narrow model, so the engine replay is quick: Qwen3's proportions at a sixteenth of the width. */
const DIMS = { name: 'narrow', hidden: 128, intermediate: 384, heads: 4, kvHeads: 2, headDim: 32, layers: 3 };
const ENGINE = { ca: 16, cw: 16, groupCols: 32, lookupsPerCycle: 8 };

describe('decode latency on the block', () => {
  const latency = blockDecodeLatency(DIMS, ENGINE, OPTIONS, [0, 7, 100], 16);

  it('adds a layer from its parts and the model from its layers', () => {
    for (const { layer, msPerToken } of latency.positions) {
      const rounds = PROJECTIONS.reduce((sum, p) => sum + layer.rounds[p].cycles, 0);
      expect(layer.total).toBe(rounds + layer.attention + layer.qkNormRope + layer.norms + layer.silu + layer.loadOut + layer.normReload);
      expect(msPerToken).toBeCloseTo((DIMS.layers * layer.total) / (OPTIONS.clockMhz * 1e3), 12);
    }
  });

  it('takes each round from the block replay unless streaming takes longer', () => {
    const shape = lutLlmBlockShape(blockConfigFor(DIMS, ENGINE, 101));
    const layer = latency.positions[0]!.layer;
    for (const p of PROJECTIONS) {
      const round = layer.rounds[p];
      expect(round.block).toBe(engineRoundCycles(shape.engine, shape.rounds[p], 1).cycles);
      expect(round.cycles).toBe(Math.max(round.block, round.streaming));
    }
    // At 1 GB/s the streams bound some round.
    const slow = blockDecodeLatency(DIMS, ENGINE, { clockMhz: 250, bandwidthGBs: 1 }, [0], 1).positions[0]!.layer;
    expect(PROJECTIONS.some((p) => slow.rounds[p].bound === 'streaming')).toBe(true);
  });

  it('grows with the position by the attention kernel alone, and averages the decode over its positions', () => {
    const [first, second] = latency.positions;
    expect(second!.layer.total - first!.layer.total).toBe(attentionCyclesPerToken(DIMS, 7) - attentionCyclesPerToken(DIMS, 0));
    const mean = Array.from({ length: 16 }, (_, p) => 4 + attentionCyclesPerToken(DIMS, p)).reduce((a, b) => a + b, 0) / 16;
    expect(latency.average.layer.attention).toBe(mean);
    expect(latency.average.layer.total - latency.average.layer.attention).toBe(first!.layer.total - first!.layer.attention);
  });

  it('reduces the lanes what-if to the attention phase at one lane and shrinks the multiply-adds with more', () => {
    expect(attentionWithLanes(DIMS, 100, 1)).toBe(latency.positions[2]!.layer.attention);
    expect(attentionWithLanes(DIMS, 100, 16)).toBe(4 + 4 * 32 + 4 * (101 * (4 + 3) + 32 + 2));
  });

  it('prints a column per position and the decode mean for Qwen3 1.7B', async () => {
    const dims = await readModelDims('qwen3-1.7b', process.cwd());
    const text = blockLatencyText(blockDecodeLatency(dims, { groupCols: 128, lookupsPerCycle: 128, positionsPerCycle: 4 }, OPTIONS, [0, 4095], 8));
    expect(text).toMatch(/^Qwen3 1\.7B on the LUT-LLM decoder block: 28 layers/);
    expect(text).toMatch(/\n {2}cycles of one layer +p = 0 +p = 4095 +mean of 8\n/);
    // 16 heads of 128 at position 4095: 16 (4096 (2 x 128 + 3) + 130) + 16 x 128 + 4.
    expect(text).toMatch(/\n {2}attention +8,276 +16,977,956 +/);
    expect(text).toMatch(/\n {2}28 layers: [\d.]+ ms per token at p = 0, [\d.]+ ms per token at p = 4095, [\d.]+ ms per token averaged over 8 tokens\n$/);
  });
});
