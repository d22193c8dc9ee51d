// fpExp / fpReciprocal / fpRsqrt (as fpExponential, fpReciprocalUnit, fpRsqrtUnit) in Verilator
// against the golden soft-float, one bench for all three: FP32 edge values, every seed-table
// segment's ends, exp's overflow and underflow thresholds, and random values (mostly where the
// functions do real work: |x| < 128 for exp, every binade and the subnormals for 1/x and
// 1/sqrt(x)); the flush-to-zero variants on random values; pipelined forms (1 to 3 stages) in the
// same build, clocked with enable gaps. Accuracy against float64 is the golden
// tests' business (tb/golden/softfloat/functions.test.ts).

import { describe, expect, it } from 'vitest';
import { Bool, defineModule, UInt } from '../../../../dsl/index.js';
import { BF16, FP32, fpExp, fpExponential, fpLatency, fpReciprocal, fpReciprocalUnit, fpRsqrt, fpRsqrtUnit, type FpFormat, type FpOptions } from '../../../../dsl/lib/fp/index.js';
import type { ModuleBuilder } from '../../../../dsl/builder.js';
import type { Expr } from '../../../../dsl/expr.js';
import { once } from '../../harness.js';
import * as golden from '../../../../golden/softfloat.js';
import { benchDesign, benchSuite, edgeValues, FpRandom, pattern, pipelineMismatches, REGRESS, show, type BenchUnit, type Check } from './fp-harness.js';

const RANDOM = REGRESS ? 500_000 : 12_000;

type GoldenFunction = (format: FpFormat, bits: number, options?: { flushSubnormals?: boolean }) => number;

interface FunctionCase {
  readonly tag: string;
  readonly def: BenchUnit['def'];
  readonly golden: GoldenFunction;
  readonly values: number[];
  readonly flush: boolean;
}

/** FP32 values with exponent field in [low, high], random fraction and sign. */
function inBinades(random: FpRandom, count: number, low: number, high: number, sign?: number): number[] {
  return Array.from({ length: count }, () => pattern(FP32, sign ?? random.below(2), low + random.below(high - low + 1), random.below(2 ** 23)));
}

/** Neighbours (a few ulps either way) of the given float32 magnitudes. */
function around(values: readonly number[], sign: number): number[] {
  const bits = new Uint32Array(new Float32Array(values).buffer);
  return [...bits].flatMap((b) => [-3, -2, -1, 0, 1, 2, 3].map((d) => b + d + sign * 2 ** 31));
}

function expValues(seed: number, count: number): number[] {
  const random = new FpRandom(FP32, seed);
  // e^x overflows past 88.72, reaches the subnormals below -87.34 and rounds to 0 below -103.97.
  const thresholds = [...around([88.72283, 88.0, 87.33654, 103.27893, 103.97208, 104.0, 127.99999, 128], 0), ...around([87.33654, 103.27893, 103.97208, 104.0, 127.99999, 128], 1)];
  return [...edgeValues(FP32), ...thresholds, ...inBinades(random, count / 2, 118, 133), ...inBinades(random, count / 4, 90, 133), ...random.values(count / 4)];
}

/** Both ends of every seed segment (the table index is the top fraction bits) in a few binades. */
function segmentEnds(bitsPerIndex: number): number[] {
  const values: number[] = [];
  const width = 2 ** (23 - bitsPerIndex);
  for (let j = 0; j < 2 ** bitsPerIndex; j++) {
    for (const field of [1, 2, 127, 128, 200, 253, 254]) values.push(pattern(FP32, 0, field, j * width), pattern(FP32, 0, field, j * width + width - 1));
  }
  return values;
}

function reciprocalValues(seed: number, count: number): number[] {
  const random = new FpRandom(FP32, seed);
  return [...edgeValues(FP32), ...segmentEnds(7), ...random.values(count)];
}

function rsqrtValues(seed: number, count: number): number[] {
  const random = new FpRandom(FP32, seed);
  return [...edgeValues(FP32), ...segmentEnds(6), ...random.values(count / 4), ...inBinades(random, (3 * count) / 4, 0, 254, 0)];
}

