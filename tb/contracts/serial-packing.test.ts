// Host packing of the LUT Tensor Core and MAC streams (docs/design/lut-tensor-core.md): hand-worked
// beats, padding, operand errors, unpacking, and agreement of the packed streams with the golden
// models.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PortInfo } from '../../dsl/design.js';
import {
  ceilDiv,
  checkOperands,
  operandLimits,
  packMac,
  packSerial,
  unpackOutputs,
  type MacPackConfig,
  type SerialPackConfig,
} from '../../contracts/serial-packing.js';
import { encodeBeats, type StreamInfo } from '../../sim/stream-protocol.js';
import { lutStreamModel } from '../../golden/lut-mpgemm.js';
import { mpgemmInt } from '../../golden/mpgemm.js';
import { engineWidths } from '../../contracts/engine-widths.js';
import { OperandError, type MatmulOperands, type OperandLimits, type PackedRun } from '../../contracts/matmul-operands.js';

// M=1, K=3, N=3: with k=2 and n=2 the last group and the last tile are half padding.
// A = [5, -7, 2]; Q rows [3, 0, 1], [1, 2, 3], [2, 1, 0]; Z = [1, 0, 3]; Y = [12, -12, -16].
const hand: MatmulOperands = {
  M: 1,
  K: 3,
  N: 3,
  act: Int32Array.from([5, -7, 2]),
  codes: Uint8Array.from([3, 0, 1, 1, 2, 3, 2, 1, 0]),
  zeros: Int32Array.from([1, 0, 3]),
};
const serial = { m: 1, n: 2, k: 2, wbits: 2, maxK: 16, act: 'int8' } as const;
const weights = (run: PackedRun) => run.inputs['weight']!.map((beat) => beat.map(Number));

describe('packSerial', () => {
  // Column c's field is bits [2c, 2c+2); per tile: g0 b0, g0 b1, g1 b0, g1 b1, correction b0, b1.
  it('packs the hand-worked naive {-1,+1} case', () => {
    const run = packSerial({ ...serial, symmetric: false, reinterpret: true }, hand);
    expect(run.inputs['cmd']).toEqual([[2n, 2n]]);
    expect(run.inputs['act']).toEqual([[5n, -7n], [2n, 0n]]);
    // tile 0: g0 b0 = col0 0b11 | col1 0b00; g0 b1 = 0b01 | 0b10 << 2; g1 b0 = 0b00 | 0b01 << 2; g1 b1 = 0b01;
    // correction bit k-1 = bit b of 3 - Z: col0 3-1 = 0b10, col1 3-0 = 0b11.
    // tile 1: col2 then the padded column (code 0, zero point 0: 3 - 0 = 0b11 in the correction).
    expect(weights(run)).toEqual([[3], [9], [4], [1], [8], [10], [3], [2], [0], [0], [8], [8]]);
    expect(run.expect).toEqual({ out: 2 });
  });

  it('inverts the low bits of every field whose top bit is 0 for the symmetric table', () => {
    const run = packSerial({ ...serial, symmetric: true, reinterpret: true }, hand);
    // field map 0->1, 1->0, 2->2, 3->3 (padded fields are 0, so become 1); corrections unchanged.
    expect(weights(run)).toEqual([[7], [8], [1], [4], [8], [10], [7], [6], [5], [5], [8], [8]]);
  });

  it('uses the zero points themselves in the corrections of the {0,1} table', () => {
    const run = packSerial({ ...serial, symmetric: false, reinterpret: false }, hand);
    expect(weights(run)).toEqual([[3], [9], [4], [1], [2], [0], [3], [2], [0], [0], [2], [2]]);
  });

  it('feeds the golden stream model, which returns the definition', () => {
    expect([...mpgemmInt(hand)]).toEqual([12n, -12n, -16n]);
    for (const variant of [{ symmetric: true, reinterpret: true }, { symmetric: false, reinterpret: true }, { symmetric: false, reinterpret: false }]) {
      const config = { ...serial, ...variant };
      const beats = lutStreamModel(config, packSerial(config, hand).inputs);
      expect(unpackOutputs(config, engineWidths(config).outBits, hand, beats)).toEqual(mpgemmInt(hand));
    }
  });

  it('repeats activations per row block and the weight stream per row block, with padded rows', () => {
    const ops: MatmulOperands = { M: 3, K: 5, N: 7, act: Int32Array.from({ length: 15 }, (_, i) => i - 7), codes: new Uint8Array(35).fill(2), zeros: new Int32Array(7).fill(1) };
    const config = { m: 2, n: 4, k: 3, wbits: 3, symmetric: true, reinterpret: true, maxK: 5, act: 'int8' } as const;
    const run = packSerial(config, ops);
    expect(run.inputs['cmd']).toEqual([[2n, 2n], [2n, 2n]]);
    const act = run.inputs['act']!;
    expect(act).toHaveLength(2 * 2);
    // Block 1, group 1: row 2 holds A[2][3..4] and a padded position; row 3 is padding.
    expect(act[3]).toEqual([6n, 7n, 0n, 0n, 0n, 0n]);
    const weight = run.inputs['weight']!;
    expect(weight).toHaveLength(2 * 2 * (2 * 3 + 3));
    expect(weight.slice(18)).toEqual(weight.slice(0, 18));
    expect(weight.every((beat) => beat.length === 1 && beat[0]! >= 0n && beat[0]! < 1n << 12n)).toBe(true);
    expect(run.expect).toEqual({ out: 4 });
  });

  it('gives activation leaves as signed values, which the beat-file encoder accepts for SInt leaves', () => {
    const run = packSerial({ ...serial, symmetric: true, reinterpret: true, act: 'int16' }, { ...hand, act: Int32Array.from([-32768, 32767, -1]) });
    const port = (name: string): PortInfo => ({ name, direction: 'input', width: 16, signed: true, role: 'data' });
    const valid: PortInfo = { name: 'act_valid', direction: 'input', width: 1, signed: false, role: 'data' };
    const stream: StreamInfo = { name: 'act', direction: 'input', valid, ready: { ...valid, name: 'act_ready', direction: 'output' }, data: [port('act_data_0_0'), port('act_data_0_1')], beatBytes: 4 };
    expect([...encodeBeats(stream, run.inputs['act']!)]).toEqual([0x00, 0x80, 0xff, 0x7f, 0xff, 0xff, 0x00, 0x00]);
  });
});

