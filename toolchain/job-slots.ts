// A bound on how many tool processes (or Yosys workers) run at once: one slot per core by default,
// waiting jobs served first come, first served. Synthesis and static timing each keep their own.

import { availableParallelism } from 'node:os';

export interface JobSlots {
  /** Resolves when a slot is free, and takes it. */
  acquire(): Promise<void>;
  /** Gives the slot back; a waiting job gets it straight away. */
  release(): void;
}

export function jobSlots(max = Math.max(1, availableParallelism())): JobSlots {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    acquire() {
      if (running < max) {
        running += 1;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    },
  };
}
