// Same config, same bytes (docs/design/architecture.md, DSL principle 7), for every registered
// generator at its default and at non-default configs: two generations in one process; `lutforge
// gen` from a config file, from the same config with its keys in reverse order, and from `--set`
// flags; and the real CLI in two fresh processes, one of them with another time zone, another
// locale, another temp directory, another working directory with relative paths, and the designs in
// reverse order. Every output tree must be byte for byte the same as every other. The reverse order
// is what caught a real leak: a library module (the FP32 adder) shared between designs kept the
// source line of whichever design had asked for it first (see moduleGenerator in dsl/elaborate.ts).
//
// No schema has nested parameters today, so there are no dotted keys to exercise; the key
// reversal and the --set flags recurse anyway, so a nested schema is covered the day one appears.
//
// Spawning a CLI costs about a second of start-up, so each fresh process generates every design in
// a loop (runCli with the real registry, as cli/main.ts does), and the real bin shim is spawned
// for one design only.

import { createRequire } from 'node:module';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/program.js';
import type { EmittedDesign } from '../dsl/design.js';
import { registry } from '../generators/index.js';
import { makeTempDir, removeTempDir } from './cli/cli-harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'lutforge.mjs');

interface Job {
  readonly generator: string;
  /** As a user would write it; `{}` is the default configuration. */
  readonly config: Readonly<Record<string, unknown>>;
}

// Every generator at its default and at one or two others: floating-point formats, the ablation
// variants, LUT-LLM's other distances, formats and shapes, and example corner cases.
const JOBS: readonly Job[] = [
  { generator: 'tensor-core', config: {} },
  { generator: 'tensor-core', config: { act: 'bf16', wbits: 3, k: 3, n: 5, maxK: 1000 } },
  { generator: 'tensor-core', config: { act: 'int16', precompute: 'per-unit', symmetric: false, reinterpret: false, m: 3, n: 4, wbits: 4 } },
  { generator: 'mac', config: {} },
  { generator: 'mac', config: { act: 'fp8e4m3', wbits: 1, n: 4, k: 5 } },
  { generator: 'mac', config: { narrowWeights: true, act: 'int16', wbits: 3, k: 3, n: 7 } },
  { generator: 'add', config: {} },
  { generator: 'add', config: { act: 'int16', wbits: 4, k: 2, n: 5, m: 3 } },
  { generator: 'lut-llm', config: {} },
  { generator: 'lut-llm', config: { act: 'fp16', distance: 'l2', dequant: true, tableBits: 4, ca: 10, cw: 5, groupCols: 16, lookupsPerCycle: 8, maxK: 96, maxT: 8 } },
  { generator: 'lut-llm', config: { act: 'int16', distance: 'l1', v: 3, ca: 10, cw: 5, groupCols: 6, lookupsPerCycle: 2, maxK: 30, maxT: 3, searchUnits: 3 } },
  { generator: 'dot-product', config: {} },
  { generator: 'dot-product', config: { kind: 'lut', act: 'fp16', k: 3, wbits: 2, units: 4, table: 'naive' } },
  { generator: 'dot-product', config: { kind: 'mac', act: 'bf16', k: 2, wbits: 3, units: 3 } },
  { generator: 'counter', config: {} },
  { generator: 'counter', config: { modulo: 1000 } },
  { generator: 'adder-tree', config: {} },
  { generator: 'adder-tree', config: { inputs: 13, width: 5, signed: true, levelsPerStage: 2 } },
  { generator: 'fifo', config: {} },
  { generator: 'fifo', config: { depth: 5, width: 70 } },
];

/** The real bin shim runs this one: an FP engine, the richest in library modules. */
const BIN_JOBS = [1] as const;

const label = (index: number): string => `${String(index).padStart(2, '0')}-${JOBS[index]!.generator}`;

/** The same value with the keys of every object, at every depth, in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reverseKeys(inner)]));
}

/** `--set` flags for a config, last key first, nested keys dotted. */
function setFlags(config: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  return Object.entries(config)
    .reverse()
    .flatMap(([key, value]) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? setFlags(value as Record<string, unknown>, `${prefix}${key}.`)
        : ['--set', `${prefix}${key}=${JSON.stringify(value)}`],
    );
}

