// End to end: the real bin shim, run as a separate process through tsx, with the real registry.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from './cli-harness.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repoRoot, 'bin', 'lutforge.mjs');

// Run from a temporary directory so any output lands there, and to prove the shim does not
// depend on being started from the repository.
let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

function lutforge(...args: string[]) {
  return execa('node', [bin, ...args], { cwd, reject: false, stdin: 'ignore' });
}

describe('bin/lutforge.mjs as a process', () => {
  it('--help exits 0 with the usage', async () => {
    const run = await lutforge('--help');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Usage: lutforge \[options\] \[command\]/);
    expect(run.stdout).toContain('gen [options] <generator>');
    expect(run.stderr).toBe('');
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const run = await lutforge('--version');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(version);
  });

  it('an unknown option exits 2 with one line', async () => {
    const run = await lutforge('gen', '--no-such-option');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe("lutforge: unknown option '--no-such-option'");
  });

  it('lists every registered generator and generates one with its defaults', async () => {
    const listed = await lutforge('list', '--json');
    expect(listed.exitCode).toBe(0);
    const { generators } = JSON.parse(listed.stdout) as { generators: { name: string }[] };
    expect(generators.map((generator) => generator.name)).toEqual(expect.arrayContaining(['tensor-core', 'mac', 'add', 'lut-llm']));
    // One process per generator would cost seconds each: tb/determinism.test.ts generates every
    // one in a process of its own, and the in-process CLI tests cover the rest.
    const run = await lutforge('gen', 'tensor-core', '--json');
    expect(run.exitCode, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { out: string; files: string[] };
    expect(summary.out).toBe(join(cwd, 'rtl-out', 'tensor-core'));
    const fileList = await readFile(join(summary.out, 'files.f'), 'utf8');
    expect([...fileList.trimEnd().split('\n'), 'files.f']).toEqual(summary.files);
  });
});
