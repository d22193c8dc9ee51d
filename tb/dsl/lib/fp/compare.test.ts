// fpCompare and fpNeg (plain logic, no rounding) in Verilator against the golden soft-float: every
// pair of E4M3 values (and of E5M2 under LUTFORGE_REGRESS, else a sample), FP16/BF16/FP32 edge values crossed plus random pairs; and the
// building blocks the operators share (leading-zero count, barrel shifters) against bigint models
// on both simulators.

import { describe } from 'vitest';
import { defineModule, emitVerilog, UInt } from '../../../../dsl/index.js';
import { BF16, FP16, FP32, FP8_E4M3, FP8_E5M2, fpCompare, fpNeg, fpWidth, leadingZeros, shiftLeft, shiftRightSticky, type FpFormat } from '../../../../dsl/lib/fp/index.js';
import * as golden from '../../../../golden/softfloat.js';
import { combOutputTests, inputVectors, once } from '../../harness.js';
import { benchSuite, crossPairs, edgeValues, FpRandom, pairsOf, show, valuesOf, type Check } from './fp-harness.js';

const formats: readonly { tag: string; format: FpFormat }[] = [
  { tag: 'e4m3', format: FP8_E4M3 },
  { tag: 'e5m2', format: FP8_E5M2 },
  { tag: 'fp16', format: FP16 },
  { tag: 'bf16', format: BF16 },
  { tag: 'fp32', format: FP32 },
];

// Order code on the `order` output: one bit each, {unordered, gt, eq, lt}.
const ORDER_CODE = { lt: 1, eq: 2, gt: 4, unordered: 8 } as const;

const bench = (): ReturnType<typeof emitVerilog> =>
  emitVerilog(
    defineModule('fp_compare_bench', (m) => {
      for (const { tag, format } of formats) {
        const a = m.input(`${tag}_a`, UInt(fpWidth(format)));
        const b = m.input(`${tag}_b`, UInt(fpWidth(format)));
        const order = fpCompare(a, b, format);
        m.output(`${tag}_order`, UInt(4)).assign(order.unordered.concat(order.gt, order.eq, order.lt));
        m.output(`${tag}_neg`, UInt(fpWidth(format))).assign(fpNeg(a, format));
      }
      return {};
    }),
  );

const checks: Check[] = formats.flatMap(({ tag, format }, k) => {
  const small = fpWidth(format) <= 8;
  const [edgeA, edgeB] = crossPairs(edgeValues(format));
  const [randomA, randomB] = new FpRandom(format, 6000 + k).pairs(20_000);
  const [a, b] = small ? pairsOf(format, format, 6100 + k, format === FP8_E4M3) : [[...edgeA, ...randomA], [...edgeB, ...randomB]];
  const negInputs = small || format === FP16 ? valuesOf(format, 6200 + k) : [...edgeA, ...randomA];
  return [
    {
      what: `${format.name} compare ${a.length === 4 ** fpWidth(format) ? 'for every pair' : 'on crossed edge values and random pairs'}`,
      inputs: { [`${tag}_a`]: a, [`${tag}_b`]: b },
      output: `${tag}_order`,
      expected: (i) => ORDER_CODE[golden.fpCompare(format, a[i]!, b[i]!)],
      describe: (i) => `${show(a[i]!, format)} vs ${show(b[i]!, format)}`,
    },
    {
      what: `${format.name} negate ${negInputs.length === 2 ** fpWidth(format) ? 'for every value' : 'on edge and random values'}`,
      inputs: { [`${tag}_a`]: negInputs },
      output: `${tag}_neg`,
      format,
      expected: (i) => golden.fpNeg(format, negInputs[i]!),
    },
  ];
});

benchSuite('fpCompare and fpNeg against the golden soft-float', bench, checks);

// ---- building blocks --------------------------------------------------------------------------------------

describe('leadingZeros and the barrel shifters', () => {
  const widths = [1, 5, 8, 13] as const;
  const inputs = { x5: UInt(5), x8: UInt(8), x13: UInt(13), x1: UInt(1), amount: UInt(4) };
  const design = (): ReturnType<typeof emitVerilog> =>
    emitVerilog(
      defineModule('fp_blocks_bench', (m) => {
        const io = Object.fromEntries(Object.entries(inputs).map(([name, shape]) => [name, m.input(name, shape)]));
        for (const w of widths) {
          const x = io[`x${w}`]!;
          const counted = leadingZeros(x);
          m.output(`lz${w}`, counted.count.shape).assign(counted.count);
          m.output(`zero${w}`, UInt(1)).assign(counted.zero);
        }
        m.output('shl13', UInt(13)).assign(shiftLeft(io.x13!, io.amount!));
        const right = shiftRightSticky(io.x13!, io.amount!);
        m.output('shr13', UInt(13)).assign(right.value);
        m.output('sticky13', UInt(1)).assign(right.sticky);
        return {};
      }),
    );
  const vectors = inputVectors(inputs, { seed: 91, mixed: 150, random: 150, extra: [{ x13: 1n, x8: 1n, x5: 1n, amount: 15n }, { x13: 0n, x8: 0n, x5: 0n }] });
  const lzModel = (x: bigint, w: number): bigint => (x === 0n ? -1n : BigInt(w - x.toString(2).length));
  combOutputTests(once(design), vectors, [
    ...widths.flatMap((w) => {
      const countBits = Math.max(1, Math.ceil(Math.log2(w)));
      const name = `x${w}` as keyof typeof inputs;
      return [
        // The count of an all-zero value is unspecified; the model expects what the tree gives (all ones).
        { name: `lz${w}`, what: `leading zeros of a ${w}-bit value`, width: countBits, signed: false, model: (v: Record<string, bigint>) => (v[name] === 0n ? BigInt(2 ** Math.ceil(Math.log2(w)) - 1) : lzModel(v[name]!, w)) },
        { name: `zero${w}`, what: `all-zero flag of a ${w}-bit value`, width: 1, signed: false, model: (v: Record<string, bigint>) => (v[name] === 0n ? 1n : 0n) },
      ];
    }),
    { name: 'shl13', what: 'left shift in a fixed width', width: 13, signed: false, model: (v) => BigInt.asUintN(13, v.x13! << v.amount!) },
    { name: 'shr13', what: 'right shift', width: 13, signed: false, model: (v) => v.x13! >> v.amount! },
    { name: 'sticky13', what: 'sticky bit of the right shift', width: 1, signed: false, model: (v) => ((v.x13! & ((1n << v.amount!) - 1n)) !== 0n ? 1n : 0n) },
  ]);
});

