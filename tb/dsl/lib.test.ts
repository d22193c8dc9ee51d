// The DSL library (dsl/lib): adder trees (plain and pipelined), delay lines, counters, the
// stream register stage and the FIFO, simulated in Verilator against bigint models. Streams are
// driven by a producer inside the test module (a sequence counter that advances on each accepted
// beat), so random valid/ready stalls can be applied from a precomputed script while the test
// still sees exactly which beats were offered, accepted and delivered.

import { describe, expect, it } from 'vitest';
import { Bool, defineModule, emitVerilog, SInt, Stream, UInt, Vec, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import { adderTree, adderTreeLatency, counter, delay, fifo, pipelinedAdderTree, streamStage } from '../../dsl/lib/index.js';
import { type SimOp, type SimResult } from '../../sim/verilator.js';
import { combSuite, expectLintClean, once, peeked, Rng, type CombCase, simulate } from './harness.js';

// ---- adderTree -----------------------------------------------------------------------------------------

const treeInputs = {
  u0: UInt(6), u1: UInt(6), u2: UInt(6), u3: UInt(6), u4: UInt(6),
  s0: SInt(5), s1: SInt(5), s2: SInt(5), s3: SInt(5), s4: SInt(5), s5: SInt(5), s6: SInt(5),
};
type TreeInputs = typeof treeInputs;
const uNames = ['u0', 'u1', 'u2', 'u3', 'u4'] as const;
const sNames = ['s0', 's1', 's2', 's3', 's4', 's5', 's6'] as const;
const all = (names: readonly (keyof TreeInputs)[], value: bigint) => Object.fromEntries(names.map((n) => [n, value]));

{
  const sum = (values: readonly bigint[]): bigint => values.reduce((acc, x) => acc + x, 0n);
  const treeCase = (name: string, what: string, width: number, signed: boolean, names: readonly (keyof TreeInputs)[]): CombCase<TreeInputs> => ({
    name,
    what,
    width,
    signed,
    build: (io) => adderTree(names.map((n) => io[n])),
    model: (v) => sum(names.map((n) => v[n])),
  });
  combSuite('adderTree', {
    module: 'lib_adder_tree',
    inputs: treeInputs,
    vectors: {
      seed: 41,
      // Every operand at its maximum or minimum: the sums that need the full output width.
      extra: [all(uNames, 63n), all([...uNames, ...sNames], 0n), all(sNames, -16n), all(sNames, 15n), { ...all(sNames, -16n), s6: 15n }],
      mixed: 64,
      random: 32,
    },
    cases: [
      // Each level adds one bit: 5 values take 3 levels, 7 values take 3 levels.
      treeCase('usum5', 'exact sum of 5 unsigned 6-bit values (odd count)', 9, false, uNames),
      treeCase('ssum7', 'exact sum of 7 signed 5-bit values (odd count)', 8, true, sNames),
      treeCase('ssum3', 'exact sum of 3 signed values', 7, true, ['s0', 's1', 's2']),
      treeCase('usum4', 'exact sum of 4 unsigned values', 8, false, ['u0', 'u1', 'u2', 'u3']),
      treeCase('usum2', 'exact sum of 2 unsigned values', 7, false, ['u3', 'u4']),
      treeCase('ssum1', 'a single value is the value itself', 5, true, ['s6']),
    ],
  });
}

// ---- pipelinedAdderTree ----------------------------------------------------------------------------------

const pipeCount = 5;
const pipeVariants = [
  { name: 'p1', levelsPerStage: 1, enabled: false },
  { name: 'p2', levelsPerStage: 2, enabled: false },
  { name: 'p3', levelsPerStage: 3, enabled: false },
  { name: 'pe', levelsPerStage: 1, enabled: true },
] as const;

function buildPipelinedTrees() {
  return defineModule('lib_pipe_tree', (m) => {
    const values = m.input('x', Vec(pipeCount, SInt(6)));
    const en = m.input('en', Bool);
    for (const variant of pipeVariants) {
      const total = pipelinedAdderTree(m, variant.name, values, variant.enabled ? { levelsPerStage: variant.levelsPerStage, enable: en } : { levelsPerStage: variant.levelsPerStage });
      m.output(`sum_${variant.name}`, total.shape).assign(total);
    }
    return {};
  });
}

describe('pipelinedAdderTree', () => {
  const design = once(() => emitVerilog(buildPipelinedTrees()));

  it('has the documented latency: ceil(levels / levelsPerStage)', () => {
    expect(pipeVariants.map((v) => adderTreeLatency(pipeCount, v.levelsPerStage))).toEqual([3, 2, 1, 3]);
    expect([1, 2, 3, 8, 9].map((n) => adderTreeLatency(n))).toEqual([0, 1, 2, 3, 4]);
  });

  it('emits Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
    await expectLintClean(design());
  });

  it('gives the exact sum exactly adderTreeLatency cycles after the inputs, advancing only while enabled', async () => {
    const rng = new Rng(42);
    const cycles = 80;
    const ops: SimOp[] = [];
    const sums: bigint[] = [];
    const enables: boolean[] = [];
    const outputs = pipeVariants.map((v) => `sum_${v.name}`);
    for (let t = 0; t < cycles; t++) {
      const xs = Array.from({ length: pipeCount }, (_, i) => (t % 7 === 0 ? (i % 2 === 0 ? -32n : 31n) : t % 11 === 0 ? -32n : rng.value(6, true)));
      const en = rng.chance(0.6);
      sums.push(xs.reduce((a, b) => a + b, 0n));
      enables.push(en);
      ops.push({ poke: { ...Object.fromEntries(xs.map((x, i) => [`x_${i}`, x])), en: Number(en) } }, { eval: true }, { peek: outputs }, { step: 1 });
    }
    const result = await simulate(design(), ops);
    for (const variant of pipeVariants) {
      const latency = adderTreeLatency(pipeCount, variant.levelsPerStage);
      const got = peeked(result, `sum_${variant.name}`);
      const expected: (bigint | undefined)[] = [];
      // With an enable, all stages shift together: the output is the sum sampled at the
      // `latency`-th most recent enabled edge.
      const sampled: bigint[] = [];
      for (let t = 0; t < cycles; t++) {
        if (variant.enabled) expected.push(sampled.length >= latency ? sampled[sampled.length - latency] : undefined);
        else expected.push(t >= latency ? sums[t - latency] : undefined);
        if (!variant.enabled || enables[t]) sampled.push(sums[t]!);
      }
      // Registers without reset hold unspecified values until the pipeline has filled.
      const compared = got.map((g, t) => (expected[t] === undefined ? undefined : g));
      expect(compared, `variant ${variant.name} (latency ${latency})`).toEqual(expected);
    }
  });
});

