// Runs Yosys scripts on one of two Yosys builds, several at a time:
//   embedded  @yowasp/yosys (WebAssembly, the default: nothing to install, same result everywhere),
//             in a pool of worker threads so several designs synthesize in parallel;
//   system    a `yosys` on PATH (or $YOSYS), as child processes; native code, usually faster.
// The choice is made per call, else by $LUTFORGE_YOSYS (`embedded` | `system`), as Amaranth does
// with AMARANTH_USE_YOSYS. Both run at most os.availableParallelism() jobs at once.

import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { version as embeddedPackageVersion } from '@yowasp/yosys';
import { jobSlots } from '../toolchain/job-slots.js';

/** One job per core, shared by both flavours. */
const slots = jobSlots();

export type YosysFlavour = 'embedded' | 'system';
export const YOSYS_FLAVOURS: readonly YosysFlavour[] = ['embedded', 'system'];

/** Environment variable choosing the flavour when the caller does not. */
export const YOSYS_FLAVOUR_ENV = 'LUTFORGE_YOSYS';
/** Environment variable naming the system Yosys binary (default: `yosys` on PATH). */
export const SYSTEM_YOSYS_ENV = 'YOSYS';

/**
 * The user's design or request is at fault (Yosys rejected the Verilog, a design rule check
 * failed, an unknown target or flavour): the CLI reports it as bad input.
 */
export class SynthInputError extends Error {
  override readonly name = 'SynthInputError';
}

export interface ScriptRun {
  /** Yosys' exit code; 0 on success. */
  readonly exitCode: number;
  /** Everything Yosys printed. */
  readonly log: string;
  /** Text of each requested output file the script wrote. */
  readonly outputs: Readonly<Record<string, string>>;
}

const SCRIPT_FILE = 'lutforge_script.ys';

export function resolveFlavour(requested?: string): YosysFlavour {
  const chosen = requested ?? process.env[YOSYS_FLAVOUR_ENV] ?? 'embedded';
  if ((YOSYS_FLAVOURS as readonly string[]).includes(chosen)) return chosen as YosysFlavour;
  const source = requested === undefined ? ` (from $${YOSYS_FLAVOUR_ENV})` : '';
  throw new SynthInputError(`unknown Yosys flavour '${chosen}'${source} (known: ${YOSYS_FLAVOURS.join(', ')})`);
}

export function systemYosysPath(): string {
  return process.env[SYSTEM_YOSYS_ENV] ?? 'yosys';
}

const versions = new Map<string, Promise<string>>();

/** A version string that changes whenever the Yosys build does: part of the cache key. */
export function yosysVersion(flavour: YosysFlavour): Promise<string> {
  const key = flavour === 'embedded' ? 'embedded' : `system:${systemYosysPath()}`;
  let found = versions.get(key);
  if (found === undefined) {
    found =
      flavour === 'embedded'
        ? Promise.resolve(`@yowasp/yosys ${embeddedPackageVersion}`)
        : spawnYosys(['-V'], undefined).then((run) => run.log.trim());
    // A failed probe (no yosys installed) must not stay cached: the user may install it.
    found.catch(() => versions.delete(key));
    versions.set(key, found);
  }
  return found;
}

const boothProbes = new Map<string, Promise<boolean>>();

/**
 * Whether this Yosys has `synth -booth` (Booth-encoded multipliers, Yosys 0.33 and later). The
 * embedded build has it; a system Yosys is asked (Debian's 0.23 has not).
 */
export function yosysHasBooth(flavour: YosysFlavour): Promise<boolean> {
  if (flavour === 'embedded') return Promise.resolve(true);
  const key = systemYosysPath();
  let found = boothProbes.get(key);
  if (found === undefined) {
    found = spawnYosys(['-p', 'help synth'], undefined).then((run) => /^\s+-booth\b/m.test(run.log));
    found.catch(() => boothProbes.delete(key));
    boothProbes.set(key, found);
  }
  return found;
}

/**
 * The peak memory a Yosys run reports on its last line (`End of script. ... MEM: 512.30 MB peak`),
 * in MB; undefined when the log has none (the embedded build does not measure it).
 */
