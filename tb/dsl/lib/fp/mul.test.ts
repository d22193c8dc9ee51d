// fpMul / fpMultiplier in Verilator against the golden soft-float: every operand pair of E4M3 and
// E5M2 (mixed formats, narrowing and widening results, odd splits and flush-to-zero sampled, and
// exhaustive under LUTFORGE_REGRESS); FP16, BF16, FP32
// and the widening FP16 x FP16 -> FP32 and BF16 x BF16 -> FP32 (which underflows into FP32's
// subnormals) on crossed edge values plus 100,000 random pairs; flush-to-zero variants; and a
// pipelined multiplier stepped through the clock.

import { describe, expect, it } from 'vitest';
import { Bool, defineModule, emitVerilog, UInt } from '../../../../dsl/index.js';
import { BF16, FP16, FP32, FP8_E4M3, FP8_E5M2, fpFormat, fpLatency, fpMul, fpMultiplier, fpWidth, type FpFormat } from '../../../../dsl/lib/fp/index.js';
import * as golden from '../../../../golden/softfloat.js';
import { expectLintClean, once } from '../../harness.js';
import { benchDesign, benchSuite, edgeValues, FpRandom, pairsOf, pipelineMismatches, REGRESS, show, type BenchUnit, type Check } from './fp-harness.js';

const RANDOM_PAIRS = REGRESS ? 1_000_000 : 100_000;

interface MulCase {
  readonly tag: string;
  readonly a: FpFormat;
  readonly b: FpFormat;
  readonly out: FpFormat;
  readonly flush: boolean;
  /** As in add.test.ts: `all`, `regress` (sampled unless LUTFORGE_REGRESS) or `random`. */
  readonly pairs: 'all' | 'regress' | 'random';
  readonly randomPairs?: number;
}

const E3M2FN = fpFormat(3, 2, 'fn');
const E6M1 = fpFormat(6, 1);
const E2M5 = fpFormat(2, 5);
const E7M12 = fpFormat(7, 12);

const mul = (tag: string, a: FpFormat, b: FpFormat, out: FpFormat, pairs: MulCase['pairs'], flush = false, randomPairs?: number): MulCase => ({ tag, a, b, out, flush, pairs, ...(randomPairs ? { randomPairs } : {}) });

const cases: readonly MulCase[] = [
  mul('e4m3', FP8_E4M3, FP8_E4M3, FP8_E4M3, 'all'),
  mul('e5m2', FP8_E5M2, FP8_E5M2, FP8_E5M2, 'all'),
  mul('e4m3_ftz', FP8_E4M3, FP8_E4M3, FP8_E4M3, 'regress', true),
  mul('e4m3_e5m2_bf16', FP8_E4M3, FP8_E5M2, BF16, 'regress'),
  mul('e5m2_e4m3_e3m2fn', FP8_E5M2, FP8_E4M3, E3M2FN, 'regress'),
  mul('e4m3_fp32', FP8_E4M3, FP8_E4M3, FP32, 'regress'),
  mul('e6m1', E6M1, E6M1, E6M1, 'regress'),
  mul('e2m5', E2M5, E2M5, E2M5, 'regress'),
  mul('fp16', FP16, FP16, FP16, 'random'),
  mul('bf16', BF16, BF16, BF16, 'random'),
  mul('fp32', FP32, FP32, FP32, 'random'),
  mul('e7m12', E7M12, E7M12, E7M12, 'random', false, RANDOM_PAIRS / 5),
  mul('fp16_fp32', FP16, FP16, FP32, 'random', false, RANDOM_PAIRS / 2),
  mul('bf16_fp32', BF16, BF16, FP32, 'random', false, RANDOM_PAIRS / 2),
  mul('fp32_bf16_fp8', FP32, BF16, FP8_E4M3, 'random', false, RANDOM_PAIRS / 5),
  mul('fp16_ftz', FP16, FP16, FP16, 'random', true, RANDOM_PAIRS / 5),
  mul('bf16_fp32_ftz', BF16, BF16, FP32, 'random', true, RANDOM_PAIRS / 5),
];

