// Formal equivalence of two emitted designs with Yosys: each is flattened on its own (their
// submodules may share names), both are copied into one design as `gold` and `gate`, joined by
// `miter -equiv`, and `sat -prove trigger 0` asks for an input where any output differs. A
// sequential pair is proven for every input sequence of `steps` cycles from the all-zero state
// (a bounded proof); a combinational one for every input at once.
//
// When SAT finds a difference, the model it prints is read back into input values (signed where
// the port is) and grouped by port (act_0..act_3 as one vector), per cycle for a sequential proof.

import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import { resolveFlavour, runScript, type YosysFlavour } from '../synth/runner.js';

export interface EquivalenceProblem {
  readonly gold: EmittedDesign;
  readonly gate: EmittedDesign;
  /** Cycles of a bounded sequential proof; absent for a combinational one. */
  readonly steps?: number;
  /** Inputs held at a value in every cycle (the reset, kept low). */
  readonly fixed?: Readonly<Record<string, number>>;
}

/** One port's value in the counterexample: a number, or the elements of a vector port. */
export type PortValue = bigint | bigint[];

export interface CounterexampleStep {
  /** 1-based cycle of a sequential proof; 1 for a combinational one. */
  readonly step: number;
  readonly inputs: Readonly<Record<string, PortValue>>;
  /** What each side computed for every output that differs, at this step. */
  readonly outputs: Readonly<Record<string, { gold: PortValue; gate: PortValue }>>;
}

export interface EquivalenceResult {
  readonly proven: boolean;
  /** Input values (per cycle) under which the outputs differ; only when not proven. */
  readonly counterexample?: readonly CounterexampleStep[];
  readonly seconds: number;
  readonly log: string;
}

export interface ProveOptions {
  readonly flavour?: YosysFlavour;
  /** Seconds one SAT call may take before the proof is reported as not finished. */
  readonly timeout?: number;
}

export class ProofError extends Error {
  override readonly name = 'ProofError';
}

function files(prefix: string, design: EmittedDesign): Record<string, string> {
  return Object.fromEntries(design.modules.map((module) => [`${prefix}_${module.fileName}`, module.text]));
}

/** Reads, elaborates and flattens one side, then stashes it under `name`. */
function sideScript(prefix: string, design: EmittedDesign): string {
  return [
    ...design.modules.map((module) => `read_verilog ${prefix}_${module.fileName}`),
    `hierarchy -check -top ${design.top}`,
    'proc',
    'flatten',
    'memory',
    'opt_clean',
    // A second `hierarchy -top` drops the submodules flatten left unused.
    `hierarchy -top ${design.top}`,
    `rename ${design.top} ${prefix}`,
    `design -stash ${prefix}`,
  ].join('\n');
}

export function equivalenceScript(problem: EquivalenceProblem, options: ProveOptions = {}): string {
  const sequential = problem.steps !== undefined;
  const sets = Object.entries(problem.fixed ?? {}).map(([port, value]) => `-set in_${port} ${value}`);
  const sat = [
    'sat -prove trigger 0 -show-inputs -show-outputs',
    ...(sequential ? [`-seq ${problem.steps}`, '-set-init-zero'] : []),
    ...sets,
    ...(options.timeout === undefined ? [] : [`-timeout ${options.timeout}`]),
    'miter',
  ].join(' ');
  return [
    sideScript('gold', problem.gold),
    sideScript('gate', problem.gate),
    'design -copy-from gold -as gold gold',
    'design -copy-from gate -as gate gate',
    'miter -equiv -flatten -make_outputs gold gate miter',
    'hierarchy -top miter',
    sat,
  ].join('\n');
}

/** Proves gold and gate equivalent, or returns the input values under which they differ. */
export async function proveEquivalent(problem: EquivalenceProblem, options: ProveOptions = {}): Promise<EquivalenceResult> {
  checkInterfaces(problem.gold, problem.gate);
  const started = performance.now();
  const flavour = resolveFlavour(options.flavour);
  const run = await runScript(flavour, { ...files('gold', problem.gold), ...files('gate', problem.gate) }, equivalenceScript(problem, options), []);
  const seconds = (performance.now() - started) / 1000;
  if (/SAT proof finished - no model found: SUCCESS!/.test(run.log) && run.exitCode === 0) return { proven: true, seconds, log: run.log };
  if (/SAT proof finished - model found: FAIL!/.test(run.log)) {
    return { proven: false, counterexample: readCounterexample(run.log, problem.gold), seconds, log: run.log };
  }
  // A SAT timeout (--timeout) lands here too; the log's tail says which it was.
  const tail = run.log.trimEnd().split('\n').slice(-25).join('\n');
  throw new ProofError(`Yosys did not finish the proof (exit ${run.exitCode}):\n${tail}`);
}

