// Shared machinery of the floating-point operator tests: operand generators that reach the
// interesting parts of a format (edge values, subnormals, close exponents for cancellation and
// rounding ties), a test-bench module that instantiates many operator modules side by side so
// one Verilator build serves a whole test file, and a batch runner that checks every output
// against the golden soft-float and reports the first mismatches readably.

import { describe, expect, it } from 'vitest';
import type { EmittedDesign } from '../../../../dsl/design.js';
import { defineModule, emitVerilog, type ModuleBuilder, type ModuleDef } from '../../../../dsl/index.js';
import { fpBias, fpWidth, maxFiniteExponent, type FpFormat } from '../../../../dsl/lib/fp/index.js';
import { buildModel, runModel, type SimOp } from '../../../../sim/verilator.js';
import { fpDecode } from '../../../../golden/softfloat.js';
import { expectLintClean, once, Rng } from '../../harness.js';

/** Set LUTFORGE_REGRESS=1 (make regress) for the larger random sets. */
export const REGRESS = process.env.LUTFORGE_REGRESS !== undefined && process.env.LUTFORGE_REGRESS !== '' && process.env.LUTFORGE_REGRESS !== '0';

// ---- values ----------------------------------------------------------------------------------------

export function pattern(format: FpFormat, sign: number, field: number, fraction: number): number {
  return sign * 2 ** (format.exponent + format.mantissa) + field * 2 ** format.mantissa + fraction;
}

/**
 * The values every operator must get right, both signs: zeros, the subnormal ends, the smallest
 * normal, 1 and its neighbours, values half an ulp of 1 (rounding ties against 1), the largest
 * finite value and its half ulp (a tie that overflows), infinities and NaNs.
 */
export function edgeValues(format: FpFormat): number[] {
  const m = format.mantissa;
  const fracOnes = 2 ** m - 1;
  const bias = fpBias(format);
  const maxField = maxFiniteExponent(format);
  const fn = format.specials === 'fn';
  const maxFrac = fn ? fracOnes - 1 : fracOnes;
  const magnitudes = [
    pattern(format, 0, 0, 0),
    pattern(format, 0, 0, 1),
    pattern(format, 0, 0, Math.min(2, fracOnes)),
    pattern(format, 0, 0, fracOnes),
    pattern(format, 0, 0, 2 ** (m - 1)),
    pattern(format, 0, 1, 0),
    pattern(format, 0, 1, 1),
    pattern(format, 0, bias, 0),
    pattern(format, 0, bias, 1),
    pattern(format, 0, bias, fracOnes),
    pattern(format, 0, bias, 2 ** (m - 1)),
    pattern(format, 0, bias + 1, 0),
    pattern(format, 0, bias - 1, fracOnes),
    pattern(format, 0, maxField, maxFrac),
    pattern(format, 0, maxField, Math.max(0, maxFrac - 1)),
    pattern(format, 0, maxField, 0),
    pattern(format, 0, maxField - 1, fracOnes),
  ];
  // Half an ulp of 1 and of the largest value (ties when added to them).
  for (const exponent of [bias - m - 1, maxField - m - 1]) {
    if (exponent >= 1) magnitudes.push(pattern(format, 0, exponent, 0), pattern(format, 0, exponent, fracOnes));
  }
  if (fn) magnitudes.push(pattern(format, 0, 2 ** format.exponent - 1, fracOnes));
  else magnitudes.push(pattern(format, 0, 2 ** format.exponent - 1, 0), pattern(format, 0, 2 ** format.exponent - 1, 2 ** (m - 1)), pattern(format, 0, 2 ** format.exponent - 1, 1));
  const signBit = 2 ** (fpWidth(format) - 1);
  return [...new Set(magnitudes.flatMap((v) => [v, v + signBit]))];
}

/** Every bit pattern of a format (for the 8-bit and narrower ones). */
export function allValues(format: FpFormat): number[] {
  return Array.from({ length: 2 ** fpWidth(format) }, (_, i) => i);
}

/** All ordered pairs of `values`, as two parallel operand lists. */
export function crossPairs(values: readonly number[]): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  for (const x of values) for (const y of values) a.push(x), b.push(y);
  return [a, b];
}

/** Random values of a format: mostly normals, with subnormals, edges and specials mixed in. */
export class FpRandom {
  private readonly rng: Rng;

