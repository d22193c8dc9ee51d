// Power and energy of a matrix engine from real switching activity. The engine is mapped to
// standard cells (synth/standard-cells.ts); the mapped netlist itself, with a model of each cell
// made from its Liberty function and the memories as behavioural Verilog, runs the workload in
// Verilator, and its result must match the golden model bit for bit (a wrong netlist has no
// power figure). The simulation's VCD gives every net's toggles per clock cycle and the share of
// the time it is 1; OpenSTA prices them with the Liberty power tables (internal and switching
// power, leakage), and the SRAM model prices each memory access the simulation made.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EmittedDesign } from '../dsl/design.js';
import type { MatmulOperands } from '../contracts/matmul-operands.js';
import type { SerialPackConfig } from '../contracts/serial-packing.js';
import type { MatmulEngine } from '../generators/matmul-engine/interface.js';
import { activityPerCycle, readVcdActivity } from '../sim/activity.js';
import { simulatorBackend } from '../sim/simulators.js';
import { clockPorts } from '../sim/stream-protocol.js';
import type { MemoryInstance, SignalBit } from '../synth/memory-dump.js';
import { analysePower, type NetActivity } from '../synth/power.js';
import { resolveFlavour, yosysHasBooth, yosysVersion, type YosysFlavour } from '../synth/runner.js';
import { checkClockMhz, mapToCells, type CellMapping, type PricedMemory } from '../synth/standard-cells.js';
import { cacheDir as defaultCacheDir } from '../toolchain/cache-dir.js';
import { countMismatches, matmulGolden } from './matmul-workload.js';
import { simulatePacked, type PhaseListener } from './run-matmul.js';

export interface PowerOptions {
  /** Clock the power is computed at, in MHz; default the clock the cells were mapped for. */
  readonly clockMhz?: number;
  /** Clock ABC maps the cells towards, in MHz (default 100), as `synth --clock` sets it. */
  readonly mappingClockMhz?: number;
  /** Liberty file (default $LUTFORGE_LIBERTY, else the OSU 0.18 um cells). */
  readonly liberty?: string;
  readonly flavour?: YosysFlavour;
  /** Cache folder for the cell mapping (default the synthesis cache); null for none. */
  readonly cacheDir?: string | null;
  readonly onPhase?: PhaseListener;
}

/** One memory's share: accesses the simulation made and what they cost. */
export interface MemoryPower {
  readonly name: string;
  readonly reads: number;
  readonly writes: number;
  /** Access energy over the run's time, plus the macro's leakage, in mW. */
  readonly powerMw: number;
}

export interface PowerReport {
  readonly engine: string;
  readonly dims: { readonly M: number; readonly K: number; readonly N: number };
  readonly clockMhz: number;
  /** The design's own fmax (static timing). */
  readonly fmaxMhz: number;
  /** Whether the design meets timing at clockMhz. */
  readonly meetsTiming: boolean;
  /** Everything: logic (internal + switching + leakage) and memories. */
  readonly powerMw: number;
  /** Internal and switching power of the standard cells. */
  readonly dynamicMw: number;
  /** Leakage of the standard cells (the memories' is in memoryMw). */
  readonly leakageMw: number;
  /** The memories' access energy over the run's time plus their leakage. */
  readonly memoryMw: number;
  readonly memories: readonly MemoryPower[];
  /** Multiply-accumulates of the run. */
  readonly ops: number;
  /** Clock cycles the power is averaged over: the whole run, reset to the last result. */
  readonly cycles: number;
  /** powerMw x cycles / clock / ops. */
  readonly energyPerOpPj: number;
  readonly areaUm2: number;
  readonly memoryAreaUm2: number;
  readonly liberty: string;
  /** Share of the simulated net bits that toggled at least once. */
  readonly activeNetShare: number;
  /**
   * Net bits of the timing netlist annotated with simulated activity, and simulated net bits the
   * timing netlist does not have (the memories' behavioural internals, cut out of it), and cell
   * pins whose activity OpenSTA derived instead of taking the simulation's (0 when all is well).
   */
  readonly nets: { readonly annotated: number; readonly simulatedOnly: number; readonly derived: number };
}

/** Energy per operation of the standard cells alone (internal, switching, leakage), without the memories. */
export function logicEnergyPerOpPj(report: PowerReport): number {
  return report.powerMw === 0 ? 0 : (report.energyPerOpPj * (report.dynamicMw + report.leakageMw)) / report.powerMw;
}

/**
 * Measures the power of `engine` at `config` running `operands`. Throws an Error when the
 * gate-level netlist's result differs from the golden model (a flow bug, not the user's input).
 */
