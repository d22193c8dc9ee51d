// Builds the published package into dist/: the public entry points (api/) and the CLI compiled by
// tsc with their declarations (tsconfig.build.json), plus the files they read at run time beside
// their modules (the Yosys scripts, the embedded Yosys worker and the shipped model dimensions). `npm pack` runs it (prepack).
// The checkout itself never needs it: the CLI and the tests run from the TypeScript sources.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });

/** Run-time files that modules find relative to themselves (new URL(..., import.meta.url)). */
const assets = [
  ['synth/yosys-worker.mjs'],
  ...readdirSync(path.join(root, 'synth/scripts')).map((name) => [`synth/scripts/${name}`]),
  // The model dimensions `lutforge model --dims <name>` finds by name.
  ...readdirSync(path.join(root, 'host/lut-llm/models')).map((name) => [`host/lut-llm/models/${name}`]),
];
for (const [file] of assets) {
  mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
  cpSync(path.join(root, file), path.join(dist, file));
}
console.log(`built dist/ (${assets.length} run-time files copied)`);