describe('packMac', () => {
  it('packs the hand-worked case: a zero-point beat, then k codes per column per group', () => {
    // Column field c*k*wbits = 4c; code j at 2j inside it.
    const run = packMac({ m: 1, n: 2, k: 2, wbits: 2, maxK: 16, act: 'int8' }, hand);
    expect(run.inputs['cmd']).toEqual([[2n, 2n]]);
    expect(run.inputs['act']).toEqual([[5n, -7n], [2n, 0n]]);
    // tile 0: Z = 1 | 0 << 4; g0 = (3 | 1 << 2) | (0 | 2 << 2) << 4 = 7 | 128; g1 = 2 | 1 << 4. tile 1: Z = 3; g0 = 1 | 3 << 2; g1 = 0.
    expect(weights(run)).toEqual([[1], [135], [18], [3], [13], [0]]);
    expect(run.expect).toEqual({ out: 2 });
  });

  it('feeds a MAC stream model that returns the definition', () => {
    fc.assert(
      fc.property(operandsArb(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), ({ ops, wbits }, m, n, k) => {
        const config: MacPackConfig = { m, n, k, wbits, maxK: ops.K, act: 'int16' };
        const run = packMac(config, ops);
        const beats = macStreamModel(config, run);
        expect(unpackOutputs(config, engineWidths(config).outBits, ops, beats)).toEqual(mpgemmInt(ops));
      }),
      { numRuns: 100 },
    );
  });
});

/** The MAC's arithmetic on its streams: dequantize q - z, multiply, sum, all exact. */
function macStreamModel(config: MacPackConfig, run: PackedRun): bigint[][] {
  const { m, n, k, wbits } = config;
  const field = (leaf: bigint, c: number, j: number) => Number((leaf >> BigInt((c * k + j) * wbits)) & BigInt(2 ** wbits - 1));
  const out: bigint[][] = [];
  let actAt = 0;
  let weightAt = 0;
  for (const [tiles, groups] of run.inputs['cmd']!) {
    const acts = run.inputs['act']!.slice(actAt, (actAt += Number(groups)));
    for (let t = 0; t < Number(tiles); t++) {
      const zeroLeaf = run.inputs['weight']![weightAt++]![0]!;
      const acc = new Array<bigint>(m * n).fill(0n);
      acts.forEach((beat) => {
        const leaf = run.inputs['weight']![weightAt++]![0]!;
        for (let r = 0; r < m; r++) {
          for (let c = 0; c < n; c++) {
            for (let j = 0; j < k; j++) acc[r * n + c]! += beat[r * k + j]! * BigInt(field(leaf, c, j) - field(zeroLeaf, c, 0));
          }
        }
      });
      out.push(acc);
    }
  }
  expect(weightAt).toBe(run.inputs['weight']!.length);
  return out;
}

