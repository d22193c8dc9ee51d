import { defineConfig } from 'vitest/config';
import { FAST_TESTS, FAST_TIER } from './tb/test-tiers.js';

export default defineConfig({
  test: {
    // LUTFORGE_TIER=fast is `make check`: the tests that need no simulator or synthesizer, guarded.
    include: FAST_TIER ? [...FAST_TESTS] : ['tb/**/*.test.ts'],
    setupFiles: FAST_TIER ? ['tb/fast-tier-guard.ts'] : [],
    // Verilator builds and Yosys runs take seconds each; the default 5 s is too tight on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // vitest leaves one core free by default, which on the 2-core CI machine means one file at a
    // time; Yosys (WebAssembly) and the TypeScript work are single-threaded, so two forks keep both
    // cores busy while Verilator builds (already -j 2) share them. (Three forks were slower: 579 s
    // against 560 s, the contention stretching every build; so was starting the longest files
    // first, 588 s, two heavy files then competing for the cores.)
    maxWorkers: 2,
    // A fork runs its test files one after another in one module graph instead of importing and
    // transforming everything again for each file: collecting took 50 to 90 s of a 10-minute
    // budget, 12 s without isolation. The tests keep no state between files that matters (the
    // DSL's module caches are per elaboration; tb/determinism.test.ts checks generation does not
    // depend on what ran before).
    isolate: false,
  },
});