export async function measurePower<Config extends SerialPackConfig>(
  engine: MatmulEngine<Config>,
  config: Config,
  operands: MatmulOperands,
  options: PowerOptions = {},
): Promise<PowerReport> {
  if (options.clockMhz !== undefined) checkClockMhz(options.clockMhz);
  const packed = engine.pack(config, operands);
  const dims = { M: operands.M, K: operands.K, N: operands.N };
  options.onPhase?.(`generating the ${engine.name} design`);
  const design = engine.generator.generate(config);
  const flavour = resolveFlavour(options.flavour);
  options.onPhase?.('mapping to standard cells with Yosys and timing with OpenSTA');
  const [version, booth] = await Promise.all([yosysVersion(flavour), yosysHasBooth(flavour)]);
  const mapping = await mapToCells(design, {
    flavour,
    yosysVersion: version,
    booth,
    cacheDir: options.cacheDir === null ? undefined : path.resolve(options.cacheDir ?? defaultCacheDir('synth')),
    ...(options.liberty === undefined ? {} : { liberty: options.liberty }),
    ...(options.mappingClockMhz === undefined ? {} : { clockMhz: options.mappingClockMhz }),
  });
  // One clock for every design by default, so that their power figures compare; energy per
  // operation hardly depends on it (only leakage's share does).
  const clockMhz = options.clockMhz ?? mapping.extras.clockMhz;

  const workDir = await mkdtemp(path.join(tmpdir(), 'lutforge-power-'));
  try {
    const wave = path.join(workDir, 'gates.vcd');
    options.onPhase?.('simulating the gate-level netlist in Icarus');
    const gates = gateLevelDesign(design, mapping);
    const { outBeats } = await simulatePacked(engine.name, gates, packed, engine.idealCycles(config, dims), { simulator: GATE_SIMULATOR, wave });
    const y = engine.unpack(config, dims, outBeats);
    const wrong = countMismatches(y, matmulGolden(engine.name, config, operands));
    if (wrong > 0) throw new Error(`the gate-level netlist of ${engine.name} computed ${wrong} of ${y.length} results wrong: the cell mapping is broken`);

    options.onPhase?.('reading the switching activity');
    // The stream run has checked that the design has exactly one clock.
    const clock = clockPorts(design)[0]?.name ?? '';
    const vcd = await readVcdActivity(wave, { scope: simulatorBackend(GATE_SIMULATOR).waveScope(gates), clock });
    const nets = activityPerCycle(vcd);
    options.onPhase?.('computing power with OpenSTA');
    const logic = await analysePower({
      netlist: mapping.netlists.sta,
      top: design.top,
      liberty: mapping.extras.liberty,
      clockPort: clock,
      clockMhz,
      // Every net of the timing netlist is in the simulated one: a net without data is not driven.
      activity: { nets, default: { toggles: 0, duty: 0 } },
    });
    const seconds = vcd.cycles / (clockMhz * 1e6);
    const memories = mapping.extras.memories.map((priced) => memoryPower(priced, instanceNamed(mapping.memoryInstances, priced.name), nets, vcd.cycles, seconds));
    const memoryMw = memories.reduce((sum, memory) => sum + memory.powerMw, 0);
    const dynamicMw = logic.internalMw + logic.switchingMw;
    const powerMw = dynamicMw + logic.leakageMw + memoryMw;
    const ops = dims.M * dims.K * dims.N;
    return {
      engine: engine.name,
      dims,
      clockMhz,
      fmaxMhz: mapping.figures.fmaxMhz,
      meetsTiming: clockMhz <= mapping.figures.fmaxMhz,
      powerMw,
      dynamicMw,
      leakageMw: logic.leakageMw,
      memoryMw,
      memories,
      ops,
      cycles: vcd.cycles,
      // mW x s = mJ; x 1e9 -> pJ.
      energyPerOpPj: (powerMw * seconds * 1e9) / ops,
      areaUm2: mapping.figures.areaUm2,
      memoryAreaUm2: mapping.figures.memoryAreaUm2,
      liberty: mapping.extras.liberty,
      activeNetShare: activeShare(nets),
      nets: { annotated: logic.annotatedNets, simulatedOnly: logic.unknownNets, derived: logic.propagatedPins },
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Icarus, not Verilator: Verilator 5.006 (Debian's) computes some gates of these netlists wrong
 * (an XOR of 0 and 1 read as 0 on the tensor core's netlist, while Icarus and the RTL agree),
 * and a power figure from a wrong simulation would be no figure at all.
 */
const GATE_SIMULATOR = 'icarus';

/** The mapped netlist as a design the stream harness can drive: same top, same ports. */
function gateLevelDesign(design: EmittedDesign, mapping: CellMapping): EmittedDesign {
  return { top: design.top, ports: design.ports, modules: [{ name: design.top, fileName: `${design.top}.v`, text: mapping.netlists.sim }] };
}

function instanceNamed(instances: readonly MemoryInstance[], name: string): MemoryInstance {
  const found = instances.find((instance) => instance.name === name);
  if (found === undefined) throw new Error(`memory '${name}' vanished from the mapping`);
  return found;
}

/**
 * Reads and writes from the enables' time at 1: in a zero-delay simulation of registered logic
 * an enable changes only just after a clock edge, so its time at 1 is the number of cycles it is
 * set. A write port with several enable nets (byte enables) counts the cycles of its busiest one.
 */
function memoryPower(priced: PricedMemory, instance: MemoryInstance, nets: ReadonlyMap<string, NetActivity>, cycles: number, seconds: number): MemoryPower {
  const cyclesSet = (bit: SignalBit): number => (bit === '1' ? cycles : typeof bit === 'object' ? (nets.get(bit.net)?.duty ?? 0) * cycles : 0);
  const reads = instance.readEnables.reduce((sum, bit) => sum + cyclesSet(bit), 0);
  const writes = instance.writeEnables.reduce((sum, bits) => sum + Math.max(0, ...bits.map(cyclesSet)), 0);
  const accessPj = reads * priced.readEnergyPj + writes * priced.writeEnergyPj;
  // pJ / s = 1e-12 W = 1e-9 mW.
  const powerMw = (seconds > 0 ? (accessPj * 1e-9) / seconds : 0) + priced.leakageMw;
  return { name: priced.name, reads: Math.round(reads), writes: Math.round(writes), powerMw };
}

function activeShare(nets: ReadonlyMap<string, NetActivity>): number {
  let active = 0;
  for (const net of nets.values()) if (net.toggles > 0) active++;
  return nets.size > 0 ? active / nets.size : 0;
}
