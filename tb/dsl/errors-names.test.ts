// DSL errors: names. DuplicateNameError (reported at the second declaration, naming the
// first) and InvalidNameError (reported at the declaration that uses the name).
// The harness is error-harness.ts.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here } from './error-harness.js';
import {
  Bool,
  Bundle,
  defineModule,
  DuplicateNameError,
  InvalidNameError,
  type ModuleBuilder,
  UInt,
  Vec,
} from '../../dsl/index.js';

const { relFile, expectReport } = errorReporter(import.meta.url);

const child = defineModule('name_child', (m) => {
  const a = m.input('a', UInt(8));
  const y = m.output('y', UInt(8));
  y.assign(a);
  return { a, y };
});

// ---- DuplicateNameError ------------------------------------------------------------------------------------

describe('DuplicateNameError', () => {
  it('two wires with the same name', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_wires', (m) => {
        first = here(); m.wire('w', UInt(8));
        line = here(); m.wire('w', UInt(4));
      }),
    );
    expectReport(error, line, ["'w'", "module 'dup_wires'", `${relFile}:${first}`]);
  });

  it('a port and a register with the same name', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_port_reg', (m) => {
        first = here(); const q = m.output('q', UInt(8));
        line = here(); m.reg('q', UInt(8));
        return { q };
      }),
    );
    expectReport(error, line, ["'q'", `${relFile}:${first}`]);
  });

  it('a Vec flattening that collides with a later wire', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_vec_then_wire', (m) => {
        first = here(); m.wire('v', Vec(2, UInt(8)));
        line = here(); m.wire('v_0', UInt(8));
      }),
    );
    expectReport(error, line, ["'v_0'", `${relFile}:${first}`]);
  });

  it('a Vec flattening that collides with an earlier wire', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_wire_then_vec', (m) => {
        first = here(); m.wire('v_1', UInt(8));
        line = here(); m.input('v', Vec(2, UInt(8)));
      }),
    );
    expectReport(error, line, ["'v_1'", `${relFile}:${first}`]);
  });

  it('two Bundle fields that flatten to the same name', () => {
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_bundle', (m) => {
        line = here(); m.wire('b', Bundle({ x_0: Bool, x: Vec(1, Bool) }));
      }),
    );
    expectReport(error, line, ["'b_x_0'", `${relFile}:${line}`]);
  });

  it('an instance port wire colliding with an earlier wire', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_instance_port', (m) => {
        first = here(); m.wire('u0_a', UInt(8));
        line = here(); m.instance(child, 'u0');
      }),
    );
    expectReport(error, line, ["'u0_a'", `${relFile}:${first}`]);
  });

  it('a wire colliding with an earlier instance port wire', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_port_of_instance', (m) => {
        first = here(); m.instance(child, 'u0');
        line = here(); m.wire('u0_y', UInt(8));
      }),
    );
    expectReport(error, line, ["'u0_y'", `${relFile}:${first}`]);
  });

  it('two instances with the same name', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_instances', (m) => {
        first = here(); m.instance(child, 'u0');
        line = here(); m.instance(child, 'u0');
      }),
    );
    expectReport(error, line, ["'u0'", `${relFile}:${first}`]);
  });

  it('a memory named like a wire', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_memory', (m) => {
        first = here(); m.wire('lut', UInt(8));
        line = here(); m.memory('lut', { shape: UInt(8), depth: 4 });
      }),
    );
    expectReport(error, line, ["'lut'", `${relFile}:${first}`]);
  });

  it('memory read data named like a wire', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_memread', (m) => {
        const addr = m.input('addr', UInt(2));
        const mem = m.memory('lut', { shape: UInt(8), depth: 4 });
        first = here(); m.wire('lut_rdata', UInt(8));
        line = here(); mem.read(addr);
        return { addr };
      }),
    );
    expectReport(error, line, ["'lut_rdata'", `${relFile}:${first}`]);
  });

  it('a wire named like the implicit clock, which a register then needs', () => {
    let first = 0;
    let line = 0;
    const error = expectHdlError(DuplicateNameError, () =>
      defineModule('dup_clk', (m) => {
        first = here(); m.wire('clk', Bool);
        line = here(); m.reg('r', UInt(8));
      }),
    );
    expectReport(error, line, ["'clk'", `${relFile}:${first}`]);
  });
});

