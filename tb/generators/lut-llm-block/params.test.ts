// The kernels' parameters: the smallest sizes elaborate (a single value, a single pair, one
// position), and parameters no kernel can be built for are refused with a line naming them.

import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../../../dsl/index.js';
import { attentionParams } from '../../../generators/lut-llm-block/attention.js';
import { buildLutLlmBlock } from '../../../generators/lut-llm-block/block.js';
import { lutLlmBlockConfig } from '../../../generators/lut-llm-block/config.js';
import { buildRmsnorm, buildRope, float32Bits, ropeAngles } from '../../../generators/lut-llm-block/index.js';

describe('lut-llm-block kernel parameters', () => {
  it('builds the smallest kernels: rmsnorm of 1 value, rope of one pair at one position', () => {
    expect(emitVerilog(buildRmsnorm({ length: 1, eps: 0 })).top).toBe('lut_llm_rmsnorm');
    expect(emitVerilog(buildRope({ headDim: 2, theta: 10_000, maxSeq: 1 })).top).toBe('lut_llm_rope');
    expect(emitVerilog(buildRope({ headDim: 6, theta: 10_000, maxSeq: 5 })).top).toBe('lut_llm_rope');
  });

  it('refuses lengths, head dimensions, thetas, eps and head counts it cannot use', () => {
    expect(() => buildRmsnorm({ length: 0, eps: 1e-6 })).toThrow(/rmsnorm: length must be a positive integer, got 0/);
    expect(() => buildRmsnorm({ length: 8, eps: Number.NaN })).toThrow(/rmsnorm: eps/);
    expect(() => buildRope({ headDim: 7, theta: 1e4, maxSeq: 4 })).toThrow(/rope: headDim must be an even integer/);
    expect(() => buildRope({ headDim: 8, theta: 0, maxSeq: 4 })).toThrow(/rope: theta/);
    expect(() => buildRope({ headDim: 8, theta: 1e4, maxSeq: 0 })).toThrow(/rope: maxSeq/);
    expect(() => attentionParams.parse({ heads: 3, kvHeads: 2, headDim: 8, maxSeq: 8 })).toThrow(/multiple of kvHeads/);
  });

  it('rounds its constants once from float64: position 0 is (1, 0), pair 0 turns by one radian per position', () => {
    expect(ropeAngles({ headDim: 8, theta: 1e4, maxSeq: 4 }, 0, 3)).toEqual({ cos: 0x3f800000, sin: 0 });
    expect(ropeAngles({ headDim: 8, theta: 1e4, maxSeq: 4 }, 3, 0)).toEqual({ cos: float32Bits(Math.cos(3)), sin: float32Bits(Math.sin(3)) });
    expect(float32Bits(1 / 3)).toBe(0x3eaaaaab);
    expect(float32Bits(Number.NaN)).toBe(0x7fc00000);
  });
});

describe('lut-llm-block sizes at their edges', () => {
  // Found by the fuzzer: constants one past a counter's range (a head that fills the query
  // memory, a row as long as a buffer with maxT 1, one cache row with maxSeq 1).
  it.each([
    { heads: 1, kvHeads: 1 },
    { maxT: 1 },
    { heads: 1, kvHeads: 1, maxSeq: 1, maxT: 1 },
  ])('elaborates the block with %o', (sizes) => {
    expect(emitVerilog(buildLutLlmBlock(lutLlmBlockConfig.parse(sizes))).top).toBe('lut_llm_block');
  });

  it('refuses an engine the block cannot build with a line naming the engine key', () => {
    const parsed = lutLlmBlockConfig.safeParse({ headDim: 8, engine: { groupCols: 8 } });
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['engine.lookupsPerCycle', 'lookupsPerCycle must divide groupCols (a lookup beat never straddles two column groups)'],
    ]);
  });
});
