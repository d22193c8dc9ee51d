// Where in the user's code a declaration, statement or error came from. The DSL reports its
// findings at the user's line, never at its own, so frames inside dsl/ are skipped.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceLoc {
  /** Absolute path of the user's source file. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const dslDir = path.dirname(fileURLToPath(import.meta.url)) + path.sep;

/**
 * lutforge's own folder when it runs as the published package (compiled into `dist/`, installed
 * under node_modules): its generators' lines are then named `lutforge/dist/...js:line`, a file the
 * package ships, rather than skipped with the rest of node_modules. Undefined in a checkout, where
 * the built-in generators are sources beside the user's and keep their plain relative paths.
 */
const installedRoot = dslDir.endsWith(`${path.sep}dist${path.sep}dsl${path.sep}`) ? path.dirname(path.dirname(dslDir)) + path.sep : undefined;

// `at fn (file:line:col)` or `at file:line:col`; the file may be a path or a file:// URL.
const framePattern = /\bat (?:.*? \()?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?$/;

function frameFile(raw: string): string {
  return raw.startsWith('file://') ? fileURLToPath(raw) : raw;
}

function isUserFrame(file: string): boolean {
  return (
    path.isAbsolute(file) &&
    !file.startsWith(dslDir) &&
    (!file.includes(`${path.sep}node_modules${path.sep}`) || (installedRoot !== undefined && file.startsWith(installedRoot)))
  );
}

/** Mapped locations by raw call site: loops declare thousands of signals from one user line. */
const locByCallSite = new Map<string, SourceLoc | undefined>();

/**
 * The first stack frame outside the DSL: the user's line that made the current call.
 * Returns undefined when no such frame exists (a DSL-internal call with no user above it).
 *
 * Formatting a stack (which applies source maps, so TypeScript lines come out right) costs tens
 * of microseconds; reading raw call sites costs about two. So the raw position of the user frame
 * is the cache key, and a stack is formatted only the first time a call site is seen.
 */
export function captureLoc(): SourceLoc | undefined {
  const key = rawUserCallSite();
  if (key === undefined) return undefined;
  if (locByCallSite.has(key)) return locByCallSite.get(key);
  const loc = formattedUserFrame();
  locByCallSite.set(key, loc);
  return loc;
}

function withStackTraceLimit<T>(work: () => T): T {
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  try {
    return work();
  } finally {
    Error.stackTraceLimit = savedLimit;
  }
}

function rawUserCallSite(): string | undefined {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, callSites) => callSites;
  const holder: { stack?: unknown } = {};
  let sites: NodeJS.CallSite[];
  try {
    withStackTraceLimit(() => Error.captureStackTrace(holder, rawUserCallSite));
    // V8 formats `stack` lazily, on first read: read it while our prepareStackTrace is in place.
    sites = holder.stack as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = saved;
  }
  for (const site of sites) {
    const name = site.getFileName();
    if (name && isUserFrame(frameFile(name))) return `${name}:${site.getLineNumber()}:${site.getColumnNumber()}`;
  }
  return undefined;
}

function formattedUserFrame(): SourceLoc | undefined {
  const stack = withStackTraceLimit(() => new Error().stack ?? '');
  return stackLocations(stack).find((loc) => isUserFrame(loc.file));
}

/** The locations of a formatted stack's frames, innermost first (frames without a file are left out). */
export function stackLocations(stack: string): SourceLoc[] {
  return stack.split('\n').flatMap((line) => {
    const match = framePattern.exec(line.trim());
    return match ? [{ file: frameFile(match[1]!), line: Number(match[2]), column: Number(match[3]) }] : [];
  });
}

const rootCache = new Map<string, string>();

/** The folder of the nearest package.json above `dir`: paths in emitted text are relative to it. */
export function packageRoot(dir: string): string {
  const cached = rootCache.get(dir);
  if (cached !== undefined) return cached;
  const parent = path.dirname(dir);
  const root = fs.existsSync(path.join(dir, 'package.json')) || parent === dir ? dir : packageRoot(parent);
  rootCache.set(dir, root);
  return root;
}

/**
 * `file:line` with the file relative to its package root, so emitted comments and messages are the
 * same whatever the current directory (emission must be byte-identical across runs and machines).
 */
export function formatLoc(loc: SourceLoc | undefined): string {
  if (!loc) return '<unknown>';
  if (installedRoot !== undefined && loc.file.startsWith(installedRoot)) {
    return `lutforge/${path.relative(installedRoot, loc.file).split(path.sep).join('/')}:${loc.line}`;
  }
  const relative = path.relative(packageRoot(path.dirname(loc.file)), loc.file).split(path.sep).join('/');
  return `${relative}:${loc.line}`;
}
