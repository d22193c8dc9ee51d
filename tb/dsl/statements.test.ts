// Statements: wires with defaults overridden in when/elseWhen/otherwise (last assignment wins),
// nested whens, switch/is/default, m.node, and registers (reset values, no reset, enable, held
// in a when). Combinational behaviour is checked over many input vectors in one simulation;
// registers against a cycle-by-cycle bigint model of what each one should hold.

import { describe, expect, it } from 'vitest';
import { Bool, defineModule, emitVerilog, SInt, UInt, Vec } from '../../dsl/index.js';
import { type SimOp } from '../../sim/verilator.js';
import { combOutputTests, expectLintClean, inputVectors, once, peeked, Rng, verilogOf, wrap, type Values, simulate } from './harness.js';

// ---- combinational statements ------------------------------------------------------------------------

const combInputs = { x: UInt(8), p: Bool, q: Bool, sel: UInt(2), sel3: UInt(3), sv: SInt(3) };

function buildCombStatements() {
  return defineModule('stmt_comb', (m) => {
    const x = m.input('x', combInputs.x);
    const p = m.input('p', Bool);
    const q = m.input('q', Bool);
    const sel = m.input('sel', combInputs.sel);
    const sel3 = m.input('sel3', combInputs.sel3);
    const sv = m.input('sv', combInputs.sv);

    // A default, then a when/elseWhen chain without otherwise: the default holds when neither fires.
    const w1 = m.wire('w1', UInt(8));
    w1.assign(0);
    m.when(p, () => w1.assign(x)).elseWhen(q, () => w1.assign(x.addWrap(1)));
    m.output('o_default_when', UInt(8)).assign(w1);

    // No default: the chain ends in otherwise, so every path drives the output.
    const chain = m.output('o_chain', UInt(3));
    m.when(p, () => chain.assign(1))
      .elseWhen(q, () => chain.assign(2))
      .elseWhen(sel.eq(3), () => chain.assign(3))
      .otherwise(() => chain.assign(4));

    // Nested whens, then a later when overriding everything before it.
    const nested = m.output('o_nested', UInt(4));
    nested.assign(1);
    m.when(p, () => {
      nested.assign(2);
      m.when(q, () => nested.assign(3)).otherwise(() => {
        m.when(sel.eq(0), () => nested.assign(4));
      });
    });
    m.when(x.eq(0), () => nested.assign(9));

    // Two independent whens: the later one wins when both fire.
    const later = m.output('o_last_wins', UInt(8));
    later.assign(x);
    m.when(p, () => later.assign(1));
    m.when(q, () => later.assign(2));

    // switch with a multi-value is and a default.
    const sw = m.output('o_switch', UInt(7));
    m.switch(sel3)
      .is(0, () => sw.assign(10))
      .is([1, 2], () => sw.assign(12))
      .is([3, 6], () => sw.assign(36))
      .default(() => sw.assign(99));

    // switch without default: the earlier assignment holds for values no case names.
    const hold = m.output('o_switch_hold', UInt(7));
    hold.assign(100);
    m.switch(sel3)
      .is(1, () => hold.assign(11))
      .is([2, 5], () => hold.assign(25));

    // A switch naming every selector value needs no default to drive its target on every path.
    const full = m.output('o_switch_full', UInt(8));
    m.switch(sel)
      .is(0, () => full.assign(x))
      .is(1, () => full.assign(x.not()))
      .is(2, () => full.assign(x.shr(1)))
      .is(3, () => full.assign(0));

    // A signed selector matches negative case values.
    const ss = m.output('o_switch_signed', SInt(4));
    m.switch(sv)
      .is(-1, () => ss.assign(-8))
      .is([-4, 3], () => ss.assign(7))
      .default(() => ss.assign(sv));

    // switch inside when, and when inside switch.
    const mix = m.output('o_mixed', UInt(3));
    mix.assign(0);
    m.when(p, () => {
      m.switch(sel)
        .is(0, () => mix.assign(1))
        .is(3, () => mix.assign(2));
    });
    m.switch(sel3).is(7, () => {
      m.when(q, () => mix.assign(7));
    });

    // A signed wire with a negative override.
    const sw8 = m.wire('sw8', SInt(8));
    sw8.assign(sv);
    m.when(q, () => sw8.assign(-100));
    m.output('o_signed_wire', SInt(8)).assign(sw8);

    // A Vec wire whose elements are assigned separately, one of them in a when.
    const pair = m.wire('pair', Vec(2, UInt(4)));
    pair[0]!.assign(x.slice(3, 0));
    pair[1]!.assign(x.slice(7, 4));
    m.when(p, () => pair[0]!.assign(pair[1]!));
    m.output('o_vec0', UInt(4)).assign(pair[0]!);
    m.output('o_vec1', UInt(4)).assign(pair[1]!);

    // m.node names an intermediate value that two outputs read.
    const sum = m.node('sum', x.add(sel));
    m.output('o_node', UInt(9)).assign(sum);
    m.output('o_node_half', UInt(8)).assign(sum.shr(1));
    return {};
  });
}

