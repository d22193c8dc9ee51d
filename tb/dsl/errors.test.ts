// DSL errors, part 1: the shared contract of HdlError (class, `file:line` prefix, `loc`, `detail`),
// then width and sign mismatches. Each test provokes one misuse and checks the class, the line of
// the offending call in this file, and that the message names the signals and shapes involved.
//
// The other error kinds are in errors-shape, errors-drivers, errors-names and errors-modules.
// Each of those files repeats the small harness below (only tb/dsl/errors*.test.ts may be edited).
//
// Lines: `line = here(); offendingCall();` records the line of the offending call; here() reads
// it from the stack, so moving code never breaks a test. The first tests check here() itself
// against markers in this file's source text.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Bool,
  defineModule,
  HdlError,
  lit,
  mux,
  SignMismatchError,
  select,
  SInt,
  UInt,
  WidthMismatchError,
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

// ---- the harness and the HdlError contract --------------------------------------------------------

/** The 1-based line of this file's source text that contains `marker` (exactly one must). */
function markerLine(marker: string): number {
  const lines = fs.readFileSync(thisFile, 'utf8').split('\n');
  const found = lines.flatMap((text, i) => (text.includes(marker) ? [i + 1] : []));
  expect(found, `marker '${marker}' must occur exactly once`).toHaveLength(1);
  return found[0]!;
}

describe('harness and HdlError contract', () => {
  it('names this file as messages print it', () => {
    expect(relFile).toBe('tb/dsl/errors.test.ts');
  });

  it('here() returns the line the source text has', () => {
    const line = here(); // marker:here-self
    expect(line).toBe(markerLine('marker:' + 'here-self'));
  });

  it('an HdlError reports the source line of the offending call, without help from here()', () => {
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('marker_check', (m) => {
        const o = m.output('o', UInt(4));
        o.assign(m.input('a', UInt(5))); // marker:dsl-line
        return { o };
      }),
    );
    const line = markerLine('marker:' + 'dsl-line');
    expect(error.loc?.line).toBe(line);
    expect(error.message.startsWith(`tb/dsl/errors.test.ts:${line}: `)).toBe(true);
  });

  it('exposes loc (absolute file, line, column), detail (the message without location) and name', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('contract', (m) => {
        const o = m.output('o', UInt(8));
        const a = m.input('a', UInt(9));
        line = here(); o.assign(a);
        return { o, a };
      }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(HdlError);
    expect(error.name).toBe('WidthMismatchError');
    expect(path.isAbsolute(error.loc!.file)).toBe(true);
    expect(error.loc).toEqual({ file: thisFile, line, column: expect.any(Number) });
    expect(error.loc!.column).toBeGreaterThan(1);
    expect(error.detail).not.toContain(relFile);
    expect(error.message).toBe(`tb/dsl/errors.test.ts:${line}: ${error.detail}`);
  });
});

// ---- WidthMismatchError ------------------------------------------------------------------------------