function operands(c: MulCase, seed: number): [number[], number[]] {
  if (c.pairs !== 'random') return pairsOf(c.a, c.b, seed, c.pairs === 'all');
  const a: number[] = [];
  const b: number[] = [];
  for (const x of edgeValues(c.a)) for (const y of edgeValues(c.b)) a.push(x), b.push(y);
  const count = c.randomPairs ?? RANDOM_PAIRS;
  if (c.a === c.b) {
    const [ra, rb] = new FpRandom(c.a, seed).pairs(count);
    return [[...a, ...ra], [...b, ...rb]];
  }
  return [[...a, ...new FpRandom(c.a, seed).values(count)], [...b, ...new FpRandom(c.b, seed + 1).values(count)]];
}

const units: BenchUnit[] = cases.map((c) => ({ tag: c.tag, def: fpMultiplier({ a: c.a, b: c.b, out: c.out, flushSubnormals: c.flush }), inputs: ['a', 'b'], outputs: ['out'] }));

const checks: Check[] = cases.map((c, k) => {
  const [a, b] = operands(c, 2000 + 7 * k);
  const options = { flushSubnormals: c.flush };
  const formats = { a: c.a, b: c.b, out: c.out };
  return {
    what: `${c.tag}: ${c.a.name} x ${c.b.name} -> ${c.out.name} ${c.pairs === 'all' || (c.pairs === 'regress' && REGRESS) ? 'for every operand pair' : 'on crossed edge values and random pairs'}${c.flush ? ', flushing subnormals' : ''}`,
    inputs: { [`${c.tag}_a`]: a, [`${c.tag}_b`]: b },
    output: `${c.tag}_out`,
    format: c.out,
    expected: (i) => golden.fpMul(formats, a[i]!, b[i]!, options),
    describe: (i) => `${show(a[i]!, c.a)} x ${show(b[i]!, c.b)}`,
  };
});

benchSuite('fpMultiplier against the golden soft-float', () => benchDesign('fp_mul_bench', units), checks);

describe('fpMultiplier module names', () => {
  it('names modules by the three formats and the variant', () => {
    expect(fpMultiplier({ a: FP16, b: FP16, out: FP32 }).name).toBe('fp_mul_fp16_fp16_fp32');
    expect(fpMultiplier({ a: FP8_E4M3, b: FP8_E5M2, out: BF16, flushSubnormals: true, stages: 1 }).name).toBe('fp_mul_fp8e4m3_fp8e5m2_bf16_ftz_s1');
  });
});

describe('pipelined fpMul', () => {
  const variants = [
    { port: 'out_fp16', stages: 1, a: FP16, out: FP32 },
    { port: 'out_bf16', stages: 3, a: BF16, out: FP32 },
  ] as const;
  const design = once(() =>
    emitVerilog(
      defineModule('fp_mul_pipe_bench', (m) => {
        const enable = m.input('enable', Bool);
        for (const v of variants) {
          const a = m.input(`a_${v.a.name}`, UInt(fpWidth(v.a)));
          const b = m.input(`b_${v.a.name}`, UInt(fpWidth(v.a)));
          m.output(v.port, UInt(fpWidth(v.out))).assign(fpMul(m, `mul_${v.a.name}`, a, b, { a: v.a, b: v.a, out: v.out }, { stages: v.stages, enable }));
        }
        return {};
      }),
    ),
  );

  it('emits lint-clean Verilog, and the module generator form too', async () => {
    await expectLintClean(design());
    await expectLintClean(emitVerilog(fpMultiplier({ a: BF16, b: BF16, out: FP32, stages: 2 })));
  });

  it('gives each product fpLatency(options) cycles later and holds while enable is low', async () => {
    const random = new FpRandom(FP16, 78);
    const bfRandom = new FpRandom(BF16, 79);
    const [a16, b16] = random.pairs(3000);
    const [abf, bbf] = bfRandom.pairs(3000);
    const enables = a16.map((_, i) => (i < 20 || random.below(3) !== 0 ? 1 : 0));
    const inputs = { a_fp16: a16, b_fp16: b16, a_bf16: abf, b_bf16: bbf };
    const outputs = variants.map((v) => {
      const [a, b] = v.a === FP16 ? [a16, b16] : [abf, bbf];
      return { port: v.port, stages: fpLatency({ stages: v.stages }), format: v.out, expected: (i: number) => golden.fpMul({ a: v.a, b: v.a, out: v.out }, a[i]!, b[i]!) };
    });
    expect(await pipelineMismatches(design(), inputs, enables, outputs)).toEqual([]);
  });
});
