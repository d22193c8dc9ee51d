import { defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './tb/slow-first.js';

export default defineConfig({
  test: {
    include: ['tb/**/*.test.ts'],
    // Verilator builds and Yosys runs take seconds each; the default 5 s is too tight on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // vitest leaves one core free by default, which on the 2-core CI machine means one file at a
    // time; Yosys (WebAssembly) and the TypeScript work are single-threaded, so two forks keep both
    // cores busy while Verilator builds (already -j 2) share them. (Three forks were slower: 579 s
    // against 560 s, the contention stretching every build.)
    maxWorkers: 2,
    // The longest files first, so that no long one runs alone at the end (tb/slow-first.ts).
    sequence: { sequencer: SlowestFirstSequencer },
  },
});
