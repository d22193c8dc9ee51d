// The reference definition itself: a hand-worked case, agreement with a plain float64 triple loop
// on small values, and exactness where float64 would round.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mpgemmInt } from '../../golden/mpgemm.js';
import type { MatmulOperands } from '../../contracts/matmul-operands.js';

function operands(M: number, K: number, N: number, act: number[], codes: number[], zeros: number[]): MatmulOperands {
  return { M, K, N, act: Int32Array.from(act), codes: Uint8Array.from(codes), zeros: Int32Array.from(zeros) };
}

describe('mpgemmInt', () => {
  it('computes a hand-worked 2x3x2 product', () => {
    // W = Q - Z = [[2, -1], [0, 1], [1, -1]]
    const ops = operands(2, 3, 2, [5, -7, 2, 1, 2, 3], [3, 0, 1, 2, 2, 0], [1, 1]);
    // row 0: 5*2 - 7*0 + 2*1 = 12, 5*-1 - 7*1 + 2*-1 = -14; row 1: 2 + 0 + 3 = 5, -1 + 2 - 3 = -2
    expect([...mpgemmInt(ops)]).toEqual([12n, -14n, 5n, -2n]);
  });

  it('matches a float64 triple loop on small values', () => {
    const arb = fc
      .record({ M: fc.integer({ min: 1, max: 12 }), K: fc.integer({ min: 1, max: 12 }), N: fc.integer({ min: 1, max: 12 }), wbits: fc.integer({ min: 1, max: 4 }) })
      .chain(({ M, K, N, wbits }) =>
        fc.record({
          M: fc.constant(M),
          K: fc.constant(K),
          N: fc.constant(N),
          act: fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: M * K, maxLength: M * K }),
          codes: fc.array(fc.integer({ min: 0, max: 2 ** wbits - 1 }), { minLength: K * N, maxLength: K * N }),
          zeros: fc.array(fc.integer({ min: 0, max: 2 ** wbits - 1 }), { minLength: N, maxLength: N }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ M, K, N, act, codes, zeros }) => {
        const expected: bigint[] = [];
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < N; n++) {
            let y = 0;
            for (let k = 0; k < K; k++) y += act[m * K + k]! * (codes[k * N + n]! - zeros[n]!);
            expected.push(BigInt(y));
          }
        }
        expect([...mpgemmInt(operands(M, K, N, act, codes, zeros))]).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('is exact at the extremes: K = 2^20, int16 activations, 4-bit codes', () => {
    const K = 2 ** 20;
    const ops = operands(2, K, 2, [...new Array<number>(K).fill(-32768), ...new Array<number>(K).fill(32767)], [], [0, 15]);
    const codes = new Uint8Array(K * 2);
    for (let k = 0; k < K; k++) codes[k * 2] = 15; // column 0: q - z = 15, column 1: q - z = -15
    const Y = mpgemmInt({ ...ops, codes });
    const big = BigInt(K) * 15n;
    expect([...Y]).toEqual([-32768n * big, 32768n * big, 32767n * big, -32767n * big]);
  });

  it('falls back to bigint where float64 would round', () => {
    const K = 20_000; // 20000 * (2^31 - 1) * 255 > 2^53
    const ops = operands(1, K, 1, new Array<number>(K).fill(2 ** 31 - 1), new Array<number>(K).fill(255), [0]);
    ops.act[0] = 1; // an odd term, so a float64 sum would lose it
    expect(mpgemmInt(ops)[0]).toBe(BigInt(K - 1) * (2n ** 31n - 1n) * 255n + 255n);
  });

  it('rejects operand arrays that do not match the dimensions', () => {
    expect(() => mpgemmInt(operands(2, 2, 2, [1, 2, 3], [0, 0, 0, 0], [0, 0]))).toThrow(/do not match M=2, K=2, N=2/);
  });
});
