import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tb/**/*.test.ts'],
    // Verilator builds and Yosys runs take seconds each; the default 5 s is too tight on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
