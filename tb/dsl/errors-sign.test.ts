// DSL errors: SignMismatchError, for signed and unsigned values mixed without .asSigned() or
// .asUnsigned(), and for signed values where only unsigned ones make sense (shift amounts, indexes,
// addresses).
// The harness is error-harness.ts: `line = here(); offendingCall();`
// records the line of the offending call, and every error must point at it.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here } from './error-harness.js';
import {
  Bool,
  defineModule,
  lit,
  mux,
  select,
  SignMismatchError,
  SInt,
  UInt,
} from '../../dsl/index.js';

const { expectReport } = errorReporter(import.meta.url);

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

  it('a signed switch value for an unsigned selector', () => {
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

// Operator errors must name the signals they are about, not only their shapes. The tests above
// check class, line and shapes; these check that the named operands appear in the message.
describe('sign errors name the signals involved', () => {
  const cases: readonly [string, () => unknown, readonly string[]][] = [
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
  ];

  it.each(cases)('%s', (_title, body, names) => {
    const error = expectHdlError(SignMismatchError, body);
    for (const name of names) expect(error.detail).toContain(name);
  });
});
