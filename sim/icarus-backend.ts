// Running designs on Icarus Verilog (the second simulator): the generated bench of
// icarus-bench.ts compiled once per design (cached like Verilator builds), then run in script or
// stream mode. Interactive scripts run in batch here: vvp reads its commands from a file.

import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { EmittedDesign } from '../dsl/design.js';
import { cacheDir as defaultCacheDir } from '../toolchain/cache-dir.js';
import { BENCH_MODULE, generateIcarusBench, ICARUS_OP } from './icarus-bench.js';
import { parseAnswers, renderScript, type SimOp, type SimResult, type UnknownBits } from './script.js';
import type { CheckedStreams, OutputStreamResult, StreamRunOptions, StreamRunResult } from './run-streams.js';
import { parseStreamSummary } from './run-streams.js';
import { packBeat, unpackBeat } from './stream-protocol.js';
import { contentHash, publishCacheEntry, runTool, tail, withTempDir, writeDesignFiles } from './workspace.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_FILE = '_tb_lutforge.v';
const COMPILE_TIMEOUT_MS = 120_000;
const DEFAULT_RUN_TIMEOUT_MS = 600_000;

let versionPromise: Promise<string> | undefined;

function icarusVersion(): Promise<string> {
  versionPromise ??= runTool('iverilog', ['-V'], { cwd: REPO_ROOT, timeoutMs: 30_000 }).then((run) => run.stdout.split('\n')[0] ?? '');
  return versionPromise;
}

