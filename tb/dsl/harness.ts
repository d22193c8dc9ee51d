// Shared test harness for the DSL tests: a seeded PRNG for bigint values of any width, input
// vector generation around the extremes, a runner that pushes many vectors through one
// Verilator model, and a table-driven suite for combinational operators. Expected values are
// always computed by the test with plain bigint math, never by the DSL.

import { describe, expect, it } from 'vitest';
import type { EmittedDesign } from '../../dsl/design.js';
import { defineModule, emitVerilog, type Expr, type IntShape, type ModuleDef, type Signal } from '../../dsl/index.js';
import { runIcarusScript } from '../../sim/icarus-backend.js';
import type { UnknownBits } from '../../sim/script.js';
import { simulate as simulateOn } from '../../sim/simulate.js';
import type { SimOp, SimResult } from '../../sim/verilator.js';
import { formatLintReport, lintEverywhere } from '../lint.js';
import { SeededRandom } from '../../golden/random.js';

export type Values = Record<string, bigint>;

// ---- numbers ------------------------------------------------------------------------------------

/** Smallest and largest value of a `width`-bit port. */
export function rangeOf(width: number, signed: boolean): { min: bigint; max: bigint } {
  const w = BigInt(width);
  return signed ? { min: -(1n << (w - 1n)), max: (1n << (w - 1n)) - 1n } : { min: 0n, max: (1n << w) - 1n };
}

export function fits(value: bigint, width: number, signed: boolean): boolean {
  const { min, max } = rangeOf(width, signed);
  return value >= min && value <= max;
}

/** `value` reduced to `width` bits and read back as signed or unsigned (two's complement wrap). */
export function wrap(value: bigint, width: number, signed: boolean): bigint {
  return signed ? BigInt.asIntN(width, value) : BigInt.asUintN(width, value);
}

/** The bit pattern of a (possibly negative) value of a `width`-bit port. */
export function bitsOf(value: bigint, width: number): bigint {
  return BigInt.asUintN(width, value);
}

export function popcount(value: bigint): number {
  let count = 0;
  for (let v = value; v > 0n; v >>= 1n) if (v & 1n) count++;
  return count;
}

/** The values every operator must get right: 0, 1, the ends of the range, -1 and the lone MSB. */
export function extremes(width: number, signed: boolean): bigint[] {
  const { min, max } = rangeOf(width, signed);
  const list = [0n, 1n, max, min, signed ? -1n : max - 1n, signed ? min + 1n : 1n << BigInt(width - 1)];
  return [...new Set(list.filter((v) => fits(v, width, signed)))];
}

/** The project's seeded generator, with the draw the DSL tests add: a value of a port's shape. */
export class Rng extends SeededRandom {
  /** Uniform value of a `width`-bit port, negative half included for signed ones. */
  value(width: number, signed: boolean): bigint {
    return wrap(this.bits(width), width, signed);
  }
}

// ---- input vectors ----------------------------------------------------------------------------------

export interface VectorOptions {
  readonly seed: number;
  /** Vectors where each input is an extreme or a random value, half and half. */
  readonly mixed?: number;
  /** Vectors of uniformly random values. */
  readonly random?: number;
  /** Pairs of inputs whose extremes are crossed exhaustively (other inputs random). */
  readonly cross?: readonly (readonly [string, string])[];
  /** Hand-picked vectors, added first (inputs they leave out are 0). */
  readonly extra?: readonly Values[];
}

/** Deterministic input vectors: crossed extremes, then mixed, then random ones. */
export function inputVectors<I extends Record<string, IntShape>>(inputs: I, options: VectorOptions): ValuesOf<I>[] {
  const rng = new Rng(options.seed);
  const names = Object.keys(inputs);
  const shapeOf = (name: string): IntShape => {
    const shape = inputs[name];
    if (!shape) throw new Error(`no input '${name}'`);
    return shape;
  };
  const randomVector = (extremeChance: number): Values => {
    const v: Values = {};
    for (const name of names) {
      const { width, signed } = shapeOf(name);
      v[name] = rng.chance(extremeChance) ? rng.pick(extremes(width, signed)) : rng.value(width, signed);
    }
    return v;
  };
  const vectors: Values[] = [];
  for (const partial of options.extra ?? []) vectors.push({ ...Object.fromEntries(names.map((n) => [n, 0n])), ...partial });
  for (const [p, q] of options.cross ?? []) {
    const sp = shapeOf(p);
    const sq = shapeOf(q);
    for (const x of extremes(sp.width, sp.signed)) {
      for (const y of extremes(sq.width, sq.signed)) vectors.push({ ...randomVector(0.5), [p]: x, [q]: y });
    }
  }
  for (let i = 0; i < (options.mixed ?? 32); i++) vectors.push(randomVector(0.5));
  for (let i = 0; i < (options.random ?? 32); i++) vectors.push(randomVector(0));
  for (const v of vectors) {
    for (const name of names) {
      const { width, signed } = shapeOf(name);
      if (v[name] === undefined || !fits(v[name], width, signed)) throw new Error(`test vector value ${name}=${v[name]} does not fit its port`);
    }
  }
  return vectors as ValuesOf<I>[];
}