const cases: FunctionCase[] = [
  { tag: 'exp', def: fpExponential({ format: FP32 }), golden: golden.fpExp, values: expValues(71, RANDOM), flush: false },
  { tag: 'recip', def: fpReciprocalUnit({ format: FP32 }), golden: golden.fpReciprocal, values: reciprocalValues(72, RANDOM), flush: false },
  { tag: 'rsqrt', def: fpRsqrtUnit({ format: FP32 }), golden: golden.fpRsqrt, values: rsqrtValues(73, RANDOM), flush: false },
  { tag: 'exp_ftz', def: fpExponential({ format: FP32, flushSubnormals: true }), golden: golden.fpExp, values: expValues(74, RANDOM / 4), flush: true },
  { tag: 'recip_ftz', def: fpReciprocalUnit({ format: FP32, flushSubnormals: true }), golden: golden.fpReciprocal, values: reciprocalValues(75, RANDOM / 4), flush: true },
  { tag: 'rsqrt_ftz', def: fpRsqrtUnit({ format: FP32, flushSubnormals: true }), golden: golden.fpRsqrt, values: rsqrtValues(76, RANDOM / 4), flush: true },
];

const units: BenchUnit[] = cases.map((c) => ({ tag: c.tag, def: c.def, inputs: ['value'], outputs: ['out'] }));

const checks: Check[] = cases.map((c) => ({
  what: `fp_${c.tag} matches the golden model on FP32 edge, threshold and random values`,
  inputs: { [`${c.tag}_value`]: c.values },
  output: `${c.tag}_out`,
  format: FP32,
  expected: (i) => c.golden(FP32, c.values[i]!, { flushSubnormals: c.flush }),
  describe: (i) => show(c.values[i]!, FP32),
}));

// Pipelined forms of the inline builders, in the same build (stages 1, 2 and 3: the stager's cuts
// inside the Newton-Raphson steps and inside the rounding, and a register on the result).
type Builder = (m: ModuleBuilder, name: string, a: Expr, format: FpFormat, options?: FpOptions) => Expr;
const PIPELINED: readonly { tag: string; stages: number; build: Builder; golden: GoldenFunction; values: number[] }[] = [
  { tag: 'exp', stages: 1, build: fpExp, golden: golden.fpExp, values: expValues(77, 2000) },
  { tag: 'recip', stages: 2, build: fpReciprocal, golden: golden.fpReciprocal, values: reciprocalValues(78, 2000) },
  { tag: 'rsqrt', stages: 3, build: fpRsqrt, golden: golden.fpRsqrt, values: rsqrtValues(79, 2000) },
];

function addPipelined(m: ModuleBuilder): void {
  const enable = m.input('enable', Bool);
  for (const v of PIPELINED) m.output(`pipe_${v.tag}_out`, UInt(32)).assign(v.build(m, `pipe_${v.tag}`, m.input(`pipe_${v.tag}_value`, UInt(32)), FP32, { stages: v.stages, enable }));
}

const bench = once(() => benchDesign('fp_function_bench', units, addPipelined));

benchSuite('FP32 exp, reciprocal and rsqrt against the golden soft-float', bench, checks);

describe('pipelined exp, reciprocal and rsqrt', () => {
  it('give each result fpLatency(options) cycles later and hold while enable is low', async () => {
    const length = Math.min(...PIPELINED.map((v) => v.values.length));
    const random = new FpRandom(FP32, 80);
    const enables = Array.from({ length }, (_, i) => (i < 20 || random.below(3) !== 0 ? 1 : 0));
    const inputs = Object.fromEntries(PIPELINED.map((v) => [`pipe_${v.tag}_value`, v.values.slice(0, length)]));
    const outputs = PIPELINED.map((v) => ({ port: `pipe_${v.tag}_out`, stages: fpLatency({ stages: v.stages }), format: FP32, expected: (i: number) => v.golden(FP32, v.values[i]!) }));
    expect(await pipelineMismatches(bench(), inputs, enables, outputs)).toEqual([]);
  });
});

describe('function operator parameters', () => {
  it('names the modules by operator, format and variant', () => {
    expect(fpExponential({ format: FP32 }).name).toBe('fp_exp_fp32');
    expect(fpReciprocalUnit({ format: FP32, flushSubnormals: true }).name).toBe('fp_recip_fp32_ftz');
    expect(fpRsqrtUnit({ format: FP32, stages: 2 }).name).toBe('fp_rsqrt_fp32_s2');
  });

  it('rejects formats other than FP32 with one line naming the operator and the format', () => {
    expect(() => fpExponential({ format: BF16 })).toThrow(/fpExp 'exp' supports FP32 only .*got bf16/);
    expect(() =>
      defineModule('bad_rsqrt', (m) => {
        fpRsqrt(m, 'r', m.input('x', UInt(16)), BF16);
        return {};
      }),
    ).toThrow(/fpRsqrt 'r' supports FP32 only/);
  });
});