/** miter -equiv needs the same ports; saying which differ beats Yosys' one-line refusal. */
function checkInterfaces(gold: EmittedDesign, gate: EmittedDesign): void {
  const describe = (ports: readonly PortInfo[]): Map<string, string> => new Map(ports.map((p) => [p.name, `${p.direction} ${p.width}`]));
  const a = describe(gold.ports);
  const b = describe(gate.ports);
  const differences = [...new Set([...a.keys(), ...b.keys()])].filter((name) => a.get(name) !== b.get(name));
  if (differences.length > 0) {
    const say = (name: string): string => `${name} (gold: ${a.get(name) ?? 'none'}, gate: ${b.get(name) ?? 'none'})`;
    throw new ProofError(`gold '${gold.top}' and gate '${gate.top}' have different ports: ${differences.map(say).join(', ')}`);
  }
}

interface ModelRow {
  readonly step: number;
  readonly signal: string;
  readonly bits: string;
}

/**
 * The model table `sat -show-inputs -show-outputs` prints after a failed proof:
 *   `  \in_act_0   -12   f4   11110100` (combinational) or with a leading time step column.
 * Only fully defined values are kept (an x bit is a don't-care of the model).
 */
function modelRows(log: string): ModelRow[] {
  const failure = log.lastIndexOf('model found: FAIL!');
  const rows: ModelRow[] = [];
  for (const line of log.slice(failure).split('\n')) {
    const match = /^\s+(?:(\d+|init)\s+)?\\(\S+)\s+\S+\s+\S+\s+([01x]+)\s*$/.exec(line);
    if (!match || match[1] === 'init') continue;
    rows.push({ step: match[1] === undefined ? 1 : Number(match[1]), signal: match[2]!, bits: match[3]! });
  }
  return rows;
}

function valueOf(bits: string, port: PortInfo | undefined): bigint {
  const unsigned = BigInt(`0b${bits.replace(/x/g, '0')}`);
  if (port?.signed !== true || bits[0] !== '1') return unsigned;
  return unsigned - (1n << BigInt(bits.length));
}

/** Ports `name_0`, `name_1`, ... become one vector `name`, where its first element was; a lone port keeps its name. */
function grouped(values: ReadonlyMap<string, bigint>): Record<string, PortValue> {
  const result: Record<string, PortValue> = {};
  for (const [name, value] of values) {
    const element = /^(.*)_(\d+)$/.exec(name);
    if (element && values.has(`${element[1]}_0`)) {
      const list = (result[element[1]!] ??= []) as bigint[];
      list[Number(element[2])] = value;
    } else {
      result[name] = value;
    }
  }
  return result;
}

function readCounterexample(log: string, design: EmittedDesign): CounterexampleStep[] {
  const ports = new Map(design.ports.map((port) => [port.name, port]));
  const steps = new Map<number, { inputs: Map<string, bigint>; gold: Map<string, bigint>; gate: Map<string, bigint> }>();
  for (const row of modelRows(log)) {
    const entry = steps.get(row.step) ?? { inputs: new Map(), gold: new Map(), gate: new Map() };
    steps.set(row.step, entry);
    const side = /^(in|gold|gate)_(.*)$/.exec(row.signal);
    if (!side) continue;
    const port = ports.get(side[2]!);
    if (port?.role === 'clock') continue;
    const target = side[1] === 'in' ? entry.inputs : side[1] === 'gold' ? entry.gold : entry.gate;
    target.set(side[2]!, valueOf(row.bits, port));
  }
  // In the design's port order, as a person reading the ports would expect.
  const order = new Map(design.ports.map((port, index) => [port.name, index]));
  const sorted = (values: Map<string, bigint>): Map<string, bigint> => new Map([...values].sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
  return [...steps.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, raw]) => {
      const entry = { inputs: sorted(raw.inputs), gold: sorted(raw.gold), gate: raw.gate };
      const differing = [...entry.gold.keys()].filter((name) => entry.gate.get(name) !== entry.gold.get(name));
      const gold = grouped(new Map(differing.map((name) => [name, entry.gold.get(name)!])));
      const gate = grouped(new Map(differing.map((name) => [name, entry.gate.get(name)!])));
      const outputs = Object.fromEntries(Object.keys(gold).map((name) => [name, { gold: gold[name]!, gate: gate[name]! }]));
      return { step, inputs: grouped(entry.inputs), outputs };
    });
}

/** A counterexample as lines a person can read: the inputs of each cycle, then what differed. */
export function formatCounterexample(steps: readonly CounterexampleStep[]): string[] {
  const show = (value: PortValue): string => (Array.isArray(value) ? `[${value.join(', ')}]` : String(value));
  const sequential = steps.length > 1;
  return steps.flatMap((entry) => {
    const lead = sequential ? `cycle ${entry.step}: ` : '';
    const inputs = Object.entries(entry.inputs).map(([name, value]) => `${name} = ${show(value)}`).join(', ');
    const outputs = Object.entries(entry.outputs).map(([name, { gold, gate }]) => `${name}: reference ${show(gold)}, design ${show(gate)}`);
    return [`${lead}${inputs}`, ...outputs.map((line) => `${' '.repeat(lead.length)}  differs: ${line}`)];
  });
}