/** Compiles design + bench to `bench.vvp` under `.cache/icarus/<hash>/`, or reuses it. */
export async function buildIcarusBench(design: EmittedDesign, cacheDir = defaultCacheDir('icarus')): Promise<string> {
  const bench = generateIcarusBench(design);
  const hash = contentHash(design, bench, await icarusVersion());
  const vvp = path.join(cacheDir, hash, 'bench.vvp');
  if (await exists(vvp)) return vvp;
  await publishCacheEntry(cacheDir, hash, async (buildDir) => {
    const files = await writeDesignFiles(design, buildDir);
    await writeFile(path.join(buildDir, BENCH_FILE), bench);
    const args = ['-g2005', '-o', 'bench.vvp', '-s', BENCH_MODULE, BENCH_FILE, ...files];
    const run = await runTool('iverilog', args, { cwd: buildDir, timeoutMs: COMPILE_TIMEOUT_MS });
    if (run.exitCode !== 0) {
      throw new Error(`Icarus compile of '${design.top}' failed (exit ${run.exitCode}):\n${tail(`${run.stderr}${run.stdout}`.trim())}`);
    }
  }, (entryDir) => exists(path.join(entryDir, 'bench.vvp')));
  return vvp;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function runVvp(design: EmittedDesign, vvp: string, plusargs: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  const run = await runTool('vvp', ['-n', vvp, ...plusargs], { cwd, timeoutMs }).catch((error: unknown) => {
    throw new Error(`simulation of '${design.top}' (icarus) crashed: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (run.exitCode !== 0) {
    throw new Error(`simulation of '${design.top}' (icarus) failed (exit ${run.exitCode}):\n${tail(`${run.stderr}${run.stdout}`.trim())}`);
  }
  return run.stdout;
}

/** The harness-protocol script as the bench's numeric commands. */
export function numericScript(design: EmittedDesign, script: string): string {
  const index = new Map(design.ports.map((port, i) => [port.name, i]));
  return script
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [command = '', a = '', b = ''] = line.split(' ');
      switch (command) {
        case 'poke':
          return `${ICARUS_OP.poke} ${index.get(a)} ${b}`;
        case 'peek':
          return `${ICARUS_OP.peek} ${index.get(a)} 0`;
        case 'step':
          return `${ICARUS_OP.step} 0 ${BigInt(a).toString(16)}`;
        case 'eval':
          return `${ICARUS_OP.eval} 0 0`;
        default:
          return `${ICARUS_OP.quit} 0 0`;
      }
    })
    .join('\n')
    .concat('\n');
}

export interface IcarusScriptOptions {
  readonly timeoutMs?: number;
  readonly wave?: string;
  /** Collects the x/z bits of each peek here instead of failing on them. */
  readonly unknown?: UnknownBits;
}

/** Runs a poke/step/peek script on Icarus, in batch; results as `simulate` returns them. */
export async function runIcarusScript(design: EmittedDesign, ops: readonly SimOp[], options: IcarusScriptOptions = {}): Promise<SimResult> {
  const { script, peeks } = renderScript(design, ops);
  const vvp = await buildIcarusBench(design);
  return withTempDir('icarus', async (dir) => {
    const cmds = path.join(dir, 'cmds.txt');
    await writeFile(cmds, numericScript(design, script));
    const wave = options.wave === undefined ? [] : [`+wave=${path.resolve(options.wave)}`];
    const stdout = await runVvp(design, vvp, [`+cmds=${cmds}`, ...wave], dir, options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
    return parseAnswers(design, stdout, peeks, '', options.unknown);
  });
}

/** Stream mode on Icarus; `runStreams` in run-streams.ts checks the options and calls this. */
export async function runIcarusStreams(design: EmittedDesign, checked: CheckedStreams, options: StreamRunOptions): Promise<StreamRunResult> {
  options.onPhase?.(`compiling ${design.top} with Icarus`);
  const vvp = await buildIcarusBench(design);
  options.onPhase?.('simulating');
  return withTempDir('icarus-stream', async (dir) => {
    const plusargs = ['+stream', `+max_cycles=${checked.maxCycles}`];
    for (const [i, { stream, beats }] of checked.inputs.entries()) {
      const file = path.join(dir, `in${i}.hex`);
      await writeFile(file, beats.map((beat) => `${packBeat(stream, beat).toString(16)}\n`).join(''));
      plusargs.push(`+in_${stream.name}=${file}`);
    }
    checked.outputs.forEach(({ stream, expect }, i) => plusargs.push(`+out_${stream.name}=${path.join(dir, `out${i}.txt`)}`, `+expect_${stream.name}=${expect}`));
    if (options.wave !== undefined) {
      plusargs.push(`+wave=${path.resolve(options.wave.path)}`);
      if (options.wave.fromCycle !== undefined) plusargs.push(`+wave_from=${Math.max(0, options.wave.fromCycle)}`);
      if (options.wave.toCycle !== undefined) plusargs.push(`+wave_to=${Math.max(0, options.wave.toCycle)}`);
    }
    const started = performance.now();
    const stdout = await runVvp(design, vvp, plusargs, dir, options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
    const runSeconds = (performance.now() - started) / 1000;
    const summary = parseStreamSummary(stdout);
    if (summary === undefined) {
      throw new Error(`simulation of '${design.top}' (icarus) ended without a summary (did the design call $finish?):\n${tail(stdout.trim())}`);
    }
    const outputs: Record<string, OutputStreamResult> = {};
    for (const [i, { stream }] of checked.outputs.entries()) {
      const lines = (await readFile(path.join(dir, `out${i}.txt`), 'utf8')).split('\n').filter((line) => line !== '');
      const beats: bigint[][] = [];
      const cycles: number[] = [];
      for (const line of lines) {
        const [hex = '', cycle = ''] = line.split(' ');
        if (!/^[0-9a-f]+$/.test(hex)) throw new Error(`simulation of '${design.top}' (icarus): output stream '${stream.name}' carried undefined bits (${hex}) at cycle ${cycle}`);
        beats.push(unpackBeat(stream, BigInt(`0x${hex}`)));
        cycles.push(Number(cycle));
      }
      outputs[stream.name] = { beats, cycles };
    }
    return {
      simulator: 'icarus',
      status: summary.status,
      cycles: summary.cycles,
      consumed: Object.fromEntries(checked.inputs.map(({ stream }) => [stream.name, summary.counts.get(`in ${stream.name}`) ?? 0])),
      outputs,
      expect: options.expect,
      runSeconds,
      ...(options.wave === undefined ? {} : { wave: options.wave.path }),
    };
  });
}