// ---- running designs ---------------------------------------------------------------------------------

/**
 * Runs a script on Verilator and on Icarus and insists they agree (ROHD's rule: every test
 * vector list runs on two simulators), so each DSL construct is checked on both. Bits Icarus
 * reports as x (a register or memory word never written) match anything: Verilator is
 * two-state and has no way to say "unknown". Returns Verilator's result.
 */
export async function simulate(design: EmittedDesign, ops: readonly SimOp[]): Promise<SimResult> {
  const unknown: UnknownBits = {};
  const [v, i] = await Promise.all([simulateOn(design, ops), runIcarusScript(design, ops, { unknown })]);
  for (const [port, values] of Object.entries(v)) {
    const width = design.ports.find((p) => p.name === port)?.width ?? 1;
    values.forEach((value, k) => {
      const mask = ~(unknown[port]?.[k] ?? 0n);
      const raw = (x: bigint | undefined): bigint => BigInt.asUintN(width, x ?? -1n) & mask;
      if (raw(value) !== raw(i[port]?.[k])) {
        throw new Error(`'${design.top}': Verilator and Icarus disagree on port '${port}' at its peek ${k}: ${value} vs ${i[port]?.[k]}`);
      }
    });
  }
  return v;
}

/** One value per peek of `port`, with a clear error when the simulation did not report it. */
export function peeked(result: SimResult, port: string): bigint[] {
  const values = result[port];
  if (!values) throw new Error(`the simulation reported no values for '${port}'`);
  return values;
}

/** Applies each vector, settles the logic, and reads `outputs`; one model run for all vectors. */
export async function runCombinational(design: EmittedDesign, vectors: readonly Readonly<Values>[], outputs: readonly string[]): Promise<Values[]> {
  const ops: SimOp[] = [];
  for (const vector of vectors) ops.push({ poke: vector }, { eval: true }, { peek: outputs });
  const result = await simulate(design, ops);
  return vectors.map((_, i) => Object.fromEntries(outputs.map((name) => [name, peeked(result, name)[i]!])));
}

/** Asserts that Verilator -Wall, Icarus and Yosys all accept the design without a word. */
export async function expectLintClean(design: EmittedDesign): Promise<void> {
  const report = await lintEverywhere(design);
  expect(report.ok, `lint of '${design.top}' failed:\n${formatLintReport(report)}\n${design.modules.map((m) => m.text).join('\n')}`).toBe(true);
}

/** The Verilog of the design, for assertion messages that need to show what was emitted. */
export function verilogOf(design: EmittedDesign): string {
  return design.modules.map((m) => m.text).join('\n');
}

/** The emitted lines that compute `name`, with the generated temp wires they read (transitively). */
export function verilogFor(design: EmittedDesign, name: string): string {
  const lines = verilogOf(design).split('\n');
  const wanted = new Set<string>([name]);
  const picked = new Set<number>();
  for (let changed = true; changed; ) {
    changed = false;
    lines.forEach((line, i) => {
      if (picked.has(i)) return;
      const defines = /^\s*(?:assign|wire\s*(?:\[\d+:0\])?)\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
      if (defines === undefined || !wanted.has(defines)) return;
      picked.add(i);
      changed = true;
      for (const temp of line.matchAll(/\b_[a-z]+_\d+\b/g)) wanted.add(temp[0]);
    });
  }
  return [...picked].sort((x, y) => x - y).map((i) => lines[i]).join('\n');
}

export interface Mismatch {
  readonly vector: string;
  readonly output: string;
  readonly expected: string;
  readonly got: string;
}

function describeVector(v: Readonly<Values>): string {
  return Object.entries(v)
    .map(([k, x]) => `${k}=${x}`)
    .join(' ');
}

/** The first few differences between expected and simulated values, readable in a test failure. */
export function mismatches(vectors: readonly Readonly<Values>[], output: string, expected: readonly bigint[], got: readonly Values[], limit = 8): Mismatch[] {
  const found: Mismatch[] = [];
  for (let i = 0; i < vectors.length && found.length < limit; i++) {
    const g = got[i]?.[output];
    if (g !== expected[i]) found.push({ vector: describeVector(vectors[i]!), output, expected: String(expected[i]), got: String(g) });
  }
  return found;
}

/** Calls `f` once, on first use, and hands every caller the same promise. */
export function once<T>(f: () => T): () => T {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value as T;
  };
}

// ---- table-driven combinational suites -------------------------------------------------------------

export type SignalsOf<I extends Record<string, IntShape>> = { readonly [K in keyof I]: Signal };
export type ValuesOf<I extends Record<string, IntShape>> = { readonly [K in keyof I]: bigint };

/** One output of a combinational test module: the expression, its documented shape and its math. */
export interface CombCase<I extends Record<string, IntShape>> {
  /** Output port name. */
  readonly name: string;
  /** What is checked, for the test name. */
  readonly what: string;
  readonly build: (io: SignalsOf<I>) => Expr;
  /** Expected width and signedness of the expression (the operator's width rule). */
  readonly width: number;
  readonly signed: boolean;
  /** The exact expected output value, computed independently with bigint math. */
  readonly model: (v: ValuesOf<I>) => bigint;
  /** Shown with a failure, e.g. the DSL expression of a generated case. */
  readonly detail?: string;
}

