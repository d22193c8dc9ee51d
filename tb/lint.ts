// One call that asks all three tools about a design, so generator tests can demand Verilog
// that every tool in the flow accepts without a single warning.

import { availableParallelism } from 'node:os';
import type { EmittedDesign } from '../dsl/design.js';
import { icarusCompile } from '../sim/icarus.js';
import type { LintResult } from '../toolchain/lint-result.js';
import { verilatorLint } from '../sim/verilator.js';
import { yosysCheck, yosysCheckMany } from '../synth/yosys.js';

export interface LintReport {
  /** True when all three tools are clean. */
  readonly ok: boolean;
  readonly verilator: LintResult;
  readonly icarus: LintResult;
  readonly yosys: LintResult;
}

/** Verilator `-Wall` lint, Icarus `-g2005 -Wall` compile and Yosys `check -assert`, in parallel. */
export async function lintEverywhere(design: EmittedDesign): Promise<LintReport> {
  const [verilator, icarus, yosys] = await Promise.all([
    verilatorLint(design),
    icarusCompile(design),
    yosysCheck(design),
  ]);
  return { ok: verilator.ok && icarus.ok && yosys.ok, verilator, icarus, yosys };
}

export interface LintManyOptions {
  /** Designs Verilator and Icarus take at a time; default: one per core. */
  readonly concurrency?: number;
  /** Designs per Yosys run (see yosysCheckMany). */
  readonly yosysBatchSize?: number;
}

/**
 * lintEverywhere for many designs, reports in the order of `designs`, for much less time than one
 * call per design: Yosys checks them in batches (yosysCheckMany: the same messages but for the
 * serial numbers in cell names) on its worker threads, while Verilator and Icarus take
 * `concurrency` designs at a time.
 */
export async function lintEverywhereMany(designs: readonly EmittedDesign[], options: LintManyOptions = {}): Promise<LintReport[]> {
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const compiled: { verilator: LintResult; icarus: LintResult }[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < designs.length; i = next++) {
      const [verilator, icarus] = await Promise.all([verilatorLint(designs[i]!), icarusCompile(designs[i]!)]);
      compiled[i] = { verilator, icarus };
    }
  };
  const batching = options.yosysBatchSize === undefined ? {} : { batchSize: options.yosysBatchSize };
  const [yosys] = await Promise.all([yosysCheckMany(designs, batching), ...Array.from({ length: concurrency }, lane)]);
  return designs.map((_, i) => {
    const { verilator, icarus } = compiled[i]!;
    const checked = yosys[i]!;
    return { ok: verilator.ok && icarus.ok && checked.ok, verilator, icarus, yosys: checked };
  });
}

/** A readable account of every tool that complained, for assertion messages. */
export function formatLintReport(report: LintReport): string {
  return (['verilator', 'icarus', 'yosys'] as const)
    .filter((tool) => !report[tool].ok)
    .map((tool) => `--- ${tool} ---\n${report[tool].messages}`)
    .join('\n');
}
