#!/usr/bin/env node
// The `lutforge` command. In a checkout it runs straight from the TypeScript sources (tsx compiles
// them on the fly, so there is no build step); the published package has no sources, only the
// compiled dist/. The loader is registered either way: a user's design file named on the command
// line (`lutforge gen ./mac.ts`) is TypeScript too, and it may import 'lutforge' from a folder
// where only this command is installed (resolve-lutforge.mjs). The import must be dynamic so that
// it happens after the loaders are registered.
import { existsSync, readFileSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
const root = new URL('../', import.meta.url);
const sources = new URL('cli/main.ts', root);
const fromSources = existsSync(sources);

// 'lutforge/sim' -> this package's dist/api/sim.js (api/sim.ts in a checkout), from its exports.
const { exports } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const entries = {};
for (const [subpath, target] of Object.entries(exports)) {
  if (typeof target !== 'object' || typeof target.default !== 'string') continue;
  const file = fromSources ? target.default.replace(/^\.\/dist\//, './').replace(/\.js$/, '.ts') : target.default;
  entries[`lutforge${subpath.slice(1)}`] = new URL(file, root).href;
}
registerHooks(new URL('resolve-lutforge.mjs', import.meta.url), { data: { entries } });

await import(fromSources ? sources.href : new URL('dist/cli/main.js', root).href);
