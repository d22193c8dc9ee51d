// The block's cycle model (generators/lut-llm-block/cycle-model.ts) against the hardware's own
// phase counters. The fast tier checks the arithmetic: the kernels' formulas as the phases use
// them, the engine round replay against the engine's cycle budget, and counters that Verilator
// measured on three block shapes (recorded below). The regress tier simulates the block tests' tiny
// block once more (the same design as block.test.ts, so the Verilator build is shared) and
// compares every counter; block.test.ts calls blockCycleModelMismatches on its own runs too.

import { describe, expect, it } from 'vitest';
import { attentionCyclesPerToken } from '../../../generators/lut-llm-block/attention.js';
import { lutLlmBlockConfig, lutLlmBlockShape, type LutLlmBlockConfig } from '../../../generators/lut-llm-block/config.js';
import { attentionPhaseCycles, blockCycleModelMismatches, blockPhaseCycles, normPhaseCycles, qkPhaseCycles, type MeasuredBlockRun } from '../../../generators/lut-llm-block/cycle-model.js';
import { engineRoundCycles } from '../../../generators/lut-llm-block/engine-round.js';
import { PROJECTIONS } from '../../../generators/lut-llm-block/config.js';
import { lutLlmCycleBudget } from '../../../generators/lut-llm/cycle-budget.js';
import { runLutLlmBlock } from '../../../host/lut-llm-block/run-block.js';
import { TINY_DIMS, TINY_ENGINE, tinyBlock } from '../../fixtures/tiny-block.js';
import { FAST_TIER } from '../../test-tiers.js';

const REGRESS = !['', '0', undefined].includes(process.env['LUTFORGE_REGRESS']);

/** hidden 64, 4 heads of 16, 2 KV heads, I 128; engine ca 16, cw 16, groups of 16, 8 lanes (2 chunks). */
const SHAPE_A = lutLlmBlockConfig.parse({
  hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16, ropeTheta: 10000, rmsEps: 1e-6, maxSeq: 16, maxT: 8,
  engine: { v: 2, ca: 16, cw: 16, groupCols: 16, lookupsPerCycle: 8, tableBits: 8, distance: 'linf', positionsPerCycle: 1 },
});
/** hidden 68 (a ragged last chunk in o and down), 2 heads of 32, 1 KV head, I 96; 2 positions per cycle, 4 chunks. */
const SHAPE_B = lutLlmBlockConfig.parse({
  hidden: 68, intermediate: 96, heads: 2, kvHeads: 1, headDim: 32, ropeTheta: 10000, rmsEps: 1e-6, maxSeq: 8, maxT: 4,
  engine: { v: 2, ca: 16, cw: 16, groupCols: 32, lookupsPerCycle: 8, tableBits: 8, distance: 'linf', positionsPerCycle: 2 },
});

/** The block tests' tiny block (tb/fixtures/tiny-block.ts): groups of 8 columns, 8 lanes (1 chunk), cw 8. */
const TESTS_SHAPE = lutLlmBlockConfig.parse({ ...TINY_DIMS, maxT: 4, engine: TINY_ENGINE });

const phases = (values: readonly number[]): MeasuredBlockRun['phases'] => {
  const [load, norm_in, qkv, qk, attn, o, norm_post, gate_up, silu, down, out] = values as [number, number, number, number, number, number, number, number, number, number, number];
  return { load, norm_in, qkv, qk, attn, o, norm_post, gate_up, silu, down, out };
};

/**
 * Counters the simulated block (Verilator, runLutLlmBlock) reported, in phase order load, norm_in,
 * qkv, qk, attn, o, norm_post, gate_up, silu, down, out.
 */
const MEASURED: readonly { readonly config: LutLlmBlockConfig; readonly runs: readonly MeasuredBlockRun[] }[] = [
  {
    config: SHAPE_A,
    runs: [
      { tokens: 1, firstPosition: 0, phases: phases([65, 137, 586, 234, 280, 330, 137, 1098, 263, 618, 66]) },
      { tokens: 1, firstPosition: 3, phases: phases([65, 137, 586, 234, 700, 330, 137, 1098, 263, 618, 66]) },
      { tokens: 2, firstPosition: 0, phases: phases([129, 206, 1154, 424, 696, 642, 206, 2178, 519, 1218, 130]) },
      { tokens: 4, firstPosition: 0, phases: phases([257, 344, 2496, 804, 1948, 1344, 344, 4800, 1031, 2496, 258]) },
      { tokens: 8, firstPosition: 0, phases: phases([513, 620, 5171, 1564, 6132, 2739, 620, 10035, 2055, 5043, 514]) },
    ],
  },
  {
    config: SHAPE_B,
    runs: [
      { tokens: 3, firstPosition: 0, phases: phases([205, 291, 1236, 697, 1204, 715, 291, 1772, 583, 987, 206]) },
      { tokens: 1, firstPosition: 3, phases: phases([69, 145, 366, 283, 672, 249, 145, 502, 199, 361, 70]) },
      { tokens: 1, firstPosition: 4, phases: phases([69, 145, 366, 283, 806, 249, 145, 502, 199, 361, 70]) },
    ],
  },
  {
    config: TESTS_SHAPE,
    runs: [
      { tokens: 4, firstPosition: 0, phases: phases([257, 344, 2369, 804, 1948, 1345, 344, 4417, 1031, 2625, 258]) },
      { tokens: 1, firstPosition: 4, phases: phases([65, 137, 605, 234, 840, 349, 137, 1117, 263, 669, 66]) },
      { tokens: 1, firstPosition: 5, phases: phases([65, 137, 605, 234, 980, 349, 137, 1117, 263, 669, 66]) },
    ],
  },
];

