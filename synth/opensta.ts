// OpenSTA behind one call. runSta writes a Tcl script and its data files into a fresh directory,
// runs `sta -no_init -exit` there (Debian's `opensta`, 2.0.17; $LUTFORGE_STA names another
// binary) and returns the log. timing.ts and power.ts write the scripts; what both need is here:
// the Tcl that reads the Liberty files and the netlist and links them, and staNetlist, which turns
// the memories Yosys writes as behavioural Verilog into something OpenSTA's structural reader takes.
//
// OpenSTA 2.0.17 reports most errors on its log and carries on (a failed link_design is printed,
// not thrown; its own `exit` does not end the script), so every script is one `catch` that prints
// `Error: ...` and stops, and the first `Error:` line of the log is what a StaInputError says.

import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobSlots } from '../toolchain/job-slots.js';

/** One OpenSTA per core. */
const slots = jobSlots();

/** Environment variable naming the OpenSTA binary (default: `sta` on PATH). */
export const STA_BINARY_ENV = 'LUTFORGE_STA';

/** OpenSTA is not installed: the fix is a package, not a different design. */
export class StaMissingError extends Error {
  override readonly name = 'StaMissingError';
  constructor(readonly binary: string) {
    super(`OpenSTA '${binary}' was not found: install Debian's \`opensta\` package, or set $${STA_BINARY_ENV} to its \`sta\` binary`);
  }
}

/** OpenSTA rejected what it was given: a Liberty file, the netlist, the top or the clock port. */
export class StaInputError extends Error {
  override readonly name = 'StaInputError';
}

export function staBinary(): string {
  return process.env[STA_BINARY_ENV] ?? 'sta';
}

const SCRIPT_FILE = 'lutforge.tcl';
const LOG_FILE = 'lutforge-sta.log';

/**
 * Runs `body` (Tcl) with `files` beside it and returns everything OpenSTA printed. Throws
 * StaInputError with the first error OpenSTA reported, StaMissingError without a binary.
 */
export async function runSta(body: string, files: Readonly<Record<string, string>> = {}): Promise<string> {
  if (SCRIPT_FILE in files || LOG_FILE in files) throw new Error(`'${SCRIPT_FILE}' and '${LOG_FILE}' are reserved`);
  // The message is printed without OpenSTA's own `Error: ` (a thrown error often carries one).
  const script = `if {[catch {\n${body}\n} lutforge_message]} {\n  puts "Error: [regsub {^Error: } $lutforge_message {}]"\n}\n`;
  await slots.acquire();
  const dir = await mkdtemp(join(tmpdir(), 'lutforge-sta-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, SCRIPT_FILE), script);
    const { exitCode, log } = await spawnSta(dir);
    const error = firstError(log);
    if (error !== undefined) throw new StaInputError(`OpenSTA: ${error}`);
    if (exitCode !== 0) throw new Error(`OpenSTA exited with code ${exitCode}:\n${log.split('\n').slice(-30).join('\n')}`);
    return log;
  } finally {
    await rm(dir, { recursive: true, force: true });
    slots.release();
  }
}

/** The first error OpenSTA printed, without its prefix and the script-file position. */
export function firstError(log: string): string | undefined {
  const line = log.split('\n').find((text) => text.startsWith('Error: '));
  return line?.slice('Error: '.length).replace(/^lutforge\.tcl, \d+ /, '').trim();
}

// Both streams share one file descriptor so that an error stays beside the output it follows.
async function spawnSta(dir: string): Promise<{ exitCode: number; log: string }> {
  const binary = staBinary();
  const logPath = join(dir, LOG_FILE);
  const logFile = await open(logPath, 'w');
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(binary, ['-no_init', '-exit', SCRIPT_FILE], { cwd: dir, stdio: ['ignore', logFile.fd, logFile.fd] });
      child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new StaMissingError(binary) : error));
      child.on('close', (code) => resolve(code ?? -1));
    });
    return { exitCode, log: await readFile(logPath, 'utf8') };
  } finally {
    await logFile.close();
  }
}


// ---- Tcl --------------------------------------------------------------------------------------

