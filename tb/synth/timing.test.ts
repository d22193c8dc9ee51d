// Static timing with OpenSTA on netlists the embedded Yosys maps to the OSU 0.18 um cells: a hand
// computation from the Liberty tables, the four path groups and their RTL names on a register
// chain and an 8x8 MAC, black boxes, and the errors bad input gets.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STA_BINARY_ENV, StaInputError, StaMissingError } from '../../synth/opensta.js';
import { analyseTiming, type TimingReport } from '../../synth/timing.js';
import { cellCounts, libertyTable, lookUp, MAC, mapWithYosys, MEMORY, OSU018_LIBERTY, pinAttribute } from './sta-fixtures.js';

const HAND = `module hand(input clk, input d, output y);
  reg q;
  always @(posedge clk) q <= d;
  assign y = ~q;
endmodule
`;

const CHAIN = `module chain(input clk, input d, output q);
  reg [3:0] r;
  always @(posedge clk) r <= {~r[2:0], d};
  assign q = r[3];
endmodule
`;



const timing = (netlist: string, top: string, clockNs?: number): Promise<TimingReport> =>
  analyseTiming({ netlist, top, liberty: OSU018_LIBERTY, clockPort: 'clk', ...(clockNs === undefined ? {} : { clockNs }) });

let hand: string;
let chain: string;
let mac: string;
let memory: string;
beforeAll(async () => {
  [hand, chain, mac, memory] = await Promise.all([
    mapWithYosys(HAND, 'hand'),
    mapWithYosys(CHAIN, 'chain'),
    mapWithYosys(MAC, 'mac'),
    mapWithYosys(MEMORY, 'memd', 'synth -top memd -run begin:fine\nopt -full\ntechmap\nopt -fast'),
  ]);
});