describe('WidthMismatchError', () => {
  it('assigning a 9-bit value to an 8-bit output', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('wide_assign', (m) => {
        const a = m.input('a', UInt(9));
        const o = m.output('o', UInt(8));
        line = here(); o.assign(a);
        return { a, o };
      }),
    );
    expectReport(error, line, ["output 'o'", '9-bit unsigned', '8-bit unsigned', 'trunc(8)']);
  });

  it('assigning a 9-bit value to an 8-bit wire inside a when branch', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('wide_assign_when', (m) => {
        const en = m.input('en', Bool);
        const a = m.input('a', UInt(9));
        const w = m.wire('w', UInt(8));
        w.assign(0);
        m.when(en, () => {
          line = here(); w.assign(a);
        });
        return { en, a };
      }),
    );
    expectReport(error, line, ["wire 'w'", '9-bit unsigned', '8-bit unsigned']);
  });

  it('a when condition that is 2 bits wide', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('when_2bit', (m) => {
        const sel = m.input('sel', UInt(2));
        const o = m.output('o', Bool);
        o.assign(0);
        line = here(); m.when(sel, () => o.assign(1));
        return { sel, o };
      }),
    );
    expectReport(error, line, ['when condition', '1 bit', '2-bit unsigned']);
  });

  it('an elseWhen condition that is 3 bits wide', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('elsewhen_3bit', (m) => {
        const en = m.input('en', Bool);
        const sel = m.input('sel', UInt(3));
        const o = m.output('o', Bool);
        o.assign(0);
        const chain = m.when(en, () => o.assign(1));
        line = here(); chain.elseWhen(sel, () => o.assign(0));
        return { en, sel, o };
      }),
    );
    expectReport(error, line, ['elseWhen condition', '1 bit', '3-bit unsigned']);
  });

  it('a mux condition that is not 1 bit wide', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('mux_cond', (m) => {
        const sel = m.input('sel', UInt(3));
        const a = m.input('a', UInt(8));
        line = here(); mux(sel, a, 0);
        return { sel, a };
      }),
    );
    expectReport(error, line, ['mux condition', '1 bit', '3-bit unsigned']);
  });

  it('a register enable that is 2 bits wide', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('reg_enable', (m) => {
        const en = m.input('en', UInt(2));
        line = here(); m.reg('r', UInt(8), { enable: en });
        return { en };
      }),
    );
    expectReport(error, line, ["register 'r'", '1 bit', '2-bit unsigned']);
  });

  it('a memory read address of the wrong width', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('mem_raddr', (m) => {
        const addr = m.input('addr', UInt(3));
        const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
        line = here(); mem.read(addr);
        return { addr };
      }),
    );
    expectReport(error, line, ["memory 'mem'", '16 words', '4-bit address', '3-bit unsigned']);
  });

  it('a memory write address of the wrong width', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('mem_waddr', (m) => {
        const addr = m.input('addr', UInt(5));
        const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
        line = here(); mem.write(addr, 0);
        return { addr };
      }),
    );
    expectReport(error, line, ["memory 'mem'", '4-bit address', '5-bit unsigned']);
  });

  it('memory write data wider than the word', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('mem_wdata', (m) => {
        const addr = m.input('addr', UInt(4));
        const data = m.input('data', UInt(9));
        const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
        line = here(); mem.write(addr, data);
        return { addr, data };
      }),
    );
    expectReport(error, line, ["memory 'mem'", '8-bit unsigned words', '9-bit unsigned']);
  });

  it('a memory write enable that is 2 bits wide', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('mem_wen', (m) => {
        const addr = m.input('addr', UInt(4));
        const en = m.input('en', UInt(2));
        const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
        line = here(); mem.write(addr, 1, en);
        return { addr, en };
      }),
    );
    expectReport(error, line, ["write enable of memory 'mem'", '1 bit', '2-bit unsigned']);
  });

  it('a memory read enable that is 2 bits wide', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('mem_ren', (m) => {
        const addr = m.input('addr', UInt(4));
        const en = m.input('en', UInt(2));
        const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
        line = here(); mem.read(addr, { enable: en });
        return { addr, en };
      }),
    );
    expectReport(error, line, ["read enable of memory 'mem'", '1 bit', '2-bit unsigned']);
  });

  it('a switch value wider than the selector', () => {
    let line = 0;
    const error = expectHdlError(WidthMismatchError, () =>
      defineModule('switch_wide', (m) => {
        const sel = m.input('sel', UInt(2));
        const o = m.output('o', Bool);
        o.assign(0);
        const s = m.switch(sel);
        line = here(); s.is(lit(5, UInt(3)), () => o.assign(1));
        return { sel, o };
      }),
    );
    expectReport(error, line, ['switch value', '3-bit unsigned', '2-bit unsigned selector']);
  });
});

// ---- SignMismatchError -------------------------------------------------------------------------------

