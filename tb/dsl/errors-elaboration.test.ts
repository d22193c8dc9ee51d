// DSL errors: ElaborationError for DSL calls in the wrong place: hardware added to a finished
// module, and a dangling otherwise/elseWhen/is/default. IO objects, connect() and clocks are in
// errors-ports.
// The harness is error-harness.ts: `line = here(); offendingCall();`
// records the line of the offending call, and every error must point at it.

import { describe, expect, it } from 'vitest';
import { errorReporter, expectHdlError, here, leakyModule } from './error-harness.js';
import {
  Bool,
  defineModule,
  ElaborationError,
  UInt,
} from '../../dsl/index.js';

const { expectReport } = errorReporter(import.meta.url);

// ---- ElaborationError: a finished module ------------------------------------------------------------------

describe('ElaborationError: adding to a finished module', () => {
  it('a wire added after defineModule returned', () => {
    const { builder } = leakyModule();
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); builder.wire('late', UInt(8));
    });
    expectReport(error, line, ["module 'leaky'", 'already finished']);
  });

  it('a when added after defineModule returned', () => {
    const { builder, port } = leakyModule();
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); builder.when(port.eq(0), () => undefined);
    });
    expectReport(error, line, ["module 'leaky'", 'already finished']);
  });

  it('an instance added after defineModule returned', () => {
    const { builder } = leakyModule();
    const other = defineModule('other', () => ({}));
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); builder.instance(other, 'late');
    });
    expectReport(error, line, ["module 'leaky'", 'already finished']);
  });

  it('an assignment made after defineModule returned', () => {
    const { builder, wire } = leakyModule();
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); builder.connect(wire, 0);
    });
    expectReport(error, line, ["module 'leaky'", 'already finished']);
  });

  it('a memory write made after defineModule returned', () => {
    const { memory, port } = leakyModule();
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); memory.write(port, 1);
    });
    expectReport(error, line, ["module 'leaky'", 'already finished']);
  });

  it('a memory added after defineModule returned', () => {
    const { builder } = leakyModule();
    let line = 0;
    const error = expectHdlError(ElaborationError, () => {
      line = here(); builder.memory('late', { shape: UInt(8), depth: 4 });
    });
    expectReport(error, line, ["module 'leaky'", 'already finished']);
  });
});

// ---- ElaborationError: when and switch chains ----------------------------------------------------------------

describe('ElaborationError: dangling chain calls', () => {
  it('otherwise with another statement between it and its when', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('dangling_otherwise', (m) => {
        const en = m.input('en', Bool);
        const o = m.output('o', UInt(2));
        const p = m.output('p', UInt(2));
        const chain = m.when(en, () => o.assign(1));
        p.assign(0);
        line = here(); chain.otherwise(() => o.assign(2));
        return { en, o, p };
      }),
    );
    expectReport(error, line, ['otherwise', 'directly follow its when']);
  });

  it('otherwise called from inside another block', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('nested_otherwise', (m) => {
        const a = m.input('a', Bool);
        const b = m.input('b', Bool);
        const o = m.output('o', UInt(2));
        o.assign(0);
        const chain = m.when(a, () => o.assign(1));
        m.when(b, () => {
          line = here(); chain.otherwise(() => o.assign(2));
        });
        return { a, b, o };
      }),
    );
    expectReport(error, line, ['otherwise', 'same block']);
  });

  it('elseWhen after otherwise', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('late_elsewhen', (m) => {
        const a = m.input('a', Bool);
        const b = m.input('b', Bool);
        const o = m.output('o', UInt(2));
        const chain = m.when(a, () => o.assign(1));
        chain.otherwise(() => o.assign(2));
        line = here(); chain.elseWhen(b, () => o.assign(3));
        return { a, b, o };
      }),
    );
    expectReport(error, line, ['elseWhen', 'directly follow']);
  });

  it('a second otherwise', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('two_otherwise', (m) => {
        const a = m.input('a', Bool);
        const o = m.output('o', UInt(2));
        const chain = m.when(a, () => o.assign(1));
        chain.otherwise(() => o.assign(2));
        line = here(); chain.otherwise(() => o.assign(3));
        return { a, o };
      }),
    );
    expectReport(error, line, ['otherwise', 'directly follow']);
  });

  it('is after default', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('late_is', (m) => {
        const sel = m.input('sel', UInt(2));
        const o = m.output('o', UInt(2));
        const s = m.switch(sel);
        s.is(0, () => o.assign(1));
        s.default(() => o.assign(0));
        line = here(); s.is(1, () => o.assign(2));
        return { sel, o };
      }),
    );
    expectReport(error, line, ['is', 'before default']);
  });

  it('is with another statement between it and its switch', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('dangling_is', (m) => {
        const sel = m.input('sel', UInt(2));
        const o = m.output('o', UInt(2));
        const p = m.output('p', UInt(2));
        o.assign(0);
        const s = m.switch(sel);
        p.assign(1);
        line = here(); s.is(1, () => o.assign(2));
        return { sel, o, p };
      }),
    );
    expectReport(error, line, ['is', 'directly follow its switch']);
  });

  it('a second default', () => {
    let line = 0;
    const error = expectHdlError(ElaborationError, () =>
      defineModule('two_defaults', (m) => {
        const sel = m.input('sel', UInt(2));
        const o = m.output('o', UInt(2));
        const s = m.switch(sel);
        s.default(() => o.assign(0));
        line = here(); s.default(() => o.assign(1));
        return { sel, o };
      }),
    );
    expectReport(error, line, ['default', 'before default']);
  });
});
