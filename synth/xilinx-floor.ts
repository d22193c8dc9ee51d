// The fewest UltraScale+ CLB resources a lookup chain can take: per lookup, a Cw:1 mux of the
// table entry's bits and its share of the adders that sum the lookups into an accumulator. It is
// what the fabric's structure allows, not what a tool achieves, so a synthesized chain can be
// stated as a multiple of it (scripts/bench-lut-llm.ts).
//
// The CLB structure counted (UltraScale+ CLB, UG574): a LUT6 is a 4:1 mux of one bit (4 data and
// 2 select inputs); two of them combine into an 8:1 mux through a MUXF7, two MUXF7 into 16:1
// through a MUXF8, two MUXF8 into 32:1 through the slice's MUXF9, all without a LUT. Two 2:1 muxes
// sharing their select fit one LUT6_2 (5 distinct inputs). An adder lane of w bits is w LUT6
// (the propagate of each bit) and a CARRY8 per 8 bits.

import { bitsFor } from '../dsl/shape.js';

/** UltraScale+ CLB resources; fractional when stated per lookup. */
export interface ClbResources {
  readonly lut: number;
  readonly muxf7: number;
  readonly muxf8: number;
  readonly muxf9: number;
  readonly carry8: number;
}

const NONE: ClbResources = { lut: 0, muxf7: 0, muxf8: 0, muxf9: 0, carry8: 0 };

function plus(a: ClbResources, b: ClbResources): ClbResources {
  return { lut: a.lut + b.lut, muxf7: a.muxf7 + b.muxf7, muxf8: a.muxf8 + b.muxf8, muxf9: a.muxf9 + b.muxf9, carry8: a.carry8 + b.carry8 };
}

function times(a: ClbResources, k: number): ClbResources {
  return { lut: a.lut * k, muxf7: a.muxf7 * k, muxf8: a.muxf8 * k, muxf9: a.muxf9 * k, carry8: a.carry8 * k };
}

function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * One bit of an n:1 mux. Up to 32 inputs: LUT6 leaves (4 inputs each) under the MUXF7/F8/F9 tree,
 * which takes a power of two of leaves, so an n that is not a power of two costs the mux of the
 * next power of two (an estimate from above for such n). Wider: 32:1 blocks, then a mux of their
 * outputs.
 */
function muxBit(inputs: number): ClbResources {
  if (inputs <= 1) return NONE;
  if (inputs <= 4) return { ...NONE, lut: 1 };
  if (inputs <= 32) {
    const leaves = powerOfTwoAtLeast(Math.ceil(inputs / 4));
    return { lut: leaves, muxf7: leaves / 2, muxf8: leaves >= 4 ? leaves / 4 : 0, muxf9: leaves >= 8 ? 1 : 0, carry8: 0 };
  }
  const blocks = Math.ceil(inputs / 32);
  return plus(times(muxBit(32), blocks), muxBit(blocks));
}

/** An n:1 mux of `bits` bits sharing one select. */
export function muxFloor(inputs: number, bits: number): ClbResources {
  if (!Number.isInteger(inputs) || inputs < 1 || !Number.isInteger(bits) || bits < 0) throw new RangeError(`muxFloor needs positive integers, got ${inputs} inputs of ${bits} bits`);
  // Two 2:1 muxes with the same select share a LUT6_2.
  if (inputs === 2) return { ...NONE, lut: Math.ceil(bits / 2) };
  return times(muxBit(inputs), bits);
}

/** A w-bit adder (or accumulator) lane: a LUT6 per bit and a CARRY8 per 8 bits. */
export function adderFloor(width: number): ClbResources {
  return { ...NONE, lut: width, carry8: Math.ceil(width / 8) };
}

/**
 * The balanced adder tree over `entries` values below 2^entryBits (each sum as wide as its range
 * needs): no LUT for one entry. Smaller than a chain of the same adders, whose later sums are all
 * wide, so it is the floor's choice.
 */
function adderTreeFloor(entries: number, entryBits: number): ClbResources {
  if (entries <= 1) return NONE;
  const left = Math.ceil(entries / 2);
  const width = bitsFor(entries * (2 ** entryBits - 1) + 1);
  return plus(plus(adderTreeFloor(left, entryBits), adderTreeFloor(entries - left, entryBits)), adderFloor(width));
}

export interface LookupChainShape {
  /** Entries per table row: the mux is cw:1. */
  readonly cw: number;
  /** Bits of a table entry. */
  readonly tableBits: number;
  /** Positions looked up per cycle, each column's entries summed before the accumulator (1: none). */
  readonly positionsPerCycle: number;
  /** Bits of the accumulator the sum is added into. */
  readonly accBits: number;
}

/**
 * The floor per lookup: the entry's cw:1 mux of tableBits bits, plus its share of one column's
 * adders (the tree over positionsPerCycle entries and the accumulator's add), divided by the
 * positionsPerCycle lookups that column does per cycle.
 */
export function lookupChainFloor(shape: LookupChainShape): ClbResources {
  const { cw, tableBits, positionsPerCycle, accBits } = shape;
  if (!Number.isInteger(positionsPerCycle) || positionsPerCycle < 1) throw new RangeError(`positionsPerCycle must be a positive integer, got ${positionsPerCycle}`);
  const column = plus(adderTreeFloor(positionsPerCycle, tableBits), adderFloor(accBits));
  return plus(muxFloor(cw, tableBits), times(column, 1 / positionsPerCycle));
}
