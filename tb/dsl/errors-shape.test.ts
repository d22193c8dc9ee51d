// DSL errors, part 2: ShapeError, for impossible shapes, slices, width changes and constants.
// See errors.test.ts for the harness, which is repeated here: `line = here(); offendingCall();`
// records the line of the offending call, and every error must point at it.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bitsFor,
  Bool,
  Bundle,
  cat,
  defineModule,
  HdlError,
  lit,
  select,
  ShapeError,
  SInt,
  UInt,
  Vec,
  type Expr,
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

// ---- shapes and constants outside any module ------------------------------------------------------

describe('ShapeError: shapes and constants', () => {
  // Each row is on one line: here() gives the line of the call in the row's body.
  const cases: readonly [string, number, () => unknown, readonly string[]][] = [
    ['UInt(0)', here(), () => UInt(0), ['width', '1 to 65536', 'got 0']],
    ['UInt(1.5)', here(), () => UInt(1.5), ['width', 'integer', 'got 1.5']],
    ['SInt(0)', here(), () => SInt(0), ['width', 'got 0']],
    ['UInt wider than the limit', here(), () => UInt(65537), ['1 to 65536', 'got 65537']],
    ['Vec(0, ...)', here(), () => Vec(0, UInt(8)), ['Vec', 'at least 1', 'got 0']],
    ['Vec(2.5, ...)', here(), () => Vec(2.5, Bool), ['Vec', 'got 2.5']],
    ['a Bundle without fields', here(), () => Bundle({}), ['Bundle', 'at least one field']],
    ['lit(256, UInt(8))', here(), () => lit(256, UInt(8)), ['256', '8-bit unsigned']],
    ['lit(128, SInt(8))', here(), () => lit(128, SInt(8)), ['128', '8-bit signed']],
    ['lit(-129, SInt(8))', here(), () => lit(-129, SInt(8)), ['-129', '8-bit signed']],
    ['a negative constant into an unsigned shape', here(), () => lit(-1, UInt(8)), ['-1', 'negative', 'unsigned']],
    ['an unsafe JS number as a constant', here(), () => lit(2 ** 53, UInt(64)), ['9007199254740992', 'safe integer', 'bigint']],
    ['a fractional JS number as a constant', here(), () => lit(0.5, UInt(8)), ['0.5', 'safe integer']],
    ['repeat(0)', here(), () => lit(1, UInt(2)).repeat(0), ['repeat', 'positive integer', 'got 0']],
    ['cat() with no values', here(), () => cat(), ['cat', 'at least one']],
    ['select with no values', here(), () => select(lit(0, UInt(1)), []), ['select', 'at least one']],
    ['bitsFor(0)', here(), () => bitsFor(0), ['bitsFor', 'got 0']],
    ['a negative constant shift', here(), () => lit(1, UInt(2)).shl(-1), ['shift amount', 'non-negative', 'got -1']],
  ];

  it.each(cases)('%s', (_title, line, body, mentions) => {
    const error = expectHdlError(ShapeError, body);
    expectReport(error, line, mentions);
  });
});

// ---- operations on signals -----------------------------------------------------------------------------

/** Runs `use(a)` with an 8-bit unsigned input `a` of a fresh module. */
function withInput(use: (a: Expr) => unknown): void {
  defineModule('shape_ops', (m) => {
    const a = m.input('a', UInt(8));
    use(a);
    return { a };
  });
}

