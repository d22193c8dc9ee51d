// In-process Yosys for quick checks (the design-rule check the lint helpers run): @yowasp/yosys on
// the main thread, nothing to install; for many designs at once, in batches on the worker threads
// of synth/runner.ts. Synthesis with targets and reports is synth/synthesize.ts.

import { runYosys, type Tree } from '@yowasp/yosys';
import type { EmittedDesign } from '../dsl/design.js';
import type { LintResult } from '../toolchain/lint-result.js';
import { runScript } from './runner.js';

export type { LintResult } from '../toolchain/lint-result.js';
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

export interface YosysCheckManyOptions {
  /** Designs per Yosys run; default 16. */
  readonly batchSize?: number;
}

/** Each design's files get a prefix of their own in a batch; it is taken out of its messages. */
const batchPrefix = (i: number): string => `lutforge_design_${i}__`;
const BATCH_MARK = 'lutforge-check-design';
const BATCH_MARK_LINE = new RegExp(`^${BATCH_MARK} \\d+$`);

/**
 * `yosysCheck` of many designs at a fraction of the cost: one Yosys run checks a batch of designs
 * one after the other, with `design -reset` between them, so the start-up and fixed costs of a run
 * are paid once per batch; batches run on the worker threads of synth/runner.ts, beside the main
 * thread. The log is cut at a marker logged before each design, so each result holds that design's
 * own messages, the same as `yosysCheck` gives but for the serial numbers Yosys puts in cell names
 * (`$and$x.v:6$9`), which count on through a run. A design that makes Yosys fail ends its run; the
 * designs after it are checked in a new one. Results are in the order of `designs`.
 */
export async function yosysCheckMany(designs: readonly EmittedDesign[], options: YosysCheckManyOptions = {}): Promise<LintResult[]> {
  const batchSize = Math.max(1, options.batchSize ?? 16);
  const batches: EmittedDesign[][] = [];
  for (let start = 0; start < designs.length; start += batchSize) batches.push(designs.slice(start, start + batchSize));
  const results = await Promise.all(
    batches.map(async (batch) => {
      const done: LintResult[] = [];
      while (done.length < batch.length) done.push(...(await checkBatch(batch.slice(done.length))));
      return done;
    }),
  );
  return results.flat();
}

/** Results for the designs up to the first that makes Yosys fail (all of them if none does). */
async function checkBatch(designs: readonly EmittedDesign[]): Promise<LintResult[]> {
  const files: Record<string, string> = {};
  const script: string[] = [];
  designs.forEach((design, i) => {
    for (const module of design.modules) files[`${batchPrefix(i)}${module.fileName}`] = module.text;
    script.push(
      `log ${BATCH_MARK} ${i}`,
      // -reset-vlog also forgets what the Verilog front end kept from the last design (defines).
      'design -reset',
      'design -reset-vlog',
      ...design.modules.map((module) => `read_verilog ${batchPrefix(i)}${module.fileName}`),
      // What yosysCheck runs.
      `hierarchy -check -top ${design.top}`,
      'proc',
      'check -assert',
    );
  });
  const run = await runScript('embedded', files, script.join('\n'), []);
  const exitCode = run.exitCode === 0 ? undefined : String(run.exitCode);
  // Design i's log runs from its marker to the next; a failed run ends in the log of the design that failed it.
  const segments: string[][] = [];
  for (const line of run.log.split('\n')) {
    if (BATCH_MARK_LINE.test(line)) segments.push([]);
    else segments[segments.length - 1]?.push(line);
  }
  const complete = exitCode === undefined ? segments.length === designs.length : segments.length > 0;
  if (!complete) throw new Error(`Yosys ran ${segments.length} of ${designs.length} design checks:\n${failureText(run.log, exitCode ?? '0')}`);
  return segments.map((lines, i) => {
    const log = lines.join('\n').split(batchPrefix(i)).join('');
    if (exitCode !== undefined && i === segments.length - 1) {
      // As yosysCheck words a failed run: its problem lines, else the failing command and the log's tail.
      const message = failureText(log, exitCode);
      const problems = problemLines(message.split('\n')).join('\n');
      return { ok: false, messages: problems === '' ? message : problems };
    }
    const messages = problemLines(log.split('\n')).join('\n');
    return { ok: messages === '', messages };
  });
}

/** The message runYosysScript throws: the failing command (the last echoed) and the tail of the log. */
function failureText(log: string, exitCode: string): string {
  const lines = log.trimEnd().split('\n');
  const commands = lines.filter((line) => line.startsWith('yosys> '));
  const failing = commands[commands.length - 1]?.slice('yosys> '.length);
  const where = failing === undefined ? '' : ` in \`${failing}\``;
  return `Yosys failed${where} (exit ${exitCode}):\n` + lines.slice(-LOG_TAIL_LINES).join('\n');
}
