// The project's one seeded random generator (mulberry32: 32 bits of state, fast, and fully
// determined by its seed), so that every random case, in the regressions, the fuzzer, the
// quantizer's k-means, the explorer's workloads and the demo, can be replayed from a number.

/** A stream of 32-bit draws and the shapes the project draws in. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform unsigned 32-bit integer. */
  next32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  unit(): number {
    return this.next32() / 4294967296;
  }

  /** Integer in [0, n), n <= 2^32. */
  below(n: number): number {
    return Math.floor(this.unit() * n);
  }

  /** Integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  chance(probability: number): boolean {
    return this.unit() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** Uniform `width`-bit pattern, from as many 32-bit draws as it takes. */
  bits(width: number): bigint {
    let value = 0n;
    for (let have = 0; have < width; have += 32) value = (value << 32n) | BigInt(this.next32());
    return BigInt.asUintN(width, value);
  }
}

/** Uniform draws in [0, 1) from `seed`. */
export function mulberry32(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.unit();
}

/** Integers in [lo, hi] from `seed`, the shape the operand generators draw in. */
export function seededRandom(seed: number): (lo: number, hi: number) => number {
  const random = new SeededRandom(seed);
  return (lo, hi) => random.between(lo, hi);
}
