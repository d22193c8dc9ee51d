import { describe, expect, it } from 'vitest';
import type { EmittedDesign } from '../../dsl/design.js';
import { icarusCompile } from '../../sim/icarus.js';
import { counter, negator, syntaxError, wideAdder } from '../fixtures/designs.js';

/** Icarus compiles this (exit 0) but warns: a constant select past the end of a vector. */
const outOfRangeSelect: EmittedDesign = {
  top: 'select_past_end',
  modules: [
    {
      name: 'select_past_end',
      fileName: 'select_past_end.v',
      text: `module select_past_end (
  input wire [7:0] a,
  output wire y
);
  assign y = a[9];
endmodule
`,
    },
  ],
  ports: [
    { name: 'a', direction: 'input', width: 8, signed: false, role: 'data' },
    { name: 'y', direction: 'output', width: 1, signed: false, role: 'data' },
  ],
};

describe('icarusCompile', () => {
  it('compiles clean designs, including multi-module ones, without a word', async () => {
    for (const design of [counter, wideAdder, negator]) {
      expect(await icarusCompile(design)).toEqual({ ok: true, messages: '' });
    }
  });

  it('reports syntax errors with file and line', async () => {
    const result = await icarusCompile(syntaxError);
    expect(result.ok).toBe(false);
    expect(result.messages).toMatch(/broken\.v:5: syntax error/);
  });

  it('treats a warning as not ok even though iverilog exits 0', async () => {
    const result = await icarusCompile(outOfRangeSelect);
    expect(result.ok).toBe(false);
    expect(result.messages).toMatch(/select_past_end\.v:5: warning: Constant bit select \[9\]/);
  });

  it('reports a missing top module', async () => {
    const result = await icarusCompile({ ...counter, top: 'no_such_module' });
    expect(result.ok).toBe(false);
    expect(result.messages).toContain('no_such_module');
  });
});