describe('SignMismatchError', () => {
  it.each(['add', 'sub', 'mul', 'and', 'lt', 'eq'] as const)('%s of an SInt and a UInt', (op) => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('mixed_op', (m) => {
        const a = m.input('a', SInt(8));
        const b = m.input('b', UInt(4));
        line = here(); a[op](b);
        return { a, b };
      }),
    );
    expectReport(error, line, [op, '8-bit signed', '4-bit unsigned', '.asSigned()']);
  });

  it('assigning a signed value to an unsigned output', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('signed_to_unsigned', (m) => {
        const a = m.input('a', SInt(8));
        const o = m.output('o', UInt(8));
        line = here(); o.assign(a);
        return { a, o };
      }),
    );
    expectReport(error, line, ["output 'o'", '8-bit signed', '8-bit unsigned']);
  });

  it('assigning an unsigned value to a signed wire', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('unsigned_to_signed', (m) => {
        const a = m.input('a', UInt(4));
        const w = m.wire('w', SInt(8));
        line = here(); w.assign(a);
        return { a };
      }),
    );
    expectReport(error, line, ["wire 'w'", '4-bit unsigned', '8-bit signed']);
  });

  it('mux arms of different signedness', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('mux_arms', (m) => {
        const c = m.input('c', Bool);
        const a = m.input('a', SInt(8));
        const b = m.input('b', UInt(8));
        line = here(); mux(c, a, b);
        return { c, a, b };
      }),
    );
    expectReport(error, line, ['mux', '8-bit signed', '8-bit unsigned']);
  });

  it('select choices of different signedness', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('select_arms', (m) => {
        const i = m.input('i', Bool);
        const a = m.input('a', UInt(8));
        const b = m.input('b', SInt(6));
        line = here(); select(i, [a, b]);
        return { i, a, b };
      }),
    );
    expectReport(error, line, ['select', '8-bit unsigned', '6-bit signed']);
  });

  it.each(['shl', 'shr'] as const)('a signed dynamic amount for %s', (op) => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('signed_shift', (m) => {
        const a = m.input('a', UInt(8));
        const n = m.input('n', SInt(3));
        line = here(); a[op](n);
        return { a, n };
      }),
    );
    expectReport(error, line, ['shift amount', 'unsigned', '3-bit signed']);
  });

  it('a signed select index', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('signed_index', (m) => {
        const i = m.input('i', SInt(2));
        const a = m.input('a', UInt(8));
        const b = m.input('b', UInt(8));
        line = here(); select(i, [a, b]);
        return { i, a, b };
      }),
    );
    expectReport(error, line, ['select index', 'unsigned', '2-bit signed']);
  });

  it('a signed memory read address', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('signed_raddr', (m) => {
        const addr = m.input('addr', SInt(4));
        const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
        line = here(); mem.read(addr);
        return { addr };
      }),
    );
    expectReport(error, line, ["memory 'mem'", 'unsigned', '4-bit signed']);
  });

  it('a signed memory write address', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('signed_waddr', (m) => {
        const addr = m.input('addr', SInt(4));
        const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
        line = here(); mem.write(addr, 1);
        return { addr };
      }),
    );
    expectReport(error, line, ["memory 'mem'", 'unsigned', '4-bit signed']);
  });

  it('signed data written to a memory of unsigned words', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('signed_wdata', (m) => {
        const addr = m.input('addr', UInt(4));
        const data = m.input('data', SInt(8));
        const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
        line = here(); mem.write(addr, data);
        return { addr, data };
      }),
    );
    expectReport(error, line, ["memory 'mem'", '8-bit unsigned words', '8-bit signed']);
  });

  // BUG: SwitchChain.is() reports a signedness mismatch between a constant and the selector as a
  // WidthMismatchError (dsl/module.ts, SwitchChain.pattern), although both are 2 bits wide.
  it.fails('a signed switch value for an unsigned selector', () => {
    let line = 0;
    const error = expectHdlError(SignMismatchError, () =>
      defineModule('switch_sign', (m) => {
        const sel = m.input('sel', UInt(2));
        const o = m.output('o', Bool);
        o.assign(0);
        const s = m.switch(sel);
        line = here(); s.is(lit(1, SInt(2)), () => o.assign(1));
        return { sel, o };
      }),
    );
    expectReport(error, line, ['switch value', '2-bit signed', '2-bit unsigned selector']);
  });
});

// ---- operand names --------------------------------------------------------------------------------

// BUG: errors raised while building an expression describe each operand by its shape only
// ("add mixes a 8-bit signed and a 8-bit unsigned value"), even when the operand is a named
// signal; dsl/errors.ts promises messages that name the signal. The tests above check class,
// line and shapes; these check only that the named operands appear in the message.
describe('width and sign errors name the signals involved', () => {
  const cases: readonly [string, () => unknown, readonly string[]][] = [
    [
      'a 2-bit when condition names it',
      () =>
        defineModule('name_when', (m) => {
          const sel = m.input('sel', UInt(2));
          m.when(sel, () => undefined);
          return { sel };
        }),
      ["'sel'"],
    ],
    [
      'a 3-bit mux condition names it',
      () =>
        defineModule('name_mux', (m) => {
          const sel = m.input('sel', UInt(3));
          const a = m.input('a', UInt(8));
          mux(sel, a, 0);
          return { sel, a };
        }),
      ["'sel'"],
    ],
    [
      'add of an SInt and a UInt names both',
      () =>
        defineModule('name_add', (m) => {
          const a = m.input('a', SInt(8));
          const b = m.input('b', UInt(8));
          a.add(b);
          return { a, b };
        }),
      ["'a'", "'b'"],
    ],
    [
      'mux arms of different signedness name both',
      () =>
        defineModule('name_mux_arms', (m) => {
          const c = m.input('c', Bool);
          const a = m.input('a', SInt(8));
          const b = m.input('b', UInt(8));
          mux(c, a, b);
          return { c, a, b };
        }),
      ["'a'", "'b'"],
    ],
    [
      'a signed shift amount names it',
      () =>
        defineModule('name_shift', (m) => {
          const a = m.input('a', UInt(8));
          const n = m.input('n', SInt(3));
          a.shl(n);
          return { a, n };
        }),
      ["'n'"],
    ],
    [
      'a signed select index names it',
      () =>
        defineModule('name_index', (m) => {
          const i = m.input('i', SInt(1));
          const a = m.input('a', UInt(8));
          select(i, [a, a]);
          return { i, a };
        }),
      ["'i'"],
    ],
    [
      'a wrong-width memory address names it',
      () =>
        defineModule('name_addr', (m) => {
          const addr = m.input('addr', UInt(3));
          m.memory('mem', { shape: UInt(8), depth: 16 }).read(addr);
          return { addr };
        }),
      ["'addr'"],
    ],
  ];

  it.fails.each(cases)('%s', (_title, body, names) => {
    let caught: unknown;
    try {
      body();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HdlError);
    for (const name of names) expect((caught as HdlError).detail).toContain(name);
  });
});
