// The decoder block's stream kernels on Verilator, each bit for bit against docs/design/lut-llm-block.md's order of operations computed
// from the soft-float golden, all four in ONE build: a test-only top holds them side by side
// (kernel-harness.ts `sideBySide`, stream names prefixed `rmsnorm_`, `rope_`, `silu_mul_`,
// `attention_`), each behind its throttling or sequencing wrapper, and one run feeds every case at
// once. Each kernel runs from cycle 0 on streams of its own, as it would alone, so its cycle
// formula holds on its own beats. Each Verilator build pays verilating, compiling the harness and
// linking again: one build instead of four saves a fifth of these tests' CPU. They run under
// `make regress`: `make test` has 10 minutes on two cores, and runs every kernel in context, bit for
// bit, through block.test.ts and the fuzzer's block case. Each case, its expectation and its checks
// are in `<kernel>-case.ts`.

import { beforeAll, describe, it } from 'vitest';
import { attentionCase } from './attention-case.js';
import { expectKernelMatches, type KernelCase, runSideBySide, type SideBySideRun } from './kernel-harness.js';
import { rmsnormCase } from './rmsnorm-case.js';
import { ropeCase } from './rope-case.js';
import { siluMulCase } from './silu-mul-case.js';

describe.skipIf(process.env['LUTFORGE_REGRESS'] !== '1')('lut-llm-block stream kernels, side by side in one Verilator build (make regress)', () => {
  let cases: Record<'rmsnorm' | 'rope' | 'silu_mul' | 'attention', KernelCase>;
  let run: SideBySideRun;
  beforeAll(async () => {
    cases = { rmsnorm: rmsnormCase(), rope: ropeCase(), silu_mul: siluMulCase(), attention: attentionCase() };
    run = await runSideBySide(cases, 50_000);
  });

  it('rmsnorm normalizes vectors bit for bit, reloads its weights when empty, holds under throttling, in the cycles of rmsnormCycles', () => {
    expectKernelMatches(run, 'rmsnorm', cases.rmsnorm);
  });

  it('rope rotates vectors back to back at positions 0 .. maxSeq-1 bit for bit, in the cycles of ropeCycles, then throttled', () => {
    expectKernelMatches(run, 'rope', cases.rope);
  });

  it("silu-mul computes m bit for bit at a beat per cycle, and under throttling, for edges and exp's whole range", () => {
    expectKernelMatches(run, 'silu_mul', cases.silu_mul);
  });

  it('attention equals the order of operations of docs/design/lut-llm-block.md bit for bit over a prefill batch, decode steps and IEEE specials, in the cycles of its formula', () => {
    expectKernelMatches(run, 'attention', cases.attention);
  });
});
