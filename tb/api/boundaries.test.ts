// The public API is what the generators are written in: every import in generators/ reaches the
// public entry points (api/index.ts, api/golden.ts), another generator file, or zod, never the
// DSL's, the simulators' or the tests' internals. And the DSL itself stands alone.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(folder, file))
    .sort();
}

/** Every module specifier a file imports or re-exports, with its line. */
function importsOf(file: string): { specifier: string; line: number }[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const found: { specifier: string; line: number }[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/(?:^import|^export|\bimport\()\s*(?:type\s+)?(?:[^'"]*?\bfrom\s+)?['"]([^'"]+)['"]/g)) {
      found.push({ specifier: match[1] ?? '', line: index + 1 });
    }
  });
  return found;
}

/** Where a relative specifier lands, relative to the repository root. */
function target(file: string, specifier: string): string {
  return path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), specifier)).split(path.sep).join('/');
}

function violations(folder: string, allowed: (file: string, specifier: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(file)
      .filter(({ specifier }) => !allowed(file, specifier))
      .map(({ specifier, line }) => `${file}:${line} imports '${specifier}'`),
  );
}

describe('import boundaries', () => {
  it('finds the imports it checks', () => {
    // A parser that found nothing would pass every rule below.
    const specifiers = importsOf('generators/lut-tensor-core/engine.ts').map(({ specifier }) => specifier);
    expect(specifiers).toContain('../../api/index.js');
    expect(specifiers).toContain('./config.js');
    expect(violations('generators', () => false).length).toBeGreaterThan(50);
  });

  it('generators use only the public API, each other and zod', () => {
    const found = violations('generators', (file, specifier) => {
      if (specifier === 'zod') return true;
      if (!specifier.startsWith('.')) return false;
      const landed = target(file, specifier);
      return landed.startsWith('generators/') || landed === 'api/index.js' || landed === 'api/golden.js';
    });
    expect(found).toEqual([]);
  });

  it('the DSL imports nothing outside dsl/ but Node built-ins', () => {
    const found = violations('dsl', (file, specifier) => specifier.startsWith('node:') || (specifier.startsWith('.') && target(file, specifier).startsWith('dsl/')));
    expect(found).toEqual([]);
  });

  it('the entry points reach no test code but the golden kernels', () => {
    const found = violations('api', (file, specifier) => {
      if (specifier === 'zod') return true;
      const landed = target(file, specifier);
      return specifier.startsWith('.') && (!landed.startsWith('tb/') || landed.startsWith('tb/golden/'));
    });
    expect(found).toEqual([]);
  });
});
