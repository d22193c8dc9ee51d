// Plain-port mode: drive a design's input ports cycle by cycle from a table of values and read
// every output back after each cycle, for designs that have no valid/ready streams (a MAC, a
// counter, combinational logic) or whose ports are wanted directly. It runs on the interactive
// Simulation, so both simulators and waveforms work as they do there.
//
// One row of the table is one clock cycle: its values are poked, the clock steps once (a design
// without a clock is only evaluated), then every output is peeked. A register thus reads the
// value it took at that row's edge, a combinational output its function of that row's inputs.
// Unless the table drives a reset port itself, every reset is held high for one extra cycle
// before the first row (all other inputs 0), the way stream mode starts too. An output with
// undefined bits (Icarus's x or z, e.g. a register never written) reads as undefined rather than
// failing the run: seeing it is the point of looking.

import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import type { SimulatorName } from './backend.js';
import { SimInputError } from './errors.js';
import { portBits } from './script.js';
import { Simulation } from './simulation.js';
import { DEFAULT_SIMULATOR } from './simulators.js';
import { clockPorts } from './stream-protocol.js';

/** Values per cycle for the named input ports; `undefined` keeps the previous cycle's value (0 at first). */
export interface PortStimulus {
  readonly ports: readonly string[];
  readonly cycles: readonly (readonly (bigint | undefined)[])[];
}

export interface PortRunOptions {
  readonly simulator?: SimulatorName;
  /** Write a VCD of the whole run (reset cycle included) here. */
  readonly wave?: string;
  /** Verilator build cache. */
  readonly cacheDir?: string;
  /** Told as each phase starts (building the model, simulating). */
  readonly onPhase?: (phase: string) => void;
}

export interface PortRunResult {
  readonly simulator: SimulatorName;
  /** Cycles spent in reset before the first row: 1, or 0 when the stimulus drives a reset or the design has none. */
  readonly resetCycles: number;
  /** The output ports, in port order: the columns of `values`. */
  readonly outputs: readonly PortInfo[];
  /**
   * Per stimulus row, each output after that cycle (signed ports read negative); `undefined`
   * where Icarus read undefined bits (x or z: a register before its first write).
   */
  readonly values: readonly (readonly (bigint | undefined)[])[];
}

/** The inputs a stimulus may drive: every input but the clock. */
export function drivablePorts(design: EmittedDesign): PortInfo[] {
  return design.ports.filter((port) => port.direction === 'input' && port.role !== 'clock');
}

/** The input port a stimulus column names, or a SimInputError saying what the name is instead. */
export function drivablePort(design: EmittedDesign, name: string): PortInfo {
  const inputs = drivablePorts(design);
  const found = inputs.find((port) => port.name === name);
  if (found !== undefined) return found;
  const known = `inputs: ${inputs.map((port) => port.name).join(', ') || 'none'}`;
  const port = design.ports.find((candidate) => candidate.name === name);
  if (port?.role === 'clock') throw new SimInputError(`'${name}' is the clock of '${design.top}'; sim steps it once per row (${known})`);
  if (port !== undefined) throw new SimInputError(`'${name}' is an output of '${design.top}'; a stimulus drives inputs (${known})`);
  throw new SimInputError(`'${design.top}' has no input port '${name}' (${known})`);
}

/** Refuses a design that plain-port mode cannot run: several clocks, or nothing to drive. */
export function checkPortDesign(design: EmittedDesign): void {
  const clocks = clockPorts(design).length;
  if (clocks > 1) throw new SimInputError(`plain-port mode needs at most one clock port; '${design.top}' has ${clocks}`);
  if (drivablePorts(design).length === 0) throw new SimInputError(`'${design.top}' has no input ports besides its clock: there is nothing to drive`);
}

/** Checks names, row lengths and every value before any simulator starts. */
export function checkPortStimulus(design: EmittedDesign, stimulus: PortStimulus): PortInfo[] {
  checkPortDesign(design);
  const ports = stimulus.ports.map((name) => drivablePort(design, name));
  const repeated = stimulus.ports.find((name, i) => stimulus.ports.indexOf(name) !== i);
  if (repeated !== undefined) throw new SimInputError(`the stimulus drives port '${repeated}' twice`);
  if (stimulus.cycles.length === 0) throw new SimInputError('the stimulus has no cycles');
  stimulus.cycles.forEach((row, cycle) => {
    if (row.length !== ports.length) throw new SimInputError(`cycle ${cycle} of the stimulus has ${row.length} value${row.length === 1 ? '' : 's'} for ${ports.length} port${ports.length === 1 ? '' : 's'}`);
    row.forEach((value, i) => {
      if (value !== undefined) portBits(ports[i]!, value);
    });
  });
  return ports;
}

/** How many peeks are sent before their answers are awaited: enough to keep the pipe busy. */
const CYCLES_IN_FLIGHT = 256;

/** Runs the stimulus and reads every output after each cycle. Bad input throws SimInputError before anything runs. */
export async function runPorts(design: EmittedDesign, stimulus: PortStimulus, options: PortRunOptions = {}): Promise<PortRunResult> {
  const ports = checkPortStimulus(design, stimulus);
  const clocked = clockPorts(design).length === 1;
  const resets = drivablePorts(design).filter((port) => port.role === 'reset');
  const resetCycles = clocked && resets.length > 0 && !ports.some((port) => port.role === 'reset') ? 1 : 0;
  const outputs = design.ports.filter((port) => port.direction === 'output');
  const simulator = options.simulator ?? DEFAULT_SIMULATOR;

  options.onPhase?.(`building the ${simulator} model of ${design.top}`);
  const sim = await Simulation.start(design, {
    simulator,
    ...(options.wave === undefined ? {} : { wave: options.wave }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  });
  options.onPhase?.('simulating');
  try {
    const level = (value: bigint): Record<string, bigint> => Object.fromEntries(resets.map((port) => [port.name, value]));
    if (resetCycles > 0) {
      sim.poke(level(1n));
      sim.step(resetCycles);
      sim.poke(level(0n));
    }
    const values: (bigint | undefined)[][] = [];
    for (let start = 0; start < stimulus.cycles.length; start += CYCLES_IN_FLIGHT) {
      // Peeks answer in order, so a chunk of cycles is sent at once and its answers awaited together.
      const answers: Promise<(bigint | undefined)[]>[] = stimulus.cycles.slice(start, start + CYCLES_IN_FLIGHT).map((row) => {
        const pokes: Record<string, bigint> = {};
        row.forEach((value, i) => {
          if (value !== undefined) pokes[ports[i]!.name] = value;
        });
        sim.poke(pokes);
        if (clocked) sim.step();
        else sim.eval();
        const answer = Promise.all(outputs.map((port) => sim.peekFourState(port.name).then(({ value, unknown }) => (unknown === 0n ? value : undefined))));
        // Handled below; this keeps a model that dies mid-chunk from leaving unhandled rejections.
        answer.catch(() => undefined);
        return answer;
      });
      values.push(...(await Promise.all(answers)));
    }
    return { simulator, resetCycles, outputs, values };
  } finally {
    await sim.close();
  }
}
