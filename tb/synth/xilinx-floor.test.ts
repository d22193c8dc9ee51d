// The UltraScale+ floor of a lookup chain, against counts worked out by hand from the CLB structure.

import { describe, expect, it } from 'vitest';
import { adderFloor, lookupChainFloor, muxFloor } from '../../synth/xilinx-floor.js';

describe('muxFloor', () => {
  it('builds a 16:1 mux bit from 4 LUT6, 2 MUXF7 and a MUXF8', () => {
    expect(muxFloor(16, 1)).toEqual({ lut: 4, muxf7: 2, muxf8: 1, muxf9: 0, carry8: 0 });
    expect(muxFloor(16, 8)).toEqual({ lut: 32, muxf7: 16, muxf8: 8, muxf9: 0, carry8: 0 });
  });

  it('takes a LUT6 per bit up to 4:1, and two 2:1 bits per LUT6_2', () => {
    expect(muxFloor(4, 8).lut).toBe(8);
    expect(muxFloor(3, 8).lut).toBe(8);
    expect(muxFloor(2, 8).lut).toBe(4);
    expect(muxFloor(2, 3).lut).toBe(2);
  });

  it('uses MUXF7 at 8:1 and the slice-wide MUXF9 at 32:1', () => {
    expect(muxFloor(8, 1)).toEqual({ lut: 2, muxf7: 1, muxf8: 0, muxf9: 0, carry8: 0 });
    expect(muxFloor(32, 1)).toEqual({ lut: 8, muxf7: 4, muxf8: 2, muxf9: 1, carry8: 0 });
  });

  it('muxes wider than 32:1 as 32:1 blocks and a mux of their outputs', () => {
    // 64:1: two 32:1 blocks (16 LUT6) and a 2:1 of their outputs (one LUT).
    expect(muxFloor(64, 1)).toEqual({ lut: 17, muxf7: 8, muxf8: 4, muxf9: 2, carry8: 0 });
    // 256:1: eight blocks (64 LUT6) and an 8:1 (2 LUT6 + MUXF7).
    expect(muxFloor(256, 1)).toEqual({ lut: 66, muxf7: 33, muxf8: 16, muxf9: 8, carry8: 0 });
  });

  it('costs an n that is not a power of two as the next power of two', () => {
    expect(muxFloor(12, 1)).toEqual(muxFloor(16, 1));
  });
});

describe('adderFloor', () => {
  it('takes a LUT6 per bit and a CARRY8 per 8 bits', () => {
    expect(adderFloor(19)).toEqual({ lut: 19, muxf7: 0, muxf8: 0, muxf9: 0, carry8: 3 });
    expect(adderFloor(8).carry8).toBe(1);
  });
});

describe('lookupChainFloor', () => {
  it('is the mux and the accumulator lane with one position per cycle', () => {
    // Cw 16, 8-bit tables, 19-bit accumulators (maxK 4096, v 2): 32 + 19 LUT6.
    expect(lookupChainFloor({ cw: 16, tableBits: 8, positionsPerCycle: 1, accBits: 19 })).toEqual({ lut: 51, muxf7: 16, muxf8: 8, muxf9: 0, carry8: 3 });
    // 4-bit tables, 15-bit accumulators: 16 + 15.
    expect(lookupChainFloor({ cw: 16, tableBits: 4, positionsPerCycle: 1, accBits: 15 })).toEqual({ lut: 31, muxf7: 8, muxf8: 4, muxf9: 0, carry8: 2 });
  });

  it('shares a balanced adder tree and the accumulator among the positions per cycle', () => {
    // 16 entries of 8 bits: 8 adders of 9 bits, 4 of 10, 2 of 11, 1 of 12 (146 LUT6, 30 CARRY8),
    // plus the 19-bit accumulator (3 CARRY8): 165 / 16 per lookup beside the 32 of the mux.
    const floor = lookupChainFloor({ cw: 16, tableBits: 8, positionsPerCycle: 16, accBits: 19 });
    expect(floor.lut).toBeCloseTo(32 + 165 / 16, 10);
    expect(floor.carry8).toBeCloseTo(33 / 16, 10);
    // 8 entries of 4 bits: 4 x 5 + 2 x 6 + 1 x 7 = 39, plus 15.
    expect(lookupChainFloor({ cw: 16, tableBits: 4, positionsPerCycle: 8, accBits: 15 }).lut).toBeCloseTo(16 + 54 / 8, 10);
    // 3 entries: a 9-bit pair, then a 10-bit sum with the third.
    expect(lookupChainFloor({ cw: 16, tableBits: 8, positionsPerCycle: 3, accBits: 19 }).lut).toBeCloseTo(32 + (9 + 10 + 19) / 3, 10);
  });

  it('refuses a position count that is not a positive integer', () => {
    expect(() => lookupChainFloor({ cw: 16, tableBits: 8, positionsPerCycle: 0, accBits: 19 })).toThrow(/positionsPerCycle/);
  });
});
