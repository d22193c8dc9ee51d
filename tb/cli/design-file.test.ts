// A user's own design named by its file on the command line: `gen`, `synth`, `sim` and
// `schematic` load its generator like a registered one, and every way the file can be wrong is
// bad input (exit 2) that names the file, with nothing written.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blameDesignFile, isDesignFile } from '../../cli/design-file.js';
import { UsageError } from '../../host/errors.js';
import { REPO_ROOT } from '../package/tarball.js';
import { readNpy, writeNpy } from '../../host/npy.js';
import { OWN_DESIGN_NOTE } from '../../synth/report.js';
import { registry } from '../../generators/index.js';
import { makeTempDir, matmulReference, removeTempDir, runIn, type CliRun } from './cli-harness.js';
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
    // The table of the user's own design does not compare it with the papers (the cache answers).
    const table = await run('synth', join(DESIGNS, 'accumulator.ts'), '--target', 'ice40');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(OWN_DESIGN_NOTE);
    expect(table.stdout).not.toMatch(/papers/);
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
    ['syntax-error.mjs', /^lutforge: tb\/cli\/fixtures\/designs\/syntax-error\.mjs:3:1: syntax error: Expected identifier but found end of file\n$/],
  ])('refuses %s', async (file, message) => {
    const result = await run('gen', join(DESIGNS, file), '--out', 'out');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});

