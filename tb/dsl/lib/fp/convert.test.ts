// fpConvert / fpConverter and fpFromInt / fpIntConverter in Verilator against the golden
// soft-float. Widening conversions of every FP16, BF16 and FP8 value (subnormal inputs become
// normals); narrowing conversions on FP16 values (every one under LUTFORGE_REGRESS) and on random
// FP32 values around the target's range (rounding ties, underflow into subnormals, overflow to
// infinity or, for E4M3, NaN); every 8-bit integer, and 16 and 32-bit integers on edge and random
// values (every 16-bit one under LUTFORGE_REGRESS), signed and unsigned.

import { describe, expect, it } from 'vitest';
import { BF16, FP16, FP32, FP8_E4M3, FP8_E5M2, fpConverter, fpIntConverter, fpWidth, type FpFormat } from '../../../../dsl/lib/fp/index.js';
import * as golden from '../../../../golden/softfloat.js';
import { Rng } from '../../harness.js';
import { benchDesign, benchSuite, edgeValues, REGRESS, show, valuesAround, valuesOf, type BenchUnit, type Check } from './fp-harness.js';

const NARROWING_VALUES = REGRESS ? 500_000 : 20_000;

// ---- format to format ----------------------------------------------------------------------------------

interface ConvertCase {
  readonly tag: string;
  readonly from: FpFormat;
  readonly to: FpFormat;
  readonly flush: boolean;
}

const convert = (tag: string, from: FpFormat, to: FpFormat, flush = false): ConvertCase => ({ tag, from, to, flush });

const convertCases: readonly ConvertCase[] = [
  convert('fp16_fp32', FP16, FP32),
  convert('bf16_fp32', BF16, FP32),
  convert('e4m3_fp32', FP8_E4M3, FP32),
  convert('e5m2_fp32', FP8_E5M2, FP32),
  convert('e4m3_fp16', FP8_E4M3, FP16),
  convert('e5m2_fp16', FP8_E5M2, FP16),
  convert('e4m3_e5m2', FP8_E4M3, FP8_E5M2),
  convert('e5m2_e4m3', FP8_E5M2, FP8_E4M3),
  convert('fp16_bf16', FP16, BF16),
  convert('bf16_fp16', BF16, FP16),
  convert('fp16_e4m3', FP16, FP8_E4M3),
  convert('fp16_e5m2', FP16, FP8_E5M2),
  convert('fp32_fp16', FP32, FP16),
  convert('fp32_bf16', FP32, BF16),
  convert('fp32_e4m3', FP32, FP8_E4M3),
  convert('fp32_e5m2', FP32, FP8_E5M2),
  convert('fp16_fp32_ftz', FP16, FP32, true),
  convert('fp32_fp16_ftz', FP32, FP16, true),
];

// Widening to FP32 sees every input value in every run; the other 16-bit sources are sampled
// unless LUTFORGE_REGRESS.
function convertInputs(c: ConvertCase, seed: number): number[] {
  if (c.from !== FP32) return valuesOf(c.from, seed, c.to === FP32 && !c.flush);
  return [...edgeValues(FP32), ...edgeValues(c.to).map((bits) => golden.fpConvert(c.to, FP32, bits)), ...valuesAround(FP32, c.to, NARROWING_VALUES, seed)];
}

const convertUnits: BenchUnit[] = convertCases.map((c) => ({ tag: c.tag, def: fpConverter({ from: c.from, to: c.to, flushSubnormals: c.flush }), inputs: ['value'], outputs: ['out'] }));

const convertChecks: Check[] = convertCases.map((c, k) => {
  const values = convertInputs(c, 3000 + k);
  const options = { flushSubnormals: c.flush };
  return {
    what: `${c.from.name} -> ${c.to.name}${values.length === 2 ** fpWidth(c.from) ? ' for every value' : ' on edge and random values'}${c.flush ? ', flushing subnormals' : ''}`,
    inputs: { [`${c.tag}_value`]: values },
    output: `${c.tag}_out`,
    format: c.to,
    expected: (i) => golden.fpConvert(c.from, c.to, values[i]!, options),
    describe: (i) => show(values[i]!, c.from),
  };
});

benchSuite('fpConverter against the golden soft-float', () => benchDesign('fp_convert_bench', convertUnits), convertChecks);

// ---- integer to format -----------------------------------------------------------------------------------

interface IntCase {
  readonly bits: number;
  readonly signed: boolean;
  readonly format: FpFormat;
}

const intCases: IntCase[] = [];
for (const bits of [8, 16, 32]) {
  for (const signed of [true, false]) {
    for (const format of [FP16, BF16, FP32]) intCases.push({ bits, signed, format });
    if (bits === 8) for (const format of [FP8_E4M3, FP8_E5M2]) intCases.push({ bits, signed, format });
  }
}

const intTag = (c: IntCase): string => `${c.signed ? 'int' : 'uint'}${c.bits}_${c.format.name}`;

/**
 * Every 8-bit value (and 16-bit under LUTFORGE_REGRESS); otherwise the ends, powers of two and
 * their neighbours, and random values of every length.
 */
function intValues(c: IntCase, seed: number): bigint[] {
  const min = c.signed ? -(1n << BigInt(c.bits - 1)) : 0n;
  const max = c.signed ? (1n << BigInt(c.bits - 1)) - 1n : (1n << BigInt(c.bits)) - 1n;
  const values: bigint[] = [];
  if (c.bits <= 8 || (c.bits <= 16 && REGRESS)) {
    for (let v = min; v <= max; v++) values.push(v);
    return values;
  }
  const rng = new Rng(seed);
  for (let k = 0; k < c.bits; k++) {
    const power = 1n << BigInt(k);
    for (const v of [power - 1n, power, power + 1n, -power, -power - 1n, -power + 1n]) if (v >= min && v <= max) values.push(v);
  }
  values.push(min, max, 0n);
  for (let i = 0; i < (REGRESS ? 200_000 : 8_000); i++) {
    const length = 1 + rng.below(c.bits);
    const magnitude = rng.bits(length);
    const v = c.signed && rng.below(2) === 0 ? -magnitude : magnitude;
    values.push(v < min ? min : v > max ? max : v);
  }
  return values;
}

const intUnits: BenchUnit[] = intCases.map((c) => ({ tag: intTag(c), def: fpIntConverter({ bits: c.bits, signed: c.signed, format: c.format }), inputs: ['value'], outputs: ['out'] }));

const intChecks: Check[] = intCases.map((c, k) => {
  const values = intValues(c, 4000 + k);
  return {
    what: `${c.signed ? 'int' : 'uint'}${c.bits} -> ${c.format.name}${values.length === 2 ** c.bits ? ' for every value' : ' on edge and random values'}`,
    inputs: { [`${intTag(c)}_value`]: values },
    output: `${intTag(c)}_out`,
    format: c.format,
    expected: (i) => golden.fpFromInt(c.format, values[i]!),
    describe: (i) => String(values[i]),
  };
});

benchSuite('fpIntConverter against the golden soft-float', () => benchDesign('fp_from_int_bench', intUnits), intChecks);

describe('converter module names', () => {
  it('say the formats and the integer type', () => {
    expect(fpConverter({ from: FP16, to: FP32 }).name).toBe('fp_convert_fp16_fp32');
    expect(fpIntConverter({ bits: 8, signed: true, format: FP8_E4M3 }).name).toBe('fp_from_int8_fp8e4m3');
    expect(fpIntConverter({ bits: 32, signed: false, format: BF16 }).name).toBe('fp_from_uint32_bf16');
  });
});
