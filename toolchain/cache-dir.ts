// Where lutforge keeps its build and result caches (Verilator models, Icarus benches, synthesis
// results). In a checkout: `<checkout>/.cache/<kind>`. Installed as a dependency: the project's
// `node_modules/.cache/lutforge/<kind>`, the convention of find-cache-dir, so nothing is written
// inside the installed package. $LUTFORGE_CACHE_DIR overrides both.
//
// A folder of its own because the simulators (sim/), synthesis (synth/) and the CLI all need it
// and none of them should import another for it.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../dsl/source.js';

export const CACHE_DIR_ENV = 'LUTFORGE_CACHE_DIR';

/** The folder holding lutforge's package.json: the checkout, or the installed package. */
export function lutforgeRoot(): string {
  // From toolchain/ in a checkout, from dist/toolchain/ in the published package (dist/ has no package.json).
  return packageRoot(path.dirname(fileURLToPath(import.meta.url)));
}

export function cacheDir(kind: 'verilator' | 'icarus' | 'synth'): string {
  const override = process.env[CACHE_DIR_ENV];
  if (override !== undefined && override !== '') return path.resolve(override, kind);
  const root = lutforgeRoot();
  const parent = path.dirname(root);
  // A scoped install sits one level deeper (node_modules/@scope/lutforge); this one is not scoped.
  if (path.basename(parent) === 'node_modules') return path.join(parent, '.cache', 'lutforge', kind);
  return path.join(root, '.cache', kind);
}