describe('analyseTiming', () => {
  it('agrees with a hand computation from the Liberty tables: a flip-flop driving an inverter to an output', async () => {
    expect(Object.fromEntries(cellCounts(hand))).toEqual({ DFFPOSX1: 1, INVX1: 1 });
    // Ideal clock and inputs: the clock pin and D see a 0 ns slew. Q drives the inverter's input
    // capacitance (per edge), the inverter drives the output port, which has no load.
    const q = (table: string, load: number): number => lookUp(libertyTable('DFFPOSX1', 'Q', 'timing', table), load, 0);
    const inverter = (table: string, slew: number): number => lookUp(libertyTable('INVX1', 'Y', 'timing', table), 0, slew);
    const riseLoad = pinAttribute('INVX1', 'A', 'rise_capacitance');
    const fallLoad = pinAttribute('INVX1', 'A', 'fall_capacitance');
    // Q rises, then y falls; or Q falls, then y rises (negative unate).
    const qRiseYFall = q('cell_rise', riseLoad) + inverter('cell_fall', q('rise_transition', riseLoad));
    const qFallYRise = q('cell_fall', fallLoad) + inverter('cell_rise', q('fall_transition', fallLoad));
    const regToOut = Math.max(qRiseYFall, qFallYRise);
    // d arrives at the edge; the next edge must come a setup time later (clock and D slew 0).
    const setup = (table: string): number => lookUp(libertyTable('DFFPOSX1', 'D', 'timing', table, 'setup_rising'), 0, 0);
    const inToReg = Math.max(setup('rise_constraint'), setup('fall_constraint'));

    const report = await timing(hand, 'hand');
    // OpenSTA prints 4 decimals; float against double arithmetic stays far below that.
    expect(report.groups.regToOut?.pathNs).toBeCloseTo(regToOut, 3);
    expect(report.groups.inToReg?.pathNs).toBeCloseTo(inToReg, 3);
    expect(report.groups.regToReg).toBeNull();
    expect(report.groups.inToOut).toBeNull();
    expect(report.criticalPathNs).toBeCloseTo(Math.max(regToOut, inToReg), 3);
    expect(report.fmaxMhz).toBeCloseTo(1000 / report.criticalPathNs!, 6);
    // Named as the RTL names them: the register by its Q net, ports by name.
    expect(report.groups.regToOut).toMatchObject({ startpoint: 'q', endpoint: 'y' });
    expect(report.groups.inToReg).toMatchObject({ startpoint: 'd', endpoint: 'q' });
    expect(report.blackBoxes).toBe(0);
  });

  it('times a register chain between registers named by their bits', async () => {
    const report = await timing(chain, 'chain');
    const path = report.groups.regToReg!;
    const [from, to] = [path.startpoint, path.endpoint].map((name) => /^r\[(\d)\]$/.exec(name)?.[1]);
    expect(Number(to)).toBe(Number(from) + 1);
    // r[3] drives the output port directly, so Yosys names its Q net after the port.
    expect(report.groups.regToOut).toMatchObject({ startpoint: 'q', endpoint: 'q' });
    expect(report.groups.inToReg).toMatchObject({ startpoint: 'd', endpoint: 'r[0]' });
  });

  it('finds the multiply-accumulate path of the MAC critical, and its figures do not depend on the period analysed', async () => {
    const relaxed = await timing(mac, 'mac');
    const tight = await timing(mac, 'mac', 2);
    const critical = relaxed.groups.regToReg!;
    expect(relaxed.criticalPathNs).toBe(critical.pathNs);
    expect(critical.pathNs).toBeGreaterThan(2);
    expect(critical.startpoint).toMatch(/^(ar|br|acc)\[\d+\]$/);
    expect(critical.endpoint).toMatch(/^acc\[\d+\]$/);
    expect(critical.slackNs).toBeCloseTo(1000 - critical.pathNs, 3);
    // At 2 ns the same path fails, by as much as it needs beyond 2 ns.
    expect(tight.groups.regToReg!.pathNs).toBe(critical.pathNs);
    expect(tight.groups.regToReg!.slackNs).toBeCloseTo(2 - critical.pathNs, 3);
    expect(tight.clockNs).toBe(2);
  });

  it('counts a cell missing from the Liberty file as a black box and times no path through it', async () => {
    const boxed = `module boxed(clk, d, q);
  input clk; input d; output q;
  wire clk, d, q, a, b, c;
  DFFPOSX1 first (.CLK(clk), .D(d), .Q(a));
  MYSTERY box (.A(a), .Y(b));
  INVX1 inverter (.A(b), .Y(c));
  DFFPOSX1 second (.CLK(clk), .D(c), .Q(q));
endmodule
`;
    const report = await timing(boxed, 'boxed');
    expect(report.blackBoxes).toBe(1);
    expect(report.groups.regToReg).toBeNull();
    expect(report.groups.inToReg).toMatchObject({ startpoint: 'd', endpoint: 'a' });
  });

  it('reads a netlist with a behavioural memory, counting the memory as a black box', async () => {
    expect(memory).toMatch(/^\s*always\b/m);
    const report = await timing(memory, 'memd');
    expect(report.blackBoxes).toBe(1);
    // The accumulator still times; the read register went with the memory.
    expect(report.groups.regToReg).toMatchObject({ startpoint: expect.stringMatching(/^sum\[/), endpoint: expect.stringMatching(/^sum\[/) });
    expect(report.groups.inToReg).toBeNull();
  });
});

describe('analyseTiming on bad input', () => {
  it('says which Liberty file it cannot read, missing or not Liberty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lutforge-sta-test-'));
    try {
      const garbage = join(dir, 'garbage.lib');
      await writeFile(garbage, 'this is not { a Liberty file\n');
      for (const liberty of [join(dir, 'missing.lib'), garbage]) {
        const run = analyseTiming({ netlist: hand, top: 'hand', liberty, clockPort: 'clk' });
        await expect(run).rejects.toThrow(StaInputError);
        await expect(run).rejects.toThrow(liberty.endsWith('missing.lib') ? /cannot read file/ : /garbage\.lib, line 1/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown top, a missing clock port and a netlist OpenSTA cannot parse', async () => {
    await expect(timing(hand, 'nosuch')).rejects.toThrow(/nosuch is not a verilog module/);
    await expect(analyseTiming({ netlist: hand, top: 'hand', liberty: OSU018_LIBERTY, clockPort: 'clock' })).rejects.toThrow(/no clock port 'clock'/);
    await expect(timing('module broken(input clk);\n  INVX1 u (.A(clk) .Y());\nendmodule\n', 'broken')).rejects.toThrow(StaInputError);
  });

  it('says how to install OpenSTA when the binary is missing', async () => {
    const saved = process.env[STA_BINARY_ENV];
    process.env[STA_BINARY_ENV] = '/nonexistent/bin/sta';
    try {
      await expect(timing(hand, 'hand')).rejects.toThrow(StaMissingError);
      await expect(timing(hand, 'hand')).rejects.toThrow(/opensta/);
    } finally {
      if (saved === undefined) delete process.env[STA_BINARY_ENV];
      else process.env[STA_BINARY_ENV] = saved;
    }
  });
});