// ---- delay and counter -------------------------------------------------------------------------------------

function buildSequencers() {
  return defineModule('lib_seq', (m) => {
    const x = m.input('x', UInt(8));
    const en = m.input('en', Bool);
    const clr = m.input('clr', Bool);
    const out = (name: string, e: Expr): void => m.output(name, e.shape).assign(e);

    out('d3', delay(m, 'd3', x, 3));
    out('d0', delay(m, 'd0', x, 0));
    out('de', delay(m, 'de', x, 2, { enable: en, init: 7 }));
    const sx = m.node('sx', x.asSigned());
    out('ds', delay(m, 'ds', sx, 1, { init: -5 }));

    const c8 = counter(m, 'c8', 8);
    out('q_c8', c8.value);
    out('q_c8_wrap', c8.wrap);
    const c6 = counter(m, 'c6', 6, { enable: en, clear: clr });
    out('q_c6', c6.value);
    out('q_c6_wrap', c6.wrap);
    const c5 = counter(m, 'c5', 5, { enable: en });
    out('q_c5', c5.value);
    out('q_c5_wrap', c5.wrap);
    const c4 = counter(m, 'c4', 4, { clear: clr });
    out('q_c4', c4.value);
    out('q_c4_wrap', c4.wrap);
    const c2 = counter(m, 'c2', 2, { enable: en, clear: clr });
    out('q_c2', c2.value);
    out('q_c2_wrap', c2.wrap);
    return {};
  });
}

interface CounterModel {
  readonly modulo: bigint;
  readonly enabled: boolean;
  readonly cleared: boolean;
  value: bigint;
}

