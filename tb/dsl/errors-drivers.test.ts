// DSL errors: UndrivenError and MultipleDriverError (checked when a module body returns) and
// NotAssignableError. Undriven signals are reported at their declaration, the others at the
// offending assignment. Combinational loops are in errors-loops.
// The harness is error-harness.ts.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here } from './error-harness.js';
import {
  Bool,
  defineModule,
  MultipleDriverError,
  NotAssignableError,
  Stream,
  UInt,
  UndrivenError,
} from '../../dsl/index.js';

const { relFile, expectReport } = errorReporter(import.meta.url);

// ---- child modules ---------------------------------------------------------------------------------------

/** y = a + 1, combinationally: y depends on a without a register. */
const combChild = defineModule('comb_child', (m) => {
  const a = m.input('a', UInt(8));
  const y = m.output('y', UInt(8));
  y.assign(a.addWrap(1));
  return { a, y };
});

// ---- UndrivenError -----------------------------------------------------------------------------------------

describe('UndrivenError (reported at the declaration)', () => {
  it('an output that is never driven', () => {
    let line = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('undriven_output', (m) => {
        const a = m.input('a', UInt(8));
        line = here(); const o = m.output('o', UInt(8));
        return { a, o };
      }),
    );
    expectReport(error, line, ["output 'o'", '8-bit unsigned', 'never driven']);
  });

  it('a wire that is never driven', () => {
    let line = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('undriven_wire', (m) => {
        const o = m.output('o', UInt(4));
        line = here(); const w = m.wire('w', UInt(4));
        o.assign(w);
        return { o };
      }),
    );
    expectReport(error, line, ["wire 'w'", '4-bit unsigned', 'never driven']);
  });

  it('a wire driven only inside a when, with no otherwise', () => {
    let line = 0;
    let assignedAt = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('latch_when', (m) => {
        const en = m.input('en', Bool);
        const o = m.output('o', UInt(4));
        line = here(); const w = m.wire('w', UInt(4));
        m.when(en, () => {
          assignedAt = here(); w.assign(3);
        });
        o.assign(w);
        return { en, o };
      }),
    );
    expectReport(error, line, ["wire 'w'", 'not driven on every path', `${relFile}:${assignedAt}`]);
  });

  it('an output driven in when and elseWhen branches but no otherwise', () => {
    let line = 0;
    let assignedAt = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('latch_elsewhen', (m) => {
        const a = m.input('a', Bool);
        const b = m.input('b', Bool);
        line = here(); const o = m.output('o', UInt(2));
        m.when(a, () => {
          assignedAt = here(); o.assign(1);
        }).elseWhen(b, () => o.assign(2));
        return { a, b, o };
      }),
    );
    expectReport(error, line, ["output 'o'", 'not driven on every path', `${relFile}:${assignedAt}`]);
  });

  it('a wire driven in the when branch but not in the otherwise branch', () => {
    let line = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('latch_otherwise', (m) => {
        const en = m.input('en', Bool);
        const o = m.output('o', UInt(4));
        line = here(); const w = m.wire('w', UInt(4));
        o.assign(0);
        m.when(en, () => w.assign(1)).otherwise(() => o.assign(w));
        return { en, o };
      }),
    );
    expectReport(error, line, ["wire 'w'", 'not driven on every path']);
  });

  it('a switch without default that does not cover every value', () => {
    let line = 0;
    let assignedAt = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('latch_switch', (m) => {
        const sel = m.input('sel', UInt(2));
        const o = m.output('o', UInt(4));
        line = here(); const w = m.wire('w', UInt(4));
        m.switch(sel)
          .is(0, () => {
            assignedAt = here(); w.assign(1);
          })
          .is([1, 2], () => w.assign(2));
        o.assign(w);
        return { sel, o };
      }),
    );
    expectReport(error, line, ["wire 'w'", 'not driven on every path', `${relFile}:${assignedAt}`, 'default']);
  });

  it('a register that is never assigned', () => {
    let line = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('undriven_reg', (m) => {
        const o = m.output('o', UInt(8));
        line = here(); const r = m.reg('r', UInt(8), { init: 0 });
        o.assign(r);
        return { o };
      }),
    );
    expectReport(error, line, ["register 'r'", '8-bit unsigned', 'never assigned']);
  });

  it('an instance input left unconnected (reported at the instance)', () => {
    let line = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('undriven_instin', (m) => {
        const o = m.output('o', UInt(8));
        line = here(); const u = m.instance(combChild, 'u0');
        o.assign(u.io.y);
        return { o };
      }),
    );
    expectReport(error, line, ["instance input 'u0_a'", '8-bit unsigned', 'never driven']);
  });

  it("the flipped ready of an input stream, which is an output", () => {
    let line = 0;
    const error = expectHdlError(UndrivenError, () =>
      defineModule('undriven_ready', (m) => {
        line = here(); const inp = m.input('inp', Stream(UInt(8)));
        return { inp };
      }),
    );
    expectReport(error, line, ["output 'inp_ready'", '1-bit unsigned', 'never driven']);
  });

  it('accepts: a default before a conditional override, and switches that are complete', () => {
    expect(() =>
      defineModule('driven_ok', (m) => {
        const en = m.input('en', Bool);
        const sel = m.input('sel', UInt(1));
        const o = m.output('o', UInt(4));
        const p = m.output('p', UInt(4));
        const q = m.output('q', UInt(4));
        o.assign(0);
        m.when(en, () => o.assign(1));
        m.switch(sel)
          .is(0, () => p.assign(1))
          .is(1, () => p.assign(2));
        m.switch(sel)
          .is(0, () => q.assign(1))
          .default(() => q.assign(2));
        return { en, sel, o, p, q };
      }),
    ).not.toThrow();
  });
});

