// The order vitest starts test files in. With nothing cached (every CI run starts from a clean
// clone) vitest starts the largest files first, which left the longest ones, the serial tutorial
// run above all, to start late and run alone at the end with one core idle. Starting the longest
// first (their durations on the 2-core CI machine, 2026-11-22, in the comments) lets the short
// ones fill the other core. A file missing from the list only loses its head start.

import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOWEST_FIRST = [
  'tb/docs/tutorial.test.ts', // 149 s, its chapters one after the other
  'tb/generators/lut-llm/hardware.test.ts', // 77 s
  'tb/cleanliness.test.ts', // 45 s
  'tb/sim/stream.test.ts', // 41 s
  'tb/fuzz/fuzz.test.ts', // 38 s
  'tb/prove/prove.test.ts', // 37 s
  'tb/generators/lut-tensor-core/fp-regression.test.ts', // 36 s
  'tb/generators/baseline/regression.test.ts', // 34 s
  'tb/cli/run-fp.test.ts', // 29 s
  'tb/generators/lut-llm/emit.test.ts', // 27 s
  'tb/generators/lut-tensor-core/regression.test.ts', // 27 s
  'tb/dsl/operators.test.ts', // 23 s
  'tb/package/package.test.ts', // 22 s
  'tb/cli/e2e.test.ts', // 18 s
];

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const index = SLOWEST_FIRST.findIndex((known) => file.moduleId.endsWith(`/${known}`));
      return index < 0 ? SLOWEST_FIRST.length : index;
    };
    const rest = await super.sort(files);
    // Array.prototype.sort is stable: the files not listed keep vitest's order after the listed ones.
    return [...rest].sort((a, b) => rank(a) - rank(b));
  }
}