describe('ShapeError: slices and width changes', () => {
  it('a slice past the top bit', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.slice(8, 0);
    }));
    expectReport(error, line, ['slice [8:0]', '8-bit unsigned', 'bits 7 to 0']);
  });

  it('a slice with hi below lo', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.slice(2, 5);
    }));
    expectReport(error, line, ['slice [2:5]', '8-bit unsigned']);
  });

  it('a slice with a negative low bit', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.slice(3, -1);
    }));
    expectReport(error, line, ['slice [3:-1]', '8-bit unsigned']);
  });

  it('a bit index past the top bit', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.bit(8);
    }));
    expectReport(error, line, ['[8:8]', '8-bit unsigned']);
  });

  it('trunc to a larger width', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.trunc(9);
    }));
    expectReport(error, line, ['truncate', '8-bit unsigned', '9 bits', '1 to 8']);
  });

  it('trunc to zero bits', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.trunc(0);
    }));
    expectReport(error, line, ['truncate', '8-bit unsigned', '0 bits']);
  });

  it.each(['extend', 'zext', 'sext'] as const)('%s to a smaller width', (op) => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a[op](4);
    }));
    expectReport(error, line, ['extend', '8-bit unsigned', '4 bits', '.trunc()']);
  });

  it('resize to zero bits', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.resize(0);
    }));
    expectReport(error, line, ['8-bit unsigned', '0 bits']);
  });

  it('repeat with a fractional count', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.repeat(1.5);
    }));
    expectReport(error, line, ['repeat', 'got 1.5']);
  });

  it('an unsafe JS number as an operand', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.add(2 ** 60);
    }));
    expectReport(error, line, [String(2 ** 60), 'safe integer', 'bigint']);
  });

  it.each(['shl', 'shr'] as const)('a dynamic %s amount wider than 12 bits', (op) => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('wide_shift', (m) => {
        const a = m.input('a', UInt(8));
        const n = m.input('n', UInt(13));
        line = here(); a[op](n);
        return { a, n };
      }),
    );
    expectReport(error, line, ['13-bit shift amount', 'at most 12 bits', '8-bit unsigned']);
  });

  it.each([
    [1, 3, 2],
    [2, 5, 3],
  ])('select with a %i-bit index and %i values', (indexWidth, count, needed) => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('select_reach', (m) => {
        const i = m.input('i', UInt(indexWidth));
        const a = m.input('a', UInt(8));
        line = here(); select(i, Array.from({ length: count }, () => a));
        return { i, a };
      }),
    );
    expectReport(error, line, [`${indexWidth}-bit index`, `${count} values`, `needs ${needed} bits`]);
  });

  // BUG: MAX_WIDTH (65536) is "the widest integer the DSL accepts" and UInt(65537) is rejected,
  // but extend() (like shl(n) and repeat(n)) builds wider values without any check.
  it.fails('extend beyond the widest shape', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.extend(1_000_000);
    }));
    expectReport(error, line, ['1000000', '65536']);
  });
});

// ---- constants in a module --------------------------------------------------------------------------------

describe('ShapeError: constants in a module', () => {
  it('assigning a constant that does not fit the target', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('const_assign', (m) => {
        const o = m.output('o', UInt(8));
        line = here(); o.assign(256);
        return { o };
      }),
    );
    expectReport(error, line, ['256', '8-bit unsigned']);
  });

  it('a register init value that does not fit', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('reg_init', (m) => {
        line = here(); const r = m.reg('r', UInt(4), { init: 16 });
        r.assign(r);
        return {};
      }),
    );
    expectReport(error, line, ['16', '4-bit unsigned']);
  });

  it('a switch constant that does not fit the selector', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('switch_fit', (m) => {
        const sel = m.input('sel', UInt(2));
        const s = m.switch(sel);
        line = here(); s.is(4, () => undefined);
        return { sel };
      }),
    );
    expectReport(error, line, ['4', '2-bit unsigned']);
  });

  it('a switch value that is not a constant', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('switch_const', (m) => {
        const sel = m.input('sel', UInt(2));
        const k = m.input('k', UInt(2));
        const s = m.switch(sel);
        line = here(); s.is(k, () => undefined);
        return { sel, k };
      }),
    );
    expectReport(error, line, ['switch is()', 'constants']);
  });

  it('a switch case with an empty list of values', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('switch_empty', (m) => {
        const sel = m.input('sel', UInt(2));
        const s = m.switch(sel);
        line = here(); s.is([], () => undefined);
        return { sel };
      }),
    );
    expectReport(error, line, ['switch is()', 'at least one value']);
  });

  it('a duplicate switch value names both cases', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('switch_dup', (m) => {
        const sel = m.input('sel', UInt(2));
        const o = m.output('o', UInt(2));
        o.assign(0);
        const s = m.switch(sel);
        first = here(); s.is([0, 1], () => o.assign(1));
        line = here(); s.is(lit(1, UInt(2)), () => o.assign(2));
        return { sel, o };
      }),
    );
    expectReport(error, line, ['switch value 1', `already has a case at ${relFile}:${first}`]);
  });

  it('a duplicate value within one switch case', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('switch_dup_list', (m) => {
        const sel = m.input('sel', UInt(2));
        const s = m.switch(sel);
        line = here(); s.is([2, 2], () => undefined);
        return { sel };
      }),
    );
    expectReport(error, line, ['switch value 2', `already has a case at ${relFile}:${line}`]);
  });

  // BUG: SwitchChain.pattern takes the raw bit pattern of a narrower signed constant without
  // sign-extending it to the selector: lit(-1, SInt(2)) becomes 0b11 = 3 instead of 0b1111, so
  // the case would match 3 (not -1) and `is(3)` is wrongly reported as a duplicate.
  it.fails('distinct signed switch values given at different widths are not duplicates', () => {
    expect(() =>
      defineModule('switch_signed', (m) => {
        const sel = m.input('sel', SInt(4));
        const o = m.output('o', UInt(2));
        o.assign(0);
        m.switch(sel)
          .is(lit(-1, SInt(2)), () => o.assign(1))
          .is(3, () => o.assign(2));
        return { sel, o };
      }),
    ).not.toThrow();
  });
});

