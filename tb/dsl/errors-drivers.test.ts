// DSL errors, part 3: the checks that run when a module body returns (UndrivenError,
// MultipleDriverError, CombinationalLoopError) and NotAssignableError. Undriven signals are
// reported at their declaration; the other errors at the offending assignment.
// See errors.test.ts for the harness, which is repeated here.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Bool,
  CombinationalLoopError,
  defineModule,
  HdlError,
  MultipleDriverError,
  NotAssignableError,
  UInt,
  UndrivenError,
} from '../../dsl/index.js';

// ---- harness (the same in every tb/dsl/errors*.test.ts) -----------------------------------------

const thisFile = fileURLToPath(import.meta.url);
/** This file's path as messages print it: relative to the package root, '/'-separated. */
const relFile = path.relative(path.resolve(path.dirname(thisFile), '../..'), thisFile).split(path.sep).join('/');

/** The line of the statement calling here(); write `line = here(); call();` on one line. */
function here(): number {
  const frame = new Error().stack?.split('\n')[2] ?? '';
  const match = /:(\d+):\d+\)?$/.exec(frame);
  if (!match) throw new Error(`no line number in stack frame '${frame}'`);
  return Number(match[1]);
}

type HdlErrorClass<E extends HdlError> = new (...args: never[]) => E;

/** Runs `body`, which must throw exactly a `kind`; returns the error. */
function expectHdlError<E extends HdlError>(kind: HdlErrorClass<E>, body: () => unknown): E {
  let caught: unknown;
  try {
    body();
  } catch (error) {
    caught = error;
  }
  expect(() => {
    if (caught !== undefined) throw caught;
  }, `expected to throw ${kind.name}`).toThrow(kind);
  expect(caught).toBeInstanceOf(HdlError);
  const error = caught as E;
  expect(error.constructor, `expected exactly a ${kind.name}`).toBe(kind);
  expect(error.name).toBe(kind.name);
  return error;
}

/** The error points at `line` of this file (in `loc` and as the message prefix) and mentions every text. */
function expectReport(error: HdlError, line: number, mentions: readonly string[]): void {
  expect(line, 'here() was not reached before the error').toBeGreaterThan(0);
  expect(error.loc?.file).toBe(thisFile);
  expect(error.loc?.line).toBe(line);
  expect(error.message).toBe(`${relFile}:${line}: ${error.detail}`);
  for (const text of mentions) expect(error.detail).toContain(text);
}

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
