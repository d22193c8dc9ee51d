// A user's own design named by its file on the command line: `gen`, `synth`, `sim` and
// `schematic` load its generator like a registered one, and every way the file can be wrong is
// bad input (exit 2) that names the file, with nothing written.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDesignFile } from '../../cli/design-file.js';
import { registry } from '../../generators/index.js';
import { makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';
import { FAST_TIER } from '../test-tiers.js';

const DESIGNS = fileURLToPath(new URL('./fixtures/designs/', import.meta.url));

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

const run = (...argv: string[]): Promise<CliRun> => runIn(cwd, argv, registry);

describe('a design file as the generator', () => {
  it('tells files from registry names', () => {
    expect(['./mac.ts', 'src/mac.ts', 'mac.ts', 'mac.mjs', '/abs/mac.js'].every(isDesignFile)).toBe(true);
    expect(['tensor-core', 'mac', 'lut-llm'].some(isDesignFile)).toBe(false);
  });

  it('generates it with its own schema and defaults', async () => {
    const result = await run('gen', join(DESIGNS, 'accumulator.ts'), '--set', 'width=12', '--out', 'out', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ generator: 'accumulator', top: 'accumulator', files: ['accumulator.v', 'files.f'] });
    const verilog = await readFile(join(cwd, 'out', 'accumulator.v'), 'utf8');
    expect(verilog).toContain('input  wire [11:0] in,');
    expect(verilog).toContain('output wire [15:0] out');
    // Default output folder: rtl-out/<generator name>.
    expect((await run('gen', join(DESIGNS, 'accumulator.ts'))).code).toBe(0);
    expect(existsSync(join(cwd, 'rtl-out', 'accumulator', 'accumulator.v'))).toBe(true);
  });

  it.skipIf(FAST_TIER)('synthesizes it', async () => {
    const result = await run('synth', join(DESIGNS, 'accumulator.ts'), '--target', 'ice40', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ target: 'ice40', top: 'accumulator', ff: 12 });
  });

  it('resolves a relative path against the working directory', async () => {
    const result = await run('gen', './no-such-design.ts');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe("lutforge: design file './no-such-design.ts' not found\n");
  });

  it('rejects a parameter its schema does not know', async () => {
    const result = await run('gen', join(DESIGNS, 'accumulator.ts'), '--set', 'depth=3', '--out', 'out');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/depth/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('reports DSL misuse at the line of the design file', async () => {
    const result = await run('gen', join(DESIGNS, 'narrowing.ts'), '--out', 'out');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^lutforge: tb\/cli\/fixtures\/designs\/narrowing\.ts:8: WidthMismatchError: /);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it.each([
    ['no-generator.ts', /exports no generator; export one made with defineGenerator/],
    ['two-generators.ts', /exports 2 generators \(first, second\) and no default/],
    ['syntax-error.mjs', /failed to load: /],
  ])('refuses %s', async (file, message) => {
    const result = await run('gen', join(DESIGNS, file), '--out', 'out');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});
