// One call that asks all three tools about a design, so generator tests can demand Verilog
// that every tool in the flow accepts without a single warning.

import type { EmittedDesign } from '../dsl/design.js';
import { icarusCompile } from '../sim/icarus.js';
import type { LintResult } from '../sim/types.js';
import { verilatorLint } from '../sim/verilator.js';
import { yosysCheck } from '../synth/yosys.js';

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

/** A readable account of every tool that complained, for assertion messages. */
export function formatLintReport(report: LintReport): string {
  return (['verilator', 'icarus', 'yosys'] as const)
    .filter((tool) => !report[tool].ok)
    .map((tool) => `--- ${tool} ---\n${report[tool].messages}`)
    .join('\n');
}