// ---- MultipleDriverError --------------------------------------------------------------------------------------

describe('MultipleDriverError (reported at the overriding assignment)', () => {
  it('the same output assigned twice unconditionally', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(MultipleDriverError, () =>
      defineModule('two_drivers', (m) => {
        const a = m.input('a', UInt(8));
        const o = m.output('o', UInt(8));
        first = here(); o.assign(a);
        line = here(); o.assign(0);
        return { a, o };
      }),
    );
    expectReport(error, line, ["'o'", 'always overrides', `${relFile}:${first}`]);
  });

  it('a when-assignment followed by an unconditional one', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(MultipleDriverError, () =>
      defineModule('when_then_always', (m) => {
        const en = m.input('en', Bool);
        const w = m.wire('w', UInt(8));
        const o = m.output('o', UInt(8));
        m.when(en, () => {
          first = here(); w.assign(1);
        });
        line = here(); w.assign(2);
        o.assign(w);
        return { en, o };
      }),
    );
    expectReport(error, line, ["'w'", 'always overrides', `${relFile}:${first}`]);
  });

  it('two unconditional assignments inside one when branch', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(MultipleDriverError, () =>
      defineModule('twice_in_branch', (m) => {
        const en = m.input('en', Bool);
        const o = m.output('o', UInt(8));
        o.assign(0);
        m.when(en, () => {
          first = here(); o.assign(1);
          line = here(); o.assign(2);
        });
        return { en, o };
      }),
    );
    expectReport(error, line, ["'o'", `${relFile}:${first}`]);
  });

  it('an instance input assigned twice', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(MultipleDriverError, () =>
      defineModule('instin_twice', (m) => {
        const a = m.input('a', UInt(8));
        const o = m.output('o', UInt(8));
        const u = m.instance(combChild, 'u0');
        first = here(); u.io.a.assign(a);
        line = here(); u.io.a.assign(1);
        o.assign(u.io.y);
        return { a, o };
      }),
    );
    expectReport(error, line, ["'u0_a'", `${relFile}:${first}`]);
  });
});

// ---- NotAssignableError --------------------------------------------------------------------------------------

describe('NotAssignableError', () => {
  it('assigning an input port', () => {
    let line = 0;
    const error = expectHdlError(NotAssignableError, () =>
      defineModule('assign_input', (m) => {
        const a = m.input('a', UInt(8));
        line = here(); a.assign(0);
        return { a };
      }),
    );
    expectReport(error, line, ["'a'", 'input port']);
  });

  it('assigning an instance output', () => {
    let line = 0;
    const error = expectHdlError(NotAssignableError, () =>
      defineModule('assign_instout', (m) => {
        const a = m.input('a', UInt(8));
        const u = m.instance(combChild, 'u0');
        u.io.a.assign(a);
        line = here(); u.io.y.assign(a);
        return { a };
      }),
    );
    expectReport(error, line, ["'u0_y'", 'instance output']);
  });

  it('assigning memory read data', () => {
    let line = 0;
    const error = expectHdlError(NotAssignableError, () =>
      defineModule('assign_memread', (m) => {
        const addr = m.input('addr', UInt(2));
        const mem = m.memory('mem', { shape: UInt(8), depth: 4 });
        const data = mem.read(addr);
        line = here(); data.assign(0);
        return { addr };
      }),
    );
    expectReport(error, line, ["'mem_rdata'", 'memory read data']);
  });
  it('assigning the flipped ready of an output stream, which is an input', () => {
    let line = 0;
    const error = expectHdlError(NotAssignableError, () =>
      defineModule('assign_ready', (m) => {
        const out = m.output('out', Stream(UInt(8)));
        out.valid.assign(0);
        out.data.assign(0);
        line = here(); out.ready.assign(1);
        return { out };
      }),
    );
    expectReport(error, line, ["'out_ready'", 'input port']);
  });
});
