import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tb/**/*.test.ts'],
    // Verilator builds and Yosys runs take seconds each; the default 5 s is too tight on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // vitest leaves one core free by default, which on the 2-core CI machine means one file at a
    // time. With two forks, one core idled for about 190 s of a 560 s run: a fork spends seconds
    // importing and transforming each file, and many tests wait on a subprocess (a Verilator
    // build, a spawned CLI). A third fork fills those gaps; memory allows it (a fork and its
    // Verilator build stay under 1 GB).
    maxWorkers: 3,
  },
});
