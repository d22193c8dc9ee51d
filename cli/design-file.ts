// A user's own design, named on the command line by its file (`lutforge gen ./mac.ts`): a module
// whose default export (or only generator export) is a generator made with `defineGenerator` from
// 'lutforge', or for `run`, a matrix engine. TypeScript files load through the tsx loader that
// bin/lutforge.mjs registers.
//
// The file is the user's input, so whatever goes wrong in it is bad input (exit 2) reported at
// the user's line: a syntax error with esbuild's message, an exception their code throws with its
// own message. Only what lutforge's own code throws stays an internal error.

import { existsSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { extname, isAbsolute, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform, type TransformFailure } from 'esbuild';
import { HdlError } from '../dsl/errors.js';
import { formatLoc, stackLocations, type SourceLoc } from '../dsl/source.js';
import type { MatmulEngine } from '../generators/matmul-engine/interface.js';
import type { GeneratorSpec } from '../generators/registry.js';
import { CheckFailedError, UsageError } from '../host/errors.js';
import { lutforgeRoot } from '../toolchain/cache-dir.js';

const DESIGN_FILE_EXTENSIONS = /\.(ts|mts|js|mjs)$/;

/** A generator argument is a file when it looks like a path rather than a registry name. */
export function isDesignFile(argument: string): boolean {
  return argument.includes('/') || argument.includes('\\') || DESIGN_FILE_EXTENSIONS.test(argument);
}

/** The absolute path of a design file named on the command line. */
export function designFilePath(argument: string, cwd: string): string {
  return isAbsolute(argument) ? argument : resolve(cwd, argument);
}

function isGeneratorSpec(value: unknown): value is GeneratorSpec {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Record<keyof GeneratorSpec, unknown>>;
  const schema = candidate.schema as { safeParse?: unknown } | undefined;
  return typeof candidate.name === 'string' && typeof candidate.generate === 'function' && typeof schema?.safeParse === 'function';
}

function isMatmulEngine(value: unknown): value is MatmulEngine {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Record<keyof MatmulEngine, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    isGeneratorSpec(candidate.generator) &&
    (['limits', 'idealCycles', 'pack', 'unpack'] as const).every((key) => typeof candidate[key] === 'function')
  );
}

/** The one export of a kind: the default export if it is one, else the only such export. */
function pickExport<T extends { readonly name: string }>(
  exports: Record<string, unknown>,
  is: (value: unknown) => value is T,
): { readonly found: T } | { readonly count: number; readonly names: string } {
  if (is(exports.default)) return { found: exports.default };
  // A module often exports its generator both by name and as the default: count objects, not names.
  const candidates = [...new Set(Object.values(exports).filter(is))];
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { found: only };
  return { count: candidates.length, names: candidates.map((candidate) => candidate.name).join(', ') };
}

/** Imports the file and returns the generator it exports; bad input (exit 2) when there is none. */
export async function loadDesignFile(argument: string, cwd: string): Promise<GeneratorSpec> {
  const picked = pickExport(await importDesignFile(argument, cwd), isGeneratorSpec);
  if ('found' in picked) return picked.found;
  const found = picked.count === 0 ? 'exports no generator' : `exports ${picked.count} generators (${picked.names}) and no default`;
  throw new UsageError(
    `design file '${argument}' ${found}; export one made with defineGenerator from 'lutforge', e.g. \`export default defineGenerator({ name, description, schema, generate })\``,
  );
}

/** Imports the file and returns the matrix engine it exports (for `run`); bad input when there is none. */
export async function loadEngineFile(argument: string, cwd: string): Promise<MatmulEngine> {
  const picked = pickExport(await importDesignFile(argument, cwd), isMatmulEngine);
  if ('found' in picked) return picked.found;
  const found = picked.count === 0 ? 'exports no matrix engine' : `exports ${picked.count} matrix engines (${picked.names}) and no default`;
  throw new UsageError(
    `design file '${argument}' ${found}; export one MatmulEngine from 'lutforge/generators' ({ name, generator, limits, idealCycles, pack, unpack }), as the tutorial's unsigned-core.ts does`,
  );
}

