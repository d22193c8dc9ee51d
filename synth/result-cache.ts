// The synthesis result cache: one folder per content hash, written whole through a temporary
// folder and a rename, so a reader never sees half an entry.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The entry's files, or undefined when any of them is missing. */
export async function readCacheEntry(cacheDir: string, key: string, names: readonly string[]): Promise<Record<string, string> | undefined> {
  const found: Record<string, string> = {};
  for (const name of names) {
    const text = await readFile(join(cacheDir, key, name), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    found[name] = text;
  }
  return found;
}

/** Writes `<cacheDir>/<key>/<name>` for each file, via a temporary directory and a rename. */
export async function storeCacheEntry(cacheDir: string, key: string, files: Readonly<Record<string, string>>): Promise<void> {
  const temp = join(cacheDir, `.${key}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(temp, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(temp, name), text);
    await rename(temp, join(cacheDir, key));
  } catch {
    // Another run stored the same key first, or the cache is not writable: the result stands
    // either way, the cache is only an optimisation.
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
