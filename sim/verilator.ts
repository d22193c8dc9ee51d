// Verilator driver: -Wall lint, and a cached compiled model whose generated harness (see
// verilator-harness.ts) runs a tiny stdin command language (batch `runModel`, or a live session)
// or, with `--stream`, stream mode. verilator-backend.ts puts these behind SimulatorBackend.

import { access, constants, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { EmittedDesign } from '../dsl/design.js';
import { cacheDir as defaultCacheDir } from '../toolchain/cache-dir.js';
import type { LintResult } from '../toolchain/lint-result.js';
import type { BuildOptions } from './backend.js';
import { parseAnswers, renderScript, type SimOp, type SimResult } from './script.js';
import { generateHarness } from './verilator-harness.js';
import { hierarchyBlocks, hierarchyConfig } from './verilator-hierarchy.js';
import { contentHash, publishCacheEntry, runTool, tail, withDesignWorkspace, writeDesignFiles } from './workspace.js';

// runModel's signature speaks them; its callers need not know they live in script.ts.
export type { SimOp, SimResult } from './script.js';

const LINT_TIMEOUT_MS = 60_000;
const DEFAULT_BUILD_TIMEOUT_MS = 600_000;
const DEFAULT_RUN_TIMEOUT_MS = 60_000;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
// Verilator's optimisation level is cheap; g++ at -O3 is what costs seconds per build.
const VERILATE_FLAGS = ['--cc', '--exe', '-O3', '-CFLAGS', '-O1'] as const;
// Verilator splits its C++ into many files; make compiles them on both cores of a small machine.
const COMPILE_JOBS = 2;
/** Set to 1, every build verilates the design flat (no hierarchy blocks), as builds did before. */
export const FLAT_BUILD_ENV = 'LUTFORGE_VERILATOR_FLAT';

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

export interface VerilatorModel {
  readonly design: EmittedDesign;
  /** Path of the compiled harness executable. */
  readonly executable: string;
  /** Cache key: covers the Verilog, the harness source, `verilator --version` and the flags. */
  readonly hash: string;
  /** True when an earlier build was reused and nothing was compiled. */
  readonly cacheHit: boolean;
  /** Where a fresh build spent its time (absent on a cache hit). */
  readonly buildSeconds?: { readonly verilate: number; readonly compile: number };
  /** The modules verilated once as hierarchy blocks (verilator-hierarchy.ts); empty when flat. */
  readonly hierarchyBlocks: readonly string[];
}

const HARNESS_FILE = 'lutforge_harness.cpp';
const HIERARCHY_FILE = 'lutforge_hierarchy.vlt';
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
  // Tracing cannot see inside hierarchy blocks, so a traced build stays flat and its VCD complete.
  const flat = options.trace === true || process.env[FLAT_BUILD_ENV] === '1';
  const blocks = flat ? [] : hierarchyBlocks(design, options.blockLimits);
  const hierarchy = blocks.length === 0 ? [] : ['--hierarchical', HIERARCHY_FILE];
  const flags = [...VERILATE_FLAGS, ...(options.trace === true ? ['--trace'] : []), ...hierarchy, ...(options.extraFlags ?? [])];
  const make = ['-C', OBJ_DIR, '-f', `V${design.top}.mk`, '-j', String(COMPILE_JOBS)];
  const hash = contentHash(design, harness, await verilatorVersion(), JSON.stringify(flags), JSON.stringify(blocks), JSON.stringify(make));
  const cacheDir = options.cacheDir ?? defaultCacheDir('verilator');
  const entryDir = path.join(cacheDir, hash);
  const executableIn = (dir: string): string => path.join(dir, OBJ_DIR, `V${design.top}`);
  const executable = executableIn(entryDir);
  if (await isExecutable(executable)) return { design, executable, hash, cacheHit: true, hierarchyBlocks: blocks };

  let buildSeconds = { verilate: 0, compile: 0 };
  await publishCacheEntry(cacheDir, hash, async (buildDir) => {
    const fileNames = await writeDesignFiles(design, buildDir);
    await writeFile(path.join(buildDir, HARNESS_FILE), harness);
    if (blocks.length > 0) await writeFile(path.join(buildDir, HIERARCHY_FILE), hierarchyConfig(blocks));
    const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS);
    // Verilating and compiling as two steps (what `--build` does in one) tells where the time goes.
    const step = async (command: string, args: readonly string[]): Promise<number> => {
      const started = performance.now();
      const run = await runTool(command, args, {
        cwd: buildDir,
        timeoutMs: Math.max(1, Math.round(deadline - started)),
        env: await compilerCacheEnv(cacheDir),
      });
      if (run.exitCode !== 0) {
        const output = run.stderr.trim() === '' ? run.stdout : run.stderr;
        throw new Error(`Verilator build of '${design.top}' failed (exit ${run.exitCode}):\n${tail(output.trim())}`);
      }
      return (performance.now() - started) / 1000;
    };
    const verilate = await step('verilator', [...flags, '--top-module', design.top, '-Mdir', OBJ_DIR, ...fileNames, HARNESS_FILE]);
    const compile = await step('make', make);
    if (!(await isExecutable(executableIn(buildDir)))) {
      throw new Error(`Verilator build of '${design.top}' failed: make finished without building V${design.top}`);
    }
    buildSeconds = { verilate, compile };
    await pruneObjects(path.join(buildDir, OBJ_DIR));
  }, (entry) => isExecutable(executableIn(entry)));
  return { design, executable, hash, cacheHit: false, buildSeconds, hierarchyBlocks: blocks };
}

let ccachePromise: Promise<boolean> | undefined;

/**
 * With ccache installed, Verilator's makefiles compile through it (OBJCACHE): the Verilator runtime
 * is the same for every model, so each build after the first skips about half its compile time.
 * Its store lives beside the build cache unless the user points CCACHE_DIR elsewhere.
 */
async function compilerCacheEnv(cacheDir: string): Promise<Record<string, string>> {
  ccachePromise ??= runTool('ccache', ['--version'], { cwd: REPO_ROOT, timeoutMs: LINT_TIMEOUT_MS }).then(
    (run) => run.exitCode === 0,
    () => false,
  );
  if (!(await ccachePromise)) return {};
  return { OBJCACHE: 'ccache', CCACHE_DIR: process.env.CCACHE_DIR ?? path.join(cacheDir, '..', 'ccache') };
}

/**
 * Object files and archives are only needed to link once; dropping them keeps the cache small.
 * Hierarchy blocks are built in subfolders of their own (linked statically), pruned alike.
 */
async function pruneObjects(objDir: string): Promise<void> {
  const entries = await readdir(objDir, { recursive: true });
  await Promise.all(
    entries
      .filter((name) => /\.(o|a|d)$/.test(name))
      .map((name) => rm(path.join(objDir, name), { force: true })),
  );
}

// ---------------------------------------------------------------------------------------------
// Running

/** Runs a built model on a whole script, in one process. */
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
  return parseAnswers(design, run.stdout, peeks, run.stderr);
}