describe('delay and counter', () => {
  const design = once(() => emitVerilog(buildSequencers()));

  it('emits Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
    await expectLintClean(design());
  });

  it('delay(0) is the value itself and adds no register', () => {
    const def = buildSequencers();
    expect(def.builder.signals.some((s: Signal) => s.name.startsWith('d0_'))).toBe(false);
  });

  it('follow the cycle model: delays by n cycles, enabled delay with reset value, counters wrap, enable, clear and wrap pulse', async () => {
    const rng = new Rng(43);
    const counters: Record<string, CounterModel> = {
      c8: { modulo: 8n, enabled: false, cleared: false, value: 0n },
      c6: { modulo: 6n, enabled: true, cleared: true, value: 0n },
      c5: { modulo: 5n, enabled: true, cleared: false, value: 0n },
      c4: { modulo: 4n, enabled: false, cleared: true, value: 0n },
      c2: { modulo: 2n, enabled: true, cleared: true, value: 0n },
    };
    const outputs = ['d3', 'd0', 'de', 'ds', ...Object.keys(counters).flatMap((c) => [`q_${c}`, `q_${c}_wrap`])];
    const ops: SimOp[] = [{ poke: { rst: 1 } }, { step: 1 }];
    const xs: bigint[] = [];
    let de: [bigint, bigint] = [7n, 7n];
    let ds = -5n;
    const expected: Record<string, bigint | undefined>[] = [];
    for (let t = 0; t < 150; t++) {
      const x = rng.bits(8);
      // Long runs of enable high so the counters reach their last value and wrap.
      const en = t < 40 ? true : rng.chance(0.7);
      const clr = t > 20 && rng.chance(0.08);
      const rst = t === 100;
      ops.push({ poke: { x, en: Number(en), clr: Number(clr), rst: Number(rst) } }, { eval: true }, { peek: outputs }, { step: 1 });
      const row: Record<string, bigint | undefined> = {
        d3: t >= 3 ? xs[t - 3] : undefined,
        d0: x,
        de: de[1],
        ds,
      };
      for (const [name, c] of Object.entries(counters)) {
        const stepping = !c.enabled || en;
        row[`q_${name}`] = c.value;
        row[`q_${name}_wrap`] = stepping && c.value === c.modulo - 1n ? 1n : 0n;
        // Reset wins; clear wins over counting.
        c.value = rst || (c.cleared && clr) ? 0n : stepping ? (c.value + 1n) % c.modulo : c.value;
      }
      expected.push(row);
      xs.push(x);
      de = rst ? [7n, 7n] : en ? [x, de[0]] : de;
      ds = rst ? -5n : BigInt.asIntN(8, x);
    }
    const result = await simulate(design(), ops);
    const got = expected.map((row, t) => Object.fromEntries(outputs.map((o) => [o, row[o] === undefined ? undefined : peeked(result, o)[t]])));
    const bad = expected.map((e, t) => ({ t, e, g: got[t] })).filter(({ e, g }) => outputs.some((o) => g?.[o] !== e[o]));
    expect(bad.slice(0, 3)).toEqual([]);
    // The run really exercised the wrap pulses.
    for (const name of Object.keys(counters)) expect(peeked(result, `q_${name}_wrap`).some((w) => w === 1n), name).toBe(true);
  });
});

// ---- streams: streamStage and fifo --------------------------------------------------------------------------

const SEQ_WIDTH = 16;

interface StreamPorts {
  /** Producer valid (input) and consumer ready (input). */
  readonly pv: string;
  readonly cr: string;
  /** The DUT's in.ready, out.valid, out.data, and the beat the producer offers. */
  readonly inReady: string;
  readonly outValid: string;
  readonly outData: string;
  readonly offered: string;
  readonly count?: string;
}

/**
 * The producer: a sequence counter offered as data, advancing when the beat is accepted. Returns
 * the input-side stream handles; `ports` names the top-level ports.
 */
function producer(m: ModuleBuilder, suffix: string, inReady: Expr): { valid: Signal; data: Signal } {
  const pv = m.input(`pv${suffix}`, Bool);
  const seq = m.reg(`seq${suffix}`, UInt(SEQ_WIDTH), { init: 0 });
  m.when(pv.and(inReady), () => seq.assign(seq.addWrap(1)));
  m.output(`offered${suffix}`, UInt(SEQ_WIDTH)).assign(seq);
  return { valid: pv, data: seq };
}

const streamPorts = (suffix: string, withCount: boolean): StreamPorts => ({
  pv: `pv${suffix}`,
  cr: `cr${suffix}`,
  inReady: `in_ready${suffix}`,
  outValid: `out_valid${suffix}`,
  outData: `out_data${suffix}`,
  offered: `offered${suffix}`,
  ...(withCount ? { count: `count${suffix}` } : {}),
});

const fifoDepths = [1, 3, 4] as const;

/**
 * One module holding every stream bench, each with its own producer and consumer ports (one
 * Verilator build for all): a streamStage between two Stream wires (suffix `_st`), and a fifo
 * instance per depth (suffix `_q<depth>`).
 */
