// Hierarchy: one definition instantiated twice is emitted once, a generator called with two
// parameter sets gives two module variants (`name`, `name_1`), the implicit clock and reset reach
// child registers, Vec and Bundle ports flatten to `v_0`, `in_valid`..., and connect() wires
// bundles and streams (the Flipped `ready` flowing back) between parent and children.

import { describe, expect, it } from 'vitest';
import { Bool, Bundle, connect, defineModule, emitVerilog, moduleGenerator, SInt, Stream, UInt, Vec } from '../../dsl/index.js';
import type { EmittedDesign } from '../../dsl/index.js';
import { type SimOp } from '../../sim/verilator.js';
import { combOutputTests, expectLintClean, inputVectors, once, peeked, Rng, wrap, simulate } from './harness.js';

// ---- shared definitions, generator variants, implicit clock and reset --------------------------------

const addOne = defineModule('add_one', (m) => {
  const i = m.input('i', UInt(8));
  const o = m.output('o', UInt(9));
  o.assign(i.add(1));
  return { i, o };
});

const scale = moduleGenerator('scale', (m, { k }: { k: number }) => {
  const i = m.input('i', UInt(8));
  const o = m.output('o', UInt(12));
  o.assign(i.mul(k));
  return { i, o };
});

/** A child with a register on the implicit clock and reset: it sums its input every cycle. */
const accumulator = defineModule('accumulator', (m) => {
  const i = m.input('i', UInt(8));
  const o = m.output('o', UInt(8));
  const total = m.reg('total', UInt(8), { init: 0 });
  total.assign(total.addWrap(i));
  o.assign(total);
  return { i, o };
});

function buildHierarchy() {
  return defineModule('hier_top', (m) => {
    const x = m.input('x', UInt(8));
    const y = m.input('y', UInt(8));
    // Two instances of one definition, chained: x + 2 (the middle value truncated to 8 bits).
    const u0 = m.instance(addOne, 'u0');
    const u1 = m.instance(addOne, 'u1');
    u0.io.i.assign(x);
    u1.io.i.assign(u0.io.o.trunc(8));
    m.output('plus2', UInt(9)).assign(u1.io.o);
    // Two variants of a generator, and a third call with parameters equal to the first.
    const s3 = m.instance(scale({ k: 3 }), 's3');
    const s5 = m.instance(scale({ k: 5 }), 's5');
    const s3b = m.instance(scale({ k: 3 }), 's3b');
    s3.io.i.assign(x);
    s5.io.i.assign(x);
    s3b.io.i.assign(y);
    m.output('times3', UInt(12)).assign(s3.io.o);
    m.output('times5', UInt(12)).assign(s5.io.o);
    m.output('y_times3', UInt(12)).assign(s3b.io.o);
    // The parent has no register of its own: clk and rst exist only to reach the children.
    const a0 = m.instance(accumulator, 'a0');
    const a1 = m.instance(accumulator, 'a1');
    a0.io.i.assign(x);
    a1.io.i.assign(y);
    m.output('sum_x', UInt(8)).assign(a0.io.o);
    m.output('sum_y', UInt(8)).assign(a1.io.o);
    return {};
  });
}

const moduleNames = (design: EmittedDesign): string[] => design.modules.map((mod) => mod.name);

