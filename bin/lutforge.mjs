#!/usr/bin/env node
// Runs the CLI straight from the TypeScript sources: tsx compiles on the fly, so there is no
// build step. The import must be dynamic so that it happens after the loader is registered.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
