// A user's own design, named on the command line by its file (`lutforge gen ./mac.ts`): a module
// whose default export (or only generator export) is a generator made with `defineGenerator` from
// 'lutforge'. TypeScript files load through the tsx loader that bin/lutforge.mjs registers.

import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HdlError } from '../dsl/errors.js';
import type { GeneratorSpec } from '../generators/registry.js';
import { UsageError } from '../host/errors.js';

const DESIGN_FILE_EXTENSIONS = /\.(ts|mts|js|mjs)$/;

/** A generator argument is a file when it looks like a path rather than a registry name. */
export function isDesignFile(argument: string): boolean {
  return argument.includes('/') || argument.includes('\\') || DESIGN_FILE_EXTENSIONS.test(argument);
}

function isGeneratorSpec(value: unknown): value is GeneratorSpec {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Record<keyof GeneratorSpec, unknown>>;
  const schema = candidate.schema as { safeParse?: unknown } | undefined;
  return typeof candidate.name === 'string' && typeof candidate.generate === 'function' && typeof schema?.safeParse === 'function';
}

/** Imports the file and returns the generator it exports; bad input (exit 2) when there is none. */
export async function loadDesignFile(argument: string, cwd: string): Promise<GeneratorSpec> {
  const file = isAbsolute(argument) ? argument : resolve(cwd, argument);
  try {
    await access(file);
  } catch {
    throw new UsageError(`design file '${argument}' not found`);
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    // DSL misuse while the file loads is reported at the user's line like any other.
    if (error instanceof HdlError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`design file '${argument}' failed to load: ${reason}`);
  }
  if (isGeneratorSpec(exports.default)) return exports.default;
  const specs = Object.values(exports).filter(isGeneratorSpec);
  if (specs.length === 1 && specs[0] !== undefined) return specs[0];
  const found = specs.length === 0 ? 'exports no generator' : `exports ${specs.length} generators (${specs.map((spec) => spec.name).join(', ')}) and no default`;
  throw new UsageError(
    `design file '${argument}' ${found}; export one made with defineGenerator from 'lutforge', e.g. \`export default defineGenerator({ name, description, schema, generate })\``,
  );
}
