// The latency model of a language model's linear layers (host/lut-llm/latency-model.ts) on cases
// computed by hand, and its lookup cycles against the cycles Verilator measured for the same
// runs: the O projection of Qwen3 1.7B is the README's 2048 x 2048 benchmark at T = 1 (32,844
// cycles), and the small layer is the one tb/cli/run-lut-llm.test.ts simulates (109 cycles at
// T = 1; that test also compares the model with its own measurement).

import { describe, expect, it } from 'vitest';
import { lutLlmConfig } from '../../../generators/lut-llm/config.js';
import { lutLlmCycleBudget } from '../../../generators/lut-llm/cycle-budget.js';
import { dimsConflict, lutLlmLatency, phaseLatency, projectionLatency, projectionShapes, type ProjectionShape } from '../../../host/lut-llm/latency-model.js';
import type { ModelDims } from '../../../host/lut-llm/model-dims.js';

const QWEN3_1_7B: ModelDims = { hidden: 2048, intermediate: 6144, heads: 16, kvHeads: 8, headDim: 128, layers: 28 };
/** The small engine of the hardware regression and of tb/cli/run-lut-llm.test.ts. */
const SMALL = lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4, tableBits: 8 });
const SMALL_LAYER: ProjectionShape = { name: 'o', K: 32, N: 19, kFrom: 'test' };
/** One byte per cycle: streaming cycles are the streamed bytes. */
const BYTE_PER_CYCLE = { clockMhz: 1000, bandwidthGBs: 1 };

describe('projectionShapes', () => {
  it("gives Qwen3 1.7B's fused QKV, O, fused up+gate and down", () => {
    expect(projectionShapes(QWEN3_1_7B).map(({ name, K, N }) => [name, K, N])).toEqual([
      ['qkv', 2048, (16 + 2 * 8) * 128],
      ['o', 2048, 2048],
      ['up-gate', 2048, 12_288],
      ['down', 6144, 2048],
    ]);
  });

  it('names the dimension that does not fit v', () => {
    expect(dimsConflict(SMALL, QWEN3_1_7B)).toBeUndefined();
    expect(dimsConflict(lutLlmConfig.parse({ v: 3, maxK: 4095 }), QWEN3_1_7B)).toBe('hidden = 2048 (K of qkv) is not a multiple of v = 3, the sub-vector length of the configuration');
  });
});

describe('projectionLatency', () => {
  it('takes the lookup cycles Verilator measured: 109 for the small layer at T = 1, 32,844 for 2048 x 2048 on the default engine', () => {
    expect(projectionLatency(SMALL, SMALL_LAYER, 1, BYTE_PER_CYCLE).lookups).toEqual({ ideal: 76, idleLanes: 4, fill: 12, drain: 5, tableLoading: 12, searchWaits: 0, cycles: 109 });
    const o = projectionLatency(lutLlmConfig.parse({}), projectionShapes(QWEN3_1_7B)[1]!, 1, { clockMhz: 250, bandwidthGBs: 820 });
    expect(o.lookups.cycles).toBe(32_844);
  });

  it('counts the bytes of the table, weight-index and codebook streams by hand', () => {
    // P = 16 positions, G = 3 groups of 8 columns (the last holds 3), 2 chunks of 4 lanes per group.
    // Tables: 6 rows of 4 entries of 8 bits in 2 beats of 4 rows (128 bits): 32 bytes per (p, g).
    // Weight indices: one byte (4 lanes of 2 bits) per beat, 2 + 2 + 1 beats per position.
    // Codebooks: one search unit, 6 centroids of 2 FP32 elements per position: 48 bytes.
    const layer = projectionLatency(SMALL, SMALL_LAYER, 1, BYTE_PER_CYCLE);
    expect(layer.streaming).toEqual({ tables: 16 * 3 * 32, weightIndices: 16 * 5, codebooks: 16 * 48, total: 2384, cycles: 2384 });
    // At a byte per cycle the streams take longer than the 109 cycles of lookups, which overlap them.
    expect([layer.cycles, layer.bound]).toEqual([2384, 'streaming']);
    // With bandwidth to spare the lookups bound it.
    const fast = projectionLatency(SMALL, SMALL_LAYER, 1, { clockMhz: 1000, bandwidthGBs: 1000 });
    expect([fast.cycles, fast.bound, fast.streaming.cycles]).toEqual([109, 'lookups', 2.384]);
  });

  it('has the search produce one index per position and token, hidden behind column group 0', () => {
    // One unit of PEs of 2 centroids (2 chunks per column group), a sub-vector every 2 cycles:
    // 16 positions x 3 tokens x 2 = 96 cycles, as many as group 0's 3 x 16 x 2 lookup steps, so
    // the lookups never wait (257 cycles, measured in Verilator for this layer at T = 3).
    const layer = projectionLatency(SMALL, SMALL_LAYER, 3, BYTE_PER_CYCLE);
    expect(layer.search).toEqual({ indices: 48, cycles: 96, stallCycles: 0 });
    expect(layer.lookups.cycles).toBe(257);
  });

  it('splits runs at maxT tokens and maxK inputs, each run through the cycle formula and streaming its own tables', () => {
    // T = 6 is runs of 4 and 2 tokens; K = 64 (32 positions) is two slices of 16.
    const split = projectionLatency(SMALL, { name: 'down', K: 64, N: 19, kFrom: 'test' }, 6, BYTE_PER_CYCLE);
    const four = lutLlmCycleBudget(SMALL, { T: 4, P: 16, N: 19, G: 3 });
    const two = lutLlmCycleBudget(SMALL, { T: 2, P: 16, N: 19, G: 3 });
    const total = (b: typeof four): number => b.ideal + b.idleLanes + b.fill + b.drain + b.tableLoading;
    expect(split.runs).toBe(4);
    expect(split.lookups.cycles).toBe(2 * total(four) + 2 * total(two));
    expect(split.lookups.ideal).toBe(2 * four.ideal + 2 * two.ideal);
    expect(split.streaming.total).toBe(4 * 2384);
    expect(split.search.indices).toBe(6 * 32);
    // Every run is streaming-bound at a byte per cycle.
    expect(split.cycles).toBe(4 * 2384);
  });
});

