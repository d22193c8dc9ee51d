// Plain-port mode: the checks before any simulator starts, then Icarus (the quick one to build)
// on a combinational design (no clock: rows are evaluated), on a counter whose stimulus drives
// its own reset (no reset cycle added) and on a FIFO whose empty slot holds x.

import { describe, expect, it } from 'vitest';
import type { EmittedDesign, PortInfo } from '../../dsl/design.js';
import { adderTreeGenerator } from '../../generators/examples/adder-tree.js';
import { counterGenerator } from '../../generators/examples/counter.js';
import { SimInputError } from '../../sim/errors.js';
import { checkPortDesign, checkPortStimulus, runPorts } from '../../sim/port-run.js';
import { FAST_TIER } from '../test-tiers.js';
import { fifo12 } from './designs.js';

const counter = counterGenerator.generate({ modulo: 5 });
const port = (name: string, role: PortInfo['role'] = 'data', direction: PortInfo['direction'] = 'input'): PortInfo => ({ name, direction, width: 1, signed: false, role });

describe('plain-port checks', () => {
  it.each([
    ["'counter' has no input port 'nope' (inputs: enable, clear, rst)", { ports: ['enable', 'nope'], cycles: [[1n, 0n]] }],
    ["'count' is an output of 'counter'; a stimulus drives inputs (inputs: enable, clear, rst)", { ports: ['count'], cycles: [[1n]] }],
    ["the stimulus drives port 'enable' twice", { ports: ['enable', 'enable'], cycles: [[1n, 1n]] }],
    ['the stimulus has no cycles', { ports: ['enable'], cycles: [] }],
    ['cycle 1 of the stimulus has 1 value for 2 ports', { ports: ['enable', 'clear'], cycles: [[1n, 0n], [1n]] }],
    ["Value 2 does not fit unsigned 1-bit port 'enable' (range 0..1)", { ports: ['enable'], cycles: [[undefined], [2n]] }],
  ])('refuses before anything runs: %s', (message, stimulus) => {
    expect(() => checkPortStimulus(counter, stimulus)).toThrow(new SimInputError(message));
  });

  it.each([
    [[port('clk', 'clock'), port('q', 'data', 'output')], "'only_clock' has no input ports besides its clock: there is nothing to drive"],
    [[port('clk', 'clock'), port('clk2', 'clock'), port('d')], "plain-port mode needs at most one clock port; 'only_clock' has 2"],
  ])('refuses a design it cannot drive (%#)', (ports, message) => {
    const design: EmittedDesign = { top: 'only_clock', modules: [], ports };
    expect(() => checkPortDesign(design)).toThrow(new SimInputError(message));
  });
});

describe.skipIf(FAST_TIER)('runPorts on Icarus', () => {
  it('evaluates a design without a clock once per row, reading signed sums', async () => {
    const tree = adderTreeGenerator.generate({ inputs: 3, width: 6, signed: true, levelsPerStage: 0 });
    const result = await runPorts(tree, { ports: ['values_0', 'values_1', 'values_2'], cycles: [[-32n, -32n, -32n], [31n, undefined, 1n], [undefined, 0n, undefined]] }, { simulator: 'icarus' });
    expect(result).toEqual({ simulator: 'icarus', resetCycles: 0, outputs: [expect.objectContaining({ name: 'sum', signed: true })], values: [[-96n], [0n], [32n]] });
  });

  it('adds no reset cycle when the stimulus drives the reset, and reads each register after its edge', async () => {
    const rows = [[1n, 1n], [0n, 1n], [0n, 1n], [0n, 1n], [1n, 0n], [0n, 1n]];
    const result = await runPorts(counter, { ports: ['rst', 'enable'], cycles: rows }, { simulator: 'icarus' });
    expect(result.resetCycles).toBe(0);
    expect(result.outputs.map((output) => output.name)).toEqual(['count', 'wrap']);
    expect(result.values).toEqual([[0n, 0n], [1n, 0n], [2n, 0n], [3n, 0n], [0n, 0n], [1n, 0n]]);
  });

  it('reads undefined bits (a FIFO slot never written) as undefined instead of failing', async () => {
    const result = await runPorts(fifo12, { ports: ['in_valid', 'in_data', 'out_ready'], cycles: [[0n, 0n, 0n], [1n, 5n, 0n], [0n, 0n, 1n]] }, { simulator: 'icarus' });
    expect(result.outputs.map((output) => output.name)).toEqual(['in_ready', 'out_valid', 'out_data', 'count']);
    expect(result.values).toEqual([[1n, 0n, undefined, 0n], [1n, 1n, 5n, 1n], [1n, 0n, undefined, 0n]]);
  });
});
