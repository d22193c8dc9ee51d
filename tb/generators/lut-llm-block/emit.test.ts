// The decoder block kernels' Verilog: clean under Verilator -Wall, Icarus and Yosys at the sizes
// the simulations use and at the smallest or odd ones (one value, one pair at one position, a
// non-power-of-two head and maxSeq), all six side by side on one top so that each tool runs once;
// and the same bytes for the same parameters.

import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../../../dsl/index.js';
import { buildAttention, buildRmsnorm, buildRope, buildSiluMul } from '../../../generators/lut-llm-block/index.js';
import { formatLintReport, lintEverywhere } from '../../lint.js';
import { ATTENTION_PARAMS } from './attention-case.js';
import { sideBySide } from './kernel-harness.js';

describe('lut-llm-block kernel Verilog', () => {
  it('is clean under verilator -Wall, iverilog and yosys check', async () => {
    const kernels = {
      rmsnorm_n16: buildRmsnorm({ length: 16, eps: 1e-6 }),
      rmsnorm_n1: buildRmsnorm({ length: 1, eps: 1e-5 }),
      rope_d16_s16: buildRope({ headDim: 16, theta: 1e6, maxSeq: 16 }),
      rope_d6_s5: buildRope({ headDim: 6, theta: 1e4, maxSeq: 5 }),
      silu_mul: buildSiluMul(),
      attention: buildAttention(ATTENTION_PARAMS),
    };
    const design = emitVerilog(sideBySide('lut_llm_block_kernels_lint', kernels));
    // Every kernel's own module is in the one design (a kernel built twice gets a module per parameters).
    expect(design.modules.length).toBeGreaterThanOrEqual(Object.keys(kernels).length + 1);
    const report = await lintEverywhere(design);
    expect(report.ok, formatLintReport(report)).toBe(true);
  });

  it('is the same bytes for the same parameters', () => {
    const first = emitVerilog(buildRope({ headDim: 8, theta: 1e4, maxSeq: 4 }));
    const second = emitVerilog(buildRope({ maxSeq: 4, theta: 1e4, headDim: 8 }));
    expect(second.modules.map((module) => module.text)).toEqual(first.modules.map((module) => module.text));
  });
});
