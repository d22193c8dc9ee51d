// Randomness for the fuzzer, all drawn from the regressions' seeded generator (mulberry32), so a
// seed replays every draw: small helpers for picking, biased sizes and deriving per-case seeds.

import { seededRandom } from '../generators/matmul-regression.js';

/** An integer in [lo, hi], both inclusive (the shape of `seededRandom`'s generator). */
export type Random = (lo: number, hi: number) => number;

export { seededRandom };

const UINT32 = 2 ** 32 - 1;

/**
 * The seed of case `index` of a run: a function of the master seed and the index alone, so a case
 * can be drawn again without drawing the cases before it.
 */
export function caseSeed(master: number, index: number): number {
  const mixed = (master ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  return seededRandom(mixed)(0, UINT32);
}

/** A fresh seed from a generator, for a sub-stream of draws (one per vector, say). */
export function childSeed(random: Random): number {
  return random(0, UINT32);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[random(0, items.length - 1)]!;
}

/** True with probability percent / 100. */
export function chance(random: Random, percent: number): boolean {
  return random(0, 99) < percent;
}

/**
 * A size biased small: usually in [lo, usual], now and then (rarePercent) anywhere in [lo, rare].
 * Verilator builds and runs grow with every size, and most bugs show at small ones.
 */
export function smallInt(random: Random, lo: number, usual: number, rare = usual, rarePercent = 10): number {
  return chance(random, rarePercent) ? random(lo, rare) : random(lo, Math.min(usual, rare));
}

/** A value from weighted choices: [[weight, value], ...]. */
export function weighted<T>(random: Random, choices: readonly (readonly [number, T])[]): T {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0);
  let roll = random(0, total - 1);
  for (const [weight, value] of choices) {
    if (roll < weight) return value;
    roll -= weight;
  }
  return choices[choices.length - 1]![1];
}

/** A random bigint of `bits` bits (unsigned), built from 16-bit draws. */
export function randomBits(random: Random, bits: number): bigint {
  let value = 0n;
  for (let done = 0; done < bits; done += 16) value = (value << 16n) | BigInt(random(0, 0xffff));
  return BigInt.asUintN(bits, value);
}