// ---- InvalidNameError --------------------------------------------------------------------------------------

const badIdentifiers = ['1abc', '_hidden', 'a-b', 'has space', 'dollar$', ''] as const;
const keywords = ['module', 'wire', 'reg', 'begin', 'logic', 'bit', 'int', 'always_ff', 'interface'] as const;

/**
 * Each way of naming something in a module. The DSL reports the first frame outside dsl/, which is
 * the arrow in the row, so each row records its own line with here().
 */
const declarations: readonly [string, number, (m: ModuleBuilder, name: string) => unknown][] = [
  ['a wire', here(), (m, name) => m.wire(name, UInt(8))],
  ['an input', here(), (m, name) => m.input(name, UInt(8))],
  ['an output', here(), (m, name) => m.output(name, Vec(2, Bool))],
  ['a register', here(), (m, name) => m.reg(name, UInt(8))],
  ['a memory', here(), (m, name) => m.memory(name, { shape: UInt(8), depth: 4 })],
  ['an instance', here(), (m, name) => m.instance(child, name)],
  ['a clock input', here(), (m, name) => m.clockInput(name)],
  ['a reset input', here(), (m, name) => m.resetInput(name)],
  ['a node', here(), (m, name) => m.node(name, m.input('a', UInt(8)))],
];

describe('InvalidNameError', () => {
  it.each(badIdentifiers)('signal name %j is not an identifier', (name) => {
    let line = 0;
    const error = expectHdlError(InvalidNameError, () =>
      defineModule('bad_signal', (m) => {
        line = here(); m.wire(name, UInt(8));
      }),
    );
    expectReport(error, line, [`signal name '${name}'`, 'start with a letter']);
  });

  it.each(keywords)('signal name %j is a (System)Verilog keyword', (name) => {
    let line = 0;
    const error = expectHdlError(InvalidNameError, () =>
      defineModule('keyword_signal', (m) => {
        line = here(); m.wire(name, UInt(8));
      }),
    );
    expectReport(error, line, [`signal name '${name}'`, 'keyword']);
  });

  it.each(declarations)('%s with an invalid name', (_what, line, declare) => {
    const error = expectHdlError(InvalidNameError, () => defineModule('bad_declaration', (m) => declare(m, '9lives')));
    expectReport(error, line, ["'9lives'"]);
  });

  it.each(declarations)('%s named after a keyword', (_what, line, declare) => {
    const error = expectHdlError(InvalidNameError, () => defineModule('keyword_declaration', (m) => declare(m, 'logic')));
    expectReport(error, line, ["'logic'", 'keyword']);
  });

  it('a memory read port with an explicit invalid name', () => {
    let line = 0;
    const error = expectHdlError(InvalidNameError, () =>
      defineModule('bad_read_port', (m) => {
        const addr = m.input('addr', UInt(2));
        const mem = m.memory('lut', { shape: UInt(8), depth: 4 });
        line = here(); mem.read(addr, { name: 'read-data' });
        return { addr };
      }),
    );
    expectReport(error, line, ["'read-data'"]);
  });

  it.each([...badIdentifiers, ...keywords])('module name %j', (name) => {
    let line = 0;
    const error = expectHdlError(InvalidNameError, () => {
      line = here(); defineModule(name, () => ({}));
    });
    expectReport(error, line, [`module name '${name}'`]);
  });

  it.each(['a', 'A9', 'x_1', 'Logic', 'wires', 'data_in'])('accepts the name %j', (name) => {
    expect(() =>
      defineModule(name, (m) => {
        const a = m.input(name, UInt(8));
        const y = m.output(`${name}_y`, UInt(8));
        y.assign(a);
        return { a, y };
      }),
    ).not.toThrow();
  });

  it('a Bundle field name that is not an identifier', () => {
    let line = 0;
    const error = expectHdlError(InvalidNameError, () =>
      defineModule('bad_field', (m) => {
        line = here(); m.wire('x', Bundle({ 'a-b': Bool }));
      }),
    );
    expectReport(error, line, ["'a-b'"]);
  });
});
