// Icarus Verilog driver: a strict Verilog-2005 compile as a second opinion next to Verilator
// (Icarus rejects SystemVerilog-isms that Verilator quietly accepts), and the generated bench of
// icarus-bench.ts compiled once per design (cached like Verilator builds) and run by vvp.
// icarus-backend.ts puts these behind SimulatorBackend.

import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmittedDesign } from '../dsl/design.js';
import { cacheDir as defaultCacheDir } from '../toolchain/cache-dir.js';
import type { LintResult } from '../toolchain/lint-result.js';
import type { SimulatorBuild } from './backend.js';
import { BENCH_MODULE, generateIcarusBench } from './icarus-bench.js';
import { contentHash, publishCacheEntry, runTool, tail, withDesignWorkspace, writeDesignFiles } from './workspace.js';

const LINT_TIMEOUT_MS = 60_000;
const BENCH_COMPILE_TIMEOUT_MS = 120_000;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_FILE = '_tb_lutforge.v';

/**
 * `iverilog -g2005 -Wall -s <top>`. Ok only for a clean compile: a zero exit and no output at
 * all, because Icarus prints warnings yet still exits 0.
 */
export async function icarusCompile(design: EmittedDesign): Promise<LintResult> {
  return withDesignWorkspace(design, async (dir, fileNames) => {
    const args = ['-g2005', '-Wall', '-o', 'design.vvp', '-s', design.top, ...fileNames];
    const run = await runTool('iverilog', args, { cwd: dir, timeoutMs: LINT_TIMEOUT_MS });
    const messages = `${run.stderr}${run.stdout}`.trim();
    return { ok: run.exitCode === 0 && messages === '', messages };
  });
}

let versionPromise: Promise<string> | undefined;

/** `iverilog -V`, asked once per process: it is part of every cache key. */
function icarusVersion(): Promise<string> {
  versionPromise ??= runTool('iverilog', ['-V'], { cwd: REPO_ROOT, timeoutMs: 30_000 }).then((run) => run.stdout.split('\n')[0] ?? '');
  return versionPromise;
}

/** Compiles design + bench to `bench.vvp` under `.cache/icarus/<hash>/`, or reuses it. */
export async function buildIcarusBench(design: EmittedDesign, cacheDir = defaultCacheDir('icarus')): Promise<SimulatorBuild> {
  const bench = generateIcarusBench(design);
  const hash = contentHash(design, bench, await icarusVersion());
  const vvp = path.join(cacheDir, hash, 'bench.vvp');
  if (await exists(vvp)) return { path: vvp, cacheHit: true };
  await publishCacheEntry(cacheDir, hash, async (buildDir) => {
    const files = await writeDesignFiles(design, buildDir);
    await writeFile(path.join(buildDir, BENCH_FILE), bench);
    const args = ['-g2005', '-o', 'bench.vvp', '-s', BENCH_MODULE, BENCH_FILE, ...files];
    const run = await runTool('iverilog', args, { cwd: buildDir, timeoutMs: BENCH_COMPILE_TIMEOUT_MS });
    if (run.exitCode !== 0) {
      throw new Error(`Icarus compile of '${design.top}' failed (exit ${run.exitCode}):\n${tail(`${run.stderr}${run.stdout}`.trim())}`);
    }
  }, (entryDir) => exists(path.join(entryDir, 'bench.vvp')));
  return { path: vvp, cacheHit: false };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Runs the compiled bench to completion; its stdout, or an error naming the design. */
export async function runVvp(design: EmittedDesign, vvp: string, plusargs: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  const run = await runTool('vvp', ['-n', vvp, ...plusargs], { cwd, timeoutMs }).catch((error: unknown) => {
    throw new Error(`simulation of '${design.top}' (icarus) crashed: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (run.exitCode !== 0) {
    throw new Error(`simulation of '${design.top}' (icarus) failed (exit ${run.exitCode}):\n${tail(`${run.stderr}${run.stdout}`.trim())}`);
  }
  return run.stdout;
}