function buildStreams() {
  return defineModule('lib_streams', (m) => {
    const a = m.wire('a', Stream(UInt(SEQ_WIDTH)));
    const b = m.wire('b', Stream(UInt(SEQ_WIDTH)));
    const src = producer(m, '_st', a.ready);
    a.valid.assign(src.valid);
    a.data.assign(src.data);
    streamStage(m, 'st', a, b);
    b.ready.assign(m.input('cr_st', Bool));
    m.output('in_ready_st', Bool).assign(a.ready);
    m.output('out_valid_st', Bool).assign(b.valid);
    m.output('out_data_st', UInt(SEQ_WIDTH)).assign(b.data);

    for (const depth of fifoDepths) {
      const suffix = `_q${depth}`;
      const q = m.instance(fifo({ width: SEQ_WIDTH, depth }), `q${depth}`);
      const source = producer(m, suffix, q.io.in.ready);
      q.io.in.valid.assign(source.valid);
      q.io.in.data.assign(source.data);
      q.io.out.ready.assign(m.input(`cr${suffix}`, Bool));
      m.output(`in_ready${suffix}`, Bool).assign(q.io.in.ready);
      m.output(`out_valid${suffix}`, Bool).assign(q.io.out.valid);
      m.output(`out_data${suffix}`, UInt(SEQ_WIDTH)).assign(q.io.out.data);
      m.output(`count${suffix}`, q.io.count.shape).assign(q.io.count);
    }
    return {};
  });
}

const streams = once(() => emitVerilog(buildStreams()));

describe('stream benches', () => {
  it('emit one fifo variant per depth, and Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
    expect(streams().modules.map((mod) => mod.name).sort()).toEqual(['fifo', 'fifo_1', 'fifo_2', 'lib_streams']);
    await expectLintClean(streams());
  });
});

/** What one cycle of a stream bench showed, before its clock edge. */
interface Beat {
  readonly pv: boolean;
  readonly cr: boolean;
  readonly inReady: boolean;
  readonly outValid: boolean;
  readonly outData: bigint;
  readonly offered: bigint;
  readonly count: bigint | undefined;
}

interface Plan {
  readonly pv: boolean;
  readonly cr: boolean;
}

/** Random stalls, then a fill with the consumer stalled, then a drain with the producer idle. */
function stallPlan(seed: number, random: number, fill: number, drain: number): Plan[] {
  const rng = new Rng(seed);
  const plan: Plan[] = [];
  for (let t = 0; t < random; t++) {
    // Change the stall probabilities every 25 cycles, so both ends take turns being the bottleneck.
    const era = Math.floor(t / 25) % 3;
    const [pValid, pReady] = era === 0 ? [0.5, 0.5] : era === 1 ? [0.9, 0.3] : [0.3, 0.9];
    plan.push({ pv: rng.chance(pValid), cr: rng.chance(pReady) });
  }
  for (let t = 0; t < fill; t++) plan.push({ pv: true, cr: false });
  for (let t = 0; t < drain; t++) plan.push({ pv: false, cr: true });
  return plan;
}

/** Drives `plan` into the bench after a reset, reading its ports before every clock edge. */
function benchOps(plan: readonly Plan[], ports: readonly StreamPorts[]): SimOp[] {
  const ops: SimOp[] = [{ poke: { rst: 1 } }, { step: 1 }, { poke: { rst: 0 } }];
  for (const p of plan) {
    const poke: Record<string, number> = {};
    for (const port of ports) {
      poke[port.pv] = Number(p.pv);
      poke[port.cr] = Number(p.cr);
    }
    const peeks = ports.flatMap((port) => [port.inReady, port.outValid, port.outData, port.offered, ...(port.count ? [port.count] : [])]);
    ops.push({ poke }, { eval: true }, { peek: peeks }, { step: 1 });
  }
  return ops;
}

function beatsOf(result: SimResult, plan: readonly Plan[], port: StreamPorts): Beat[] {
  return plan.map((p, t) => ({
    pv: p.pv,
    cr: p.cr,
    inReady: peeked(result, port.inReady)[t] === 1n,
    outValid: peeked(result, port.outValid)[t] === 1n,
    outData: peeked(result, port.outData)[t]!,
    offered: peeked(result, port.offered)[t]!,
    count: port.count ? peeked(result, port.count)[t] : undefined,
  }));
}

