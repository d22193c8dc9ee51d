// Memories: synchronous write, registered (one-cycle) read, read enable, initial contents and
// signed words, checked in Verilator against a bigint model of the array.

import { describe, expect, it } from 'vitest';
import { Bool, defineModule, emitVerilog, SInt, UInt } from '../../dsl/index.js';
import { type SimOp } from '../../sim/verilator.js';
import { expectLintClean, once, peeked, Rng, verilogOf, simulate } from './harness.js';

const SMEM_INIT = [-32n, -1n, 31n, 5n]; // 6 words: the last two start at zero

function buildMemories() {
  return defineModule('mem_top', (m) => {
    // 16 x 8-bit words, one write port, two read ports (one with a read enable).
    const we = m.input('we', Bool);
    const waddr = m.input('waddr', UInt(4));
    const wdata = m.input('wdata', UInt(8));
    const raddr = m.input('raddr', UInt(4));
    const raddr2 = m.input('raddr2', UInt(4));
    const ren = m.input('ren', Bool);
    const mem = m.memory('mem', { shape: UInt(8), depth: 16 });
    m.when(we, () => mem.write(waddr, wdata));
    m.output('rdata', UInt(8)).assign(mem.read(raddr));
    m.output('rdata_en', UInt(8)).assign(mem.read(raddr2, { enable: ren }));

    // 6 x 6-bit signed words with initial contents (a depth that is not a power of two), written
    // through the enable argument of write().
    const swe = m.input('swe', Bool);
    const swaddr = m.input('swaddr', UInt(3));
    const swdata = m.input('swdata', SInt(6));
    const sraddr = m.input('sraddr', UInt(3));
    const smem = m.memory('smem', { shape: SInt(6), depth: 6, init: SMEM_INIT });
    smem.write(swaddr, swdata, swe);
    m.output('srdata', SInt(6)).assign(smem.read(sraddr));

    // A register with reset, so the design has a reset to apply: memories themselves have none.
    const ticks = m.reg('ticks', UInt(4), { init: 0 });
    ticks.assign(ticks.addWrap(1));
    m.output('tick_count', UInt(4)).assign(ticks);
    return {};
  });
}

describe('memories', () => {
  const design = once(() => emitVerilog(buildMemories()));
  const resetOps: SimOp[] = [{ poke: { rst: 1 } }, { step: 1 }, { poke: { rst: 0 } }];

  it('emits Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
    await expectLintClean(design());
  });

  it('asks synthesis for a resource with a ram_style attribute, and the tools accept it', async () => {
    const styled = emitVerilog(
      defineModule('styled', (m) => {
        const address = m.input('addr', UInt(3));
        const store = m.memory('store', { shape: UInt(4), depth: 8, style: 'distributed' });
        store.write(address, m.input('wdata', UInt(4)), m.input('we', Bool));
        m.output('rdata', UInt(4)).assign(store.read(address));
        return {};
      }),
    );
    expect(verilogOf(styled)).toMatch(/\(\* ram_style = "distributed" \*\)\n\s+reg\s+\[3:0\] store \[0:7\];/);
    await expectLintClean(styled);
  });

  it('names the second read port <memory>_rdata1', () => {
    expect(verilogOf(design())).toMatch(/\bmem_rdata1 <= mem\[/);
  });

  it('hold their initial contents after reset, with zeros past the init list, as signed words', async () => {
    const ops: SimOp[] = [...resetOps];
    for (let a = 0; a < 6; a++) ops.push({ poke: { sraddr: a } }, { step: 1 }, { peek: ['srdata'] });
    const result = await simulate(design(), ops);
    expect(peeked(result, 'srdata')).toEqual([...SMEM_INIT, 0n, 0n]);
  });

  it('return written data one cycle after the address, not before', async () => {
    const words = [0x00n, 0xffn, 0x5an, 0xa5n, 0x01n, 0x80n, 0x7fn, 0x3cn];
    const ops: SimOp[] = [...resetOps];
    words.forEach((w, i) => ops.push({ poke: { we: 1, waddr: 2 * i, wdata: w } }, { step: 1 }));
    ops.push({ poke: { we: 0 } });
    for (let i = 0; i < words.length; i++) {
      ops.push({ poke: { raddr: 2 * i } }, { eval: true }, { peek: ['rdata'] }, { step: 1 }, { peek: ['rdata'] });
    }
    const result = await simulate(design(), ops);
    const reads = peeked(result, 'rdata');
    // Before each edge the port still shows the previous address's word; after it, the new one.
    const before = words.map((_, i) => (i === 0 ? undefined : words[i - 1]));
    const after = [...words];
    expect(reads.filter((_, k) => k % 2 === 1)).toEqual(after);
    expect(reads.filter((_, k) => k % 2 === 0).slice(1)).toEqual(before.slice(1));
  });

  it('follow a random read/write model: read-first on a same-cycle write, read data held while the enable is low', async () => {
    const rng = new Rng(21);
    // A word never written has no defined value (the memory has no init): undefined, not compared.
    const model: (bigint | undefined)[] = new Array<bigint | undefined>(16).fill(undefined);
    const smodel: bigint[] = [...SMEM_INIT, 0n, 0n];
    const ops: SimOp[] = [...resetOps];
    const expected: { rdata: bigint | undefined; rdata_en: bigint | undefined; srdata: bigint }[] = [];
    let rdataEn: bigint | undefined;
    for (let t = 0; t < 300; t++) {
      const we = rng.chance(0.5);
      const waddr = rng.below(16);
      const wdata = rng.bits(8);
      // Reads often hit the address being written, to check the old word is returned.
      const raddr = rng.chance(0.3) ? waddr : rng.below(16);
      const raddr2 = rng.chance(0.3) ? waddr : rng.below(16);
      const ren = rng.chance(0.5);
      const swe = rng.chance(0.5);
      const swaddr = rng.below(6);
      const swdata = rng.value(6, true);
      const sraddr = rng.chance(0.3) ? swaddr : rng.below(6);
      ops.push({ poke: { we: Number(we), waddr, wdata, raddr, raddr2, ren: Number(ren), swe: Number(swe), swaddr, swdata, sraddr } }, { step: 1 }, { peek: ['rdata', 'rdata_en', 'srdata'] });
      const rdata = model[raddr];
      if (ren) rdataEn = model[raddr2];
      const srdata = smodel[sraddr]!;
      if (we) model[waddr] = wdata;
      if (swe) smodel[swaddr] = swdata;
      expected.push({ rdata, rdata_en: rdataEn, srdata });
    }
    const result = await simulate(design(), ops);
    const got = expected.map((_, t) => ({
      rdata: expected[t]!.rdata === undefined ? undefined : peeked(result, 'rdata')[t],
      // Until an enabled read of a written word the port holds an unspecified value.
      rdata_en: expected[t]!.rdata_en === undefined ? undefined : peeked(result, 'rdata_en')[t],
      srdata: peeked(result, 'srdata')[t],
    }));
    const bad = expected.map((e, t) => ({ t, e, g: got[t] })).filter(({ e, g }) => g === undefined || g.rdata !== e.rdata || g.rdata_en !== e.rdata_en || g.srdata !== e.srdata);
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
