// The two test tiers. `make test` (the CI gate) runs every file under tb/; `make check`, the fast
// loop, runs the files here, the ones that need no simulator and no synthesizer: the golden
// models and contracts, the DSL's elaboration errors, the host library, the command line's
// argument handling, the explorer's bookkeeping, the import rules. tb/fast-tier-guard.ts makes a
// test of this tier that starts Verilator, Icarus, Yosys or OpenSTA fail, naming the tool.

export const FAST_TESTS: readonly string[] = [
  'tb/api/**/*.test.ts',
  'tb/fast-tier-guard.test.ts',
  'tb/contracts/**/*.test.ts',
  'tb/golden/**/*.test.ts',
  'tb/host/{atomic,compare,config,npy,sim-files}.test.ts',
  'tb/host/lut-llm/*.test.ts',
  'tb/host/lut-llm-block/*.test.ts',
  'tb/dsl/{emit,emit-layout,errors*,unused}.test.ts',
  'tb/dsl/ir.test.ts',
  'tb/cli/{bad-inputs,compare,consistency,design-file,errors,explore,program,quantize,quantize-block,run,run-fp,run-lut-llm,run-lut-llm-block,schematic,sim,warnings}.test.ts',
  'tb/fuzz/{fuzz,lut-llm-block}.test.ts',
  'tb/docs/doc-blocks.test.ts',
  'tb/explore/**/*.test.ts',
  'tb/cli/progress.test.ts',
  'tb/generators/descriptions.test.ts',
  'tb/generators/dot-product/config.test.ts',
  'tb/generators/lut-llm/pack.test.ts',
  'tb/generators/lut-llm-block/params.test.ts',
  'tb/generators/lut-llm-block/cycle-model.test.ts',
  'tb/host/lut-llm-block/latency.test.ts',
  'tb/scripts/**/*.test.ts',
  'tb/sim/{activity,port-run,stream-protocol,verilator-hierarchy}.test.ts',
  'tb/synth/{budget,report,yosys,sram-model,process-scaling}.test.ts',
  'tb/toolchain/cache-dir.test.ts',
];

/**
 * True in the fast tier. A file of the fast tier with a few tests that do need a tool marks each
 * of them `it.skipIf(FAST_TIER)`: they run in `make test`, the rest of the file in both tiers.
 */
export const FAST_TIER = process.env['LUTFORGE_TIER'] === 'fast';
