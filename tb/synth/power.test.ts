// Power with OpenSTA from per-net activity, on netlists the embedded Yosys maps to the OSU 0.18 um
// cells: a hand computation from the Liberty tables, power following the data, activity that
// stays where it is put, black boxes, and bad input.

import { beforeAll, describe, expect, it } from 'vitest';
import { StaInputError } from '../../synth/opensta.js';
import { analysePower, type NetActivity, type PowerReport } from '../../synth/power.js';
import { cellAttribute, cellCounts, libertyTable, lookUp, MAC, mapWithYosys, MEMORY, OSU018_LIBERTY, pinAttribute } from './sta-fixtures.js';

const HAND = `module hand(input clk, input d, output y);
  reg q;
  always @(posedge clk) q <= d;
  assign y = ~q;
endmodule
`;



const power = (netlist: string, top: string, nets: ReadonlyMap<string, NetActivity>, fallback: NetActivity, clockMhz = 100): Promise<PowerReport> =>
  analysePower({ netlist, top, liberty: OSU018_LIBERTY, clockPort: 'clk', clockMhz, activity: { nets, default: fallback } });

let hand: string;
let mac: string;
let memory: string;
beforeAll(async () => {
  [hand, mac, memory] = await Promise.all([
    mapWithYosys(HAND, 'hand'),
    mapWithYosys(MAC, 'mac'),
    mapWithYosys(MEMORY, 'memd', 'synth -top memd -run begin:fine\nopt -full\ntechmap\nopt -fast'),
  ]);
});