function operandsArb(): fc.Arbitrary<{ ops: MatmulOperands; wbits: number }> {
  return fc
    .record({ M: fc.integer({ min: 1, max: 7 }), K: fc.integer({ min: 1, max: 11 }), N: fc.integer({ min: 1, max: 11 }), wbits: fc.integer({ min: 1, max: 4 }) })
    .chain(({ M, K, N, wbits }) => {
      const code = fc.oneof(fc.constantFrom(0, 2 ** wbits - 1), fc.integer({ min: 0, max: 2 ** wbits - 1 }));
      return fc.record({
        ops: fc.record({
          M: fc.constant(M),
          K: fc.constant(K),
          N: fc.constant(N),
          act: fc.array(fc.oneof(fc.constantFrom(-32768, 32767), fc.integer({ min: -32768, max: 32767 })), { minLength: M * K, maxLength: M * K }).map((a) => Int32Array.from(a)),
          codes: fc.array(code, { minLength: K * N, maxLength: K * N }).map((q) => Uint8Array.from(q)),
          zeros: fc.array(code, { minLength: N, maxLength: N }).map((z) => Int32Array.from(z)),
        }),
        wbits: fc.constant(wbits),
      });
    });
}

describe('checkOperands', () => {
  const limits: OperandLimits = { act: 'int8', actBits: 8, wbits: 2, maxK: 4096, outBits: 20, result: 'int' };
  const ops = (over: Partial<MatmulOperands>): MatmulOperands => ({ ...hand, ...over });
  const cases: [string, MatmulOperands, string][] = [
    ['a zero dimension', ops({ M: 0, act: new Int32Array(0) }), 'M = 0 must be a positive integer'],
    ['a fractional dimension', ops({ N: 1.5 }), 'N = 1.5 must be a positive integer'],
    ['too few activations', ops({ act: Int32Array.from([1, 2]) }), 'the activations hold 2 values; M*K = 1*3 = 3 were expected'],
    ['too many codes', ops({ codes: new Uint8Array(10) }), 'the weight codes hold 10 values; K*N = 3*3 = 9 were expected'],
    ['too few zero points', ops({ zeros: new Int32Array(2) }), 'the zero points hold 2 values; N = 3 (one per column) were expected'],
    ['K beyond maxK', { M: 1, K: 5000, N: 1, act: new Int32Array(5000), codes: new Uint8Array(5000), zeros: new Int32Array(1) }, 'K = 5000 exceeds maxK = 4096 of this engine configuration'],
    ['an activation above the range', ops({ M: 2, act: Int32Array.from([0, 0, 0, 0, 128, -200]) }), 'activation A[1, 1] = 128 is outside the signed 8-bit range -128..127'],
    ['an activation below the range', ops({ act: Int32Array.from([-129, 0, 0]) }), 'activation A[0, 0] = -129 is outside the signed 8-bit range -128..127'],
    ['a code above 2^wbits - 1', ops({ codes: Uint8Array.from([0, 0, 0, 0, 0, 4, 9, 0, 0]) }), 'weight code Q[1, 2] = 4 exceeds 3, the largest 2-bit code'],
    ['a zero point above the range', ops({ zeros: Int32Array.from([0, 4, 0]) }), 'zero point Z[1] = 4 of column 1 is outside 0..3 (wbits = 2)'],
    ['a negative zero point', ops({ zeros: Int32Array.from([0, 0, -1]) }), 'zero point Z[2] = -1 of column 2 is outside 0..3 (wbits = 2)'],
  ];
  it.each(cases)('rejects %s', (_, operands, message) => {
    expect(() => checkOperands(limits, operands)).toThrow(new OperandError(message));
    expect(() => checkOperands(limits, operands)).toThrow(OperandError);
  });

  it('accepts the ends of every range, and the packers check before packing', () => {
    expect(() => checkOperands(limits, ops({ act: Int32Array.from([-128, 127, 0]), codes: new Uint8Array(9).fill(3), zeros: Int32Array.from([0, 3, 3]) }))).not.toThrow();
    const config: SerialPackConfig = { ...serial, symmetric: true, reinterpret: true, maxK: 2 };
    expect(() => packSerial(config, hand)).toThrow(new OperandError('K = 3 exceeds maxK = 2 of this engine configuration'));
    expect(() => packMac({ ...serial, maxK: 2 }, hand)).toThrow(OperandError);
    expect(operandLimits({ k: 4, wbits: 2, act: 'int16', maxK: 4096 })).toEqual({ act: 'int16', actBits: 16, wbits: 2, maxK: 4096, outBits: engineWidths({ k: 4, wbits: 2, act: 'int16', maxK: 4096 }).outBits, result: 'int' });
  });

  it('rejects more n-tiles than the 16-bit tile count holds', () => {
    const N = 65536;
    const wide: MatmulOperands = { M: 1, K: 1, N, act: Int32Array.from([1]), codes: new Uint8Array(N), zeros: new Int32Array(N) };
    expect(() => packSerial({ ...serial, n: 1, symmetric: false, reinterpret: true }, wide)).toThrow(/N = 65536 needs 65536 tiles of 1 columns; the engine counts at most 65535/);
  });
});