describe('combinational statements', () => {
  const design = once(() => emitVerilog(buildCombStatements()));
  const vectors = inputVectors(combInputs, { seed: 11, cross: [['p', 'q'], ['sel3', 'sv'], ['x', 'sel']], mixed: 64, random: 32 });
  const b = (v: Readonly<Values>, name: string): boolean => v[name] === 1n;

  it('m.node declares a named wire in the emitted Verilog', () => {
    expect(verilogOf(design())).toMatch(/^\s*wire\s+\[8:0\]\s+sum;/m);
  });

  combOutputTests(design, vectors, [
    {
      name: 'o_default_when',
      what: 'default 0, then when(p) x, elseWhen(q) x+1',
      width: 8,
      signed: false,
      model: (v) => (b(v, 'p') ? v.x : b(v, 'q') ? wrap(v.x + 1n, 8, false) : 0n),
    },
    {
      name: 'o_chain',
      what: 'when/elseWhen/elseWhen/otherwise picks the first true branch',
      width: 3,
      signed: false,
      model: (v) => (b(v, 'p') ? 1n : b(v, 'q') ? 2n : v.sel === 3n ? 3n : 4n),
    },
    {
      name: 'o_nested',
      what: 'nested whens and a later override: the last assignment that runs wins',
      width: 4,
      signed: false,
      model: (v) => {
        let r = 1n;
        if (b(v, 'p')) {
          r = 2n;
          if (b(v, 'q')) r = 3n;
          else if (v.sel === 0n) r = 4n;
        }
        if (v.x === 0n) r = 9n;
        return r;
      },
    },
    {
      name: 'o_last_wins',
      what: 'of two whens that both fire, the later one wins',
      width: 8,
      signed: false,
      model: (v) => (b(v, 'q') ? 2n : b(v, 'p') ? 1n : v.x),
    },
    {
      name: 'o_switch',
      what: 'switch with single and multi-value is, and default',
      width: 7,
      signed: false,
      model: (v) => ({ 0: 10n, 1: 12n, 2: 12n, 3: 36n, 6: 36n })[Number(v.sel3)] ?? 99n,
    },
    {
      name: 'o_switch_hold',
      what: 'switch without default keeps the prior assignment for unnamed values',
      width: 7,
      signed: false,
      model: (v) => ({ 1: 11n, 2: 25n, 5: 25n })[Number(v.sel3)] ?? 100n,
    },
    {
      name: 'o_switch_full',
      what: 'switch covering every value without default',
      width: 8,
      signed: false,
      model: (v) => [v.x, v.x ^ 0xffn, v.x >> 1n, 0n][Number(v.sel)]!,
    },
    {
      name: 'o_switch_signed',
      what: 'switch on a signed selector with negative case values',
      width: 4,
      signed: true,
      model: (v) => (v.sv === -1n ? -8n : v.sv === -4n || v.sv === 3n ? 7n : v.sv),
    },
    {
      name: 'o_mixed',
      what: 'switch inside when, and when inside switch',
      width: 3,
      signed: false,
      model: (v) => {
        let r = 0n;
        if (b(v, 'p')) {
          if (v.sel === 0n) r = 1n;
          else if (v.sel === 3n) r = 2n;
        }
        if (v.sel3 === 7n && b(v, 'q')) r = 7n;
        return r;
      },
    },
    {
      name: 'o_signed_wire',
      what: 'a signed wire: default sv (sign-extended), -100 under when(q)',
      width: 8,
      signed: true,
      model: (v) => (b(v, 'q') ? -100n : v.sv),
    },
    { name: 'o_vec0', what: 'Vec wire element 0, overridden by element 1 under when(p)', width: 4, signed: false, model: (v) => (b(v, 'p') ? v.x >> 4n : v.x & 15n) },
    { name: 'o_vec1', what: 'Vec wire element 1', width: 4, signed: false, model: (v) => v.x >> 4n },
    { name: 'o_node', what: 'a node read whole', width: 9, signed: false, model: (v) => v.x + v.sel },
    { name: 'o_node_half', what: 'the same node read shifted', width: 8, signed: false, model: (v) => (v.x + v.sel) >> 1n },
  ]);
});

// ---- registers -------------------------------------------------------------------------------------------