/** The beats accepted at the input and delivered at the output, in order. */
function transfers(beats: readonly Beat[]): { sent: bigint[]; received: bigint[] } {
  const sent: bigint[] = [];
  const received: bigint[] = [];
  for (const b of beats) {
    if (b.pv && b.inReady) sent.push(b.offered);
    if (b.outValid && b.cr) received.push(b.outData);
  }
  return { sent, received };
}

const iota = (n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt(i));

describe('streamStage', () => {
  const design = streams;
  const plan = stallPlan(44, 200, 6, 6);
  const port = streamPorts('_st', false);
  const beats = once(async () => beatsOf(await simulate(design(), benchOps(plan, [port])), plan, port));

  it('delivers every accepted beat once, in order, under random stalls', async () => {
    const { sent, received } = transfers(await beats());
    expect(sent).toEqual(iota(sent.length));
    // Everything accepted comes out by the end of the drain.
    expect(received).toEqual(sent);
    expect(sent.length).toBeGreaterThan(60);
  });

  it('holds valid and data stable while the consumer stalls, and is ready when empty or draining', async () => {
    const b = await beats();
    const problems: string[] = [];
    let full = false;
    b.forEach((beat, t) => {
      // One slot: ready exactly when the slot is empty or is being emptied this cycle.
      if (beat.inReady !== (!beat.outValid || beat.cr)) problems.push(`cycle ${t}: in.ready ${beat.inReady} with out.valid ${beat.outValid}, out.ready ${beat.cr}`);
      if (beat.outValid !== full) problems.push(`cycle ${t}: out.valid ${beat.outValid}, expected ${full}`);
      const next = b[t + 1];
      if (next && beat.outValid && !beat.cr && (!next.outValid || next.outData !== beat.outData)) problems.push(`cycle ${t}: a stalled beat changed`);
      full = beat.inReady ? beat.pv : full;
    });
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('moves one beat per cycle when neither side stalls', async () => {
    const plan2: Plan[] = Array.from({ length: 20 }, () => ({ pv: true, cr: true }));
    const b = beatsOf(await simulate(design(), benchOps(plan2, [port])), plan2, port);
    const { sent, received } = transfers(b);
    expect(sent).toEqual(iota(20));
    // The stage adds one cycle of latency and no bubbles.
    expect(received).toEqual(iota(19));
  });
});

describe('fifo', () => {
  const fill = 6;
  const drain = 6;
  const plan = stallPlan(45, 240, fill, drain);
  const ports = fifoDepths.map((d) => streamPorts(`_q${d}`, true));
  const result = once(() => simulate(streams(), benchOps(plan, ports)));

  for (const [i, depth] of fifoDepths.entries()) {
    describe(`depth ${depth}`, () => {
      const beats = once(async () => beatsOf(await result(), plan, ports[i]!));

      it('delivers every accepted word once, in order, under random stalls', async () => {
        const { sent, received } = transfers(await beats());
        expect(sent).toEqual(iota(sent.length));
        expect(received).toEqual(sent);
        // Even depth 1 (which cannot take a word while full, so moves at most one every other cycle) moves plenty.
        expect(sent.length).toBeGreaterThan(40);
      });

      it('counts the words held, is ready exactly when not full and valid exactly when not empty', async () => {
        const b = await beats();
        const problems: string[] = [];
        let held = 0n;
        b.forEach((beat, t) => {
          if (beat.count !== held) problems.push(`cycle ${t}: count ${beat.count}, expected ${held}`);
          if (beat.inReady !== held < BigInt(depth)) problems.push(`cycle ${t}: in.ready ${beat.inReady} holding ${held} of ${depth}`);
          if (beat.outValid !== held > 0n) problems.push(`cycle ${t}: out.valid ${beat.outValid} holding ${held}`);
          held += (beat.pv && beat.inReady ? 1n : 0n) - (beat.outValid && beat.cr ? 1n : 0n);
        });
        expect(problems.slice(0, 5)).toEqual([]);
      });

      it('fills up to its depth with the consumer stalled, then drains empty', async () => {
        const b = await beats();
        // The last cycle of the fill phase (the plan ends with `fill` then `drain` cycles).
        const lastFill = b[b.length - drain - 1]!;
        expect(lastFill.count).toBe(BigInt(depth));
        expect(lastFill.inReady).toBe(false);
        const last = b[b.length - 1]!;
        expect([last.count, last.outValid, last.inReady]).toEqual([0n, false, true]);
      });
    });
  }
});
