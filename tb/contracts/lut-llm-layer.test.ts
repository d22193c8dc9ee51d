// The scale-group rule of a LUT-LLM layer (contracts/lut-llm-layer.ts): which S the quantizer, the
// layer reader, the host packing and the golden model all accept.

import { describe, expect, it } from 'vitest';
import { scaleGroupOf, scaleGroupProblem } from '../../contracts/lut-llm-layer.js';

describe('scaleGroupProblem', () => {
  it('takes S dividing N into whole column groups, and S = 1 with a ragged last group', () => {
    expect(scaleGroupProblem(4096, 128, 32)).toBeUndefined();
    expect(scaleGroupProblem(1000, 512, 1)).toBeUndefined();
    expect(scaleGroupProblem(12, 4, 3)).toBeUndefined();
    expect(scaleGroupProblem(12, 4, 5)).toBe('S = 5 scale groups do not divide N = 12 columns');
    expect(scaleGroupProblem(12, 4, 6)).toMatch(/^S = 6 scale groups of N \/ S = 2 columns are not whole column groups of groupCols = 4/);
    expect(scaleGroupProblem(12, 4, 0)).toMatch(/must be a positive integer/);
  });

  it('puts column n in scale group floor(n / (N / S))', () => {
    expect([0, 127, 128, 4095].map((n) => scaleGroupOf(n, 4096, 32))).toEqual([0, 0, 1, 31]);
    expect(scaleGroupOf(999, 1000, 1)).toBe(0);
  });
});