function buildRegisters() {
  return defineModule('stmt_regs', (m) => {
    const x = m.input('x', UInt(8));
    const p = m.input('p', Bool);
    const en = m.input('en', Bool);

    const acc = m.reg('acc', UInt(8), { init: 5 });
    acc.assign(acc.addWrap(x));
    const down = m.reg('down', SInt(8), { init: -3 });
    down.assign(down.subWrap(1));
    const dly = m.reg('dly', UInt(8)); // no reset: follows x even while rst is high
    dly.assign(x);
    const gated = m.reg('gated', UInt(8), { init: 0, enable: en });
    gated.assign(x);
    const held = m.reg('held', UInt(8), { init: 0 });
    m.when(p, () => held.assign(x));
    const both = m.reg('both', UInt(8), { init: 1, enable: en });
    m.when(p, () => both.assign(both.addWrap(x)));
    const cnt = m.reg('cnt', UInt(4), { init: 0 });
    m.when(p, () => cnt.assign(cnt.addWrap(1))).elseWhen(en, () => cnt.assign(0));
    const pair = m.reg('pair', Vec(2, SInt(4)), { init: -1 });
    pair[0]!.assign(x.slice(3, 0).asSigned());
    pair[1]!.assign(pair[0]!);
    const sgated = m.reg('sgated', SInt(8), { init: -128, enable: en });
    sgated.assign(x.asSigned());

    for (const r of [acc, down, dly, gated, held, both, cnt, pair[0]!, pair[1]!, sgated]) m.output(`q_${r.name}`, r.shape).assign(r);
    return {};
  });
}

interface RegState {
  acc: bigint;
  down: bigint;
  dly: bigint | undefined;
  gated: bigint;
  held: bigint;
  both: bigint;
  cnt: bigint;
  pair_0: bigint;
  pair_1: bigint;
  sgated: bigint;
}

const registerReset = (dly: bigint | undefined): RegState => ({ acc: 5n, down: -3n, dly, gated: 0n, held: 0n, both: 1n, cnt: 0n, pair_0: -1n, pair_1: -1n, sgated: -128n });

/** One clock edge of the register model. */
function registerStep(s: RegState, inp: { x: bigint; p: boolean; en: boolean; rst: boolean }): RegState {
  // A synchronous reset wins over the enable; registers without reset keep loading.
  if (inp.rst) return registerReset(inp.x);
  return {
    acc: wrap(s.acc + inp.x, 8, false),
    down: wrap(s.down - 1n, 8, true),
    dly: inp.x,
    gated: inp.en ? inp.x : s.gated,
    held: inp.p ? inp.x : s.held,
    both: inp.en && inp.p ? wrap(s.both + inp.x, 8, false) : s.both,
    cnt: inp.p ? wrap(s.cnt + 1n, 4, false) : inp.en ? 0n : s.cnt,
    pair_0: BigInt.asIntN(4, inp.x),
    pair_1: s.pair_0,
    sgated: inp.en ? BigInt.asIntN(8, inp.x) : s.sgated,
  };
}

describe('registers', () => {
  const design = once(() => emitVerilog(buildRegisters()));
  const names = ['acc', 'down', 'dly', 'gated', 'held', 'both', 'cnt', 'pair_0', 'pair_1', 'sgated'] as const;
  const ports = names.map((n) => `q_${n}`);

  it('emits Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
    await expectLintClean(design());
  });

  it('load their init values on reset, including a negative signed one and every leaf of a Vec', async () => {
    const result = await simulate(design(), [{ poke: { rst: 1, x: 0x5a } }, { step: 1 }, { peek: ports }]);
    const got = Object.fromEntries(names.map((n) => [n, peeked(result, `q_${n}`)[0]]));
    expect(got).toEqual({ ...registerReset(0x5an) });
  });

  it('follow the cycle model: accumulate, hold without enable, hold outside their when, reset mid-run', async () => {
    const rng = new Rng(12);
    const cycles = 120;
    const ops: SimOp[] = [{ poke: { rst: 1 } }, { step: 1 }];
    let state = registerReset(0n);
    const expected: RegState[] = [];
    for (let t = 0; t < cycles; t++) {
      // A reset at cycle 60 with the enable low checks that reset wins over enable.
      const inp = { x: rng.bits(8), p: rng.chance(0.5), en: t === 60 ? false : rng.chance(0.5), rst: t === 60 };
      ops.push({ poke: { x: inp.x, p: Number(inp.p), en: Number(inp.en), rst: Number(inp.rst) } }, { step: 1 }, { peek: ports });
      state = registerStep(state, inp);
      expected.push(state);
    }
    const result = await simulate(design(), ops);
    const got = expected.map((_, t) => Object.fromEntries(names.map((n) => [n, peeked(result, `q_${n}`)[t]])));
    const bad = expected.map((e, t) => ({ t, expected: e, got: got[t] })).filter(({ expected: e, got: g }) => names.some((n) => g?.[n] !== e[n]));
    expect(bad.slice(0, 3)).toEqual([]);
  });
});