describe('instances and module variants', () => {
  const design = once(() => emitVerilog(buildHierarchy()));

  it('returns the same definition for equal generator parameters', () => {
    expect(scale({ k: 3 })).toBe(scale({ k: 3 }));
    expect(scale({ k: 3 })).not.toBe(scale({ k: 5 }));
  });

  it('emits a definition instantiated twice once, and two generator variants as scale and scale_1', () => {
    const names = moduleNames(design());
    expect([...names].sort()).toEqual(['accumulator', 'add_one', 'hier_top', 'scale', 'scale_1']);
    expect(names[names.length - 1]).toBe('hier_top');
    const variant = (name: string): string => design().modules.find((mod) => mod.name === name)!.text;
    // Variants are numbered in instantiation order, and their headers record their parameters.
    expect(variant('scale')).toContain('with {"k":3}');
    expect(variant('scale_1')).toContain('with {"k":5}');
    const top = variant('hier_top');
    expect(top).toMatch(/^\s*scale s3 \(/m);
    expect(top).toMatch(/^\s*scale_1 s5 \(/m);
    expect(top).toMatch(/^\s*scale s3b \(/m);
    expect(top).toMatch(/^\s*add_one u0 \(/m);
    expect(top).toMatch(/^\s*add_one u1 \(/m);
  });

  it('gives the parent clk and rst ports for its children', () => {
    expect(design().ports.filter((p) => p.role !== 'data').map((p) => [p.name, p.role])).toEqual([
      ['clk', 'clock'],
      ['rst', 'reset'],
    ]);
  });

  it('emits Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
    await expectLintClean(design());
  });

  it('computes through the instances, and child registers run on the implicit clock and reset', async () => {
    const rng = new Rng(31);
    const outputs = ['plus2', 'times3', 'times5', 'y_times3', 'sum_x', 'sum_y'];
    const ops: SimOp[] = [{ poke: { rst: 1 } }, { step: 1 }, { poke: { rst: 0 } }];
    const expected: Record<string, bigint>[] = [];
    let sumX = 0n;
    let sumY = 0n;
    for (let t = 0; t < 40; t++) {
      const x = t === 0 ? 255n : rng.bits(8);
      const y = t === 1 ? 255n : rng.bits(8);
      // A reset in the middle must clear the children's registers too.
      const rst = t === 25;
      ops.push({ poke: { x, y, rst: Number(rst) } }, { eval: true }, { peek: outputs }, { step: 1 });
      expected.push({ plus2: wrap(x + 1n, 8, false) + 1n, times3: 3n * x, times5: 5n * x, y_times3: 3n * y, sum_x: sumX, sum_y: sumY });
      sumX = rst ? 0n : wrap(sumX + x, 8, false);
      sumY = rst ? 0n : wrap(sumY + y, 8, false);
    }
    const result = await simulate(design(), ops);
    const got = expected.map((_, t) => Object.fromEntries(outputs.map((o) => [o, peeked(result, o)[t]])));
    expect(got).toEqual(expected);
  });
});

// ---- aggregate ports and connect() -------------------------------------------------------------------------

const Sample = Bundle({ valid: Bool, data: SInt(6) });

/** Vec and Bundle ports: sums a Vec, negates the data of a bundle. */
const vecSum = defineModule('vec_sum', (m) => {
  const v = m.input('v', Vec(3, UInt(4)));
  const input = m.input('in', Sample);
  const sum = m.output('sum', UInt(6));
  const out = m.output('out', Bundle({ valid: Bool, data: SInt(7) }));
  sum.assign(v[0]!.add(v[1]!).add(v[2]!));
  out.valid.assign(input.valid);
  out.data.assign(input.data.neg());
  return { v, in: input, sum, out };
});

/** A combinational stream stage: data + 1, valid forward, ready back. */
const increment = defineModule('stream_inc', (m) => {
  const input = m.input('in', Stream(UInt(8)));
  const output = m.output('out', Stream(UInt(8)));
  output.valid.assign(input.valid);
  output.data.assign(input.data.addWrap(1));
  input.ready.assign(output.ready);
  return { in: input, out: output };
});

function buildAggregates() {
  return defineModule('agg_top', (m) => {
    const v = m.input('v', Vec(3, UInt(4)));
    const sample = m.input('in', Sample);
    const sum = m.output('sum', UInt(6));
    const out = m.output('out', Bundle({ valid: Bool, data: SInt(7) }));
    const c = m.instance(vecSum, 'c');
    connect(c.io.v, v);
    connect(c.io.in, sample);
    connect(out, c.io.out);
    sum.assign(c.io.sum);

    // s -> p1 -> p2 -> t: streams connected parent-to-child, child-to-child and child-to-parent.
    const s = m.input('s', Stream(UInt(8)));
    const t = m.output('t', Stream(UInt(8)));
    const p1 = m.instance(increment, 'p1');
    const p2 = m.instance(increment, 'p2');
    connect(p1.io.in, s);
    connect(p2.io.in, p1.io.out);
    connect(t, p2.io.out);
    return {};
  });
}

describe('aggregate ports and connect()', () => {
  const design = once(() => emitVerilog(buildAggregates()));

  it('flattens Vec and Bundle ports to one port per leaf, with Flipped ready reversed', () => {
    expect(design().ports.map((p) => `${p.direction} ${p.name}${p.signed ? ' signed' : ''}`)).toEqual([
      'input v_0',
      'input v_1',
      'input v_2',
      'input in_valid',
      'input in_data signed',
      'output sum',
      'output out_valid',
      'output out_data signed',
      'input s_valid',
      'output s_ready',
      'input s_data',
      'output t_valid',
      'input t_ready',
      'output t_data',
    ]);
    const child = design().modules.find((mod) => mod.name === 'vec_sum')!.text;
    for (const port of ['v_0', 'v_1', 'v_2', 'in_valid', 'in_data', 'out_valid', 'out_data']) expect(child).toMatch(new RegExp(`\\b${port}\\b`));
    const stream = design().modules.find((mod) => mod.name === 'stream_inc')!.text;
    expect(stream).toMatch(/output\s+wire\s+in_ready\b/);
    expect(stream).toMatch(/input\s+wire\s+out_ready\b/);
  });

  const inputs = { v_0: UInt(4), v_1: UInt(4), v_2: UInt(4), in_valid: Bool, in_data: SInt(6), s_valid: Bool, s_data: UInt(8), t_ready: Bool };
  const vectors = inputVectors(inputs, { seed: 32, cross: [['v_0', 'v_2'], ['in_data', 's_data']], mixed: 32, random: 16 });
  combOutputTests(design, vectors, [
    { name: 'sum', what: 'a Vec port connected with connect() reaches the child', width: 6, signed: false, model: (v) => v.v_0 + v.v_1 + v.v_2 },
    { name: 'out_valid', what: 'bundle valid flows parent -> child -> parent', width: 1, signed: false, model: (v) => v.in_valid },
    { name: 'out_data', what: 'bundle signed data flows through, negated', width: 7, signed: true, model: (v) => -v.in_data },
    { name: 't_valid', what: 'stream valid flows forward through two children', width: 1, signed: false, model: (v) => v.s_valid },
    { name: 't_data', what: 'stream data flows forward, incremented twice', width: 8, signed: false, model: (v) => wrap(v.s_data + 2n, 8, false) },
    { name: 's_ready', what: 'the Flipped ready flows back from the consumer to the producer', width: 1, signed: false, model: (v) => v.t_ready },
  ]);
});
