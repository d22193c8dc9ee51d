// DSL errors: the contract every HdlError keeps (class, `file:line` prefix, `loc`, `detail`),
// then WidthMismatchError. Each test provokes one misuse and checks the exact class, that the error
// points at the line of the offending call in this file, and what the message mentions.
//
// The other kinds are in tb/dsl/errors-*.test.ts: sign, shape, constants, drivers, loops, names,
// crossmodule, elaboration and ports. All share the harness in error-harness.ts.
//
// Lines: `line = here(); offendingCall();` records the line of the offending call; here() reads
// it from the stack, so moving code never breaks a test. The first tests check here() itself
// against markers in this file's source text.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here } from './error-harness.js';
import {
  Bool,
  CombinationalLoopError,
  CrossModuleError,
  defineModule,
  DuplicateNameError,
  ElaborationError,
  HdlError,
  InvalidNameError,
  lit,
  MultipleDriverError,
  mux,
  NotAssignableError,
  ShapeError,
  SignMismatchError,
  UInt,
  UndrivenError,
  WidthMismatchError,
} from '../../dsl/index.js';

const { thisFile, relFile, expectReport } = errorReporter(import.meta.url);

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

  it('a call site reached repeatedly reports its own line each time, and its neighbour its own', () => {
    const lines: number[] = [];
    const errors: HdlError[] = [];
    for (let i = 0; i < 3; i++) {
      errors.push(expectHdlError(ShapeError, () => { lines.push(here()); lit(256 + i, UInt(8)); }));
      errors.push(expectHdlError(ShapeError, () => { lines.push(here()); lit(-1 - i, UInt(8)); }));
    }
    expect(lines[1]).toBe(lines[0]! + 1);
    errors.forEach((error, i) => expectReport(error, lines[i]!, []));
    expect(errors.map((error) => error.detail)).toEqual([
      'constant 256 does not fit a 8-bit unsigned value',
      '-1 is negative and cannot be an unsigned constant',
      'constant 257 does not fit a 8-bit unsigned value',
      '-2 is negative and cannot be an unsigned constant',
      'constant 258 does not fit a 8-bit unsigned value',
      '-3 is negative and cannot be an unsigned constant',
    ]);
  });

  const kinds: readonly (typeof HdlError)[] = [
    WidthMismatchError,
    SignMismatchError,
    ShapeError,
    UndrivenError,
    MultipleDriverError,
    NotAssignableError,
    CombinationalLoopError,
    DuplicateNameError,
    InvalidNameError,
    CrossModuleError,
    ElaborationError,
  ];

  it.each(kinds.map((kind) => [kind.name, kind] as const))('%s is an HdlError located at its construction', (name, kind) => {
    const line = here(); const error = new kind('what went wrong');
    expect(error).toBeInstanceOf(HdlError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.detail).toBe('what went wrong');
    expectReport(error, line, []);
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

// ---- operand names --------------------------------------------------------------------------------

// Errors raised while building an expression must name operands that are signals, not only
// their shapes. The tests above check class, line and shapes; these check the names.
describe('width errors name the signals involved', () => {
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

  it.each(cases)('%s', (_title, body, names) => {
    const error = expectHdlError(WidthMismatchError, body);
    for (const name of names) expect(error.detail).toContain(name);
  });
});
