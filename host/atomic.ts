// Output is written so that readers (a simulator, synthesis, a diff in CI) only ever see the old
// result or the complete new one, never a half-written directory: everything is built in a
// temporary sibling, then swapped into place with renames, which are atomic within a filesystem.
// Temporary names start with a dot and carry the pid and a random tag, so concurrent runs and
// leftovers from a crashed run never collide with real output.

import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { UsageError, describeOsError } from './errors.js';

export interface OutputFile {
  /** A file name inside the output directory, or a relative path of such names ('qkv/table.npy'): no '.' or '..'. */
  readonly name: string;
  readonly contents: string | Uint8Array;
}

export interface AtomicWriteOptions {
  /** How to name the path in error messages; defaults to the path as given. */
  readonly displayPath?: string;
}

/**
 * The marker that makes an existing directory safe to replace. Without this check a slip such as
 * `--out .` or `--out ~` would swap away a directory full of unrelated work.
 */
export const OUTPUT_MARKER_FILE = 'files.f';

/** `files` followed by the marker, which lists their names one a line. */
export function withOutputMarker(files: readonly OutputFile[]): OutputFile[] {
  return [...files, { name: OUTPUT_MARKER_FILE, contents: files.map((file) => `${file.name}\n`).join('') }];
}

/**
 * Replaces `targetDir` with a directory holding exactly `files`. An existing target is only
 * replaced when it is empty or holds `files.f` (earlier lutforge output). Failures to write are
 * UsageErrors naming the path and the OS reason, and leave nothing new behind.
 */
export async function writeDirectoryAtomically(
  targetDir: string,
  files: readonly OutputFile[],
  options: AtomicWriteOptions = {},
): Promise<void> {
  const displayPath = options.displayPath ?? targetDir;
  const fail = (reason: string): UsageError => new UsageError(`cannot write output directory '${displayPath}': ${reason}`);
  assertPlainFileNames(files);
  const target = resolve(targetDir);
  const parent = dirname(target);
  if (parent === target) throw fail('it is a filesystem root');

  let firstCreatedDir: string | undefined;
  try {
    firstCreatedDir = await mkdir(parent, { recursive: true });
  } catch (error) {
    const blocker = await findNonDirectoryAncestor(parent);
    throw fail(blocker ? `'${displayAncestor(displayPath, target, blocker)}' is not a directory` : describeOsError(error));
  }

  const temp = join(parent, `.${basename(target)}.tmp-${process.pid}-${randomTag()}`);
  try {
    const targetExists = await checkReplaceable(target, fail);
    await mkdir(temp);
    for (const file of files) {
      if (file.name.includes('/')) await mkdir(dirname(join(temp, file.name)), { recursive: true });
      await writeFile(join(temp, file.name), file.contents, { flag: 'wx' });
    }
    await swapIntoPlace(temp, target, targetExists);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (firstCreatedDir !== undefined) await removeEmptyDirsUpTo(parent, firstCreatedDir);
    throw error instanceof UsageError ? error : fail(describeOsError(error));
  }
}

/** An output a command will write once its work is done, as the user named it on the command line. */
export interface PlannedOutput {
  /** The option that names it, for messages: `--out`, `--report`. */
  readonly flag: string;
  /** The path as the user wrote it (relative to `cwd`). */
  readonly path: string;
  readonly kind: 'file' | 'directory';
}

/**
 * Checks, before a command does its expensive work (a simulation, synthesis, k-means, a sweep),
 * that each of its outputs can be written and that no two name the same path. Creates nothing.
 * Without it a run would simulate for minutes, then fail on a path that is a directory, or write
 * one file over another, or leave the first output behind when a later one fails.
 */
