// fpScale / fpScaler (x * 2^delta) in Verilator against the golden soft-float: constant deltas up
// and down on every E4M3/E5M2 value and on FP16 values (every one under LUTFORGE_REGRESS): into
// subnormals, to zero, to overflow and, for E4M3, to NaN; and delta ports: every FP8 value with
// every delta, FP16, BF16 and FP32 edge values crossed with deltas plus random pairs, with delta
// ports wide enough to need clamping.

import { describe, expect, it } from 'vitest';
import { BF16, FP16, FP32, FP8_E4M3, FP8_E5M2, fpScaler, fpWidth, type FpFormat } from '../../../../dsl/lib/fp/index.js';
import * as golden from '../../../../golden/softfloat.js';
import { Rng } from '../../harness.js';
import { allValues, benchDesign, benchSuite, edgeValues, FpRandom, REGRESS, show, valuesOf, type BenchUnit, type Check } from './fp-harness.js';

const RANDOM_PAIRS = REGRESS ? 500_000 : 30_000;

interface ScaleCase {
  readonly tag: string;
  readonly format: FpFormat;
  /** A constant delta, or the width of a signed delta port. */
  readonly delta?: number;
  readonly deltaBits?: number;
  readonly flush?: boolean;
}

const cases: readonly ScaleCase[] = [
  { tag: 'fp16_up3', format: FP16, delta: 3 },
  { tag: 'fp16_down5', format: FP16, delta: -5 },
  { tag: 'fp16_down20', format: FP16, delta: -20 },
  { tag: 'fp16_up20', format: FP16, delta: 20 },
  { tag: 'e4m3_up4', format: FP8_E4M3, delta: 4 },
  { tag: 'e4m3_down6', format: FP8_E4M3, delta: -6 },
  { tag: 'e5m2_down40', format: FP8_E5M2, delta: -40 },
  { tag: 'e4m3_var', format: FP8_E4M3, deltaBits: 5 },
  { tag: 'e5m2_var', format: FP8_E5M2, deltaBits: 7 },
  { tag: 'fp16_var', format: FP16, deltaBits: 6 },
  { tag: 'bf16_var', format: BF16, deltaBits: 10 },
  { tag: 'fp32_var', format: FP32, deltaBits: 9 },
  { tag: 'fp16_var_ftz', format: FP16, deltaBits: 6, flush: true },
];

function allDeltas(bits: number): number[] {
  return Array.from({ length: 2 ** bits }, (_, i) => i - 2 ** (bits - 1));
}

/**
 * Constant deltas: every value of the format (FP16 sampled unless LUTFORGE_REGRESS). Delta ports:
 * FP8 values crossed with every delta; wider formats' edge values crossed with every delta (or 64
 * random ones for deltas over 7 bits), plus random pairs.
 */
function operands(c: ScaleCase, seed: number): { values: number[]; deltas: number[] } {
  if (c.deltaBits === undefined) return { values: valuesOf(c.format, seed), deltas: [] };
  const values: number[] = [];
  const deltas: number[] = [];
  const rng = new Rng(seed + 1);
  const every = allDeltas(c.deltaBits);
  const small = fpWidth(c.format) <= 8;
  for (const v of small ? allValues(c.format) : edgeValues(c.format)) {
    for (const d of c.deltaBits <= 7 ? every : Array.from({ length: 64 }, () => rng.pick(every))) values.push(v), deltas.push(d);
  }
  if (!small) {
    const random = new FpRandom(c.format, seed);
    for (let i = 0; i < RANDOM_PAIRS; i++) values.push(random.value()), deltas.push(rng.pick(every));
  }
  return { values, deltas };
}

const units: BenchUnit[] = cases.map((c) => ({
  tag: c.tag,
  def: fpScaler({ format: c.format, ...(c.delta === undefined ? { deltaBits: c.deltaBits } : { delta: c.delta }), flushSubnormals: c.flush === true }),
  inputs: c.deltaBits === undefined ? ['value'] : ['value', 'delta'],
  outputs: ['out'],
}));

const checks: Check[] = cases.map((c, k) => {
  const { values, deltas } = operands(c, 5000 + 3 * k);
  const options = { flushSubnormals: c.flush === true };
  const deltaOf = (i: number): number => c.delta ?? deltas[i]!;
  return {
    what:
      c.delta === undefined
        ? `${c.format.name} x 2^delta, delta an SInt(${c.deltaBits}) port${c.flush ? ', flushing subnormals' : ''}`
        : `${c.format.name} x 2^${c.delta} ${values.length === 2 ** fpWidth(c.format) ? 'for every value' : 'on edge and random values'}`,
    inputs: c.delta === undefined ? { [`${c.tag}_value`]: values, [`${c.tag}_delta`]: deltas } : { [`${c.tag}_value`]: values },
    output: `${c.tag}_out`,
    format: c.format,
    expected: (i) => golden.fpScale(c.format, values[i]!, deltaOf(i), options),
    describe: (i) => `${show(values[i]!, c.format)} x 2^${deltaOf(i)}`,
  };
});

benchSuite('fpScaler against the golden soft-float', () => benchDesign('fp_scale_bench', units), checks);

describe('fpScaler parameters', () => {
  it('names the delta in the module name and insists on exactly one kind of delta', () => {
    expect(fpScaler({ format: FP32, delta: -3 }).name).toBe('fp_scale_fp32_by_m3');
    expect(fpScaler({ format: FP32, deltaBits: 8 }).name).toBe('fp_scale_fp32_d8');
    expect(() => fpScaler({ format: FP32 })).toThrow(/exactly one of delta/);
    expect(() => fpScaler({ format: FP32, delta: 1, deltaBits: 4 })).toThrow(/exactly one of delta/);
  });
});