function validated(job: Job): Record<string, unknown> {
  const spec = registry.get(job.generator);
  if (spec === undefined) throw new Error(`no generator ${job.generator}`);
  return spec.schema.parse(job.config) as Record<string, unknown>;
}

function generate(generator: string, config: unknown): EmittedDesign {
  const spec = registry.get(generator);
  if (spec === undefined) throw new Error(`no generator ${generator}`);
  return spec.generate(spec.schema.parse(config));
}

type Tree = ReadonlyMap<string, Buffer>;

async function readTree(dir: string): Promise<Tree> {
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name))] as const)));
}

/** Fails naming the first file and line that differ, rather than dumping two whole trees. */
function expectSameTree(actual: Tree, expected: Tree, what: string): void {
  expect([...actual.keys()], `${what}: file names`).toEqual([...expected.keys()]);
  for (const [name, bytes] of expected) {
    const other = actual.get(name)!;
    if (other.equals(bytes)) continue;
    const want = bytes.toString('utf8').split('\n');
    const got = other.toString('utf8').split('\n');
    const line = want.findIndex((text, i) => got[i] !== text);
    expect.fail(`${what}: ${name} differs at line ${line + 1}:\n  expected ${JSON.stringify(want[line])}\n  got      ${JSON.stringify(got[line])}`);
  }
}

const silent = { write: () => true };

/** `lutforge gen` in this process, relative paths against `cwd`; fails on a non-zero exit. */
async function genInProcess(cwd: string, args: readonly string[]): Promise<void> {
  let errors = '';
  const code = await runCli(['gen', ...args], { registry, cwd, stdout: silent, stderr: { write: (text: string) => (errors += text) } });
  expect(code, errors).toBe(0);
}

const fromFile = new Map<number, Promise<Tree>>();

/** What in-process `lutforge gen` writes for job i from its config file (made once, on first use). */
function inProcessTree(i: number): Promise<Tree> {
  let tree = fromFile.get(i);
  if (tree === undefined) {
    const name = label(i);
    tree = genInProcess(work, [JOBS[i]!.generator, '--config', join('configs', `${name}.json`), '--out', join('file', name)]).then(() => readTree(join(work, 'file', name)));
    fromFile.set(i, tree);
  }
  return tree;
}

// A fresh Node process that runs `lutforge gen` once per argv in the file named by its last
// argument, in that order, with the real registry: the work of many spawns for one start-up.
const LOOP_SCRIPT = `
const [program, generators, jobsFile] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const { runCli } = await import(program);
const { registry } = await import(generators);
for (const argv of JSON.parse(readFileSync(jobsFile, 'utf8'))) {
  const code = await runCli(argv, { registry });
  if (code !== 0) { process.exitCode = code; break; }
}
`;

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function spawnLoop(cwd: string, jobsFile: string, env: Readonly<Record<string, string>>): ResultPromise {
  const program = pathToFileURL(join(ROOT, 'cli', 'program.ts')).href;
  const generators = pathToFileURL(join(ROOT, 'generators', 'index.ts')).href;
  return execa('node', ['--import', tsxLoader, '--input-type=module', '-e', LOOP_SCRIPT, program, generators, jobsFile], {
    cwd,
    env,
    reject: false,
    stdin: 'ignore',
  });
}

