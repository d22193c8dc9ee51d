// In-process Yosys for quick checks (the design-rule check the lint helpers run): @yowasp/yosys on
// the main thread, nothing to install. Synthesis with targets and reports is synth/synthesize.ts.

import { runYosys, type Tree } from '@yowasp/yosys';
import type { EmittedDesign } from '../dsl/design.js';
import type { LintResult } from '../sim/types.js';

export type { LintResult } from '../sim/types.js';
export type { Tree } from '@yowasp/yosys';

export interface YosysRun {
  /** Everything Yosys printed (stdout and stderr, interleaved as written). */
  readonly log: string;
  /** The virtual file system after the run: the inputs plus whatever the script wrote. */
  readonly files: Tree;
}

const SCRIPT_FILE = 'lutforge_script.ys';
const LOG_TAIL_LINES = 40;

/**
 * Runs a Yosys script over in-memory files. On failure, throws an Error naming the failing
 * command and carrying the tail of the log (Yosys prints the reason just before exiting).
 */
export async function runYosysScript(
  files: Readonly<Record<string, string>>,
  script: string,
): Promise<YosysRun> {
  if (SCRIPT_FILE in files) throw new Error(`'${SCRIPT_FILE}' is reserved for the Yosys script`);
  const decoder = new TextDecoder();
  let log = '';
  const capture = (bytes: Uint8Array | null): void => {
    log += bytes === null ? decoder.decode() : decoder.decode(bytes, { stream: true });
  };
  // `echo on` makes Yosys print each command as `yosys> cmd`, which is how a failure is
  // attributed to its command below.
  const tree: Tree = { ...files, [SCRIPT_FILE]: `echo on\n${script}\n` };
  try {
    const output = await runYosys(['-s', SCRIPT_FILE], tree, { stdout: capture, stderr: capture });
    return { log, files: output ?? {} };
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error)) throw error;
    // Skip the banner: the interesting part starts where the script does.
    const scriptStart = log.indexOf(`-- Executing script file`);
    const lines = log.slice(Math.max(scriptStart, 0)).trimEnd().split('\n');
    const commands = lines.filter((line) => line.startsWith('yosys> '));
    const failing = commands[commands.length - 1]?.slice('yosys> '.length);
    const where = failing === undefined ? '' : ` in \`${failing}\``;
    throw new Error(
      `Yosys failed${where} (exit ${String(error.code)}):\n` +
        lines.slice(-LOG_TAIL_LINES).join('\n'),
    );
  }
}

function designFiles(design: EmittedDesign): Record<string, string> {
  return Object.fromEntries(design.modules.map((module) => [module.fileName, module.text]));
}

function readCommands(design: EmittedDesign): string {
  return design.modules.map((module) => `read_verilog ${module.fileName}`).join('\n');
}

/**
 * A Yosys log's warnings and errors, each with its indented continuation lines (a logic-loop
 * warning lists the cells of the loop that way).
 */
export function problemLines(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let inProblem = false;
  for (const line of lines) {
    if (/^(\S+: )?(Warning|ERROR):/.test(line)) {
      inProblem = true;
      kept.push(line);
    } else if (inProblem && /^\s+\S/.test(line)) {
      kept.push(line);
    } else {
      inProblem = false;
    }
  }
  return kept;
}

/**
 * Elaborates the design and runs `check -assert` (logic loops, multiple or missing drivers).
 * Ok only when Yosys succeeds without a single warning: emitted Verilog should give none.
 */
export async function yosysCheck(design: EmittedDesign): Promise<LintResult> {
  const script = [
    readCommands(design),
    `hierarchy -check -top ${design.top}`,
    'proc',
    'check -assert',
  ].join('\n');
  let log: string;
  try {
    ({ log } = await runYosysScript(designFiles(design), script));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const problems = problemLines(message.split('\n')).join('\n');
    return { ok: false, messages: problems === '' ? message : problems };
  }
  const messages = problemLines(log.split('\n')).join('\n');
  return { ok: messages === '', messages };
}