export async function checkOutputs(cwd: string, outputs: readonly PlannedOutput[]): Promise<void> {
  const seen = new Map<string, PlannedOutput>();
  for (const output of outputs) {
    const target = resolve(cwd, output.path);
    const earlier = seen.get(target);
    if (earlier !== undefined) throw new UsageError(`${earlier.flag} and ${output.flag} both name '${output.path}'; give each output its own path`);
    seen.set(target, output);
  }
  for (const output of outputs) {
    const target = resolve(cwd, output.path);
    const fail =
      output.kind === 'directory'
        ? (reason: string): UsageError => new UsageError(`cannot write output directory '${output.path}': ${reason}`)
        : (reason: string): UsageError => new UsageError(`cannot write '${output.path}': ${reason}`);
    const blocker = await findNonDirectoryAncestor(dirname(target));
    if (blocker !== undefined) throw fail(`'${displayAncestor(output.path, target, blocker)}' is not a directory`);
    if (output.kind === 'directory') {
      await checkReplaceable(target, fail).catch((error: unknown) => {
        throw error instanceof UsageError ? error : fail(describeOsError(error));
      });
    } else if ((await lstat(target).catch(() => undefined))?.isDirectory()) {
      throw fail('it is a directory');
    }
  }
}

/** Writes one file via a temporary sibling and a rename, so readers never see it half-written. */
export async function writeFileAtomically(
  path: string,
  contents: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const displayPath = options.displayPath ?? path;
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomTag()}`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temp, contents, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    // `force` only forgives ENOENT: under a path that is not a directory, rm fails with ENOTDIR,
    // which would hide the real reason.
    await rm(temp, { force: true }).catch(() => undefined);
    // mkdir under a regular file fails with EEXIST ("file already exists"), which misleads: name the file.
    const blocker = await findNonDirectoryAncestor(dirname(target));
    const reason = blocker === undefined ? describeOsError(error) : `'${displayAncestor(displayPath, target, blocker)}' is not a directory`;
    throw new UsageError(`cannot write '${displayPath}': ${reason}`);
  }
}

/** Whether the target exists; throws when it exists but must not be replaced. */
async function checkReplaceable(target: string, fail: (reason: string) => UsageError): Promise<boolean> {
  let isDirectory: boolean;
  try {
    isDirectory = (await lstat(target)).isDirectory();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw error;
  }
  if (!isDirectory) throw fail('it exists and is not a directory');
  const entries = await readdir(target);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER_FILE)) {
    throw fail(`it is not empty and has no ${OUTPUT_MARKER_FILE}, so it is not earlier lutforge output; refusing to replace it`);
  }
  return true;
}

async function swapIntoPlace(temp: string, target: string, targetExists: boolean): Promise<void> {
  if (!targetExists) {
    await rename(temp, target);
    return;
  }
  const aside = join(dirname(target), `.${basename(target)}.old-${process.pid}-${randomTag()}`);
  await rename(target, aside);
  try {
    await rename(temp, target);
  } catch (error) {
    await rename(aside, target).catch(() => undefined);
    throw error;
  }
  // The new output is already in place; a failure to delete the old copy must not fail the run.
  await rm(aside, { recursive: true, force: true }).catch(() => undefined);
}

/** The nearest existing ancestor that is not a directory, which is what makes `mkdir -p` fail. */
async function findNonDirectoryAncestor(path: string): Promise<string | undefined> {
  for (let dir = path; ; dir = dirname(dir)) {
    const stats = await stat(dir).catch(() => undefined);
    if (stats) return stats.isDirectory() ? undefined : dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Names an ancestor the way the user wrote the path: `afile` rather than `/home/me/afile`. */
function displayAncestor(displayPath: string, target: string, ancestor: string): string {
  let shown = normalize(displayPath);
  for (let actual = target; actual !== ancestor; actual = dirname(actual)) {
    shown = dirname(shown);
    if (shown === '.' || shown === dirname(shown)) return ancestor;
  }
  return shown;
}

/** Undoes `mkdir -p`: removes the directories it created, deepest first, while they are empty. */
async function removeEmptyDirsUpTo(deepest: string, firstCreated: string): Promise<void> {
  for (let dir = deepest; dir.startsWith(firstCreated); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty: someone else is using it
    }
    if (dir === firstCreated) return;
  }
}

function assertPlainFileNames(files: readonly OutputFile[]): void {
  const seen = new Set<string>();
  for (const { name } of files) {
    // A caller bug, not user input: these names come from code (e.g. a generator's modules).
    // Subdirectories ('qkv/table.npy', a model's layer directories) are fine; leaving the output is not.
    if (/[\\\0]/.test(name) || name.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`output file name '${name}' is not a plain file name`);
    }
    if (seen.has(name)) throw new Error(`output file '${name}' is listed twice`);
    seen.add(name);
  }
}

function randomTag(): string {
  return randomBytes(4).toString('hex');
}