async function importDesignFile(argument: string, cwd: string): Promise<Record<string, unknown>> {
  const file = designFilePath(argument, cwd);
  try {
    await access(file);
  } catch {
    throw new UsageError(`design file '${argument}' not found`);
  }
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    // DSL misuse while the file loads is reported at the user's line like any other.
    if (error instanceof HdlError) throw error;
    if (isCommonJsMissingLutforge(error)) {
      throw new UsageError(
        `design file '${argument}' loads as CommonJS (no "type": "module" in the package.json of its folder), which finds 'lutforge' only where it is installed; make it an ES module: name it .mts, or give its folder a package.json with "type": "module" (\`npm init -y && npm pkg set type=module\`)`,
      );
    }
    const thrown = blameDesignFile(error, file);
    if (thrown !== error) throw thrown;
    const syntax = (await syntaxErrorIn(file)) ?? reportedSyntaxError(error);
    if (syntax !== undefined) throw new UsageError(syntax);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`design file '${argument}' failed to load: ${reason}`);
  }
}

/**
 * require('lutforge') failing: the command (resolve-lutforge.mjs) lends its own lutforge to ES
 * modules only, since Node 20 has no resolve hooks for require.
 */
function isCommonJsMissingLutforge(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'MODULE_NOT_FOUND' && /Cannot find module 'lutforge(\/[\w-]+)?'/.test(error.message);
}

/** `file:line:column`, the file as in DSL messages (relative to its package root). */
function formatPosition(loc: SourceLoc): string {
  return `${formatLoc(loc)}:${loc.column}`;
}

// esbuild's own report, as tsx passes it on: "Transform failed with 1 error:\n/abs/file.ts:3:16: ERROR: Expected ...".
const ESBUILD_ERROR_LINE = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m;

/** The syntax error the loader reported, if its message carries one: in a file the design imports. */
function reportedSyntaxError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = ESBUILD_ERROR_LINE.exec(error.message);
  if (!match?.[1] || !isAbsolute(match[1])) return undefined;
  const more = /failed with (\d+) errors/.exec(error.message)?.[1];
  // tsx hands esbuild an .mts or .cts file under the name .ts.
  const file = [match[1], match[1].replace(/\.ts$/, '.mts'), match[1].replace(/\.ts$/, '.cts')].find((candidate) => existsSync(candidate)) ?? match[1];
  // esbuild counts columns from 0, editors from 1.
  const loc = { file, line: Number(match[2]), column: Number(match[3]) + 1 };
  return `${formatPosition(loc)}: syntax error: ${match[4]}${more === undefined ? '' : ` (and ${Number(more) - 1} more)`}`;
}

/**
 * Parses the design file with esbuild, the compiler tsx runs: its first error with the line and
 * column, or undefined when the file parses. Node's own SyntaxError for a plain .mjs file, and the
 * test runner's, do not say where the mistake is.
 */
async function syntaxErrorIn(file: string): Promise<string | undefined> {
  const loader = extname(file).endsWith('ts') ? 'ts' : 'js';
  try {
    await transform(await readFile(file, 'utf8'), { loader, sourcefile: file, format: 'esm' });
    return undefined;
  } catch (error) {
    const errors = (error as Partial<TransformFailure>).errors ?? [];
    const [first] = errors;
    if (first === undefined) return undefined;
    const where = first.location ? formatPosition({ file, line: first.location.line, column: first.location.column + 1 }) : formatLoc({ file, line: 1, column: 1 });
    return `${where}: syntax error: ${first.text}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
  }
}

/**
 * An exception thrown by the user's own code (the design file, or another file of theirs it
 * imports) becomes a UsageError at their line, with the original as its cause; anything else is
 * returned as it is. The frame that decides is the innermost one that is neither Node's nor a
 * library's: an exception raised inside lutforge stays lutforge's.
 */
export function blameDesignFile(error: unknown, designFile: string): unknown {
  if (!(error instanceof Error) || error instanceof HdlError || error instanceof UsageError || error instanceof CheckFailedError) return error;
  const site = userThrowSite(error.stack ?? '', designFile);
  if (site === undefined) return error;
  const kind = error.name === 'Error' ? '' : `${error.name}: `;
  return new UsageError(`${formatLoc(site)}: ${kind}${error.message.replace(/\s*\n\s*/g, ' ')}`, { cause: error });
}

function userThrowSite(stack: string, designFile: string): SourceLoc | undefined {
  const ownRoot = lutforgeRoot() + sep;
  const ownModules = `${ownRoot}node_modules${sep}`;
  for (const loc of stackLocations(stack)) {
    if (loc.file === designFile) return loc;
    // node:internal frames and the like.
    if (!isAbsolute(loc.file)) continue;
    if (loc.file.startsWith(ownRoot) && !loc.file.startsWith(ownModules)) return undefined;
    if (loc.file.includes(`${sep}node_modules${sep}`)) continue;
    return loc;
  }
  return undefined;
}

/** Runs `work`, which calls into the design file's code, blaming the user for what their code throws. */
export async function blamingDesignFile<T>(designFile: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw blameDesignFile(error, designFile);
  }
}