/** `text` as one Tcl word, whatever it contains. */
export function tclWord(text: string): string {
  if (/^[\w./:@+-]+$/.test(text)) return text;
  if (!/[{}\\]/.test(text)) return `{${text}}`;
  return text.replace(/[\s"$;[\]{}\\]/g, (character) => `\\${character}`);
}

export const NETLIST_FILE = 'netlist.v';

export interface StaDesign {
  /** Paths of the Liberty files, the cell library's first. */
  readonly liberty: readonly string[];
  readonly top: string;
  /** The clock port; undefined for a design without one, timed against a virtual clock. */
  readonly clockPort: string | undefined;
  readonly periodNs: number;
}

/**
 * Tcl that reads the Liberty files and `netlist.v`, links `top` and creates the clock
 * `lutforge_clock` (ideal) on `clockPort`, or a virtual one without it. Instances of cells no Liberty file defines become black
 * boxes (OpenSTA's default); `lutforge_black_boxes` lists them.
 */
export function readDesignTcl(design: StaDesign): string {
  return [
    ...design.liberty.map(
      (path) => `if {[read_liberty ${tclWord(path)}] == 0} { error ${tclWord(`cannot read the Liberty file ${path}`)} }`,
    ),
    `read_verilog ${NETLIST_FILE}`,
    `if {![link_design ${tclWord(design.top)}]} { error ${tclWord(`cannot link the netlist's module '${design.top}'`)} }`,
    ...(design.clockPort === undefined
      ? [`create_clock -name lutforge_clock -period ${design.periodNs}`]
      : [
          `if {[get_ports -quiet ${tclWord(design.clockPort)}] == ""} { error ${tclWord(`the netlist has no clock port '${design.clockPort}'`)} }`,
          `create_clock -name lutforge_clock -period ${design.periodNs} [get_ports ${tclWord(design.clockPort)}]`,
        ]),
    'proc lutforge_black_boxes {} {',
    '  set boxes {}',
    '  foreach inst [get_cells -hierarchical *] {',
    '    if {[$inst is_leaf] && [$inst liberty_cell] == "NULL"} { lappend boxes $inst }',
    '  }',
    '  return $boxes',
    '}',
    '',
  ].join('\n');
}

// ---- netlists with behavioural memories ---------------------------------------------------------

export interface StaNetlist {
  /** The netlist, structural. */
  readonly text: string;
  /** Memories (and other processes) removed: each leaves the nets it drove undriven. */
  readonly behaviouralBlocks: number;
}

const ARRAY_DECLARATION = /^\s*reg\s+(?:signed\s+)?(?:\[[^\]]*\]\s*)?(\\\S+|[A-Za-z_][\w$]*)\s*\[[^\]]*\]\s*;\s*$/;
const REG_DECLARATION = /^(\s*)reg\b([^=;]*)(?:=[^;]*)?;\s*$/;
const PROCESS_START = /^\s*(always|initial)\b/;

/**
 * OpenSTA reads structural Verilog only, but Yosys writes a memory it did not map as an array with
 * `always` blocks and `assign`s that index it. Those go (each memory counted as a black box: its
 * paths are not timed, its power is someone else's), and the registers the blocks assigned become
 * plain wires, undriven. A netlist without processes is returned unchanged.
 */
export function staNetlist(netlist: string): StaNetlist {
  const lines = netlist.split('\n');
  if (!lines.some((line) => PROCESS_START.test(line) || REG_DECLARATION.test(line))) return { text: netlist, behaviouralBlocks: 0 };
  const arrays = new Set(lines.flatMap((line) => ARRAY_DECLARATION.exec(line)?.[1] ?? []));
  const indexesArray = (text: string): boolean => [...arrays].some((name) => text.includes(`${name}[`) || text.includes(`${name} [`));
  const kept: string[] = [];
  let otherProcesses = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (ARRAY_DECLARATION.test(line)) continue;
    if (PROCESS_START.test(line)) {
      const end = processEnd(lines, i);
      if (!indexesArray(lines.slice(i, end + 1).join('\n'))) otherProcesses += 1;
      i = end;
      continue;
    }
    if (/^\s*assign\b/.test(line) && indexesArray(line.slice(line.indexOf('=')))) continue;
    const reg = REG_DECLARATION.exec(line);
    kept.push(reg === null ? line : `${reg[1]}wire${reg[2]!.trimEnd()};`);
  }
  return { text: kept.join('\n'), behaviouralBlocks: arrays.size + otherProcesses };
}

/** The index of the last line of the `always`/`initial` statement starting at line `start`. */
function processEnd(lines: readonly string[], start: number): number {
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    const code = lines[i]!.replace(/\/\/.*$/, '');
    depth += (code.match(/\b(begin|case|casez|casex)\b/g) ?? []).length;
    depth -= (code.match(/\b(end|endcase)\b/g) ?? []).length;
    if (depth <= 0 && /;\s*$|\bend\s*$|\bendcase\s*$/.test(code)) return i;
  }
  return lines.length - 1;
}
