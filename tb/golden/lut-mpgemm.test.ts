// The bit-exact LUT model against the definition, and its pieces against the identities the
// hardware relies on (T[~i] = -T[i], the symmetric lookup equals the naive table, {0,1} vs {-1,+1}).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packSerial } from '../../contracts/serial-packing.js';
import {
  buildTable,
  columnFields,
  invertLowBits,
  lookupSymmetric,
  lutMpgemm,
  lutStreamModel,
  symmetricEntries,
  type LutOptions,
} from '../../golden/lut-mpgemm.js';
import { mpgemmInt } from '../../golden/mpgemm.js';
import type { MatmulOperands } from '../../contracts/matmul-operands.js';

const groupArb = fc.integer({ min: 1, max: 8 }).chain((k) => fc.array(fc.oneof(fc.constantFrom(-32768, 32767, -128, 127, 0), fc.integer({ min: -32768, max: 32767 })), { minLength: k, maxLength: k }));

describe('tables', () => {
  it('builds the hand-worked k = 2 tables', () => {
    expect(buildTable([3, -5], true)).toEqual([2, 8, -8, -2]);
    expect(buildTable([3, -5], false)).toEqual([0, 3, -5, -2]);
    expect(symmetricEntries([3, -5])).toEqual([-8, -2]);
  });

  it('is antisymmetric under complement: T[~i] = -T[i]', () => {
    fc.assert(
      fc.property(groupArb, (acts) => {
        const table = buildTable(acts, true);
        const all = 2 ** acts.length - 1;
        table.forEach((entry, i) => expect(table[all ^ i]).toBe(0 - entry));
      }),
      { numRuns: 100 },
    );
  });

  it('relates the {0,1} and {-1,+1} tables by T0 = (T + sum) / 2', () => {
    fc.assert(
      fc.property(groupArb, (acts) => {
        const sum = acts.reduce((s, a) => s + a, 0);
        const t0 = buildTable(acts, false);
        buildTable(acts, true).forEach((entry, i) => expect(t0[i]).toBe((entry + sum) / 2));
      }),
      { numRuns: 100 },
    );
  });

  it('looks up every inverted field in the symmetric half to the naive entry', () => {
    fc.assert(
      fc.property(groupArb, (acts) => {
        const k = acts.length;
        const naive = buildTable(acts, true);
        const entries = symmetricEntries(acts);
        expect(entries).toHaveLength(2 ** (k - 1));
        for (let field = 0; field < 2 ** k; field++) {
          expect(lookupSymmetric(entries, invertLowBits(field, k), k)).toBe(naive[field]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('inverts only the low bits of fields whose top bit is 0, and is its own inverse', () => {
    expect([0, 1, 2, 3].map((f) => invertLowBits(f, 2))).toEqual([1, 0, 2, 3]);
    expect(invertLowBits(0b0010, 4)).toBe(0b0101);
    expect(invertLowBits(0b1010, 4)).toBe(0b1010);
    expect([0, 1].map((f) => invertLowBits(f, 1))).toEqual([0, 1]);
    for (let k = 1; k <= 8; k++) for (let f = 0; f < 2 ** k; f++) expect(invertLowBits(invertLowBits(f, k), k)).toBe(f);
  });

  it('splits a wide leaf into column fields, column 0 lowest', () => {
    expect(columnFields(0b10_01_11n, 3, 2)).toEqual([3, 1, 2]);
    expect(columnFields(0n, 2, 3)).toEqual([0, 0]);
    expect(() => columnFields(1n << 6n, 3, 2)).toThrow(/not an unsigned 6-bit/);
  });
});

interface Case {
  readonly ops: MatmulOperands;
  readonly options: LutOptions;
}

const VARIANTS = [
  { symmetric: true, reinterpret: true },
  { symmetric: false, reinterpret: true },
  { symmetric: false, reinterpret: false },
] as const;

/** Shapes and values with the extremes (ends of every range, whole arrays at an end) drawn often. */
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    M: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 20 })),
    K: fc.integer({ min: 1, max: 20 }),
    N: fc.integer({ min: 1, max: 20 }),
    m: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 1, max: 6 }),
    k: fc.integer({ min: 1, max: 6 }),
    wbits: fc.integer({ min: 1, max: 4 }),
    variant: fc.constantFrom(...VARIANTS),
    act: fc.constantFrom('int8' as const, 'int16' as const),
    extraK: fc.constantFrom(0, 0, 0, 1, 1000, 2 ** 20),
    fill: fc.constantFrom('mixed', 'mixed', 'mixed', 'low', 'high'),
  })
  .chain(({ M, K, N, m, n, k, wbits, variant, act, extraK, fill }) => {
    const half = act === 'int8' ? 128 : 32768;
    const maxCode = 2 ** wbits - 1;
    const value = (lo: number, hi: number, extremes: number[]) =>
      fill === 'mixed' ? fc.oneof(fc.constantFrom(...extremes), fc.integer({ min: lo, max: hi })) : fc.constant(fill === 'low' ? lo : hi);
    const actArb = value(-half, half - 1, [-half, half - 1, 0, -1]);
    const codeArb = value(0, maxCode, [0, maxCode]);
    // With `fill`, codes and zero points sit at opposite ends: the largest |q - z|.
    const zeroArb = fill === 'mixed' ? value(0, maxCode, [0, maxCode]) : fc.constant(fill === 'low' ? maxCode : 0);
    return fc.record({
      ops: fc.record({
        M: fc.constant(M),
        K: fc.constant(K),
        N: fc.constant(N),
        act: fc.array(actArb, { minLength: M * K, maxLength: M * K }).map((a) => Int32Array.from(a)),
        codes: fc.array(codeArb, { minLength: K * N, maxLength: K * N }).map((q) => Uint8Array.from(q)),
        zeros: fc.array(zeroArb, { minLength: N, maxLength: N }).map((z) => Int32Array.from(z)),
      }),
      options: fc.constant({ m, n, k, wbits, ...variant, act, maxK: Math.min(K + extraK, 2 ** 20) }),
    });
  });

