// The decoder block kernels' Verilog: clean under Verilator -Wall, Icarus and Yosys at the sizes
// the simulations use and at the smallest or odd ones (one value, one pair at one position, a
// non-power-of-two head and maxSeq), all in one batch; and the same bytes for the same parameters.

import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../../../dsl/index.js';
import { buildRmsnorm, buildRope, buildSiluMul } from '../../../generators/lut-llm-block/index.js';
import { formatLintReport, lintEverywhereMany } from '../../lint.js';

describe('lut-llm-block kernel Verilog', () => {
  it('is clean under verilator -Wall, iverilog and yosys check', async () => {
    const designs = {
      'rmsnorm n 16': buildRmsnorm({ length: 16, eps: 1e-6 }),
      'rmsnorm n 1': buildRmsnorm({ length: 1, eps: 1e-5 }),
      'rope D 16, maxSeq 16': buildRope({ headDim: 16, theta: 1e6, maxSeq: 16 }),
      'rope D 6, maxSeq 5': buildRope({ headDim: 6, theta: 1e4, maxSeq: 5 }),
      'silu-mul': buildSiluMul(),
    };
    const reports = await lintEverywhereMany(Object.values(designs).map((def) => emitVerilog(def)));
    Object.keys(designs).forEach((name, i) => expect(reports[i]!.ok, `${name}\n${formatLintReport(reports[i]!)}`).toBe(true));
  });

  it('is the same bytes for the same parameters', () => {
    const first = emitVerilog(buildRope({ headDim: 8, theta: 1e4, maxSeq: 4 }));
    const second = emitVerilog(buildRope({ maxSeq: 4, theta: 1e4, headDim: 8 }));
    expect(second.modules.map((module) => module.text)).toEqual(first.modules.map((module) => module.text));
  });
});
