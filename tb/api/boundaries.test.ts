// The shape of the tree, as a test: which folder may import which (written once, in folder-graph.ts),
// which npm packages the pure folders may use, that no test code is reached from product code,
// that no two files import each other even through a longer loop (type-only imports included),
// and that the README's architecture table draws exactly this graph.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FOLDER_GRAPH, PRODUCT_FOLDERS } from './folder-graph.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The npm packages a folder may use; folders not named here may use any dependency. */
const PACKAGES: Readonly<Record<string, (specifier: string) => boolean>> = {
  contracts: () => false,
  golden: () => false,
  dsl: (specifier) => specifier.startsWith('node:'),
  generators: (specifier) => specifier === 'zod',
};

const SOURCE = /\.(ts|mts|mjs)$/;

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => SOURCE.test(file) && !file.includes('node_modules'))
    .map((file) => path.join(folder, file).split(path.sep).join('/'))
    .sort();
}

/** Every module specifier a file imports or re-exports, type-only ones included, with its line. */
function importsOf(file: string): { specifier: string; line: number }[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const found: { specifier: string; line: number }[] = [];
  for (const match of text.matchAll(/(?:^import|^export|\bimport\()\s*(?:type\s+)?(?:[^'";]*?\bfrom\s+)?['"]([^'"]+)['"]/gm)) {
    found.push({ specifier: match[1] ?? '', line: text.slice(0, match.index).split('\n').length });
  }
  return found;
}

/** The repository file a relative specifier lands on (`.js` in a specifier is the `.ts` source). */
function target(file: string, specifier: string): string {
  const landed = path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), specifier)).split(path.sep).join('/');
  const source = landed.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts');
  return existsSync(path.join(REPO_ROOT, source)) ? source : landed;
}

/** The unit of FOLDER_GRAPH a file belongs to: its top folder, or `api/<entry>` for an entry point. */
function unitOf(file: string): string {
  const [top] = file.split('/');
  return top === 'api' ? file.replace(/\.(ts|js)$/, '') : (top ?? file);
}

const ALL_FILES = [...PRODUCT_FOLDERS, 'tb', 'scripts'].flatMap(sourceFiles);

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly where: string;
}

function crossUnitEdges(files: readonly string[]): Edge[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter(({ specifier }) => specifier.startsWith('.'))
      .map(({ specifier, line }) => ({ from: unitOf(file), to: unitOf(target(file, specifier)), where: `${file}:${line} imports '${specifier}'` }))
      .filter(({ from, to }) => from !== to),
  );
}

/** Every import cycle among the files, each as the files of the loop. */
function importCycles(files: readonly string[]): string[][] {
  return cyclesOf(new Map(files.map((file) => [file, importsOf(file).filter(({ specifier }) => specifier.startsWith('.')).map(({ specifier }) => target(file, specifier))])));
}

/** The strongly connected components of more than one node, or with a self-loop (Tarjan). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

describe('import boundaries', () => {
  it('finds the imports it checks', () => {
    // A parser that found nothing would pass every rule below.
    const specifiers = importsOf('generators/matmul-engine/serial-engine.ts').map(({ specifier }) => specifier);
    expect(specifiers).toContain('../../api/index.js');
    expect(specifiers).toContain('./serial-unit.js');
    expect(importsOf('generators/lut-llm/pack.ts').map(({ specifier }) => specifier)).toContain('../../contracts/lut-llm-layer.js');
    expect(crossUnitEdges(sourceFiles('cli')).length).toBeGreaterThan(50);
    expect(unitOf('api/golden.ts')).toBe('api/golden');
  });

  it('every product folder imports only what the folder graph allows', () => {
    const found = crossUnitEdges(PRODUCT_FOLDERS.flatMap(sourceFiles))
      .filter(({ from, to }) => !(FOLDER_GRAPH[from] ?? []).includes(to))
      .map(({ where }) => where);
    expect(found).toEqual([]);
  });

  it('the folder graph has no edge the code does not use, so it is the graph as it is', () => {
    const used = new Set(crossUnitEdges(PRODUCT_FOLDERS.flatMap(sourceFiles)).map(({ from, to }) => `${from} -> ${to}`));
    const unused = Object.entries(FOLDER_GRAPH).flatMap(([from, targets]) => targets.map((to) => `${from} -> ${to}`)).filter((edge) => !used.has(edge));
    expect(unused).toEqual([]);
  });

  it('contracts, golden models, the DSL and the generators use only the packages they may', () => {
    const found = Object.entries(PACKAGES).flatMap(([folder, allowed]) =>
      sourceFiles(folder).flatMap((file) =>
        importsOf(file)
          .filter(({ specifier }) => !specifier.startsWith('.') && !allowed(specifier))
          .map(({ specifier, line }) => `${file}:${line} imports '${specifier}'`),
      ),
    );
    expect(found).toEqual([]);
  });

  it('no product code reaches into tb/ or scripts/', () => {
    const found = crossUnitEdges(PRODUCT_FOLDERS.flatMap(sourceFiles))
      .filter(({ to }) => to === 'tb' || to === 'scripts')
      .map(({ where }) => where);
    expect(found).toEqual([]);
  });

  it('tb/ holds tests and test helpers only: every product folder is outside it', () => {
    expect(existsSync(path.join(REPO_ROOT, 'tb/golden/mpgemm.ts'))).toBe(false);
    expect(sourceFiles('tb').filter((file) => /^tb\/(golden|contracts|host)\/(?!.*\.test\.ts$)/.test(file) && !file.endsWith('-reference.ts'))).toEqual([]);
  });

  it('every source file is named in kebab-case', () => {
    const misnamed = ALL_FILES.filter((file) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z]+)*$/.test(path.basename(file)));
    expect(misnamed).toEqual([]);
  });

  it('no file imports itself through a loop of imports, type-only imports included', () => {
    expect(importCycles(ALL_FILES)).toEqual([]);
  });

  it('the cycle finder finds a loop, and only the loop', () => {
    // A finder that never reports would pass the test above.
    const graph = new Map(Object.entries({ a: ['b'], b: ['c'], c: ['a', 'd'], d: [], e: ['e'] }));
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it("the README's architecture table lists exactly the folder graph", () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('\n## ', readme.indexOf('## Architecture') + 1));
    const rows = [...section.matchAll(/^\| `([a-z/-]+?)\/?(?:\.ts)?` \|[^|]*\| ([^|]*) \|$/gm)].map(([, unit, imports]) => [
      unit!.replace(/\/$/, ''),
      [...(imports ?? '').matchAll(/`([a-z/-]+?)\/?(?:\.ts)?`/g)].map(([, folder]) => folder!).sort(),
    ]);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(FOLDER_GRAPH).map(([unit, targets]) => [unit, [...targets].sort()])));
    expect(rows.length).toBe(Object.keys(FOLDER_GRAPH).length);
  });
});
