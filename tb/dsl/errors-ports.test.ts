// DSL errors: ElaborationError for a module IO object that is not made of the module's own ports,
// connect() of mismatched aggregates, a register clocked by something that is not a clock, and an
// instance port that does not exist.
// The harness is error-harness.ts: `line = here(); offendingCall();`
// records the line of the offending call, and every error must point at it.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here, leakyModule } from './error-harness.js';
import {
  Bool,
  Bundle,
  connect,
  defineModule,
  ElaborationError,
  moduleGenerator,
  Stream,
  UInt,
  Vec,
} from '../../dsl/index.js';

const { expectReport } = errorReporter(import.meta.url);

// ---- ElaborationError: module IO --------------------------------------------------------------------------------

describe('ElaborationError: module IO (reported at defineModule)', () => {
  it('an IO object containing a wire', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); defineModule('io_wire', (m) => {
        const a = m.input('a', UInt(8));
        const w = m.wire('w', UInt(8));
        w.assign(a);
        return { a, inner: { w } };
      });
    });
    expectReport(error, line, ["module 'io_wire'", "'w'", 'not one of its ports']);
  });

  it("an IO object containing an instance's output", () => {
    const child = defineModule('io_child', (m) => {
      const y = m.output('y', UInt(8));
      y.assign(1);
      return { y };
    });
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); defineModule('io_instout', (m) => {
        const u = m.instance(child, 'u0');
        return { y: u.io.y };
      });
    });
    expectReport(error, line, ["module 'io_instout'", "'u0_y'", 'not one of its ports']);
  });

  it("an IO object containing another module's port", () => {
    const { port } = leakyModule();
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); defineModule('io_foreign', (m) => {
        const b = m.input('b', UInt(8));
        return { b, a: port };
      });
    });
    expectReport(error, line, ["module 'io_foreign'", "'a'", 'not one of its ports']);
  });

  it('an IO error in a moduleGenerator is reported where the generator is called', () => {
    const gen = moduleGenerator('gen_io', (m, params: { width: number }) => {
      const a = m.input('a', UInt(params.width));
      const w = m.wire('w', UInt(params.width));
      w.assign(a);
      return { a, w };
    });
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); gen({ width: 4 });
    });
    expectReport(error, line, ["module 'gen_io'", "'w'", 'not one of its ports']);
  });

  it('an IO object containing a computed expression', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); defineModule('io_expr', (m) => {
        const a = m.input('a', UInt(8));
        return { a, sum: a.add(1) };
      });
    });
    expectReport(error, line, ["module 'io_expr'", 'not one of its ports']);
  });

  it('an IO object containing a computed expression, in a module with a memory', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); defineModule('io_expr_mem', (m) => {
        const a = m.input('a', UInt(1));
        m.memory('mem', { shape: UInt(8), depth: 2 }).write(a, 1);
        return { a, next: a.add(1) };
      });
    });
    expectReport(error, line, ["module 'io_expr_mem'", 'not one of its ports']);
  });
});

// ---- ElaborationError: connect, registers, instances ----------------------------------------------------------

describe('ElaborationError: connect of mismatched aggregates', () => {
  it('Vecs of different lengths', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('connect_vec', (m) => {
        const a = m.input('a', Vec(3, UInt(8)));
        const o = m.output('o', Vec(2, UInt(8)));
        line = here(); connect(o, a);
        return { a, o };
      }),
    );
    expectReport(error, line, ['connect', '2 elements']);
  });

  it('a bundle whose source lacks a field', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('connect_field', (m) => {
        const a = m.input('a', Bundle({ x: UInt(8) }));
        const o = m.output('o', Bundle({ x: UInt(8), y: UInt(8) }));
        line = here(); connect(o, a);
        return { a, o };
      }),
    );
    expectReport(error, line, ['connect', "field 'y'"]);
  });

  it('a single value against an aggregate', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('connect_leaf', (m) => {
        const a = m.input('a', Vec(2, UInt(8)));
        const o = m.output('o', Bundle({ x: UInt(8), v: UInt(8) }));
        line = here(); connect(o, { x: a[0]!, v: a });
        return { a, o };
      }),
    );
    expectReport(error, line, ['connect', "'v'", 'single value', 'aggregate']);
  });

  it('a vector against a bundle', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('connect_kind', (m) => {
        const a = m.input('a', Vec(2, UInt(8)));
        const o = m.output('o', Bundle({ x: UInt(8), y: UInt(8) }));
        line = here(); connect(o, a);
        return { a, o };
      }),
    );
    expectReport(error, line, ['connect', 'bundle']);
  });

  it('an expression as the sink', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('connect_sink', (m) => {
        const a = m.input('a', UInt(8));
        line = here(); connect(a.add(1), a);
        return { a };
      }),
    );
    expectReport(error, line, ['connect', 'sink', 'expression']);
  });

  it('a flipped leaf (ready) whose source side is an expression', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('connect_flipped', (m) => {
        const inp = m.input('inp', Stream(UInt(8)));
        const out = m.output('out', Stream(UInt(8)));
        line = here(); connect(out, { valid: inp.valid, ready: inp.ready.not(), data: inp.data });
        return { inp, out };
      }),
    );
    expectReport(error, line, ['connect', "'out_ready'", 'must be a signal']);
  });

  it('Vecs of different lengths: the message gives both lengths and names the vectors', () => {
    const error = expectHdlError(ElaborationError, () =>
      defineModule('connect_vec_named', (m) => {
        const a = m.input('a', Vec(3, UInt(8)));
        const o = m.output('o', Vec(2, UInt(8)));
        connect(o, a);
        return { a, o };
      }),
    );
    for (const text of ['2', '3', "'o", "'a"]) expect(error.detail).toContain(text);
  });
});

describe('ElaborationError: clocks and instance ports', () => {
  it('a register clocked by a data input', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('data_clock', (m) => {
        const en = m.input('en', Bool);
        line = here(); m.reg('r', UInt(8), { clock: en });
        return { en };
      }),
    );
    expectReport(error, line, ["register 'r'", "'en'", 'not a clock input']);
  });

  it('a register clocked by a wire', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('wire_clock', (m) => {
        const w = m.wire('gated', Bool);
        w.assign(1);
        line = here(); m.reg('r', UInt(8), { clock: w });
        return {};
      }),
    );
    expectReport(error, line, ["register 'r'", "'gated'", 'not a clock input']);
  });

  it('asking an instance for a port it does not have', () => {
    const child = defineModule('port_child', (m) => {
      const a = m.input('a', UInt(8));
      const y = m.output('y', UInt(8));
      y.assign(a);
      return { a, y };
    });
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('bad_port', (m) => {
        const u = m.instance(child, 'u0');
        u.io.a.assign(0);
        line = here(); u.port('b');
      }),
    );
    expectReport(error, line, ["module 'port_child'", "port 'b'", 'a, y']);
  });
});
