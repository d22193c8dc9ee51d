// The packed lutforge, as a user gets it: `npm pack` (which builds dist/ through prepack) into a
// tarball, once per source state, shared by the packaging test and the tutorial test. Both may run
// at once in separate workers, and `npm pack` rewrites dist/, so the build is serialized by a lock
// directory and its result cached under .cache/package/ by a digest of everything it is made of.

import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRODUCT_FOLDERS } from '../api/folder-graph.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE_CACHE = path.join(REPO_ROOT, '.cache', 'package');
const SOURCE_FOLDERS = [...PRODUCT_FOLDERS, 'bin'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs', 'README.md'];
const STALE_LOCK_MS = 10 * 60_000;

/** Versions the test projects install beside lutforge: the same as this checkout's. */
export function devDependencyVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const version = manifest.devDependencies[name];
  if (version === undefined) throw new Error(`${name} is not a devDependency of lutforge`);
  return version;
}

function* filesUnder(folder: string): Generator<string> {
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (!entry.name.endsWith('.test.ts')) yield full;
  }
}

function sourceDigest(): string {
  const hash = createHash('sha256');
  const files = [...SOURCE_FOLDERS.flatMap((folder) => [...filesUnder(path.join(REPO_ROOT, folder))]), ...SOURCE_FILES.map((file) => path.join(REPO_ROOT, file))];
  for (const file of files) hash.update(path.relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now()));
      if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Path of `lutforge-<version>.tgz` packed from the current sources (built at most once per digest). */
export async function packedTarball(): Promise<string> {
  const digest = sourceDigest();
  const folder = path.join(PACKAGE_CACHE, digest);
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const tarball = path.join(folder, `lutforge-${version}.tgz`);
  if (existsSync(tarball)) return tarball;
  await mkdir(PACKAGE_CACHE, { recursive: true });
  return withLock(path.join(PACKAGE_CACHE, 'pack.lock'), async () => {
    if (existsSync(tarball)) return tarball;
    const staging = `${folder}.tmp-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await execa('npm', ['pack', '--pack-destination', staging, '--loglevel', 'error'], { cwd: REPO_ROOT, stdin: 'ignore' });
    await rename(staging, folder);
    // Tarballs of earlier source states are of no more use.
    for (const entry of await readdir(PACKAGE_CACHE)) {
      if (/^[0-9a-f]{16}$/.test(entry) && entry !== digest) await rm(path.join(PACKAGE_CACHE, entry), { recursive: true, force: true });
    }
    return tarball;
  });
}

/**
 * A new project folder with its own package.json and lutforge installed from the tarball, with
 * vitest, typescript and @types/node beside it (from npm's cache when it has them), as a user would set it up.
 */
export async function installedProject(dir: string, tarball: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'my-hardware', private: true, type: 'module' }, null, 2)}\n`);
  const devDependencies = ['vitest', 'typescript', '@types/node'].map((name) => `${name}@${devDependencyVersion(name)}`);
  await npmInstall(dir, [tarball]);
  await npmInstall(dir, ['--save-dev', ...devDependencies]);
}

export async function npmInstall(dir: string, specs: readonly string[]): Promise<void> {
  await execa('npm', ['install', '--save-exact', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', ...specs], { cwd: dir, stdin: 'ignore' });
}
