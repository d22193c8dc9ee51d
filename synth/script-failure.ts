// What a failed synthesis run means for the user: their design's fault (a latch, a design rule,
// Verilog Yosys rejects: SynthInputError) or lutforge's (Yosys died without an exit code).

import type { EmittedDesign } from '../dsl/design.js';
import { SynthInputError, type ScriptRun } from './runner.js';
import { problemLines } from './yosys.js';

/** Returns when the run succeeded; throws what its failure means otherwise. */
export function requireSuccess(design: EmittedDesign, run: ScriptRun): void {
  // -1: the worker or process died without a Yosys exit code, which is lutforge's problem.
  if (run.exitCode === -1) {
    const outOfMemory = /bad_alloc/.test(run.log)
      ? `\nYosys ran out of memory (the WebAssembly build has 4 GiB): synthesize without flattening (\`--no-flatten\`, { flatten: false }) or with the system Yosys (\`--yosys system\`).`
      : '';
    throw new Error(`Yosys did not run to completion:\n${run.log.trimEnd().split('\n').slice(-20).join('\n')}${outOfMemory}`);
  }
  if (run.exitCode !== 0) throw new SynthInputError(describeFailure(design, run));
}

/** One paragraph naming what Yosys objected to: a latch, a design rule, or the Verilog itself. */
function describeFailure(design: EmittedDesign, run: ScriptRun): string {
  const lines = run.log.split('\n');
  const commands = lines.filter((line) => line.startsWith('yosys> '));
  const failing = commands[commands.length - 1]?.slice('yosys> '.length) ?? '';
  // Told apart by Yosys' error text: 0.23 does not echo `select`, so the failing command is unknown.
  if (/ERROR: Assertion failed: selection is not empty: t:\$dlatch/.test(run.log)) {
    const latches = [...run.log.matchAll(/Latch inferred for signal `([^']+)'/g)].map((match) => `'${rtlilName(match[1] ?? '')}'`);
    const what = latches.length > 0 ? latches.join(', ') : 'a signal not assigned on every path';
    return `design '${design.top}' has a latch: ${what} (a combinational signal not assigned on every path)`;
  }
  const problems = problemLines(lines);
  if (/ERROR: Found \d+ problems in 'check -assert'/.test(run.log)) {
    return `design '${design.top}' fails the design rule check (check -assert):\n${problems.join('\n')}`;
  }
  const detail = problems.length > 0 ? problems.join('\n') : lines.slice(-20).join('\n');
  return `Yosys rejected design '${design.top}' in \`${failing}\`:\n${detail}`;
}

/** `\mod.\sig` as `mod.sig`. */
function rtlilName(name: string): string {
  return name.replace(/(^|\.)\\/g, '$1');
}
