// The simulator folder's imports: sim/ stands on the DSL's emitted-design types and the shared
// toolchain helpers only, and its files form no cycle, type-only imports included, so each
// backend can be read (and loaded) without the others.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SIM = 'sim';

const simFiles = readdirSync(path.join(REPO_ROOT, SIM))
  .filter((file) => file.endsWith('.ts'))
  .sort();

/** Every module specifier a file imports or re-exports, type-only ones included. */
function specifiersOf(file: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, SIM, file), 'utf8');
  const pattern = /(?:^import|^export|\bimport\()\s*(?:type\s+)?(?:[^'"]*?\bfrom\s+)?['"]([^'"]+)['"]/gm;
  return [...text.matchAll(pattern)].map((match) => match[1] ?? '');
}

/** sim/ files a file imports, by file name. */
function simNeighbours(file: string): string[] {
  return specifiersOf(file)
    .filter((specifier) => specifier.startsWith('./'))
    .map((specifier) => specifier.slice(2).replace(/\.js$/, '.ts'));
}

/** One cycle through the graph, as a list of files ending where it started, if there is one. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...trail.slice(trail.indexOf(file)), file];
    state.set(file, 'open');
    trail.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    trail.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('sim/ imports', () => {
  it('finds the files and imports it checks', () => {
    // A reader that found nothing would pass every rule below.
    expect(simFiles).toContain('backend.ts');
    expect(simNeighbours('simulators.ts')).toEqual(expect.arrayContaining(['verilator-backend.ts', 'icarus-backend.ts']));
  });

  it('reach only sim/ itself, the DSL, toolchain/, Node built-ins and npm packages', () => {
    const outside = simFiles.flatMap((file) =>
      specifiersOf(file)
        .filter((specifier) => specifier.startsWith('.') && !specifier.startsWith('./'))
        .filter((specifier) => !/^\.\.\/(dsl|toolchain)\/[a-z-]+\.js$/.test(specifier))
        .map((specifier) => `${file} imports '${specifier}'`),
    );
    expect(outside).toEqual([]);
  });

  it('name only files that exist', () => {
    const missing = simFiles.flatMap((file) => simNeighbours(file).filter((next) => !simFiles.includes(next)).map((next) => `${file} -> ${next}`));
    expect(missing).toEqual([]);
  });

  it('form no cycle', () => {
    const graph = new Map(simFiles.map((file) => [file, simNeighbours(file)]));
    expect(findCycle(graph)).toBeUndefined();
    // The check itself must see a cycle when there is one.
    expect(findCycle(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']]]))).toEqual(['a.ts', 'b.ts', 'a.ts']);
  });
});