  constructor(
    readonly format: FpFormat,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  below(n: number): number {
    return this.rng.below(n);
  }

  value(): number {
    const f = this.format;
    const roll = this.rng.below(100);
    if (roll < 6) return this.rng.pick(edgeValues(f));
    if (roll < 20) return pattern(f, this.rng.below(2), 0, this.rng.below(2 ** f.mantissa));
    if (roll < 25) return this.rng.below(2 ** fpWidth(f));
    return pattern(f, this.rng.below(2), 1 + this.rng.below(maxFiniteExponent(f)), this.rng.below(2 ** f.mantissa));
  }

  /**
   * A partner for `a`: often with an exponent within a few binades (rounding, ties, and with the
   * opposite sign cancellation), sometimes nearly equal in magnitude (massive cancellation).
   */
  partner(a: number): number {
    const f = this.format;
    const roll = this.rng.below(100);
    if (roll < 40) return this.value();
    const m = f.mantissa;
    const field = Math.floor(a / 2 ** m) % 2 ** f.exponent;
    const sign = this.rng.below(2);
    if (roll < 55) {
      // Same binade, low fraction bits changed: cancellation down to a few bits.
      const low = 2 ** Math.min(m, 1 + this.rng.below(m + 1));
      const fraction = (a % 2 ** m) - (a % low) + this.rng.below(low);
      return pattern(f, sign, field, fraction);
    }
    const maxField = maxFiniteExponent(f);
    const shifted = Math.min(maxField, Math.max(0, field + this.rng.below(2 * (m + 4) + 1) - (m + 4)));
    return pattern(f, sign, shifted, this.rng.below(2 ** m));
  }

  pairs(count: number): [number[], number[]] {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < count; i++) {
      const x = this.value();
      const y = this.partner(x);
      if (this.rng.below(2) === 0) a.push(x), b.push(y);
      else a.push(y), b.push(x);
    }
    return [a, b];
  }

  values(count: number): number[] {
    return Array.from({ length: count }, () => this.value());
  }
}

// ---- test-bench modules -------------------------------------------------------------------------------

/** One operator instance in a bench: its module, the bench-level port prefix, and the ports. */
export interface BenchUnit {
  readonly tag: string;
  readonly def: ModuleDef;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * A combinational bench: each unit's module instantiated once, its ports brought out as
 * `<tag>_<port>`. One Verilator build then checks all of them; `extra` may add more logic (a
 * pipelined operator, say) that another test checks on the same build.
 */
export function benchDesign(name: string, units: readonly BenchUnit[], extra?: (m: ModuleBuilder) => void): EmittedDesign {
  const top = defineModule(name, (m) => {
    for (const unit of units) {
      const instance = m.instance(unit.def, `u_${unit.tag}`);
      for (const port of unit.inputs) instance.port(port).assign(m.input(`${unit.tag}_${port}`, instance.port(port).shape));
      for (const port of unit.outputs) m.output(`${unit.tag}_${port}`, instance.port(port).shape).assign(instance.port(port));
    }
    extra?.(m);
    return {};
  });
  return emitVerilog(top);
}

/** Operand lists per bench input port and the expected values per output port. */
export interface Check {
  readonly what: string;
  readonly inputs: Readonly<Record<string, readonly (number | bigint)[]>>;
  readonly output: string;
  readonly expected: (i: number) => number;
  /** Format of the output (for decoding in messages); omit for non-FP outputs. */
  readonly format?: FpFormat;
  readonly describe?: (i: number) => string;
}

/**
 * Runs every check against one build of the bench: each check is its own model run (it pokes only
 * its inputs and peeks only its output), two at a time. Returns each check's mismatch report,
 * empty when it passed.
 */
export async function runChecks(design: EmittedDesign, checks: readonly Check[]): Promise<Map<string, string[]>> {
  const model = await buildModel(design);
  const reports = new Map<string, string[]>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const check = checks[next++]!;
      reports.set(check.what, await runCheck(model, check));
    }
  };
  await Promise.all([worker(), worker()]);
  return reports;
}

async function runCheck(model: Awaited<ReturnType<typeof buildModel>>, check: Check): Promise<string[]> {
  const ports = Object.entries(check.inputs);
  const n = ports[0]![1].length;
  const ops: SimOp[] = [];
  for (let i = 0; i < n; i++) {
    ops.push({ poke: Object.fromEntries(ports.map(([port, values]) => [port, values[i]!])) }, { eval: true }, { peek: [check.output] });
  }
  const values = (await runModel(model, ops, { timeoutMs: 300_000 }))[check.output]!;
  const problems: string[] = [];
  let failures = 0;
  for (let i = 0; i < n; i++) {
    const expected = check.expected(i);
    const actual = Number(values[i]);
    if (actual === expected) continue;
    failures++;
    if (problems.length < 8) {
      const operands = check.describe?.(i) ?? ports.map(([port, v]) => `${port}=${hex(v[i]!)}`).join(' ');
      problems.push(`${operands}: expected ${show(expected, check.format)}, got ${show(actual, check.format)}`);
    }
  }
  if (failures > 0) problems.push(`${failures} of ${n} vectors differ`);
  return problems;
}

/**
 * Registers a describe block for a bench: a lint test of the whole bench (every operator module in
 * it) and one test per check, all fed from one build run once.
 */
export function benchSuite(title: string, bench: () => EmittedDesign, checks: readonly Check[]): void {
  describe(title, () => {
    const design = once(bench);
    const results = once(() => runChecks(design(), checks));
    it('emits Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
      await expectLintClean(design());
    });
    for (const check of checks) {
      it(`${check.what} (${Object.values(check.inputs)[0]!.length} vectors)`, async () => {
        expectClean(await results(), check.what);
      });
    }
  });
}

