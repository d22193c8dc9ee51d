// Dead logic is reported, not only hidden from lint: every wire, register, memory or instance whose
// value reaches no output comes back as a warning at the user's line (dsl/unused.ts), and every
// registered generator at its default config elaborates without one.

import { describe, expect, it } from 'vitest';
import { Bool, connect, defineModule, emitVerilog, SInt, Stream, UInt, Vec } from '../../dsl/index.js';
import { fifo } from '../../dsl/lib/index.js';
import { registry } from '../../generators/index.js';

const thisFile = 'tb/dsl/unused.test.ts';

/** The line of the caller: where a test declares the thing it expects a warning about. */
function lineHere(): number {
  const frame = new Error().stack?.split('\n')[2] ?? '';
  return Number(/:(\d+):\d+\)?$/.exec(frame)?.[1]);
}

describe('warnings about logic nothing reads', () => {
  it("names an unread register's file and line (the FIR with a forgotten tap)", () => {
    let tapLine = 0;
    const fir = defineModule('fir', (m) => {
      const x = m.input('x', SInt(8));
      const y = m.output('y', SInt(10));
      const tap1 = m.reg('tap1', SInt(8));
      tapLine = lineHere() + 1;
      const tap2 = m.reg('tap2', SInt(8));
      tap1.assign(x);
      tap2.assign(tap1);
      y.assign(x.add(tap1)); // the bug: tap2 never makes it into the sum
      return { x, y };
    });
    const { warnings, modules } = emitVerilog(fir);
    expect(warnings).toHaveLength(1);
    expect(warnings![0]).toMatchObject({ module: 'fir', names: ['tap2'], loc: { line: tapLine } });
    expect(warnings![0]!.message).toBe(`${thisFile}:${tapLine}: register 'tap2' of module 'fir' is never read`);
    // The Verilog still keeps lint quiet about it.
    expect(modules[0]!.text).toMatch(/wire _unused = &\{1'b0, tap2, 1'b0\};/);
  });

  it('reports a register that only feeds itself, and the wire that only feeds it', () => {
    const top = defineModule('spin', (m) => {
      const go = m.input('go', Bool);
      const y = m.output('y', Bool);
      const count = m.reg('count', UInt(4), { init: 0 });
      const next = m.node('next', count.addWrap(1));
      m.when(go, () => count.assign(next));
      y.assign(go);
      return { go, y };
    });
    const details = emitVerilog(top).warnings!.map((w) => w.detail);
    expect(details).toEqual([
      "register 'count' of module 'spin' is read only by logic that reaches no output",
      "wire 'next' of module 'spin' is read only by logic that reaches no output",
    ]);
  });

  it('reports an instance none of whose outputs is read, once for the module however often it is used', () => {
    const child = defineModule('child', (m) => {
      const a = m.input('a', UInt(4));
      const b = m.output('b', UInt(4));
      const spare = m.wire('spare', UInt(4));
      spare.assign(a);
      b.assign(a);
      return { a, b };
    });
    const top = defineModule('parent', (m) => {
      const a = m.input('a', UInt(4));
      const b = m.output('b', UInt(4));
      const used = m.instance(child, 'used');
      used.io.a.assign(a);
      b.assign(used.io.b);
      const idle = m.instance(child, 'idle');
      idle.io.a.assign(a);
      return { a, b };
    });
    const details = emitVerilog(top).warnings!.map((w) => w.detail);
    expect(details).toEqual([
      "wire 'spare' of module 'child' is never read",
      "instance 'idle' of module 'parent' is never used: none of its outputs is read",
    ]);
  });

  it('gives the leaves of one aggregate one warning, and leaves unread input ports alone', () => {
    let tapsLine = 0;
    const top = defineModule('taps', (m) => {
      const x = m.input('x', UInt(4));
      m.input('spare_in', UInt(4)); // an interface decision, not dead logic
      const y = m.output('y', UInt(4));
      tapsLine = lineHere() + 1;
      const taps = m.reg('taps', Vec(5, UInt(4)));
      for (const tap of taps) tap.assign(x);
      y.assign(x);
      return { x, y };
    });
    expect(emitVerilog(top).warnings!.map((w) => w.message)).toEqual([
      `${thisFile}:${tapsLine}: registers 'taps_0', 'taps_1', 'taps_2' and 2 more of module 'taps' are never read`,
    ]);
  });

  it('says nothing about a design whose every value reaches an output, through instances and memories', () => {
    const top = defineModule('clean', (m) => {
      const x = m.input('x', Stream(UInt(8)));
      const y = m.output('y', Stream(UInt(8)));
      const queue = m.instance(fifo({ width: 8, depth: 4 }), 'buffer');
      connect(queue.io.in, x);
      const store = m.memory('store', { shape: UInt(8), depth: 4 });
      store.write(queue.io.out.data.trunc(2), queue.io.out.data);
      const word = store.read(queue.io.out.data.trunc(2));
      y.valid.assign(queue.io.out.valid);
      y.data.assign(word);
      queue.io.out.ready.assign(y.ready);
      return { x, y };
    });
    expect(emitVerilog(top).warnings).toEqual([]);
  });
});

describe('built-in generators', () => {
  it.each([...registry.keys()])('%s elaborates at its default config without warnings', (name) => {
    const spec = registry.get(name)!;
    const design = spec.generate(spec.schema.parse({}));
    expect(design.warnings?.map((w) => w.message) ?? []).toEqual([]);
  });
});
