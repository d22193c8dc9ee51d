// DSL errors: ShapeError for constants inside modules: assigned constants, register init values,
// switch values (including duplicates) and memory contents.
// The harness is error-harness.ts: `line = here(); offendingCall();`
// records the line of the offending call, and every error must point at it.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here } from './error-harness.js';
import {
  defineModule,
  lit,
  ShapeError,
  SInt,
  UInt,
} from '../../dsl/index.js';

const { relFile, expectReport } = errorReporter(import.meta.url);

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

  it('distinct signed switch values given at different widths are not duplicates', () => {
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

// ---- names in constant errors ----------------------------------------------------------------------------

// A constant that does not fit must name what it was for: the assigned signal, the register
// or the memory.
describe('constant errors name the signal involved', () => {
  const cases: readonly [string, () => unknown, readonly string[]][] = [
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

  it.each(cases)('%s', (_title, body, names) => {
    const error = expectHdlError(ShapeError, body);
    for (const name of names) expect(error.detail).toContain(name);
  });
});
