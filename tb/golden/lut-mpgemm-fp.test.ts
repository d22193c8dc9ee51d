// The floating-point engine models against plain float64 math: their FP32 results must lie within a
// first-order rounding bound of the float64 product for every element (so the order of operations
// they fix is a sound one), be exact where FP32 is exact, and propagate NaN and infinities by the
// IEEE rules of the operations they perform.

import { describe, expect, it } from 'vitest';
import { FP32 } from '../../contracts/fp-format.js';
import { floatFormat, lutFpMpgemm, macFpMpgemm, mpgemmFloat64 } from '../../golden/lut-mpgemm-fp.js';
import { fpDecode, fpRound } from '../../golden/softfloat.js';
import { randomFloatOperands, seededRandom } from '../generators/matmul-regression.js';
import type { ActFormat } from '../../contracts/engine-widths.js';
import type { MatmulOperands } from '../../contracts/matmul-operands.js';

const UNIT_ROUNDOFF = 2 ** -24;

function decodeY(y: BigInt64Array): number[] {
  return Array.from(y, (bits) => fpDecode(FP32, Number(bits)));
}

/**
 * A first-order bound on |computed - exact| for one element: every partial sum either engine forms
 * is at most B = (2^wbits - 1) * sum_k |a_k| in magnitude, and each of the at most `roundings` FP32
 * operations on the way errs by at most half an ulp of its result.
 */
function errorBound(operands: MatmulOperands, act: ActFormat, wbits: number, row: number, roundings: number): number {
  const format = floatFormat(act);
  let absSum = 0;
  for (let kk = 0; kk < operands.K; kk++) absSum += Math.abs(fpDecode(format, operands.act[row * operands.K + kk]!));
  return UNIT_ROUNDOFF * (2 ** wbits - 1) * absSum * roundings;
}

const FORMATS: readonly ActFormat[] = ['fp16', 'bf16', 'fp8e4m3'];
const TABLES = [
  { symmetric: true, reinterpret: true },
  { symmetric: false, reinterpret: true },
  { symmetric: false, reinterpret: false },
] as const;

describe('floating-point LUT and MAC models against float64', () => {
  const cases = FORMATS.flatMap((act) => [1, 2, 4].flatMap((wbits) => TABLES.map((table) => ({ act, wbits, ...table }))));
  it.each(cases)('$act W$wbits symmetric $symmetric reinterpret $reinterpret: every element within the rounding bound', ({ act, wbits, symmetric, reinterpret }) => {
    const random = seededRandom(wbits * 31 + act.length);
    const k = 4;
    const operands = randomFloatOperands(random, { M: 3, K: 301, N: 9 }, { format: floatFormat(act), wbits });
    const exact = mpgemmFloat64(operands, act);
    const lut = decodeY(lutFpMpgemm(operands, { m: 2, n: 4, k, wbits, symmetric, reinterpret, act }));
    const mac = decodeY(macFpMpgemm(operands, { k, act }));
    const groups = Math.ceil(operands.K / k);
    let worstRelative = 0;
    for (let i = 0; i < exact.length; i++) {
      const row = Math.floor(i / operands.N);
      // Table adds, one add per plane and group, the row sum's adds and the correction planes.
      const lutBound = errorBound(operands, act, wbits, row, k + groups * wbits + groups + wbits + 2);
      const macBound = errorBound(operands, act, wbits, row, k + groups + 1);
      expect(Math.abs(lut[i]! - exact[i]!), `LUT element ${i}`).toBeLessThanOrEqual(lutBound);
      expect(Math.abs(mac[i]! - exact[i]!), `MAC element ${i}`).toBeLessThanOrEqual(macBound);
      if (exact[i] !== 0) worstRelative = Math.max(worstRelative, Math.abs(lut[i]! - exact[i]!) / errorBound(operands, act, wbits, row, 1));
    }
    // The bound is loose by design; the typical error is a few roundings of the largest partial sum.
    expect(worstRelative).toBeLessThan(k + groups * wbits + groups + wbits + 2);
  });

  it('is exact where FP32 is: small integers times codes', () => {
    const M = 2;
    const K = 37;
    const N = 5;
    const random = seededRandom(3);
    const ints = Array.from({ length: M * K }, () => random(-8, 8));
    for (const act of FORMATS) {
      const format = floatFormat(act);
      const operands: MatmulOperands = {
        M,
        K,
        N,
        act: Int32Array.from(ints, (value) => fpRound(format, value)),
        codes: Uint8Array.from({ length: K * N }, () => random(0, 3)),
        zeros: Int32Array.from({ length: N }, () => random(0, 3)),
      };
      const exact = Array.from(mpgemmFloat64(operands, act));
      expect(decodeY(lutFpMpgemm(operands, { m: 2, n: 4, k: 4, wbits: 2, symmetric: true, reinterpret: true, act })), act).toEqual(exact.map((v) => v + 0));
      expect(decodeY(macFpMpgemm(operands, { k: 4, act })).map((v) => v + 0), act).toEqual(exact.map((v) => v + 0));
    }
  });
});

describe('NaN and infinities in the activations', () => {
  const format = floatFormat('fp16');
  const one = fpRound(format, 1);
  const operands = (special: number): MatmulOperands => ({
    M: 2,
    K: 6,
    N: 3,
    // Row 0 holds the special value, row 1 only ones.
    act: Int32Array.from([special, one, one, one, one, one, one, one, one, one, one, one]),
    // Column 0 weights the special value by +1 (code 2, zero 1), column 1 by 0, column 2 by -1.
    codes: Uint8Array.from(Array.from({ length: 18 }, (_, i) => (i % 3 === 0 ? 2 : i % 3 === 1 ? 1 : 0))),
    zeros: Int32Array.from([1, 1, 1]),
  });
  const lut = (ops: MatmulOperands) => decodeY(lutFpMpgemm(ops, { m: 2, n: 4, k: 4, wbits: 2, symmetric: true, reinterpret: true, act: 'fp16' }));
  const mac = (ops: MatmulOperands) => decodeY(macFpMpgemm(ops, { k: 4, act: 'fp16' }));

  it('a NaN makes its whole row NaN in both engines, and leaves the other rows alone', () => {
    const nan = Number(0x7e00);
    for (const y of [lut(operands(nan)), mac(operands(nan))]) {
      expect(y.slice(0, 3).every(Number.isNaN)).toBe(true);
      expect(y.slice(3)).toEqual([6, 0, -6]);
    }
  });

  it('MAC gives +-inf where IEEE does, NaN for inf x 0; the LUT {-1,+1} sums meet inf - inf', () => {
    const infinity = 0x7c00;
    // IEEE: inf * 1 + 5 = inf, inf * 0 = NaN, inf * -1 - 5 = -inf.
    const y = mac(operands(infinity));
    expect(y[0]).toBe(Infinity);
    expect(Number.isNaN(y[1])).toBe(true);
    expect(y[2]).toBe(-Infinity);
    // The {-1,+1} reading adds the infinity with both signs across planes and corrections.
    expect(lut(operands(infinity)).slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(lut(operands(infinity)).slice(3)).toEqual([6, 0, -6]);
  });
});
