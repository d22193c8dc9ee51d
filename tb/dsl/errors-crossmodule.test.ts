// DSL errors: CrossModuleError, for a value of one module used while building another. Modules
// only talk through instance ports; the tests leak a finished module's signals to provoke it.
// The harness is error-harness.ts: `line = here(); offendingCall();`
// records the line of the offending call, and every error must point at it.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here, leakyModule } from './error-harness.js';
import {
  cat,
  CrossModuleError,
  defineModule,
  mux,
  UInt,
} from '../../dsl/index.js';

const { expectReport } = errorReporter(import.meta.url);

// ---- CrossModuleError --------------------------------------------------------------------------------------

describe('CrossModuleError', () => {
  it('combining values of two different modules in one expression', () => {
    const { port } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('mixer', (m) => {
        const b = m.input('b', UInt(8));
        line = here(); b.add(port);
        return { b };
      }),
    );
    expectReport(error, line, ["module 'leaky'", "module 'mixer'", 'instance ports']);
  });

  it('concatenating values of two different modules', () => {
    const { wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('mixer_cat', (m) => {
        const b = m.input('b', UInt(8));
        line = here(); cat(b, wire);
        return { b };
      }),
    );
    expectReport(error, line, ["module 'leaky'", "module 'mixer_cat'"]);
  });

  it('a mux whose condition belongs to another module', () => {
    const { wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('mixer_mux', (m) => {
        const b = m.input('b', UInt(8));
        line = here(); mux(wire.orR(), b, 0);
        return { b };
      }),
    );
    expectReport(error, line, ["module 'leaky'", "module 'mixer_mux'"]);
  });

  it("reading a child's internal signal in the parent", () => {
    const { wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('reader', (m) => {
        const o = m.output('o', UInt(8));
        line = here(); o.assign(wire);
        return { o };
      }),
    );
    expectReport(error, line, ["'o'", "module 'leaky'", "module 'reader'"]);
  });

  it("a when condition reading another module's signal", () => {
    const { wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('cond_reader', (m) => {
        line = here(); m.when(wire.eq(0), () => undefined);
        return {};
      }),
    );
    expectReport(error, line, ['when condition', "module 'leaky'", "module 'cond_reader'"]);
  });

  it("a switch selector reading another module's signal", () => {
    const { wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('switch_reader', (m) => {
        line = here(); m.switch(wire);
        return {};
      }),
    );
    expectReport(error, line, ['switch selector', "module 'leaky'", "module 'switch_reader'"]);
  });

  it("a memory address from another module's signal", () => {
    const { wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('addr_reader', (m) => {
        const mem = m.memory('lut', { shape: UInt(8), depth: 256 });
        line = here(); mem.read(wire);
        return {};
      }),
    );
    expectReport(error, line, ["memory 'lut'", "module 'leaky'", "module 'addr_reader'"]);
  });

  it("a register clocked by another module's clock", () => {
    const { builder } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('foreign_clock', (m) => {
        line = here(); m.reg('r', UInt(8), { clock: builder.clock });
        return {};
      }),
    );
    expectReport(error, line, ["register 'r'", "module 'leaky'", "module 'foreign_clock'"]);
  });

  it("driving a child's internal signal through the parent's connect()", () => {
    const { wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('driver', (m) => {
        const x = m.input('x', UInt(8));
        line = here(); m.connect(wire, x);
        return { x };
      }),
    );
    expectReport(error, line, ["'w'", "module 'leaky'", "module 'driver'"]);
  });

  it("assigning a child's internal signal from the parent", () => {
    const { wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('assigner', (m) => {
        const x = m.input('x', UInt(8));
        line = here(); wire.assign(x);
        return { x };
      }),
    );
    expectReport(error, line, ["'w'", "module 'leaky'", "module 'assigner'"]);
  });

  it("assigning a child module's port signal from the parent", () => {
    const { port } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('port_assigner', (m) => {
        line = here(); port.assign(1);
        return {};
      }),
    );
    expectReport(error, line, ["'a'", "module 'leaky'", "module 'port_assigner'"]);
  });

  it("reading a child's memory from the parent", () => {
    const { memory } = leakyModule();
    let line = 0;
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('mem_reader', (m) => {
        const addr = m.input('addr', UInt(8));
        line = here(); memory.read(addr);
        return { addr };
      }),
    );
    expectReport(error, line, ["memory 'mem'", "module 'leaky'", "module 'mem_reader'"]);
  });

  it("reading a child's internal signal names that signal", () => {
    const { wire } = leakyModule();
    const error = expectHdlError(CrossModuleError, () =>
      defineModule('reader_named', (m) => {
        const o = m.output('o', UInt(8));
        o.assign(wire);
        return { o };
      }),
    );
    expect(error.detail).toContain("'w'");
  });
});