describe('a design file that is wrong is reported at the line of the mistake', () => {
  /** Writes files into a project folder of its own (a package.json: paths are shown relative to it). */
  async function project(files: Record<string, string>): Promise<void> {
    await writeFile(join(cwd, 'package.json'), '{ "type": "module" }\n');
    for (const [file, text] of Object.entries(files)) {
      await mkdir(join(cwd, file, '..'), { recursive: true });
      await writeFile(join(cwd, file), text);
    }
  }

  it('gives the file, line and column of a syntax error, and esbuild\'s message', async () => {
    await project({ 'src/bad.ts': '// a comment\nconst width = 8;\nexport default {;\n' });
    const result = await run('gen', './src/bad.ts', '--out', 'out');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('lutforge: src/bad.ts:3:17: syntax error: Expected identifier but found ";"\n');
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('names an .mts design file as it is', async () => {
    await project({ 'src/bad.mts': 'export default {;\n' });
    const result = await run('gen', './src/bad.mts');
    expect(result).toMatchObject({ code: 2, stderr: 'lutforge: src/bad.mts:1:17: syntax error: Expected identifier but found ";"\n' });
  });

  it('finds a syntax error in a file the design file imports', async () => {
    await project({ 'src/main.ts': "import { width } from './lib.ts';\nexport default width;\n", 'src/lib.ts': 'export const width = 8;\nexport const depth = (;\n' });
    const result = await run('gen', './src/main.ts');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^lutforge: src\/lib\.ts:2:23: syntax error: Unexpected ";"\n$/);
  });

  it("blames the user's line for an exception their generator throws, not lutforge", async () => {
    const result = await run('gen', join(DESIGNS, 'throwing.ts'), '--set', 'width=32', '--out', 'out');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('lutforge: tb/cli/fixtures/designs/throwing.ts:15: too wide\n');
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    // The same file with a width it takes generates.
    expect((await run('gen', join(DESIGNS, 'throwing.ts'), '--set', 'width=8', '--out', 'out')).code).toBe(0);
  });

  it('keeps the stack of the user\'s exception for --debug', async () => {
    const result = await run('gen', join(DESIGNS, 'throwing.ts'), '--set', 'width=32', '--out', 'out', '--debug');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Caused by: Error: too wide\n\s+at checkWidth \(.*throwing\.ts:15:/);
  });

  it('blames the user for what the file throws while it loads, and names the kind of error', async () => {
    await project({ 'src/top.ts': 'export const x = 1;\nthrow new RangeError("no configuration");\n' });
    const result = await run('gen', './src/top.ts');
    expect(result).toMatchObject({ code: 2, stderr: 'lutforge: src/top.ts:2: RangeError: no configuration\n' });
  });

  it("blames the user for what a schema refinement of theirs throws", async () => {
    await project({
      'src/refine.ts': `import { defineGenerator, z } from '${join(DESIGNS, '../../../../api/index.js')}';
export default defineGenerator({
  name: 'refine',
  description: 'a refinement that throws',
  schema: z.strictObject({ n: z.number().default(1) }).refine((config) => {
    if (config.n > 1) throw new TypeError('n > 1 is not handled yet');
    return true;
  }),
  generate: () => { throw new Error('not reached'); },
});
`,
    });
    const result = await run('gen', './src/refine.ts', '--set', 'n=2');
    expect(result).toMatchObject({ code: 2, stderr: 'lutforge: src/refine.ts:6: TypeError: n > 1 is not handled yet\n' });
  });
});

describe('which exceptions are the user\'s', () => {
  const designFile = '/home/user/project/src/design.ts';
  const thrownAt = (...frames: string[]): Error => {
    const error = new Error('boom');
    error.stack = ['Error: boom', ...frames.map((frame) => `    at ${frame}`)].join('\n');
    return error;
  };
  const own = (file: string): string => `fn (${join(REPO_ROOT, file)}:10:5)`;

  it.each([
    ['in the design file', [`generate (${designFile}:7:11)`, own('cli/design-source.ts')], 'home/user/project/src/design.ts:7'],
    ['in Node, called by the design file', ['readFileSync (node:fs:441:20)', `${designFile}:3:1`], 'home/user/project/src/design.ts:3'],
    ['in a library the user called', ['parse (/home/user/project/node_modules/yaml/index.js:1:1)', `file:///home/user/project/src/lib.ts:4:2`], 'home/user/project/src/lib.ts:4'],
  ])('an exception thrown %s is theirs', (_where, frames, at) => {
    const blamed = blameDesignFile(thrownAt(...frames), designFile);
    expect(blamed).toBeInstanceOf(UsageError);
    expect((blamed as Error).message).toBe(`${at}: boom`);
  });

  it.each([
    ['in lutforge, called by the design file', [own('dsl/module.ts'), `${designFile}:7:11`]],
    ['in a library lutforge called', [`parse (${join(REPO_ROOT, 'node_modules/zod/index.js')}:1:1)`, own('host/config.ts'), `${designFile}:7:11`]],
    ['with no frame of the user', [own('cli/program.ts')]],
  ])('an exception thrown %s stays lutforge\'s', (_where, frames) => {
    const error = thrownAt(...frames);
    expect(blameDesignFile(error, designFile)).toBe(error);
  });

  it('leaves lutforge\'s own kinds of error alone', () => {
    const usage = new UsageError('bad');
    usage.stack = `UsageError: bad\n    at ${designFile}:1:1`;
    expect(blameDesignFile(usage, designFile)).toBe(usage);
  });
});

describe('a design file that defines a matrix engine, for run', () => {
  const ENGINE = join(DESIGNS, 'unsigned-core.ts');
  const SMALL = ['--set', 'n=4', '--set', 'k=4', '--set', 'm=2', '--set', 'maxK=16'];

  /** A (M x K, int8), Q (K x N, 2-bit codes), Z (N) in cwd; returns Y = A (Q - Z), row-major. */
  async function saveOperands(M: number, K: number, N: number): Promise<bigint[]> {
    const A = Int8Array.from({ length: M * K }, (_, i) => ((i * 37) % 256) - 128);
    const Q = Uint8Array.from({ length: K * N }, (_, i) => (i * 7) % 4);
    const Z = Int32Array.from({ length: N }, (_, i) => i % 4);
    await writeNpy(join(cwd, 'A.npy'), A, [M, K]);
    await writeNpy(join(cwd, 'Q.npy'), Q, [K, N]);
    await writeNpy(join(cwd, 'Z.npy'), Z, [N]);
    return matmulReference(A, Q, Z, M, K, N);
  }
  const operandFlags = ['--act', 'A.npy', '--weight', 'Q.npy', '--zero', 'Z.npy', '--out', 'Y.npy'];

  it.skipIf(FAST_TIER)('multiplies on the engine the file exports, like on a built-in one', async () => {
    const expected = await saveOperands(2, 8, 4);
    // Icarus: the file's engine is the point here, and Icarus builds this small engine in a second
    // where Verilator takes tens of seconds (the tutorial runs the same file in Verilator).
    const result = await run('run', ENGINE, ...SMALL, ...operandFlags, '--simulator', 'icarus');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^unsigned-core \(icarus\): Y \(2, 4\) int32 -> Y\.npy\ncycles \d+, ideal 4, /);
    const Y = await readNpy(join(cwd, 'Y.npy'), 'Y');
    expect(Array.from(Y.data as Int32Array, BigInt)).toEqual(expected);
  });

  it("checks the operands against the engine's configuration before building anything", async () => {
    await saveOperands(2, 20, 4);
    const result = await run('run', ENGINE, ...SMALL, ...operandFlags);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe("lutforge: K = 20 of 'A.npy' and 'Q.npy' exceeds maxK = 16 of this unsigned-core configuration (raise it with --set maxK=20)\n");
    expect(existsSync(join(cwd, 'Y.npy'))).toBe(false);
  });

  it('gives the same file to the other commands as a generator', async () => {
    const result = await run('gen', ENGINE, ...SMALL, '--out', 'out', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ generator: 'unsigned-core', top: 'unsigned_lut_engine' });
  });

  it('refuses a design file without an engine', async () => {
    await saveOperands(2, 8, 4);
    const result = await run('run', join(DESIGNS, 'accumulator.ts'), ...operandFlags);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^lutforge: design file '.*accumulator\.ts' exports no matrix engine; export one MatmulEngine from 'lutforge\/generators'/);
  });
});
