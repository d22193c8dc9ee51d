// The widths every matrix engine derives (contracts/engine-widths.ts), against the extreme results
// of a dense integer product computed in bigint: each width holds its extreme and is the smallest
// that does, so the hardware can neither overflow nor carry a bit it never needs.

import { describe, expect, it } from 'vitest';
import { ACT_FORMATS, actBits, engineWidths, isFloatAct, signedBitsFor } from '../../contracts/engine-widths.js';

/** Whether a two's-complement value of `bits` bits holds every integer in [-bound, bound]. */
const holds = (bits: number, bound: bigint): boolean => bound <= (1n << BigInt(bits - 1)) - 1n;

describe('engineWidths', () => {
  it('gives the smallest signed width for a bound', () => {
    for (let bound = 0n; bound < 5000n; bound += 7n) {
      const bits = signedBitsFor(bound);
      expect(holds(bits, bound)).toBe(true);
      if (bits > 2) expect(holds(bits - 1, bound)).toBe(false);
    }
  });

  for (const act of ['int8', 'int16'] as const) {
    it(`sizes ${act} tables, row sums, results and accumulators for the extreme operands`, () => {
      for (const [k, wbits, maxK] of [[1, 1, 1], [4, 2, 4096], [3, 4, 1000], [8, 3, 1 << 20]] as const) {
        const widths = engineWidths({ k, wbits, act, maxK });
        const largest = 1n << BigInt(actBits(act) - 1); // |-128| or |-32768|
        // The extreme dot product: every activation at its most negative, every (q - z) at 2^wbits - 1.
        let result = 0n;
        for (let i = 0; i < maxK; i += 1) result += largest * BigInt(2 ** wbits - 1);
        expect(holds(widths.entryBits, BigInt(k) * largest)).toBe(true);
        expect(holds(widths.rowSumBits, BigInt(maxK) * largest)).toBe(true);
        expect(holds(widths.outBits, result)).toBe(true);
        expect(holds(widths.outBits - 1, result)).toBe(false);
        expect(holds(widths.accBits, 2n * result)).toBe(true);
        expect(widths.maxGroups).toBe(Math.ceil(maxK / k));
      }
    });
  }

  it('makes every value past a floating-point activation an FP32 word', () => {
    for (const act of ACT_FORMATS.filter(isFloatAct)) {
      const widths = engineWidths({ k: 4, wbits: 2, act, maxK: 100 });
      expect([widths.entryBits, widths.rowSumBits, widths.outBits, widths.accBits]).toEqual([32, 32, 32, 32]);
    }
    expect(ACT_FORMATS.filter(isFloatAct).map(actBits)).toEqual([16, 16, 8]);
  });
});
