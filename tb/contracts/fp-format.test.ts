// The floating-point formats (contracts/fp-format.ts), against the machine's own IEEE float32 and
// float64: the widths, biases, largest finite exponents and canonical NaN the hardware and the
// soft-float both read must be the ones IEEE 754 and OCP FP8 define.

import { describe, expect, it } from 'vitest';
import { BF16, canonicalNaN, checkFormat, FP16, FP32, FP8_E4M3, FP8_E5M2, fpBias, fpFormat, fpWidth, maxFiniteExponent } from '../../contracts/fp-format.js';

const float32Bits = (value: number): number => new Uint32Array(Float32Array.of(value).buffer)[0]!;

describe('FP formats', () => {
  it('FP32 is the machine float32: width, bias, largest finite value and its NaN', () => {
    expect(fpWidth(FP32)).toBe(32);
    expect(fpBias(FP32)).toBe(127);
    // 3.4028234663852886e38, the largest float32, has the largest finite biased exponent.
    expect(float32Bits(3.4028234663852886e38) >>> 23).toBe(maxFiniteExponent(FP32));
    expect(Number(canonicalNaN(FP32))).toBe(float32Bits(Number.NaN));
  });

  it('the 16- and 8-bit formats have the IEEE and OCP layouts', () => {
    expect([FP16, BF16, FP8_E4M3, FP8_E5M2].map(fpWidth)).toEqual([16, 16, 8, 8]);
    expect([FP16, BF16, FP8_E4M3, FP8_E5M2].map(fpBias)).toEqual([15, 127, 7, 15]);
    expect(canonicalNaN(FP16)).toBe(0x7e00n);
    expect(canonicalNaN(BF16)).toBe(0x7fc0n);
    expect(canonicalNaN(FP8_E5M2)).toBe(0x7en);
    // E4M3 (finite): the all-ones exponent holds normal numbers, 448 = 1.75 x 2^8 is the largest.
    expect(canonicalNaN(FP8_E4M3)).toBe(0x7fn);
    expect(maxFiniteExponent(FP8_E4M3)).toBe(15);
    expect(1.75 * 2 ** (maxFiniteExponent(FP8_E4M3) - fpBias(FP8_E4M3))).toBe(448);
  });

  it('BF16 is the top half of FP32', () => {
    expect(fpBias(BF16)).toBe(fpBias(FP32));
    expect(Number(canonicalNaN(BF16)) << 16).toBe(float32Bits(Number.NaN) | 0);
  });

  it('checks a format of its own', () => {
    expect(fpFormat(6, 9).name).toBe('e6m9');
    expect(() => checkFormat({ name: 'bad', exponent: 1, mantissa: 4, specials: 'ieee' })).toThrow(/exponent bits must be an integer in 2..11/);
    expect(() => fpFormat(5, 0)).toThrow(/mantissa bits/);
  });
});