export function yosysPeakMemoryMb(log: string): number | undefined {
  const match = /MEM: ([\d.]+) MB peak/.exec(log);
  return match === null ? undefined : Number(match[1]);
}

/** Runs `script` over in-memory `files` and collects the requested output files. */
export async function runScript(
  flavour: YosysFlavour,
  files: Readonly<Record<string, string>>,
  script: string,
  outputs: readonly string[],
): Promise<ScriptRun> {
  if (SCRIPT_FILE in files) throw new Error(`'${SCRIPT_FILE}' is reserved for the Yosys script`);
  // `echo on` prints each command as `yosys> cmd`, which attributes a failure to its command.
  const text = `echo on\n${script}\n`;
  await slots.acquire();
  try {
    return flavour === 'embedded' ? await runEmbedded(files, text, outputs) : await runSystem(files, text, outputs);
  } finally {
    slots.release();
  }
}


// ---- embedded: persistent worker threads ------------------------------------------------------

interface WorkerReply {
  readonly id: number;
  readonly exitCode: number;
  readonly log: string;
  readonly outputs: Record<string, string>;
}

// Workers are kept between jobs (instantiating the WebAssembly module costs about a second) and
// unref'd while idle so that they never keep the process alive.
const idleWorkers: Worker[] = [];
let nextJobId = 0;

function takeWorker(): Worker {
  const worker = idleWorkers.pop() ?? new Worker(new URL('./yosys-worker.mjs', import.meta.url));
  worker.ref();
  return worker;
}

function runEmbedded(files: Readonly<Record<string, string>>, script: string, outputs: readonly string[]): Promise<ScriptRun> {
  const worker = takeWorker();
  const id = nextJobId++;
  return new Promise<ScriptRun>((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== id) return;
      cleanUp();
      worker.unref();
      idleWorkers.push(worker);
      resolve({ exitCode: reply.exitCode, log: reply.log, outputs: reply.outputs });
    };
    // A crashed worker is dropped, not reused.
    const onError = (error: Error): void => {
      cleanUp();
      void worker.terminate();
      reject(error);
    };
    const cleanUp = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage({ id, files, script, outputs });
  });
}

// ---- system: child processes in a temporary directory -----------------------------------------

async function runSystem(files: Readonly<Record<string, string>>, script: string, outputs: readonly string[]): Promise<ScriptRun> {
  const dir = await mkdtemp(join(tmpdir(), 'lutforge-yosys-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, SCRIPT_FILE), script);
    const run = await spawnYosys(['-s', SCRIPT_FILE], dir, join(dir, 'lutforge_yosys.log'));
    const found: Record<string, string> = {};
    for (const name of outputs) {
      const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
      if (text !== undefined) found[name] = text;
    }
    return { ...run, outputs: found };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the system Yosys. With `logPath`, stdout and stderr share one file descriptor, so the log
 * keeps Yosys' own order (two pipes would let an ERROR overtake the echo of its command).
 */
async function spawnYosys(args: readonly string[], cwd: string | undefined, logPath?: string): Promise<{ exitCode: number; log: string }> {
  const binary = systemYosysPath();
  const logFile = logPath === undefined ? undefined : await open(logPath, 'w');
  try {
    const output = logFile === undefined ? 'pipe' : logFile.fd;
    const exit = await new Promise<{ exitCode: number; piped: string }>((resolve, reject) => {
      const child = spawn(binary, args, { cwd, stdio: ['ignore', output, output] });
      const chunks: Buffer[] = [];
      child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new SynthInputError(`system Yosys '${binary}' not found (install yosys, or set $${SYSTEM_YOSYS_ENV}, or use the embedded one)`)
            : error,
        );
      });
      child.on('close', (code) => resolve({ exitCode: code ?? -1, piped: Buffer.concat(chunks).toString('utf8') }));
    });
    const log = logPath === undefined ? exit.piped : await readFile(logPath, 'utf8');
    return { exitCode: exit.exitCode, log };
  } finally {
    await logFile?.close();
  }
}
