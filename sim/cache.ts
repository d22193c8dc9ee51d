// Where lutforge keeps its build and result caches (Verilator models, Icarus benches, synthesis
// results). In a checkout: `<checkout>/.cache/<kind>`. Installed as a dependency: the project's
// `node_modules/.cache/lutforge/<kind>`, the convention of find-cache-dir, so nothing is written
// inside the installed package. $LUTFORGE_CACHE_DIR overrides both.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE_DIR_ENV = 'LUTFORGE_CACHE_DIR';

/** The folder holding lutforge's package.json: the checkout, or the installed package. */
export function packageRoot(): string {
  // From sim/ in a checkout, from dist/sim/ in the published package.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export function cacheDir(kind: 'verilator' | 'icarus' | 'synth'): string {
  const override = process.env[CACHE_DIR_ENV];
  if (override !== undefined && override !== '') return path.resolve(override, kind);
  const root = packageRoot();
  const parent = path.dirname(root);
  // A scoped install sits one level deeper (node_modules/@scope/lutforge); this one is not scoped.
  if (path.basename(parent) === 'node_modules') return path.join(parent, '.cache', 'lutforge', kind);
  return path.join(root, '.cache', kind);
}
