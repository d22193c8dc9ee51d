// DSL errors: CombinationalLoopError, checked when a module body returns, including loops that
// run through submodules; and feedback through registers, which is not a loop.
// The harness is error-harness.ts: `line = here(); offendingCall();`
// records the line of the offending call, and every error must point at it.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here } from './error-harness.js';
import {
  Bool,
  CombinationalLoopError,
  defineModule,
  UInt,
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

/** y = a delayed by a register: no combinational path from a to y. */
const regChild = defineModule('reg_child', (m) => {
  const a = m.input('a', UInt(8));
  const y = m.output('y', UInt(8));
  const r = m.reg('r', UInt(8), { init: 0 });
  r.assign(a);
  y.assign(r);
  return { a, y };
});

// ---- CombinationalLoopError --------------------------------------------------------------------------------

describe('CombinationalLoopError', () => {
  // A loop has no single offending call: it is reported at the declaration of one of its signals,
  // and the message lists every signal of the loop with its declaration.
  it('a wire that depends on itself through another wire', () => {
    let aLine = 0;
    let bLine = 0;
    const error = expectHdlError(CombinationalLoopError, () =>
      defineModule('loop_wires', (m) => {
        const x = m.input('x', UInt(8));
        const o = m.output('o', UInt(8));
        aLine = here(); const a = m.wire('a', UInt(8));
        bLine = here(); const b = m.wire('b', UInt(8));
        a.assign(b.xor(x));
        b.assign(a);
        o.assign(b);
        return { x, o };
      }),
    );
    expect([aLine, bLine]).toContain(error.loc?.line);
    expectReport(error, error.loc?.line ?? 0, [
      "module 'loop_wires'",
      `'a' (${relFile}:${aLine})`,
      `'b' (${relFile}:${bLine})`,
      'register',
    ]);
    expect(error.detail).not.toContain("'x'");
  });

  it('a wire that depends on itself directly', () => {
    let line = 0;
    const error = expectHdlError(CombinationalLoopError, () =>
      defineModule('loop_self', (m) => {
        const o = m.output('o', UInt(8));
        line = here(); const w = m.wire('w', UInt(8));
        w.assign(w.addWrap(1));
        o.assign(w);
        return { o };
      }),
    );
    expectReport(error, line, [`'w' (${relFile}:${line}) -> 'w'`]);
  });

  it('a loop through a when condition', () => {
    let busyLine = 0;
    let nextLine = 0;
    const error = expectHdlError(CombinationalLoopError, () =>
      defineModule('loop_cond', (m) => {
        const o = m.output('o', Bool);
        busyLine = here(); const busy = m.wire('busy', Bool);
        nextLine = here(); const next = m.wire('next', Bool);
        next.assign(busy.not());
        m.when(next, () => busy.assign(1)).otherwise(() => busy.assign(0));
        o.assign(busy);
        return { o };
      }),
    );
    expect([busyLine, nextLine]).toContain(error.loc?.line);
    expectReport(error, error.loc?.line ?? 0, [`'busy' (${relFile}:${busyLine})`, `'next' (${relFile}:${nextLine})`]);
  });

  it('a loop through a switch selector', () => {
    let line = 0;
    const error = expectHdlError(CombinationalLoopError, () =>
      defineModule('loop_switch', (m) => {
        const o = m.output('o', UInt(1));
        line = here(); const state = m.wire('state', UInt(1));
        m.switch(state)
          .is(0, () => state.assign(1))
          .default(() => state.assign(0));
        o.assign(state);
        return { o };
      }),
    );
    expectReport(error, line, [`'state' (${relFile}:${line})`]);
  });

  it('a loop through a submodule (reported at the instance)', () => {
    let line = 0;
    const error = expectHdlError(CombinationalLoopError, () =>
      defineModule('loop_child', (m) => {
        const o = m.output('o', UInt(8));
        line = here(); const u = m.instance(combChild, 'u0');
        u.io.a.assign(u.io.y);
        o.assign(u.io.y);
        return { o };
      }),
    );
    expectReport(error, line, ["'u0_a'", "'u0_y'", `${relFile}:${line}`]);
  });

  it('a loop through two nested levels of submodules', () => {
    const wrapper = defineModule('comb_wrapper', (m) => {
      const a = m.input('a', UInt(8));
      const y = m.output('y', UInt(8));
      const inner = m.instance(combChild, 'inner');
      inner.io.a.assign(a);
      y.assign(inner.io.y);
      return { a, y };
    });
    let line = 0;
    const error = expectHdlError(CombinationalLoopError, () =>
      defineModule('loop_nested', (m) => {
        const o = m.output('o', UInt(8));
        line = here(); const u = m.instance(wrapper, 'u0');
        u.io.a.assign(u.io.y);
        o.assign(u.io.y);
        return { o };
      }),
    );
    expectReport(error, line, ["'u0_a'", "'u0_y'"]);
  });

  it("a loop through a submodule whose output depends on its input only through a when", () => {
    const condChild = defineModule('cond_child', (m) => {
      const a = m.input('a', UInt(8));
      const y = m.output('y', Bool);
      m.when(a.eq(0), () => y.assign(1)).otherwise(() => y.assign(0));
      return { a, y };
    });
    let line = 0;
    const error = expectHdlError(CombinationalLoopError, () =>
      defineModule('loop_child_cond', (m) => {
        const o = m.output('o', Bool);
        line = here(); const u = m.instance(condChild, 'u0');
        u.io.a.assign(u.io.y.zext(8));
        o.assign(u.io.y);
        return { o };
      }),
    );
    expectReport(error, line, ["'u0_a'", "'u0_y'"]);
  });

  it('does not report feedback through a register', () => {
    expect(() =>
      defineModule('feedback_reg', (m) => {
        const o = m.output('o', UInt(8));
        const count = m.reg('count', UInt(8), { init: 0 });
        const next = m.wire('next', UInt(8));
        next.assign(count.addWrap(1));
        count.assign(next);
        m.when(count.eq(0), () => o.assign(next)).otherwise(() => o.assign(count));
        return { o };
      }),
    ).not.toThrow();
  });

  it('does not report feedback through a submodule whose output is registered', () => {
    expect(() =>
      defineModule('feedback_child', (m) => {
        const o = m.output('o', UInt(8));
        const u = m.instance(regChild, 'u0');
        u.io.a.assign(u.io.y.addWrap(1));
        o.assign(u.io.y);
        return { o };
      }),
    ).not.toThrow();
  });

  it('does not report feedback through memory read data', () => {
    expect(() =>
      defineModule('feedback_mem', (m) => {
        const o = m.output('o', UInt(8));
        const mem = m.memory('mem', { shape: UInt(8), depth: 256 });
        const data = mem.read(m.node('addr', o));
        o.assign(data);
        return { o };
      }),
    ).not.toThrow();
  });
});
