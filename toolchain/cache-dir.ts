// Where lutforge keeps its build and result caches (Verilator models, Icarus benches, synthesis
// results). In a checkout: `<checkout>/.cache/<kind>`. Installed as a dependency: the project's
// `node_modules/.cache/lutforge/<kind>`, the convention of find-cache-dir, so nothing is written
// inside the installed package (or the user's own cache folder when they cannot write there, as
// with a global install of another user's). $LUTFORGE_CACHE_DIR overrides all of these.
//
// A folder of its own because the simulators (sim/), synthesis (synth/) and the CLI all need it
// and none of them should import another for it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../dsl/source.js';

export const CACHE_DIR_ENV = 'LUTFORGE_CACHE_DIR';

/** The folder holding lutforge's package.json: the checkout, or the installed package. */
export function lutforgeRoot(): string {
  // From toolchain/ in a checkout, from dist/toolchain/ in the published package (dist/ has no package.json).
  return packageRoot(path.dirname(fileURLToPath(import.meta.url)));
}

export type CacheKind = 'verilator' | 'icarus' | 'synth';

export function cacheDir(kind: CacheKind): string {
  return cacheDirFor(kind, lutforgeRoot(), process.env);
}

/**
 * cacheDir for a lutforge installed at `root`. A global install (`npm install -g`) belongs to
 * whoever installed it, often root: a user who cannot write beside it gets a cache of their own,
 * $XDG_CACHE_HOME/lutforge/<kind> (else ~/.cache/lutforge/<kind>).
 */
export function cacheDirFor(kind: CacheKind, root: string, env: NodeJS.ProcessEnv, canCreate: (dir: string) => boolean = mayCreate): string {
  const override = env[CACHE_DIR_ENV];
  if (override !== undefined && override !== '') return path.resolve(override, kind);
  const parent = path.dirname(root);
  // A scoped install sits one level deeper (node_modules/@scope/lutforge); this one is not scoped.
  if (path.basename(parent) !== 'node_modules') return path.join(root, '.cache', kind);
  const beside = path.join(parent, '.cache', 'lutforge', kind);
  if (canCreate(beside)) return beside;
  const userCache = env['XDG_CACHE_HOME'] !== undefined && env['XDG_CACHE_HOME'] !== '' ? env['XDG_CACHE_HOME'] : path.join(os.homedir(), '.cache');
  return path.join(userCache, 'lutforge', kind);
}

/** Whether this process can write `dir`, or create it: the nearest folder that exists decides. */
function mayCreate(dir: string): boolean {
  let existing = dir;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