describe('phaseLatency and lutLlmLatency', () => {
  it('adds the projections of a layer, multiplies by the layers and converts at the clock', () => {
    const dims: ModelDims = { hidden: 16, intermediate: 32, heads: 2, kvHeads: 1, headDim: 8, layers: 3 };
    const options = { clockMhz: 100, bandwidthGBs: 1e6 };
    const phase = phaseLatency(SMALL, dims, 2, options);
    const perLayer = projectionShapes(dims).reduce((sum, shape) => sum + projectionLatency(SMALL, shape, 2, options).cycles, 0);
    expect(phase.layer.cycles).toBe(perLayer);
    expect(phase.model.cycles).toBe(3 * perLayer);
    // 100 MHz: 100,000 cycles per millisecond.
    expect(phase.milliseconds).toBeCloseTo((3 * perLayer) / 1e5, 12);
    expect(phase.msPerToken).toBeCloseTo(phase.milliseconds / 2, 12);
    expect(phase.tokensPerSecond).toBeCloseTo(2000 / phase.milliseconds, 9);
  });

  it('predicts Qwen3 1.7B on the default engine: lookup-bound, 44 ms per token', () => {
    const estimate = lutLlmLatency(lutLlmConfig.parse({}), QWEN3_1_7B, { clockMhz: 250, bandwidthGBs: 820, prefillTokens: 128 });
    expect(estimate.engine).toEqual({ positionsPerCycle: 1, lookupsPerCycle: 64, searchUnits: 1, centroidsPerPe: 8 });
    expect(estimate.decode.projections.map((p) => p.bound)).toEqual(['lookups', 'lookups', 'lookups', 'lookups']);
    // Every weight pair of a layer once per token at 64 lookups per cycle, plus fill (71) and
    // drain (5) in each of the 5 runs (down takes two).
    const ideal = (2048 * 4096 + 2048 * 2048 + 2048 * 12_288 + 6144 * 2048) / 2 / 64;
    expect(estimate.decode.layer.lookupCycles).toBe(ideal + 5 * 76);
    expect(estimate.decode.msPerToken).toBeCloseTo((28 * (ideal + 5 * 76)) / 250e3, 9);
    // down (K = 6144 > maxK = 4096) runs in two slices; a 128-token prompt in 4 runs of maxT = 32.
    expect(estimate.decode.projections[3]!.runs).toBe(2);
    expect(estimate.prefill.projections[3]!.runs).toBe(8);
  });
});
