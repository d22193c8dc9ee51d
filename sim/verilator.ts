// Verilator driver: -Wall lint, and a cached compiled model driven by a tiny stdin command
// language (see HARNESS_PROTOCOL in verilatorHarness.ts) so tests can poke, step and peek
// real simulations.

import { access, constants, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import type { LintResult } from './types.js';
import { clockPorts, generateHarness } from './verilatorHarness.js';
import { contentHash, runTool, tail, withDesignWorkspace, writeDesignFiles } from './workspace.js';

export type { LintResult } from './types.js';
export { generateHarness, HARNESS_PROTOCOL } from './verilatorHarness.js';

const LINT_TIMEOUT_MS = 60_000;
const DEFAULT_BUILD_TIMEOUT_MS = 600_000;
const DEFAULT_RUN_TIMEOUT_MS = 60_000;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
// Verilator's optimisation level is cheap; g++ at -O3 is what costs seconds per build.
const BUILD_FLAGS = ['--cc', '--exe', '--build', '-O3', '-j', '2', '-CFLAGS', '-O1'] as const;

/** `verilator --lint-only -Wall`, no waivers: ok only when Verilator has nothing to say. */
export async function verilatorLint(design: EmittedDesign): Promise<LintResult> {
  return withDesignWorkspace(design, async (dir, fileNames) => {
    const args = ['--lint-only', '-Wall', '--top-module', design.top, ...fileNames];
    const run = await runTool('verilator', args, { cwd: dir, timeoutMs: LINT_TIMEOUT_MS });
    const messages = `${run.stderr}${run.stdout}`.trim();
    return { ok: run.exitCode === 0 && !/%(Warning|Error)/.test(messages), messages };
  });
}

let versionPromise: Promise<string> | undefined;

/** `verilator --version`, asked once per process: it is part of every cache key. */
export function verilatorVersion(): Promise<string> {
  versionPromise ??= runTool('verilator', ['--version'], {
    cwd: REPO_ROOT,
    timeoutMs: LINT_TIMEOUT_MS,
  }).then((run) => {
    if (run.exitCode !== 0) throw new Error(`verilator --version failed:\n${run.stderr}`);
    return run.stdout.trim();
  });
  return versionPromise;
}

// ---------------------------------------------------------------------------------------------
// Building (cached)

export interface BuildOptions {
  /** Where builds are cached; defaults to `<repo>/.cache/verilator`. */
  readonly cacheDir?: string;
  /** Extra Verilator flags (e.g. `-Wno-fatal`); they are part of the cache key. */
  readonly extraFlags?: readonly string[];
  readonly timeoutMs?: number;
}

export interface VerilatorModel {
  readonly design: EmittedDesign;
  /** Path of the compiled harness executable. */
  readonly executable: string;
  /** Cache key: covers the Verilog, the harness source, `verilator --version` and the flags. */
  readonly hash: string;
  /** True when an earlier build was reused and nothing was compiled. */
  readonly cacheHit: boolean;
}

const HARNESS_FILE = 'lutforge_harness.cpp';
const OBJ_DIR = 'obj';

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Verilates and compiles the design with the generated harness, or reuses a cached build.
 * The build happens in a private temporary directory renamed into place when complete, so
 * concurrent builders of the same design (vitest workers) never see a half-written cache entry.
 */
export async function buildModel(
  design: EmittedDesign,
  options: BuildOptions = {},
): Promise<VerilatorModel> {
  const harness = generateHarness(design);
  const flags = [...BUILD_FLAGS, ...(options.extraFlags ?? [])];
  const hash = contentHash(design, harness, await verilatorVersion(), JSON.stringify(flags));
  const cacheDir = options.cacheDir ?? path.join(REPO_ROOT, '.cache', 'verilator');
  const entryDir = path.join(cacheDir, hash);
  const executableIn = (dir: string): string => path.join(dir, OBJ_DIR, `V${design.top}`);
  const executable = executableIn(entryDir);
  if (await isExecutable(executable)) return { design, executable, hash, cacheHit: true };

  await mkdir(cacheDir, { recursive: true });
  const buildDir = path.join(
    cacheDir,
    `.tmp-${hash.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    await mkdir(buildDir);
    const fileNames = await writeDesignFiles(design, buildDir);
    await writeFile(path.join(buildDir, HARNESS_FILE), harness);
    const args = [...flags, '--top-module', design.top, '-Mdir', OBJ_DIR, ...fileNames];
    const run = await runTool('verilator', [...args, HARNESS_FILE], {
      cwd: buildDir,
      timeoutMs: options.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS,
    });
    if (run.exitCode !== 0 || !(await isExecutable(executableIn(buildDir)))) {
      const output = run.stderr.trim() === '' ? run.stdout : run.stderr;
      throw new Error(
        `Verilator build of '${design.top}' failed (exit ${run.exitCode}):\n${tail(output.trim())}`,
      );
    }
    await pruneObjects(path.join(buildDir, OBJ_DIR));
    try {
      await rename(buildDir, entryDir);
    } catch (error) {
      // Another worker finished the same build first; its result is as good as ours.
      if (!(await isExecutable(executable))) throw error;
    }
    return { design, executable, hash, cacheHit: false };
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
}

/** Object files and archives are only needed to link once; dropping them keeps the cache small. */
async function pruneObjects(objDir: string): Promise<void> {
  const entries = await readdir(objDir);
  await Promise.all(
    entries
      .filter((name) => /\.(o|a|d)$/.test(name))
      .map((name) => rm(path.join(objDir, name), { force: true })),
  );
}

// ---------------------------------------------------------------------------------------------
// Running

/** One simulation step; a script is a list of them, run in order. */
export type SimOp =
  | { readonly poke: Readonly<Record<string, bigint | number>> }
  | { readonly step: number }
  | { readonly peek: readonly string[] }
  | { readonly eval: true };

/**
 * Peeked values per port, in the order they were peeked (a port peeked after each of three
 * steps has three entries). Signed ports read as negative when their top bit is set.
 */
export type SimResult = Record<string, bigint[]>;

export interface SimulateOptions extends BuildOptions {
  /** Limit for one run of the model; it is killed when exceeded. Defaults to 60 s. */
  readonly runTimeoutMs?: number;
}

function findPort(design: EmittedDesign, name: string): PortInfo {
  const port = design.ports.find((candidate) => candidate.name === name);
  if (port === undefined) {
    const known = design.ports.map((candidate) => candidate.name).join(', ');
    throw new Error(`'${design.top}' has no port '${name}' (ports: ${known})`);
  }
  return port;
}

/** The port's raw bits for `value`, after checking it fits (signed ports take negatives). */
function portBits(port: PortInfo, value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new Error(`Value ${value} for port '${port.name}' is not a safe integer; use a bigint`);
  }
  const bits = BigInt(value);
  const width = BigInt(port.width);
  const [min, max] = port.signed
    ? [-(1n << (width - 1n)), (1n << (width - 1n)) - 1n]
    : [0n, (1n << width) - 1n];
  if (bits < min || bits > max) {
    const kind = port.signed ? 'signed' : 'unsigned';
    throw new Error(
      `Value ${bits} does not fit ${kind} ${port.width}-bit port '${port.name}' (range ${min}..${max})`,
    );
  }
  return BigInt.asUintN(port.width, bits);
}

/** Checks the whole script against the port list and renders it in the harness protocol. */
function renderScript(
  design: EmittedDesign,
  ops: readonly SimOp[],
): { script: string; peeks: string[] } {
  const lines: string[] = [];
  const peeks: string[] = [];
  for (const op of ops) {
    if ('poke' in op) {
      for (const [name, value] of Object.entries(op.poke)) {
        const port = findPort(design, name);
        if (port.direction !== 'input') throw new Error(`Cannot poke output port '${name}'`);
        lines.push(`poke ${name} ${portBits(port, value).toString(16)}`);
      }
    } else if ('step' in op) {
      if (!Number.isSafeInteger(op.step) || op.step < 0) {
        throw new Error(`step needs a non-negative integer cycle count, got ${op.step}`);
      }
      const clocks = clockPorts(design).length;
      if (clocks !== 1) {
        throw new Error(`step needs exactly one clock port; '${design.top}' has ${clocks}`);
      }
      lines.push(`step ${op.step}`);
    } else if ('peek' in op) {
      for (const name of op.peek) {
        findPort(design, name);
        lines.push(`peek ${name}`);
        peeks.push(name);
      }
    } else {
      lines.push('eval');
    }
  }
  lines.push('quit');
  return { script: `${lines.join('\n')}\n`, peeks };
}

function readPeek(port: PortInfo, hex: string): bigint {
  const bits = BigInt(`0x${hex}`);
  return port.signed ? BigInt.asIntN(port.width, bits) : bits;
}

/** Runs a built model on a script; see `simulate`. */
export async function runModel(
  model: VerilatorModel,
  ops: readonly SimOp[],
  options: { readonly timeoutMs?: number } = {},
): Promise<SimResult> {
  const { design } = model;
  const { script, peeks } = renderScript(design, ops);
  const run = await runTool(model.executable, [], {
    cwd: path.dirname(model.executable),
    input: script,
    timeoutMs: options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Simulation of '${design.top}' crashed: ${reason}`);
  });
  if (run.exitCode !== 0) {
    throw new Error(
      `Simulation of '${design.top}' failed (exit ${run.exitCode}):\n${tail(run.stderr.trim())}`,
    );
  }
  const result: SimResult = {};
  const answers = run.stdout.split('\n').filter((line) => line.startsWith('peek '));
  if (answers.length !== peeks.length) {
    throw new Error(
      `Simulation of '${design.top}' answered ${answers.length} of ${peeks.length} peeks ` +
        `(did the design call $finish?)\n${tail(`${run.stderr}${run.stdout}`.trim())}`,
    );
  }
  answers.forEach((line, index) => {
    const [, name, hex] = line.split(' ');
    if (name === undefined || name !== peeks[index] || !/^[0-9a-f]+$/.test(hex ?? '')) {
      throw new Error(`Unexpected harness output '${line}' for peek of '${peeks[index]}'`);
    }
    (result[name] ??= []).push(readPeek(findPort(design, name), hex ?? ''));
  });
  return result;
}

/**
 * Builds the design (cached), then runs the whole script in one model process. Ports and
 * values are checked before anything runs, so a bad script fails fast with a clear message.
 */
export async function simulate(
  design: EmittedDesign,
  ops: readonly SimOp[],
  options: SimulateOptions = {},
): Promise<SimResult> {
  renderScript(design, ops);
  const model = await buildModel(design, options);
  const runOptions = options.runTimeoutMs === undefined ? {} : { timeoutMs: options.runTimeoutMs };
  return runModel(model, ops, runOptions);
}
