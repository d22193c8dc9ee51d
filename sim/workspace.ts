// Helpers shared by the tool drivers: putting a design's files on disk, hashing a design for
// caches, and running an external tool without letting it outlive us.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { EmittedDesign } from '../dsl/design.js';
import { ToolMissingError } from './errors.js';

/**
 * The design's file names, checked: each must be a plain file name (tools run with the
 * workspace as cwd and the names on their command line, so a path could escape it) and unique.
 */
export function designFileNames(design: EmittedDesign): string[] {
  const seen = new Set<string>();
  for (const { fileName } of design.modules) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(fileName)) {
      throw new Error(`Module file name '${fileName}' must be a plain file name (no directories)`);
    }
    if (seen.has(fileName)) {
      throw new Error(`Module file name '${fileName}' appears twice in design '${design.top}'`);
    }
    seen.add(fileName);
  }
  if (seen.size === 0) throw new Error(`Design '${design.top}' has no modules`);
  return [...seen];
}

/** Writes every module of the design into `dir` (which must exist); returns the file names. */
export async function writeDesignFiles(design: EmittedDesign, dir: string): Promise<string[]> {
  const fileNames = designFileNames(design);
  await Promise.all(
    design.modules.map((module) => writeFile(path.join(dir, module.fileName), module.text)),
  );
  return fileNames;
}

/** Runs `work` in a fresh temporary directory that is removed afterwards, whatever happens. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), `lutforge-${prefix}-`));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Builds a cache entry in a private temporary sibling and renames it into `<cacheDir>/<key>`, so
 * concurrent builders (vitest workers) never see a half-written entry. When another builder
 * published the same key first, its entry is as good as ours: `isComplete` confirms it.
 */
export async function publishCacheEntry(
  cacheDir: string,
  key: string,
  build: (dir: string) => Promise<void>,
  isComplete: (entryDir: string) => Promise<boolean>,
): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const buildDir = path.join(cacheDir, `.tmp-${key.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const entryDir = path.join(cacheDir, key);
  try {
    await mkdir(buildDir);
    await build(buildDir);
    try {
      await rename(buildDir, entryDir);
    } catch (error) {
      if (!(await isComplete(entryDir))) throw error;
    }
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
}

/** Runs `work` in a temporary directory holding the design's files. */
export async function withDesignWorkspace<T>(
  design: EmittedDesign,
  work: (dir: string, fileNames: string[]) => Promise<T>,
): Promise<T> {
  return withTempDir(design.top, async (dir) => work(dir, await writeDesignFiles(design, dir)));
}

/**
 * SHA-256 (hex) over the design (top name, file names and texts) and any extra strings.
 * The parts are JSON-encoded as one array so no two different inputs can concatenate alike.
 */
export function contentHash(design: EmittedDesign, ...extra: readonly string[]): string {
  const parts = [
    design.top,
    ...design.modules.flatMap((module) => [module.name, module.fileName, module.text]),
    ...extra,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export interface ToolRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ToolRunOptions {
  readonly cwd: string;
  /** Text fed to the tool's stdin; stdin is closed (not inherited) when absent. */
  readonly input?: string;
  readonly timeoutMs: number;
  /** Variables added to the inherited environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a tool to completion and returns its exit code and output. A non-zero exit is a normal
 * result (lint failures are reported that way); only failing to start, a timeout or death by a
 * signal throws, since those say nothing about the design.
 */
export async function runTool(
  command: string,
  args: readonly string[],
  options: ToolRunOptions,
): Promise<ToolRun> {
  const result = await execa(command, args, {
    cwd: options.cwd,
    reject: false,
    timeout: options.timeoutMs,
    // SIGTERM first, then SIGKILL: a wedged simulator must not survive the test run.
    forceKillAfterDelay: 2_000,
    stripFinalNewline: false,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  if ('code' in result && result.code === 'ENOENT' && !path.isAbsolute(command)) throw new ToolMissingError(command);
  const output = `${result.stderr}${result.stdout}`.trim();
  const detail = output === '' ? '' : `\n${tail(output)}`;
  if (result.timedOut) {
    throw new Error(`${command} timed out after ${options.timeoutMs} ms and was killed${detail}`);
  }
  if (result.exitCode === undefined) {
    const why = result.signal === undefined ? result.shortMessage : `killed by ${result.signal}`;
    throw new Error(`${command} did not complete: ${why}${detail}`);
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** The last `maxChars` of a long text (whole lines), for error messages that stay readable. */
export function tail(text: string, maxChars = 6_000): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(text.length - maxChars);
  const lineStart = cut.indexOf('\n');
  return `[...]\n${lineStart >= 0 ? cut.slice(lineStart + 1) : cut}`;
}
