// Icarus Verilog driver: a strict Verilog-2005 compile as a second opinion next to Verilator,
// since Icarus rejects SystemVerilog-isms that Verilator quietly accepts.

import type { EmittedDesign } from '../dsl/design.js';
import type { LintResult } from '../toolchain/lint-result.js';
import { runTool, withDesignWorkspace } from './workspace.js';

export type { LintResult } from '../toolchain/lint-result.js';

const COMPILE_TIMEOUT_MS = 60_000;

/**
 * `iverilog -g2005 -Wall -s <top>`. Ok only for a clean compile: a zero exit and no output at
 * all, because Icarus prints warnings yet still exits 0.
 */
export async function icarusCompile(design: EmittedDesign): Promise<LintResult> {
  return withDesignWorkspace(design, async (dir, fileNames) => {
    const args = ['-g2005', '-Wall', '-o', 'design.vvp', '-s', design.top, ...fileNames];
    const run = await runTool('iverilog', args, { cwd: dir, timeoutMs: COMPILE_TIMEOUT_MS });
    const messages = `${run.stderr}${run.stdout}`.trim();
    return { ok: run.exitCode === 0 && messages === '', messages };
  });
}