/** Cases checked under their own describe title, sharing the module of their suite. */
export interface CombGroup<I extends Record<string, IntShape>> {
  readonly title: string;
  readonly cases: readonly CombCase<I>[];
}

export interface CombSuiteSpec<I extends Record<string, IntShape>> {
  readonly module: string;
  readonly inputs: I;
  /** Cases directly under the suite. */
  readonly cases?: readonly CombCase<I>[];
  /** More cases in titled groups: one module for all keeps the number of Verilator builds down. */
  readonly groups?: readonly CombGroup<I>[];
  readonly vectors: VectorOptions;
}

function allCases<I extends Record<string, IntShape>>(spec: CombSuiteSpec<I>): CombCase<I>[] {
  return [...(spec.cases ?? []), ...(spec.groups ?? []).flatMap((g) => g.cases)];
}

export interface CombDesign {
  readonly def: ModuleDef;
  readonly design: EmittedDesign;
  /** Width and signedness each case's expression actually had. */
  readonly shapes: ReadonlyMap<string, IntShape>;
}

/** A module with one input per entry of `inputs` and one output per case, driven by the case's expression. */
export function buildCombDesign<I extends Record<string, IntShape>>(spec: CombSuiteSpec<I>): CombDesign {
  const shapes = new Map<string, IntShape>();
  const def = defineModule(spec.module, (m) => {
    const io: Record<string, Signal> = {};
    for (const [name, shape] of Object.entries(spec.inputs)) io[name] = m.input(name, shape);
    for (const c of allCases(spec)) {
      const e = c.build(io as SignalsOf<I>);
      shapes.set(c.name, e.shape);
      m.output(c.name, e.shape).assign(e);
    }
    return io;
  });
  return { def, design: emitVerilog(def), shapes };
}

/** The expected value of one output of a combinational design, for `combOutputTests`. */
export interface OutputModel<V extends Readonly<Values> = Readonly<Values>> {
  readonly name: string;
  readonly what: string;
  /** Port width and signedness, to catch a test model that leaves the port's range. */
  readonly width: number;
  readonly signed: boolean;
  readonly model: (v: V) => bigint;
  readonly detail?: string;
}

/**
 * Registers a lint test and one test per output of a combinational design, all fed from a single
 * simulation of `vectors` (run on first use).
 */
export function combOutputTests<V extends Readonly<Values>>(design: () => EmittedDesign, vectors: readonly V[], outputs: readonly OutputModel<V>[]): void {
  const results = once(() => runCombinational(design(), vectors, outputs.map((o) => o.name)));

  it('emits Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
    await expectLintClean(design());
  });

  outputTests(design, results, vectors, outputs);
}

/** One test per output, each comparing its column of the shared simulation `results` with its model. */
function outputTests<V extends Readonly<Values>>(
  design: () => EmittedDesign,
  results: () => Promise<Values[]>,
  vectors: readonly V[],
  outputs: readonly OutputModel<V>[],
): void {
  for (const o of outputs) {
    it(`${o.name}: ${o.what}`, async () => {
      const expected = vectors.map((v) => {
        const value = o.model(v);
        // A model value outside the port range is a mistake in the test, not in the DSL.
        if (!fits(value, o.width, o.signed)) throw new Error(`test model of '${o.name}' gives ${value}, outside its ${o.width}-bit port`);
        return value;
      });
      const got = await results();
      const detail = o.detail === undefined ? '' : `${o.detail}\n`;
      expect(mismatches(vectors, o.name, expected, got), `${detail}emitted Verilog:\n${verilogFor(design(), o.name)}`).toEqual([]);
    });
  }
}

/**
 * Registers a describe block: the documented widths, lint cleanliness, then one test per case
 * against its bigint model. The module is simulated once; every case reads its own output.
 */
export function combSuite<I extends Record<string, IntShape>>(title: string, spec: CombSuiteSpec<I>): void {
  describe(title, () => {
    const built = once(() => buildCombDesign(spec));
    const design = (): EmittedDesign => built().design;
    const vectors = inputVectors(spec.inputs, spec.vectors);
    const cases = allCases(spec);
    const results = once(() => runCombinational(design(), vectors, cases.map((c) => c.name)));

    it('gives every expression its documented width and signedness', () => {
      const actual = Object.fromEntries(cases.map((c) => [c.name, built().shapes.get(c.name)]));
      const documented = Object.fromEntries(cases.map((c) => [c.name, { kind: 'int', width: c.width, signed: c.signed }]));
      expect(actual).toEqual(documented);
    });

    it('emits Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
      await expectLintClean(design());
    });

    outputTests(design, results, vectors, spec.cases ?? []);
    for (const group of spec.groups ?? []) describe(group.title, () => outputTests(design, results, vectors, group.cases));
  });
}