describe('lutMpgemm', () => {
  it('equals mpgemmInt for random shapes, configurations and extreme values', () => {
    fc.assert(
      fc.property(caseArb, ({ ops, options }) => {
        expect(lutMpgemm(ops, options)).toEqual(mpgemmInt(ops));
      }),
      { numRuns: 200 },
    );
  });

  it('equals mpgemmInt at the largest magnitudes of a long reduction, with the tightest widths', () => {
    const K = 4099; // not a multiple of k
    for (const variant of VARIANTS) {
      for (const [a, q, z] of [[-32768, 15, 0], [-32768, 0, 15], [32767, 15, 0]] as const) {
        const ops: MatmulOperands = {
          M: 1,
          K,
          N: 3,
          act: new Int32Array(K).fill(a),
          codes: new Uint8Array(K * 3).fill(q),
          zeros: Int32Array.from([z, z, 7]),
        };
        expect(lutMpgemm(ops, { m: 1, n: 2, k: 4, wbits: 4, ...variant })).toEqual(mpgemmInt(ops));
      }
    }
  });

  it('defaults to int8 widths when every activation fits, int16 otherwise', () => {
    const ops = (a: number): MatmulOperands => ({ M: 1, K: 1, N: 1, act: Int32Array.from([a]), codes: Uint8Array.from([1]), zeros: Int32Array.from([0]) });
    const options = { m: 1, n: 1, k: 1, wbits: 1, symmetric: true, reinterpret: true };
    expect([...lutMpgemm(ops(-128), options)]).toEqual([-128n]);
    expect([...lutMpgemm(ops(-129), options)]).toEqual([-129n]);
    expect(() => lutMpgemm(ops(-129), { ...options, act: 'int8' })).toThrow(/outside the signed 8-bit range/);
  });
});

describe('lutStreamModel', () => {
  const config = { m: 1, n: 2, k: 2, wbits: 2, symmetric: true, reinterpret: true, maxK: 3, act: 'int8' } as const;
  const ops: MatmulOperands = { M: 1, K: 3, N: 2, act: Int32Array.from([5, -7, 2]), codes: Uint8Array.from([3, 0, 1, 2, 2, 1]), zeros: Int32Array.from([1, 0]) };

  it('rejects streams that are not exactly what the protocol says', () => {
    const run = packSerial(config, ops);
    const weight = run.inputs['weight']!;
    expect(() => lutStreamModel(config, { ...run.inputs, weight: [...weight, [0n]] })).toThrow(/not consumed exactly/);
    expect(() => lutStreamModel(config, { ...run.inputs, weight: weight.slice(1) })).toThrow(/missing/);
    const lowBitsInCorrection = [...weight.slice(0, -1), [weight.at(-1)![0]! | 1n]];
    expect(() => lutStreamModel(config, { ...run.inputs, weight: lowBitsInCorrection })).toThrow(/uses bits below k-1/);
  });

  it('checks every value against the width its register has', () => {
    const run = packSerial({ ...config, act: 'int16' }, { ...ops, act: Int32Array.from([500, -7, 2]) });
    expect(() => lutStreamModel(config, run.inputs)).toThrow(/activation = 500 overflows its 8-bit register/);
    expect(() => lutStreamModel({ ...config, maxK: 2 }, run.inputs)).toThrow(/2 groups; the table buffer holds 1/);
  });
});