export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/** A bit pattern with its value, for messages. */
export function show(bits: number, format?: FpFormat): string {
  if (format === undefined) return String(bits);
  let value: string;
  try {
    value = String(fpDecode(format, bits));
  } catch {
    value = '?';
  }
  return `${hex(bits)} (${value})`;
}

/** Asserts that a check passed, with its first mismatches as the message. */
export function expectClean(reports: ReadonlyMap<string, readonly string[]>, what: string): void {
  const report = reports.get(what);
  if (report === undefined) throw new Error(`no check named '${what}'`);
  expect(report, `${what}:\n${report.join('\n')}`).toEqual([]);
}

// ---- pipelined operators --------------------------------------------------------------------------------

export interface PipelinedOutput {
  readonly port: string;
  readonly stages: number;
  readonly format: FpFormat;
  /** The result for vector i. */
  readonly expected: (i: number) => number;
}

/**
 * Clocks `operands` (one vector per cycle, with `enable` as given) through a design with pipelined
 * outputs and checks that after each clock edge each output shows the result of the vector its last
 * register stage holds: the registers advance only on edges where enable was high.
 */
export async function pipelineMismatches(
  design: EmittedDesign,
  operands: Readonly<Record<string, readonly number[]>>,
  enables: readonly number[],
  outputs: readonly PipelinedOutput[],
): Promise<string[]> {
  const ops: SimOp[] = [];
  const ports = Object.entries(operands);
  for (let i = 0; i < enables.length; i++) {
    ops.push({ poke: { ...Object.fromEntries(ports.map(([p, v]) => [p, v[i]!])), enable: enables[i]! } }, { step: 1 }, { peek: outputs.map((o) => o.port) });
  }
  const result = await runModel(await buildModel(design), ops);
  const wrong: string[] = [];
  for (const output of outputs) {
    const held: (number | undefined)[] = new Array<number | undefined>(output.stages).fill(undefined);
    for (let i = 0; i < enables.length; i++) {
      if (enables[i] === 1) held.unshift(i), held.pop();
      const source = held[output.stages - 1];
      if (source === undefined) continue;
      const expected = output.expected(source);
      const got = Number(result[output.port]![i]);
      if (got !== expected && wrong.length < 8) {
        wrong.push(`${output.port}, cycle ${i}: vector ${source} should give ${show(expected, output.format)}, got ${show(got, output.format)}`);
      }
    }
  }
  return wrong;
}

/**
 * Random `from` values whose magnitudes land around `to`'s range: from below its smallest
 * subnormal to past its largest finite value, where a narrowing conversion rounds, underflows and
 * overflows. Edge values and specials are mixed in.
 */
export function valuesAround(from: FpFormat, to: FpFormat, count: number, seed: number): number[] {
  const random = new FpRandom(from, seed);
  const lowest = 1 - fpBias(to) - to.mantissa - 2;
  const highest = maxFiniteExponent(to) - fpBias(to) + 2;
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    if (random.below(10) < 2) {
      values.push(random.value());
      continue;
    }
    const field = Math.min(maxFiniteExponent(from), Math.max(0, lowest + random.below(highest - lowest + 1) + fpBias(from)));
    // Fractions with few set bits below the target's precision make exact ties common.
    const fraction = random.below(4) === 0 ? random.below(2 ** Math.min(from.mantissa, to.mantissa + 2)) * 2 ** Math.max(0, from.mantissa - to.mantissa - 2) : random.below(2 ** from.mantissa);
    values.push(pattern(from, random.below(2), field, fraction));
  }
  return values;
}

// ---- exhaustive or sampled ------------------------------------------------------------------------------

/** Default-run size of the sets that are exhaustive only under LUTFORGE_REGRESS. */
export const SAMPLE = 16_000;

/**
 * Every value pair of two formats when `always` or under LUTFORGE_REGRESS; otherwise the edge
 * values crossed plus `SAMPLE` uniformly random pairs.
 */
export function pairsOf(a: FpFormat, b: FpFormat, seed: number, always = false): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  if (always || REGRESS) {
    for (const x of allValues(a)) for (const y of allValues(b)) xs.push(x), ys.push(y);
    return [xs, ys];
  }
  for (const x of edgeValues(a)) for (const y of edgeValues(b)) xs.push(x), ys.push(y);
  const rng = new Rng(seed);
  for (let i = 0; i < SAMPLE; i++) xs.push(rng.below(2 ** fpWidth(a))), ys.push(rng.below(2 ** fpWidth(b)));
  return [xs, ys];
}

/** Every value of a format when `always` or under LUTFORGE_REGRESS; otherwise edges plus `SAMPLE` random values. */
export function valuesOf(format: FpFormat, seed: number, always = false): number[] {
  if (always || REGRESS || 2 ** fpWidth(format) <= SAMPLE) return allValues(format);
  const rng = new Rng(seed);
  return [...edgeValues(format), ...Array.from({ length: SAMPLE }, () => rng.below(2 ** fpWidth(format)))];
}
