// The decoder block in Verilator against the golden block, bit for bit: a prefill followed by
// decode steps (the cache filled by earlier runs), the same tokens decoded one at a time, and
// NaN/infinities in X. One Verilator build serves every run.

import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../../../api/index.js';
import { OperandError } from '../../../contracts/matmul-operands.js';
import { buildLutLlmBlock } from '../../../generators/lut-llm-block/block.js';
import { lutLlmBlockConfig, type LutLlmBlockConfig } from '../../../generators/lut-llm-block/config.js';
import { packLutLlmBlock } from '../../../generators/lut-llm-block/pack.js';
import { PROFILED_PHASES } from '../../../generators/lut-llm-block/phases.js';
import { attentionCyclesPerToken } from '../../../generators/lut-llm-block/attention.js';
import { blockCycleModelMismatches } from '../../../generators/lut-llm-block/cycle-model.js';
import { goldenBlock } from '../../../golden/lut-llm-block.js';
import { runLutLlmBlock } from '../../../host/lut-llm-block/run-block.js';
import { FAST_TIER } from '../../test-tiers.js';
import { formatLintReport, lintEverywhere } from '../../lint.js';
import { TINY_BLOCK_CONFIG, TINY_DIMS, TINY_ENGINE, tinyBlock } from '../../fixtures/tiny-block.js';

const CONFIG: LutLlmBlockConfig = TINY_BLOCK_CONFIG;
const H = TINY_DIMS.hidden;

function bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/** Index of the first word where the two differ, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const [x, y] = [bits(a), bits(b)];
  if (x.length !== y.length) return 0;
  return x.findIndex((word, i) => word !== y[i]);
}

describe('lut-llm-block configuration and packing', () => {
  it('refuses dimensions the block cannot hold, naming the key', () => {
    expect(lutLlmBlockConfig.safeParse({ ...TINY_DIMS, heads: 3, engine: TINY_ENGINE }).error?.issues[0]?.path).toEqual(['heads']);
    expect(lutLlmBlockConfig.safeParse({ ...TINY_DIMS, engine: { ...TINY_ENGINE, groupCols: 32, lookupsPerCycle: 8 } }).error?.issues[0]?.path).toEqual(['engine', 'groupCols']);
    expect(lutLlmBlockConfig.safeParse({ ...TINY_DIMS, maxT: 32, engine: TINY_ENGINE }).error?.issues[0]?.path).toEqual(['maxT']);
  });

  it('packs the norm weights once and each run with its four rounds', () => {
    const { files, x } = tinyBlock();
    const packed = packLutLlmBlock(CONFIG, files.model, x.subarray(0, 3 * H), [2, 1]);
    expect(packed.inputs['norms']).toHaveLength(2 * H + 2 * TINY_DIMS.headDim);
    expect(packed.inputs['run']).toEqual([[2n], [1n]]);
    expect(packed.inputs['cmd']).toHaveLength(8);
    expect(packed.expect).toEqual({ y: 3 * H, profile: 2 });
  });

  it('refuses runs past maxT or past the cache', () => {
    const { files, x } = tinyBlock();
    expect(() => packLutLlmBlock(CONFIG, files.model, x.subarray(0, 5 * H), [5])).toThrow(/maxT = 4/);
    const long = new Float32Array(17 * H);
    expect(() => packLutLlmBlock(CONFIG, files.model, long, [4, 4, 4, 4, 1])).toThrow(OperandError);
  });
});

describe.skipIf(FAST_TIER)('lut-llm-block in Verilator', () => {
  const T = 6;

  it('is lint-clean in Verilator, Icarus and Yosys', async () => {
    const report = await lintEverywhere(emitVerilog(buildLutLlmBlock(CONFIG)));
    expect(report.ok, formatLintReport(report)).toBe(true);
  }, 300_000);

  it('matches the golden block bit for bit, in prefill then decode and in decode alone', async () => {
    const { files, x } = tinyBlock();
    const tokens = x.subarray(0, T * H);
    const golden = goldenBlock(files.model, tokens).y;
    const prefill = await runLutLlmBlock(CONFIG, files.model, tokens, [4, 1, 1]);
    expect(firstDifference(prefill.y, golden)).toBe(-1);
    const decode = await runLutLlmBlock(CONFIG, files.model, tokens, [1, 1, 1, 1, 1, 1]);
    expect(firstDifference(decode.y, prefill.y)).toBe(-1);

    // The hardware's counters: per decode step, attention grows by the kernel's cycles per
    // position; the other phases do not depend on the position.
    const steps = decode.runs.map((run) => run.phases);
    for (let p = 1; p < T; p++) {
      const growth = attentionCyclesPerToken(CONFIG, p) - attentionCyclesPerToken(CONFIG, p - 1);
      expect(steps[p]!.attn - steps[p - 1]!.attn).toBe(growth);
      for (const phase of PROFILED_PHASES.filter((name) => name !== 'attn')) expect(steps[p]![phase]).toBe(steps[0]![phase]);
    }
    expect(decode.runs.map((run) => run.firstPosition)).toEqual([0, 1, 2, 3, 4, 5]);
    // Every counter of every run, as the cycle model predicts it.
    expect(blockCycleModelMismatches(CONFIG, [...prefill.runs, ...decode.runs])).toEqual([]);
  }, 600_000);

  it('propagates NaN and infinities in X as the golden block does', async () => {
    const { files, x } = tinyBlock();
    const tokens = x.slice(0, 3 * H);
    tokens[H + 5] = Number.NaN;
    tokens[2 * H + 1] = Number.POSITIVE_INFINITY;
    const golden = goldenBlock(files.model, tokens).y;
    const run = await runLutLlmBlock(CONFIG, files.model, tokens, [3]);
    expect(firstDifference(run.y, golden)).toBe(-1);
    // The norms turn the bad token's whole row into NaN, but each engine round starts with a
    // nearest-centroid search, whose strict "less than" never takes a NaN distance: the rounds
    // give finite values and the cache stays finite. What reaches y is the residual path: NaN at
    // token 1, channel 5, +inf at token 2, channel 1, nothing else.
    const bad = Array.from(run.y, (value, i) => (Number.isFinite(value) ? -1 : i)).filter((i) => i >= 0);
    expect(bad).toEqual([H + 5, 2 * H + 1]);
    expect(run.y[H + 5]).toBeNaN();
    expect(run.y[2 * H + 1]).toBe(Number.POSITIVE_INFINITY);
  }, 600_000);
});
