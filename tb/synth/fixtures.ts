// Hand-written designs for the synthesis flow's bad-input tests: the DSL has no raw-Verilog
// escape and refuses to build latches, so these stand in for what a user could hand Yosys.

import type { EmittedDesign } from '../../dsl/design.js';

/** `q` keeps its value when `en` is low: a transparent latch, which `check -assert` misses. */
export const handWrittenLatch: EmittedDesign = {
  top: 'latch',
  modules: [
    {
      name: 'latch',
      fileName: 'latch.v',
      text: `module latch (
  input wire en,
  input wire d,
  output reg q
);
  always @(*) begin
    if (en) q = d;
  end
endmodule
`,
    },
  ],
  ports: [
    { name: 'en', direction: 'input', width: 1, signed: false, role: 'data' },
    { name: 'd', direction: 'input', width: 1, signed: false, role: 'data' },
    { name: 'q', direction: 'output', width: 1, signed: false, role: 'data' },
  ],
};