// ---- memories ----------------------------------------------------------------------------------------------

describe('ShapeError: memories', () => {
  it('an init list longer than the depth', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('mem_init_long', (m) => {
        line = here(); m.memory('lut', { shape: UInt(8), depth: 4, init: [1, 2, 3, 4, 5] });
        return {};
      }),
    );
    expectReport(error, line, ["memory 'lut'", '4 words', '5 initial values']);
  });

  it('an init value that does not fit a word', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('mem_init_wide', (m) => {
        line = here(); m.memory('lut', { shape: UInt(8), depth: 4, init: [1, 256] });
        return {};
      }),
    );
    expectReport(error, line, ["memory 'lut'", 'initial value 256', 'address 1', '8-bit word']);
  });

  it('a signed init value that does not fit a signed word', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('mem_init_signed', (m) => {
        line = here(); m.memory('lut', { shape: SInt(4), depth: 4, init: [-8, 7, 8] });
        return {};
      }),
    );
    expectReport(error, line, ["memory 'lut'", 'initial value 8', 'address 2', '4-bit word']);
  });

  it('a negative init value in a memory of unsigned words', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('mem_init_negative', (m) => {
        line = here(); m.memory('lut', { shape: UInt(8), depth: 4, init: [0, -1] });
        return {};
      }),
    );
    expectReport(error, line, ['-1', 'unsigned']);
  });

  it('a depth below 2 words', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () =>
      defineModule('mem_depth', (m) => {
        line = here(); m.memory('lut', { shape: UInt(8), depth: 1 });
        return {};
      }),
    );
    expectReport(error, line, ["memory 'lut'", 'at least 2 words', 'got 1']);
  });
});

// ---- names in shape errors -------------------------------------------------------------------------------

// BUG: these shape errors know which signal, register or memory they concern but do not name it
// (e.g. "slice [8:0] is outside a 8-bit unsigned value"), although dsl/errors.ts promises
// messages that name the signal. The tests above check class, line and shapes.
describe('shape errors name the signal involved', () => {
  const cases: readonly [string, () => unknown, readonly string[]][] = [
    ['a slice out of range names the sliced signal', () => withInput((a) => a.slice(8, 0)), ["'a'"]],
    ['trunc to a larger width names the signal', () => withInput((a) => a.trunc(9)), ["'a'"]],
    ['extend to a smaller width names the signal', () => withInput((a) => a.extend(4)), ["'a'"]],
    [
      'a constant that does not fit names the assigned output',
      () =>
        defineModule('name_const', (m) => {
          const o = m.output('o', UInt(8));
          o.assign(256);
          return { o };
        }),
      ["'o'"],
    ],
    [
      'a register init value that does not fit names the register',
      () =>
        defineModule('name_init', (m) => {
          const r = m.reg('r', UInt(4), { init: 16 });
          r.assign(r);
          return {};
        }),
      ["'r'"],
    ],
    [
      'a negative init value names the memory',
      () =>
        defineModule('name_mem', (m) => {
          m.memory('lut', { shape: UInt(8), depth: 4, init: [0, -1] });
          return {};
        }),
      ["'lut'"],
    ],
  ];

  it.fails.each(cases)('%s', (_title, body, names) => {
    let caught: unknown;
    try {
      body();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShapeError);
    for (const name of names) expect((caught as HdlError).detail).toContain(name);
  });
});
