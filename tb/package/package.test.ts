// lutforge as a dependency: pack it, install the tarball into a new project, and use it there the
// way a user would. The project writes its own design (a parameterized MAC unit) with the public
// API, generates it with the installed CLI, type-checks against the shipped declarations,
// simulates it in Verilator from its own vitest test, and synthesizes it.

import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedProject, packedTarball } from './tarball.js';

const MAC_DESIGN = `import { defineGenerator, emitVerilog, moduleGenerator, SInt, z } from 'lutforge';

export interface MacParams {
  readonly width: number;
  readonly accBits: number;
}

/** acc += a * b every cycle, a and b signed; synchronous reset clears the accumulator. */
export const macUnit = moduleGenerator('mac_unit', (m, { width, accBits }: MacParams) => {
  const a = m.input('a', SInt(width));
  const b = m.input('b', SInt(width));
  const acc = m.reg('acc', SInt(accBits), { init: 0 });
  const out = m.output('acc_out', SInt(accBits));
  acc.assign(acc.addWrap(a.mul(b).sext(accBits)));
  out.assign(acc);
  return { a, b, out };
});

export default defineGenerator({
  name: 'mac',
  description: 'a signed multiply-accumulate unit',
  schema: z.strictObject({
    width: z.number().int().min(2).max(32).default(8),
    accBits: z.number().int().min(4).max(64).default(24),
  }),
  generate: (config) => emitVerilog(macUnit(config)),
});
`;