describe('the block cycle model', () => {
  it('predicts every counter Verilator measured on three block shapes, prefill and decode', () => {
    for (const { config, runs } of MEASURED) expect(blockCycleModelMismatches(config, runs)).toEqual([]);
  });

  it('names the run and the phase where a counter differs', () => {
    const run = MEASURED[0]!.runs[0]!;
    expect(blockCycleModelMismatches(SHAPE_A, [run, { ...run, phases: { ...run.phases, qk: run.phases.qk + 1 } }])).toEqual([{ run: 1, phase: 'qk', model: 234, measured: 235 }]);
  });

  it('adds n + 5 cycles per further vector in a norm phase, and a fixed period per token in QK', () => {
    expect(normPhaseCycles(64, 1)).toBe(2 * 64 + 9);
    expect(normPhaseCycles(64, 5) - normPhaseCycles(64, 4)).toBe(64 + 5);
    // Per token: k through its norm and RoPE into the cache, v after it, q through its norm.
    const { headDim: D, heads: NH, kvHeads: NKV } = SHAPE_A;
    const period = 4 * D + 10 + (NKV + NH - 2) * (D + 5) + NKV * D;
    expect(qkPhaseCycles(SHAPE_A, 3) - qkPhaseCycles(SHAPE_A, 2)).toBe(period);
    expect(qkPhaseCycles(SHAPE_A, 1)).toBe(period + 2 * D + 12);
  });

  it('sums the attention kernel per token at its position, and only attention depends on the position', () => {
    expect(attentionPhaseCycles(SHAPE_A, 3, 5)).toBe(4 + [5, 6, 7].reduce((sum, p) => sum + attentionCyclesPerToken(SHAPE_A, p), 0));
    const early = blockPhaseCycles(SHAPE_A, 1, 0);
    const late = blockPhaseCycles(SHAPE_A, 1, 9);
    expect(late.attn - early.attn).toBe(9 * SHAPE_A.heads * (2 * SHAPE_A.headDim + 3));
    expect({ ...late, attn: 0 }).toEqual({ ...early, attn: 0 });
  });

  it('replays the engine round with the lookup steps of the engine budget and the block feed', () => {
    const shape = lutLlmBlockShape(SHAPE_A);
    for (const T of [1, 3]) {
      for (const p of PROJECTIONS) {
        const { K, N } = shape.rounds[p];
        const round = engineRoundCycles(shape.engine, shape.rounds[p], T);
        const budget = lutLlmCycleBudget(shape.engine, { T, P: K / shape.engine.v, N, G: Math.ceil(N / shape.engine.groupCols) });
        expect(round.steps).toBe(budget.ideal + budget.idleLanes);
        // The first act beat is 2 words and a cycle to hand it over, then the search (13 cycles) and a cycle to issue.
        expect(round.fill).toBe(2 + 1 + 13 + 1);
        expect(round.cycles).toBe(round.fill + round.steps + round.waits + round.collectorStalls + round.tail);
      }
    }
  });

  it('stalls the lookups only when a column group ends with more beats than the registers behind it hold', () => {
    const shape = lutLlmBlockShape(SHAPE_A);
    // 2 chunks per token: 2 beats a group at T = 1 never stall. At T = 8, 16 beats do at each of
    // the 7 group boundaries: the collector takes a beat every 9 cycles, the lookups advance one
    // step per beat taken, so 8 cycles are lost per beat beyond the 4 the registers hold; group 0's
    // beats, spread out by the feed, lose more (the counters above agree).
    expect(engineRoundCycles(shape.engine, shape.rounds.qkv, 1).collectorStalls).toBe(0);
    const late = engineRoundCycles(shape.engine, shape.rounds.qkv, 8).collectorStalls;
    expect(late).toBeGreaterThanOrEqual(7 * 8 * (16 - 4));
    expect(engineRoundCycles(shape.engine, shape.rounds.qkv, 4).collectorStalls).toBeGreaterThanOrEqual(7 * 8 * (8 - 4));
  });
});

describe.skipIf(FAST_TIER || !REGRESS)('the block cycle model against the simulated block', () => {
  it('predicts every counter of a prefill and two decode steps of the tiny block', async () => {
    const { files, x } = tinyBlock();
    const result = await runLutLlmBlock(TESTS_SHAPE, files.model, x.subarray(0, 6 * TINY_DIMS.hidden), [4, 1, 1]);
    expect(blockCycleModelMismatches(TESTS_SHAPE, result.runs)).toEqual([]);
  }, 600_000);
});
