// fpAdd / fpAdder in Verilator against the golden soft-float: every operand pair of E4M3, E5M2 and
// two narrower odd formats (other 8-bit splits and the flush-to-zero FP8 variants sampled, and
// exhaustive under LUTFORGE_REGRESS); for FP16, BF16, FP32 and an odd
// 20-bit format the edge values crossed pairwise plus 100,000 random pairs biased toward close
// exponents (rounding ties, cancellation) and subnormals; flush-to-zero variants; and a pipelined
// adder stepped through the clock with its enable toggled.

import { describe, expect, it } from 'vitest';
import { Bool, defineModule, emitVerilog, UInt } from '../../../../dsl/index.js';
import { BF16, FP16, FP32, FP8_E4M3, FP8_E5M2, fpAdd, fpAdder, fpFormat, fpLatency, fpWidth, type FpFormat } from '../../../../dsl/lib/fp/index.js';
import * as golden from '../../../../golden/softfloat.js';
import { expectLintClean, once } from '../../harness.js';
import { benchDesign, benchSuite, crossPairs, edgeValues, FpRandom, pairsOf, pipelineMismatches, REGRESS, show, type BenchUnit, type Check } from './fp-harness.js';

const RANDOM_PAIRS = REGRESS ? 1_000_000 : 100_000;

interface AddCase {
  readonly tag: string;
  readonly format: FpFormat;
  readonly flush: boolean;
  /**
   * `all`: every operand pair in every run; `regress`: every pair under LUTFORGE_REGRESS, else
   * crossed edges plus a uniform sample; `random`: crossed edges plus biased random pairs.
   */
  readonly pairs: 'all' | 'regress' | 'random';
  readonly randomPairs?: number;
}

const cases: readonly AddCase[] = [
  { tag: 'e4m3', format: FP8_E4M3, flush: false, pairs: 'all' },
  { tag: 'e5m2', format: FP8_E5M2, flush: false, pairs: 'all' },
  { tag: 'e4m3_ftz', format: FP8_E4M3, flush: true, pairs: 'regress' },
  { tag: 'e5m2_ftz', format: FP8_E5M2, flush: true, pairs: 'regress' },
  { tag: 'e2m1', format: fpFormat(2, 1), flush: false, pairs: 'all' },
  { tag: 'e3m2fn', format: fpFormat(3, 2, 'fn'), flush: false, pairs: 'all' },
  { tag: 'e2m5', format: fpFormat(2, 5), flush: false, pairs: 'regress' },
  { tag: 'e6m1', format: fpFormat(6, 1), flush: false, pairs: 'regress' },
  { tag: 'fp16', format: FP16, flush: false, pairs: 'random' },
  { tag: 'bf16', format: BF16, flush: false, pairs: 'random' },
  { tag: 'fp32', format: FP32, flush: false, pairs: 'random' },
  { tag: 'e7m12', format: fpFormat(7, 12), flush: false, pairs: 'random', randomPairs: RANDOM_PAIRS / 5 },
  { tag: 'fp16_ftz', format: FP16, flush: true, pairs: 'random', randomPairs: RANDOM_PAIRS / 5 },
  { tag: 'bf16_ftz', format: BF16, flush: true, pairs: 'random', randomPairs: RANDOM_PAIRS / 5 },
];

function operands(c: AddCase, seed: number): [number[], number[]] {
  if (c.pairs !== 'random') return pairsOf(c.format, c.format, seed, c.pairs === 'all');
  const [ea, eb] = crossPairs(edgeValues(c.format));
  const [ra, rb] = new FpRandom(c.format, seed).pairs(c.randomPairs ?? RANDOM_PAIRS);
  return [[...ea, ...ra], [...eb, ...rb]];
}

const units: BenchUnit[] = cases.map((c) => ({ tag: c.tag, def: fpAdder({ format: c.format, flushSubnormals: c.flush }), inputs: ['a', 'b'], outputs: ['out'] }));

const checks: Check[] = cases.map((c, k) => {
  const [a, b] = operands(c, 1000 + k);
  const options = { flushSubnormals: c.flush };
  return {
    what: `${c.tag}: a + b ${c.pairs === 'all' || (c.pairs === 'regress' && REGRESS) ? 'for every operand pair' : 'on crossed edge values and random pairs'}${c.flush ? ', flushing subnormals' : ''}`,
    inputs: { [`${c.tag}_a`]: a, [`${c.tag}_b`]: b },
    output: `${c.tag}_out`,
    format: c.format,
    expected: (i) => golden.fpAdd(c.format, a[i]!, b[i]!, options),
    describe: (i) => `${show(a[i]!, c.format)} + ${show(b[i]!, c.format)}`,
  };
});

benchSuite('fpAdder against the golden soft-float', () => benchDesign('fp_add_bench', units), checks);

describe('fpAdder module names and ports', () => {
  it('names modules by format and variant', () => {
    expect(fpAdder({ format: FP32 }).name).toBe('fp_add_fp32');
    expect(fpAdder({ format: BF16, flushSubnormals: true, stages: 2 }).name).toBe('fp_add_bf16_ftz_s2');
    expect(fpAdder({ format: FP32 })).toBe(fpAdder({ format: FP32 }));
    const ports = emitVerilog(fpAdder({ format: FP16, stages: 1 })).ports.map((p) => `${p.direction} ${p.name}[${p.width}]`);
    expect(ports).toEqual(['input a[16]', 'input b[16]', 'input enable[1]', 'input clk[1]', 'output out[16]']);
  });
});

// ---- pipelined ------------------------------------------------------------------------------------------

describe('pipelined fpAdd', () => {
  // Two stage counts on FP16 in one module: 2 (inside the datapath) and 5 (more than the cuts,
  // the rest on the result); the enable input stalls both.
  const stageCounts = [2, 5] as const;
  const design = once(() =>
    emitVerilog(
      defineModule('fp_add_pipe_bench', (m) => {
        const a = m.input('a', UInt(16));
        const b = m.input('b', UInt(16));
        const enable = m.input('enable', Bool);
        for (const stages of stageCounts) m.output(`out_s${stages}`, UInt(16)).assign(fpAdd(m, `add_s${stages}`, a, b, FP16, { stages, enable }));
        return {};
      }),
    ),
  );

  it('emits lint-clean Verilog, and the module generator form too', async () => {
    await expectLintClean(design());
    await expectLintClean(emitVerilog(fpAdder({ format: FP32, stages: 3 })));
  });

  it('gives each result fpLatency(options) cycles later and holds while enable is low', async () => {
    const random = new FpRandom(FP16, 77);
    const [a, b] = random.pairs(3000);
    const enables = a.map((_, i) => (i < 20 || random.below(4) !== 0 ? 1 : 0));
    const outputs = stageCounts.map((stages) => ({ port: `out_s${stages}`, stages: fpLatency({ stages }), format: FP16, expected: (i: number) => golden.fpAdd(FP16, a[i]!, b[i]!) }));
    expect(await pipelineMismatches(design(), { a, b }, enables, outputs)).toEqual([]);
  });
});

it('rejects operands of the wrong width', () => {
  expect(() =>
    defineModule('fp_add_bad', (m) => {
      const a = m.input('a', UInt(fpWidth(FP16)));
      const b = m.input('b', UInt(fpWidth(BF16) + 1));
      m.output('o', UInt(16)).assign(fpAdd(m, 'add', a, b, FP16));
      return {};
    }),
  ).toThrow(/operand b must be a 16-bit unsigned fp16 bit pattern/);
});