// The user's test: the design in Verilator against a plain TypeScript model, then synthesized.
const MAC_TEST = `import { expect, test } from 'vitest';
import { seededRandom } from 'lutforge/golden';
import { Simulation } from 'lutforge/sim';
import { synthesize } from 'lutforge/synth';
import mac from './mac.ts';

const config = { width: 6, accBits: 16 };

function wrap(value: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, value);
}

async function expectMacMatches(offset: bigint): Promise<void> {
  const sim = await Simulation.start(mac.generate(config));
  try {
    sim.poke({ rst: 1, a: 0, b: 0 });
    sim.step();
    sim.poke({ rst: 0 });
    const random = seededRandom(7);
    let model = 0n;
    for (let i = 0; i < 200; i++) {
      const a = random(-32, 31);
      const b = random(-32, 31);
      sim.poke({ a, b });
      sim.step();
      model = wrap(model + BigInt(a * b), config.accBits);
      expect(await sim.peek('acc_out')).toBe(model + offset);
    }
  } finally {
    await sim.close();
  }
}

test('the MAC accumulates like its model', () => expectMacMatches(0n), 120_000); // the first run builds the model

// The simulation really is compared: against a wrong model the same check fails.
test.fails('the MAC differs from a wrong model', () => expectMacMatches(1n), 120_000);

test('the MAC synthesizes', async () => {
  const { report } = await synthesize(mac.generate(config), 'cmos');
  expect(report.target).toBe('cmos');
  if (report.target === 'cmos') expect(report.transistors).toBeGreaterThan(100);
}, 120_000);
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    // vitest's declarations use Disposable.
    lib: ['ES2022', 'ESNext.Disposable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['*.ts'],
};

let project: string;
let tarball: string;

beforeAll(async () => {
  tarball = await packedTarball();
  project = await mkdtemp(path.join(tmpdir(), 'lutforge-user-'));
  await installedProject(project, tarball);
  await writeFile(path.join(project, 'mac.ts'), MAC_DESIGN);
  await writeFile(path.join(project, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
}, 600_000);

afterAll(async () => {
  if (project !== undefined) await rm(project, { recursive: true, force: true });
});

function inProject(command: string, args: readonly string[]) {
  return execa(command, args, { cwd: project, reject: false, stdin: 'ignore', env: { NO_COLOR: '1', FORCE_COLOR: '0' } });
}

describe('the packed package', () => {
  it('ships compiled code and declarations, and no sources or tests', async () => {
    const listing = await execa('tar', ['-tzf', tarball]);
    const files = listing.stdout.split('\n');
    for (const entry of ['index', 'sim', 'synth', 'golden', 'generators']) {
      expect(files).toContain(`package/dist/api/${entry}.js`);
      expect(files).toContain(`package/dist/api/${entry}.d.ts`);
    }
    expect(files).toContain('package/dist/synth/scripts/cmos.ys');
    expect(files).toContain('package/dist/synth/yosys-worker.mjs');
    expect(files).toContain('package/dist/host/lut-llm/models/qwen3-1.7b.json');
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => /test|\/tb\//.test(file))).toEqual([]);
    expect(files).toContain('package/dist/golden/lut-llm.js');
  });

  it('exposes only its entry points', async () => {
    const entry = await inProject('node', ['--input-type=module', '-e', "import('lutforge/dsl/emit.js').then(() => console.log('reached'), (e) => console.log(e.code))"]);
    expect(entry.stdout).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    const api = await inProject('node', [
      '--input-type=module',
      '-e',
      "const l = await import('lutforge'); const g = await import('lutforge/generators'); console.log(typeof l.defineModule, typeof l.emitVerilog, typeof g.runMatmul, g.registry.size)",
    ]);
    expect(api.stdout).toBe('function function function 9');
  });

  it('generates the user design with the installed CLI', async () => {
    const gen = await inProject('npx', ['lutforge', 'gen', './mac.ts', '--set', 'width=6', '--set', 'accBits=16', '--json']);
    expect(gen.exitCode, gen.stderr).toBe(0);
    const summary = JSON.parse(gen.stdout) as { top: string; files: string[]; out: string };
    expect(summary.top).toBe('mac_unit');
    expect(summary.files).toEqual(['mac_unit.v', 'files.f']);
    const verilog = await readFile(path.join(summary.out, 'mac_unit.v'), 'utf8');
    expect(verilog).toMatch(/module mac_unit \(/);
    // Source locations point into the user's file.
    expect(verilog).toContain('mac.ts:');

    const bad = await inProject('npx', ['lutforge', 'gen', './mac.ts', '--set', 'width=99']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/width/);
  });

  it('models a shipped model by name with the installed CLI', async () => {
    const model = await inProject('npx', ['lutforge', 'model', 'lut-llm', '--dims', 'qwen3-1.7b', '--json']);
    expect(model.exitCode, model.stderr).toBe(0);
    expect(JSON.parse(model.stdout)).toMatchObject({ dims: { name: 'Qwen3 1.7B', layers: 28 }, decode: { tokens: 1 } });
  });

  it('names the shipped generator files in the comments of a built-in design', async () => {
    const gen = await inProject('npx', ['lutforge', 'gen', 'counter', '--out', 'counter-out']);
    expect(gen.exitCode, gen.stderr).toBe(0);
    const verilog = await readFile(path.join(project, 'counter-out', 'counter.v'), 'utf8');
    // A file the package ships, not a checkout path nor '<unknown>'.
    expect(verilog).toMatch(/^\/\/ counter from lutforge\/dist\/generators\/examples\/counter\.js:\d+/m);
    expect(verilog).not.toContain('<unknown>');
  });

  it("type-checks the user's code against the shipped declarations", async () => {
    await writeFile(path.join(project, 'mac.test.ts'), MAC_TEST);
    const tsc = await inProject('npx', ['tsc', '-p', '.']);
    expect(tsc.exitCode, tsc.stdout).toBe(0);
    // A misuse is caught by the declarations, not only at run time.
    await writeFile(path.join(project, 'misuse.ts'), "import { SInt } from 'lutforge';\nexport const shape = SInt('eight');\n");
    const misuse = await inProject('npx', ['tsc', '-p', '.']);
    await rm(path.join(project, 'misuse.ts'));
    expect(misuse.exitCode).not.toBe(0);
    expect(misuse.stdout).toMatch(/misuse\.ts.*not assignable to parameter of type 'number'/);
  });

  it("simulates in Verilator and synthesizes from the user's own vitest test", async () => {
    const run = await inProject('npx', ['vitest', 'run', '--reporter=verbose']);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/✓ mac\.test\.ts > the MAC accumulates like its model/);
    expect(run.stdout).toMatch(/✓ mac\.test\.ts > the MAC differs from a wrong model/);
    expect(run.stdout).toMatch(/✓ mac\.test\.ts > the MAC synthesizes/);
    expect(run.stdout).toMatch(/Tests {2}3 passed \(3\)/);
  });

  it('synthesizes the user design with the installed CLI', async () => {
    const synth = await inProject('npx', ['lutforge', 'synth', './mac.ts', '--set', 'width=6', '--target', 'ice40', '--json']);
    expect(synth.exitCode, synth.stderr).toBe(0);
    const report = JSON.parse(synth.stdout) as { target: string; top: string; lut: number; dsp: number };
    expect([report.target, report.top]).toEqual(['ice40', 'mac_unit']);
    // The 24-bit accumulator's adder is in LUTs whether or not the product goes to a DSP block.
    expect(report.lut).toBeGreaterThan(10);
  });

  // As with `npm install -g ./lutforge-0.1.0.tgz` or `npx --package`: the command installed in one
  // place, the user's design files in a folder where lutforge is not installed.
  it('runs from a folder where lutforge is not installed, lending its own lutforge to design files', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'lutforge-elsewhere-'));
    const bin = path.join(project, 'node_modules', 'lutforge', 'bin', 'lutforge.mjs');
    const lutforge = (...args: string[]) => execa('node', [bin, ...args], { cwd: elsewhere, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } });
    try {
      const list = await lutforge('list');
      expect(list.exitCode, list.stderr).toBe(0);
      expect(list.stdout).toMatch(/^tensor-core {2}/m);
      // No package.json: an .mts file is an ES module, and 'lutforge' resolves to the running one.
      await writeFile(path.join(elsewhere, 'mac.mts'), MAC_DESIGN);
      const gen = await lutforge('gen', './mac.mts', '--set', 'width=6', '--json');
      expect(gen.exitCode, gen.stderr).toBe(0);
      expect(JSON.parse(gen.stdout)).toMatchObject({ top: 'mac_unit' });
      // A .ts file without "type": "module" is CommonJS, which no resolve hook reaches: said so.
      await writeFile(path.join(elsewhere, 'mac.ts'), MAC_DESIGN);
      const commonJs = await lutforge('gen', './mac.ts');
      expect(commonJs.exitCode).toBe(2);
      expect(commonJs.stderr).toMatch(/loads as CommonJS .* name it \.mts, or give its folder a package\.json with "type": "module"/);
      await writeFile(path.join(elsewhere, 'package.json'), '{ "type": "module" }\n');
      expect((await lutforge('gen', './mac.ts', '--out', 'mac-out')).exitCode).toBe(0);
      expect(await readFile(path.join(elsewhere, 'mac-out', 'mac_unit.v'), 'utf8')).toContain('module mac_unit (');
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