// Everything that could leak into the output of careless code: the clock's zone, the locale
// (Turkish upper-cases i to a dotted capital), the temp directory.
const OTHER_ENV = { TZ: 'Asia/Kathmandu', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8', LANGUAGE: 'tr' };

let work: string;
/** Config files: `<label>.json` as validated (schema order), `<label>.reversed.json` keys reversed. */
let configs: string;
let spawned: Promise<{ plain: Awaited<ResultPromise>; other: Awaited<ResultPromise>; bins: Awaited<ResultPromise>[] }>;

beforeAll(async () => {
  work = await makeTempDir();
  configs = join(work, 'configs');
  const otherCwd = join(work, 'elsewhere', 'cwd');
  const otherTmp = join(work, 'elsewhere', 'tmp');
  await Promise.all([mkdir(configs), mkdir(otherCwd, { recursive: true }), mkdir(otherTmp, { recursive: true })]);
  await Promise.all(
    JOBS.flatMap((job, i) => [
      writeFile(join(configs, `${label(i)}.json`), JSON.stringify(validated(job), null, 2)),
      writeFile(join(configs, `${label(i)}.reversed.json`), JSON.stringify(reverseKeys(validated(job)), null, 2)),
    ]),
  );
  // Started now, awaited by the tests: the processes run while this one generates.
  const plainJobs = JOBS.map((job, i) => ['gen', job.generator, '--config', join(configs, `${label(i)}.json`), '--out', join(work, 'spawned-plain', label(i))]);
  // Relative paths, the reversed config files, and the designs in reverse order.
  const otherJobs = JOBS.map((job, i) => ['gen', job.generator, '--config', relative(otherCwd, join(configs, `${label(i)}.reversed.json`)), '--out', join('out', label(i))]);
  otherJobs.reverse();
  await writeFile(join(work, 'plain-jobs.json'), JSON.stringify(plainJobs));
  await writeFile(join(otherTmp, 'other-jobs.json'), JSON.stringify(otherJobs));
  const otherEnv = { ...OTHER_ENV, TMPDIR: otherTmp };
  spawned = (async () => {
    const [plain, other, ...bins] = await Promise.all([
      spawnLoop(ROOT, join(work, 'plain-jobs.json'), { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }),
      spawnLoop(otherCwd, join('..', 'tmp', 'other-jobs.json'), otherEnv),
      ...BIN_JOBS.map((i) =>
        execa('node', [BIN, 'gen', JOBS[i]!.generator, '--config', relative(otherCwd, join(configs, `${label(i)}.reversed.json`)), '--out', join('bin', label(i))], {
          cwd: otherCwd,
          env: otherEnv,
          reject: false,
          stdin: 'ignore',
        }),
      ),
    ]);
    return { plain, other, bins };
  })();
  // An unhandled rejection here would be reported apart from the test that awaits it.
  spawned.catch(() => undefined);
});

afterAll(async () => {
  await spawned?.catch(() => undefined);
  await removeTempDir(work);
});

describe('determinism: the same config gives the same bytes', () => {
  it('in one process: twice, the second time from the validated config with its keys reversed and in reverse order', () => {
    const first = JOBS.map((job) => generate(job.generator, job.config));
    const second = [...JOBS].reverse().map((job) => generate(job.generator, reverseKeys(validated(job)))).reverse();
    for (const [i, job] of JOBS.entries()) expect(second[i], `${job.generator} ${JSON.stringify(job.config)}`).toEqual(first[i]);
  });

  it('through `lutforge gen`: config file, the file with its keys reversed, and --set flags give identical directories', async () => {
    for (const [i, job] of JOBS.entries()) {
      const name = label(i);
      const file = await inProcessTree(i);
      await genInProcess(work, [job.generator, '--config', join('configs', `${name}.reversed.json`), '--out', join('reversed', name)]);
      await genInProcess(work, [job.generator, '--out', join('flags', name), ...setFlags(job.config)]);
      expect(file.size, `${name}: a .v per module and files.f`).toBeGreaterThanOrEqual(2);
      expectSameTree(await readTree(join(work, 'reversed', name)), file, `${job.generator} ${JSON.stringify(job.config)} (keys reversed)`);
      expectSameTree(await readTree(join(work, 'flags', name)), file, `${job.generator} ${JSON.stringify(job.config)} (--set)`);
    }
  });

  it('across processes: plain and other environments, in order and reversed, loop and bin shim, equal the in-process output', async () => {
    const { plain, other, bins } = await spawned;
    for (const run of [plain, other, ...bins]) expect(run.exitCode, `${run.command}\n${String(run.stderr)}`).toBe(0);
    for (const [i, job] of JOBS.entries()) {
      const name = label(i);
      const what = `${job.generator} ${JSON.stringify(job.config)}`;
      const inProcess = await inProcessTree(i);
      expectSameTree(await readTree(join(work, 'spawned-plain', name)), inProcess, `${what} (fresh process)`);
      expectSameTree(await readTree(join(work, 'elsewhere', 'cwd', 'out', name)), inProcess, `${what} (fresh process, other environment, reverse order)`);
    }
    for (const i of BIN_JOBS) {
      const name = label(i);
      expectSameTree(await readTree(join(work, 'elsewhere', 'cwd', 'bin', name)), await inProcessTree(i), `${JOBS[i]!.generator} (bin/lutforge.mjs)`);
    }
  });
});
