#!/usr/bin/env node
// The `lutforge` command. In a checkout it runs straight from the TypeScript sources (tsx compiles
// them on the fly, so there is no build step); the published package has no sources, only the
// compiled dist/. The loader is registered either way: a user's design file named on the command
// line (`lutforge gen ./mac.ts`) is TypeScript too. The import must be dynamic so that it happens
// after the loader is registered.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const sources = new URL('../cli/main.ts', import.meta.url);
await import(existsSync(sources) ? sources.href : new URL('../dist/cli/main.js', import.meta.url).href);
