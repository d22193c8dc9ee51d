// DSL errors: ShapeError for impossible shapes and constants, slices and width changes.
// Constants inside modules (switch values, register init, memories) are in errors-constants.
// The harness is error-harness.ts: `line = here(); offendingCall();`
// records the line of the offending call, and every error must point at it.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here } from './error-harness.js';
import {
  bitsFor,
  Bool,
  Bundle,
  cat,
  defineModule,
  type Expr,
  lit,
  select,
  ShapeError,
  SInt,
  UInt,
  Vec,
} from '../../dsl/index.js';

const { expectReport } = errorReporter(import.meta.url);

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

  it('extend beyond the widest shape', () => {
    let line = 0;
    const error = expectHdlError(ShapeError, () => withInput((a) => {
      line = here(); a.extend(1_000_000);
    }));
    expectReport(error, line, ['1000000', '65536']);
  });
});

// ---- the limits themselves are accepted ---------------------------------------------------------------

describe('ShapeError limits are exact', () => {
  it('accepts values right at each limit', () => {
    expect(() =>
      defineModule('at_the_limits', (m) => {
        const a = m.input('a', UInt(8));
        const n = m.input('n', UInt(12));
        const i = m.input('i', UInt(2));
        UInt(65536);
        SInt(1);
        Vec(1, Bool);
        lit(255, UInt(8));
        lit(-128, SInt(8));
        lit(127, SInt(8));
        lit(2n ** 64n - 1n, UInt(64));
        lit(Number.MAX_SAFE_INTEGER, UInt(53));
        a.slice(7, 0);
        a.slice(3, 3);
        a.trunc(1);
        a.extend(8);
        a.repeat(1);
        a.shl(n);
        a.shr(n);
        select(i, [a, a, a, a]);
        m.memory('lut', { shape: UInt(8), depth: 4, init: [0, 1, 2, 255] });
        return { a, n, i };
      }),
    ).not.toThrow();
  });
});

// ---- names in shape errors -------------------------------------------------------------------------------

// These shape errors concern a named signal and must name it (dsl/errors.ts promises it); the
// tests above check class, line and shapes.
describe('shape errors name the signal involved', () => {
  const cases: readonly [string, () => unknown, readonly string[]][] = [
    ['a slice out of range names the sliced signal', () => withInput((a) => a.slice(8, 0)), ["'a'"]],
    ['trunc to a larger width names the signal', () => withInput((a) => a.trunc(9)), ["'a'"]],
    ['extend to a smaller width names the signal', () => withInput((a) => a.extend(4)), ["'a'"]],
  ];

  it.each(cases)('%s', (_title, body, names) => {
    const error = expectHdlError(ShapeError, body);
    for (const name of names) expect(error.detail).toContain(name);
  });
});
