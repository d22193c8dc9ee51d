// DSL designs shared by the simulator-driver tests: small, but covering what the stream and
// interactive drivers must get right (several data leaves, signed and >64-bit leaves,
// backpressure, a design that never answers).

import { Bundle, defineModule, emitVerilog, SInt, Stream, UInt } from '../../dsl/index.js';
import { counter, fifo, streamStage } from '../../dsl/lib/index.js';
import type { EmittedDesign } from '../../dsl/design.js';

/** The registry's FIFO example at 12 bits, depth 4. */
export const fifo12: EmittedDesign = emitVerilog(fifo({ width: 12, depth: 4 }));

/** A register slice on a stream of {a: SInt(5), b: UInt(70)}: two leaves, one signed, one wide. */
export const sliceWide: EmittedDesign = emitVerilog(
  defineModule('slice_wide', (m) => {
    const shape = Bundle({ a: SInt(5), b: UInt(70) });
    const input = m.input('in', Stream(shape));
    const output = m.output('out', Stream(shape));
    streamStage(m, 'stage', input, output);
    return { input, output };
  }),
);

/** Takes an input beat only every third cycle and emits it plus one: exercises backpressure. */
export const slowIncrement: EmittedDesign = emitVerilog(
  defineModule('slow_increment', (m) => {
    const input = m.input('in', Stream(UInt(8)));
    const output = m.output('out', Stream(UInt(9)));
    const phase = counter(m, 'phase', 3, {});
    input.ready.assign(phase.wrap);
    output.valid.assign(input.valid.and(phase.wrap));
    output.data.assign(input.data.add(1));
    return { input, output };
  }),
);

/** Accepts everything and never produces a beat. */
export const blackHole: EmittedDesign = emitVerilog(
  defineModule('black_hole', (m) => {
    const input = m.input('in', Stream(UInt(8)));
    const output = m.output('out', Stream(UInt(8)));
    const seen = m.reg('seen', UInt(8), { init: 0 });
    m.when(input.valid, () => seen.assign(input.data));
    input.ready.assign(1);
    output.valid.assign(0);
    output.data.assign(seen);
    return { input, output };
  }),
);