describe('unpackOutputs', () => {
  const dims = { M: 3, K: 1, N: 3 };
  // m = 2, n = 2: 2 row blocks x 2 tiles; padding rows/columns hold junk that must be dropped.
  const beats = [
    [255n, 128n, 127n, 0n],
    [1n, 99n, 254n, 99n],
    [2n, 3n, 99n, 99n],
    [4n, 99n, 99n, 99n],
  ];
  it('sign-extends raw leaves from outBits and drops padding', () => {
    expect([...unpackOutputs({ m: 2, n: 2 }, 8, dims, beats)]).toEqual([-1n, -128n, 1n, 127n, 0n, -2n, 2n, 3n, 4n]);
  });

  it('accepts leaves that are already signed', () => {
    expect([...unpackOutputs({ m: 1, n: 1 }, 8, { M: 1, K: 1, N: 2 }, [[-128n], [127n]])]).toEqual([-128n, 127n]);
  });

  it('throws an internal error for wrong beat or leaf counts and over-wide leaves', () => {
    expect(() => unpackOutputs({ m: 2, n: 2 }, 8, dims, beats.slice(1))).toThrow(/expected 4 out beats \(2 row blocks x 2 tiles\), got 3/);
    expect(() => unpackOutputs({ m: 2, n: 2 }, 8, dims, [...beats.slice(1), [1n]])).toThrow(/out beat 3 has 1 leaves; 4 \(m\*n\) expected/);
    expect(() => unpackOutputs({ m: 2, n: 2 }, 8, dims, [[256n, 0n, 0n, 0n], ...beats.slice(1)])).toThrow(/wider than 8 bits/);
    expect(() => unpackOutputs({ m: 2, n: 2 }, 65, dims, beats)).toThrow(/outBits = 65/);
  });

  it('round-trips Y through the beats the hardware would send', () => {
    const arb = fc
      .record({ M: fc.integer({ min: 1, max: 9 }), N: fc.integer({ min: 1, max: 9 }), m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }), outBits: fc.integer({ min: 2, max: 64 }), signed: fc.boolean() })
      .chain((s) => {
        const half = 1n << BigInt(s.outBits - 1);
        const value = fc.oneof(fc.constantFrom(-half, half - 1n, 0n, -1n), fc.bigInt({ min: -half, max: half - 1n }));
        return fc.record({ s: fc.constant(s), Y: fc.array(value, { minLength: s.M * s.N, maxLength: s.M * s.N }), junk: value });
      });
    fc.assert(
      fc.property(arb, ({ s, Y, junk }) => {
        const { M, N, m, n, outBits, signed } = s;
        const beats: bigint[][] = [];
        for (let rb = 0; rb < ceilDiv(M, m); rb++) {
          for (let t = 0; t < ceilDiv(N, n); t++) {
            const beat: bigint[] = [];
            for (let r = 0; r < m; r++) {
              for (let c = 0; c < n; c++) {
                const [row, col] = [rb * m + r, t * n + c];
                const y = row < M && col < N ? Y[row * N + col]! : junk;
                beat.push(signed ? y : BigInt.asUintN(outBits, y));
              }
            }
            beats.push(beat);
          }
        }
        expect([...unpackOutputs({ m, n }, outBits, { M, K: 1, N }, beats)]).toEqual(Y);
      }),
      { numRuns: 150 },
    );
  });
});

describe('ceilDiv', () => {
  it('rounds up exactly, even where a float quotient would round', () => {
    expect([ceilDiv(1, 1), ceilDiv(7, 2), ceilDiv(8, 2), ceilDiv(1, 64)]).toEqual([1, 4, 4, 1]);
    const safe = fc.oneof(fc.constantFrom(1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(safe, safe, (a, b) => {
        expect(BigInt(ceilDiv(a, b))).toBe((BigInt(a) + BigInt(b) - 1n) / BigInt(b));
      }),
      { numRuns: 200 },
    );
  });
});