describe('analysePower', () => {
  it('agrees with a hand computation from the Liberty tables: a flip-flop driving an inverter', async () => {
    expect(Object.fromEntries(cellCounts(hand))).toEqual({ DFFPOSX1: 1, INVX1: 1 });
    const frequency = 100e6;
    const d = { toggles: 0.4, duty: 0.5 };
    const q = { toggles: 0.25, duty: 0.3 };
    const y = { toggles: 0.25, duty: 0.7 };
    const picojoules = 1e-12;
    const volts = 1.8;
    // Slews: the clock and d are ideal (0 ns); Q's edges are the flip-flop's transition at its load.
    const riseLoad = pinAttribute('INVX1', 'A', 'rise_capacitance');
    const fallLoad = pinAttribute('INVX1', 'A', 'fall_capacitance');
    const load = Math.max(riseLoad, fallLoad);
    const qRiseSlew = lookUp(libertyTable('DFFPOSX1', 'Q', 'timing', 'rise_transition'), riseLoad, 0);
    const qFallSlew = lookUp(libertyTable('DFFPOSX1', 'Q', 'timing', 'fall_transition'), fallLoad, 0);
    const energy = (cell: string, pin: string, table: string, x1: number, x2?: number): number =>
      lookUp(libertyTable(cell, pin, 'internal_power', table), x1, x2) * picojoules;
    // Internal power as OpenSTA 2.0.17 charges it: E_rise + E_fall per transition of the pin,
    // weighted 1 on a clock pin and on an output, 1/2 on a flip-flop's D.
    const clockPin = (energy('DFFPOSX1', 'CLK', 'rise_power', 0) + energy('DFFPOSX1', 'CLK', 'fall_power', 0)) * 2 * frequency;
    const dPin = (energy('DFFPOSX1', 'D', 'rise_power', 0) + energy('DFFPOSX1', 'D', 'fall_power', 0)) * 0.5 * d.toggles * frequency;
    const qPin = (energy('DFFPOSX1', 'Q', 'rise_power', load, 0) + energy('DFFPOSX1', 'Q', 'fall_power', load, 0)) * q.toggles * frequency;
    // The inverter's output drives the port, which has no load; 2.0.17 takes Y's rise energy at A's
    // rising slew ("should use unateness", its source says).
    const yPin = (energy('INVX1', 'Y', 'rise_power', 0, qRiseSlew) + energy('INVX1', 'Y', 'fall_power', 0, qFallSlew)) * y.toggles * frequency;
    const internal = clockPin + dPin + qPin + yPin;
    // Switching: 1/2 C V^2 per transition of Q's net (y's has no capacitance).
    const switching = 0.5 * load * 1e-12 * volts ** 2 * q.toggles * frequency;
    const leakage = (cellAttribute('DFFPOSX1', 'cell_leakage_power') + cellAttribute('INVX1', 'cell_leakage_power')) * 1e-9;

    const report = await power(hand, 'hand', new Map([['d', d], ['q', q], ['y', y]]), { toggles: 0, duty: 0 });
    const milliwatts = 1e3;
    // OpenSTA computes in single precision and prints 7 digits: agreement to 0.05%.
    expect(report.internalMw / (internal * milliwatts)).toBeCloseTo(1, 3);
    expect(report.switchingMw / (switching * milliwatts)).toBeCloseTo(1, 3);
    expect(report.leakageMw / (leakage * milliwatts)).toBeCloseTo(1, 3);
    expect(report.totalMw).toBeCloseTo(report.internalMw + report.switchingMw + report.leakageMw, 6);
    expect(report).toMatchObject({ annotatedNets: 3, unknownNets: 0, sourcedNets: 1, blackBoxes: 0, propagatedPins: 0 });
  });

  it('falls with the data: nets that never toggle cost less than nets that toggle every other cycle', async () => {
    const quiet = await power(mac, 'mac', new Map(), { toggles: 0, duty: 0 });
    const busy = await power(mac, 'mac', new Map(), { toggles: 0.5, duty: 0.5 });
    const dynamic = (report: PowerReport): number => report.internalMw + report.switchingMw;
    // The clock still toggles: the flip-flops' clock pins cost power either way.
    expect(quiet.internalMw).toBeGreaterThan(0);
    expect(quiet.switchingMw).toBe(0);
    expect(dynamic(busy)).toBeGreaterThan(1.5 * dynamic(quiet));
    expect(busy.leakageMw).toBe(quiet.leakageMw);
  });

  it('keeps every activity it is given: none is propagated over the data', async () => {
    // OpenSTA 2.0.17 would overwrite the nets behind `rst` (an input) from the cells' functions.
    const nets = new Map<string, NetActivity>();
    for (const match of mac.matchAll(/\.[A-Z]+\(([^()]+)\)/g)) nets.set(match[1]!, { toggles: 0.3, duty: 0.4 });
    nets.set('no_such_net', { toggles: 1, duty: 0.5 });
    const report = await power(mac, 'mac', nets, { toggles: 0.1, duty: 0.5 });
    expect(report.propagatedPins).toBe(0);
    expect(report.unknownNets).toBe(1);
    expect(report.annotatedNets).toBe(nets.size - 1);
    // One source per input bit but the clock: rst, a, b.
    expect(report.sourcedNets).toBe(17);
    // Twice the activity on every net: the dynamic power of the data doubles, the clock's does not.
    const doubled = await power(mac, 'mac', new Map([...nets].map(([name, activity]) => [name, { ...activity, toggles: 2 * activity.toggles }])), { toggles: 0.1, duty: 0.5 });
    expect(doubled.switchingMw / report.switchingMw).toBeCloseTo(2, 3);
    expect(doubled.internalMw).toBeGreaterThan(report.internalMw);
  });

  it('prices no black box and keeps the activity of the nets a memory drove', async () => {
    const report = await power(memory, 'memd', new Map(), { toggles: 0.2, duty: 0.5 });
    expect(report.blackBoxes).toBe(1);
    expect(report.sourcedNets).toBeGreaterThanOrEqual(8);
    expect(report.propagatedPins).toBe(0);
    expect(report.totalMw).toBeGreaterThan(0);
  });

  it('scales the dynamic power with the clock frequency', async () => {
    const slow = await power(hand, 'hand', new Map(), { toggles: 0.2, duty: 0.5 }, 50);
    const fast = await power(hand, 'hand', new Map(), { toggles: 0.2, duty: 0.5 }, 100);
    expect((fast.internalMw + fast.switchingMw) / (slow.internalMw + slow.switchingMw)).toBeCloseTo(2, 3);
  });
});

describe('analysePower on bad input', () => {
  it('rejects activities out of range before starting OpenSTA', async () => {
    await expect(power(hand, 'hand', new Map([['q', { toggles: -1, duty: 0.5 }]]), { toggles: 0, duty: 0 })).rejects.toThrow(/net 'q': toggles/);
    await expect(power(hand, 'hand', new Map(), { toggles: 0, duty: 1.5 })).rejects.toThrow(/duty must be from 0 to 1/);
    await expect(power(hand, 'hand', new Map(), { toggles: 0, duty: 0 }, 0)).rejects.toThrow(/clockMhz/);
  });

  it('reports a Liberty file OpenSTA cannot read as bad input', async () => {
    const run = analysePower({ netlist: hand, top: 'hand', liberty: '/nonexistent/cells.lib', clockPort: 'clk', clockMhz: 100, activity: { nets: new Map(), default: { toggles: 0, duty: 0 } } });
    await expect(run).rejects.toThrow(StaInputError);
  });
});
