// The conventions every command shares, checked on the real program's command tree so a new
// command (or subcommand) that skips one fails here: help ending in examples of that very
// command, examples that the program actually accepts (options, generators, --set keys, proofs),
// --json, --progress on the long commands; then the cheap behaviour behind them: JSON that
// parses, the --wave hint naming a VCD that exists, progress on stderr only, the exit codes.

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../cli/design-source.js';
import { shellWord, waveHint } from '../../cli/output.js';
import { createProgram } from '../../cli/program.js';
import { matmulEngines } from '../../generators/engines.js';
import { registry } from '../../generators/index.js';
import { lutLlmEngine } from '../../generators/lut-llm/index.js';
import type { GeneratorSpec } from '../../generators/registry.js';
import { selectProofs } from '../../prove/catalog.js';
import { makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';
import { FAST_TIER } from '../test-tiers.js';

const silent = { write: () => true };

/** Every command below the root, as the words that invoke it ('explore merge'). */
function commandTree(root: Command): { path: string; command: Command }[] {
  const walk = (command: Command, prefix: readonly string[]): { path: string; command: Command }[] =>
    command.commands.flatMap((sub) => {
      const words = [...prefix, sub.name()];
      return [{ path: words.join(' '), command: sub }, ...walk(sub, words)];
    });
  return walk(root, []);
}

const commands = commandTree(createProgram({ registry, stdout: silent, stderr: silent }));

// Commands allowed to have no --json, each with the reason. Empty: every command has a result a
// script may want.
const NO_JSON = new Set<string>([]);

// The commands that can run for more than a few seconds (Yosys, simulators, k-means, sweeps).
const LONG = ['synth', 'sim', 'run', 'quantize', 'quantize-block', 'explore', 'prove', 'schematic'];

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

const run = (...argv: string[]): Promise<CliRun> => runIn(cwd, argv, registry);

/** The help of a command, or of the program for ''. */
async function helpOf(path: string): Promise<string> {
  const help = await run(...(path === '' ? [] : path.split(' ')), '--help');
  expect(help.code).toBe(0);
  return help.stdout;
}

/** The `$ lutforge ...` lines of a help text's Examples block, without the `$ lutforge `. */
function examplesOf(help: string): string[] {
  const block = help.split('\nExamples:\n')[1] ?? '';
  return [...block.matchAll(/^ {2}\$ lutforge (.*)$/gm)].map((match) => match[1]!);
}

/** Shell words of an example: quotes honoured, a redirection and what follows dropped. */
function words(line: string): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    const word = match[1] ?? match[2] ?? match[3]!;
    if (match[3] !== undefined && /^[>|]/.test(word)) break;
    found.push(word);
  }
  return found;
}

/** The generator whose parameters a command's --set reaches, or undefined when it takes no generator. */
function specFor(command: Command, args: readonly unknown[]): GeneratorSpec | undefined {
  const commandName = command.name();
  const first = typeof args[0] === 'string' ? args[0] : undefined;
  if (commandName === 'quantize' || commandName === 'model') return lutLlmEngine.generator as GeneratorSpec;
  if (commandName === 'run') {
    if (first === 'lut-llm') return lutLlmEngine.generator as GeneratorSpec;
    if (first === 'lut-llm-block') return registry.get('lut-llm-block');
    const engine = first === undefined ? undefined : (matmulEngines as ReadonlyMap<string, { generator: GeneratorSpec }>).get(first);
    expect(engine, `run: unknown engine '${first}'`).toBeDefined();
    return engine?.generator;
  }
  // The design commands (gen, synth, sim, ...) name a registered generator first.
  if (command.registeredArguments[0]?.name() === 'generator') {
    const spec = first === undefined ? undefined : registry.get(first);
    expect(spec, `${commandName}: unknown generator '${first}'`).toBeDefined();
    return spec;
  }
  return undefined;
}

/**
 * Parses an example with the real program, every action replaced by a check of what the action
 * would be given: commander rejects unknown options and missing required ones, the check rejects
 * unknown generators, engines and proofs and --set keys or values the schema refuses.
 */
async function parseExample(example: string): Promise<void> {
  const program = createProgram({ registry, stdout: silent, stderr: silent, cwd });
  const checks: Promise<unknown>[] = [];
  for (const { command } of commandTree(program)) {
    command.action((...args: unknown[]) => {
      const options = command.opts<{ config?: string; set?: string[] }>();
      if (command.name() === 'prove') selectProofs(args[0] as string[]);
      const spec = specFor(command, args);
      // A --config file of an example does not exist here; the --set values alone are checked then.
      if (spec !== undefined && options.config === undefined) checks.push(buildConfig(spec, { set: options.set ?? [] }, cwd));
    });
  }
  await program.parseAsync(words(example), { from: 'user' });
  await Promise.all(checks);
}

describe('every command of the program', () => {
  it('has the commands this test was written for (a new one is checked too)', () => {
    expect(commands.map(({ path }) => path)).toEqual(expect.arrayContaining(['list', 'gen', 'synth', 'sim', 'run', 'quantize', 'explore', 'explore merge', 'prove']));
  });

  it.each(commands.map(({ path }) => path))('%s: --help ends with an Examples block of this command', async (path) => {
    const help = await helpOf(path);
    const [, block] = help.split('\nExamples:\n');
    expect(block, `no Examples block in the help of ${path}`).toBeDefined();
    // Only example lines (and blank ones) after the heading: the block ends the help.
    for (const line of (block ?? '').split('\n')) expect(line === '' || line.startsWith('  '), `'${line}' after the examples of ${path}`).toBe(true);
    const own = examplesOf(help).filter((example) => example === path || example.startsWith(`${path} `));
    expect(own.length, `no '$ lutforge ${path} ...' example`).toBeGreaterThan(0);
  });

  it.each(commands.map(({ path }) => path))('%s: every example parses with the real options, generators and parameters', async (path) => {
    for (const example of examplesOf(await helpOf(path))) {
      await expect(parseExample(example).then(() => 'ok'), `lutforge ${example}`).resolves.toBe('ok');
    }
  });

  it.each(['gen no-such-generator', 'gen counter --set colour=1', 'sim fifo --in a.bin --no-such-option', 'run tensor-core --act A.npy --out Y.npy --set wbits=9', 'prove no/such/proof', 'quantize --weight W.npy'])(
    'the example check itself rejects a broken example: %s',
    async (example) => {
      await expect(parseExample(example)).rejects.toThrow();
    },
  );

  it('the root help has examples, and they parse', async () => {
    const examples = examplesOf(await helpOf(''));
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) await expect(parseExample(example).then(() => 'ok'), `lutforge ${example}`).resolves.toBe('ok');
  });

  it.each(commands.map(({ path, command }) => [path, command] as const))('%s: has --json', (path, command) => {
    if (NO_JSON.has(path)) return;
    expect(command.options.map((option) => option.long)).toContain('--json');
  });

  it.each(LONG)('%s: has --progress', (path) => {
    const command = commands.find((entry) => entry.path === path)?.command;
    expect(command?.options.map((option) => option.long)).toContain('--progress');
  });
});

describe('the shared behaviour', () => {
  it('list --json and gen counter --json print one JSON document', async () => {
    const list = await run('list', '--json');
    expect(list.code).toBe(0);
    const names = (JSON.parse(list.stdout) as { generators: { name: string }[] }).generators.map((generator) => generator.name);
    expect(names).toEqual(expect.arrayContaining(['counter', 'fifo']));

    const gen = await run('gen', 'counter', '--json', '--out', 'build/c');
    expect([gen.code, gen.stderr]).toEqual([0, '']);
    const summary = JSON.parse(gen.stdout) as { out: string; files: string[] };
    expect(summary.out).toBe(join(cwd, 'build/c'));
    for (const file of summary.files) expect(existsSync(join(summary.out, file))).toBe(true);
  });

  it.skipIf(FAST_TIER)('sim --wave says where the VCD is and how to open it; --progress reports phases on stderr only', async () => {
    await writeFile(join(cwd, 'words.bin'), Uint8Array.from({ length: 12 }, (_, i) => i * 7));
    const text = await run('sim', 'fifo', '--in', 'words.bin', '--out', 'out/r.bin', '--wave', '--progress', '--simulator', 'icarus');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^fifo \(icarus\): \d+ cycles; .*\nwaveform: out\/r\.bin\.vcd \(open with: gtkwave out\/r\.bin\.vcd, or surfer out\/r\.bin\.vcd\)\n$/);
    expect(existsSync(join(cwd, 'out/r.bin.vcd'))).toBe(true);
    expect(text.stderr).toMatch(/^\[sim \+\d+\.\d s\] generating fifo\.\.\.\n(.*\n)*\[sim \+\d+\.\d s\] simulating\.\.\.\n(.*\n)*\[sim \+\d+\.\d s\] done\n$/);

    const json = await run('sim', 'fifo', '--in', 'words.bin', '--out', 'r.bin', '--wave', 'w/fifo.vcd', '--json', '--progress', '--simulator', 'icarus');
    expect(json.code, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout) as { wave: string };
    expect(summary.wave).toBe(join(cwd, 'w/fifo.vcd'));
    expect(existsSync(summary.wave)).toBe(true);
    expect(json.stderr).toContain('simulating...');
    expect(json.stderr).not.toContain('waveform:');
  });

  it.skipIf(FAST_TIER)('exits 1 on a failed check and 2 on bad input, with nothing on stdout under --json', async () => {
    await writeFile(join(cwd, 'words.bin'), new Uint8Array(12));
    const limit = await run('sim', 'fifo', '--in', 'words.bin', '--out', 'r.bin', '--expect', '20', '--max-cycles', '5', '--simulator', 'icarus', '--json');
    expect([limit.code, limit.stdout]).toEqual([1, '']);
    expect(limit.stderr).toMatch(/^lutforge: simulation of 'fifo' \(icarus\) hit the cycle limit/);
    for (const argv of [['gen', 'no-such-generator', '--json'], ['list', '--no-such-option'], ['run', 'tensor-core', '--act', 'A.npy', '--weight', 'Q.npy', '--out', 'Y.npy', '--json']]) {
      const bad = await run(...argv);
      expect([argv, bad.code, bad.stdout]).toEqual([argv, 2, '']);
    }
  });

  it('quotes a VCD path for the shell only when it needs it', () => {
    expect(waveHint('out/Y.vcd')).toBe('waveform: out/Y.vcd (open with: gtkwave out/Y.vcd, or surfer out/Y.vcd)');
    expect(shellWord("my run's/Y.vcd")).toBe(`'my run'\\''s/Y.vcd'`);
  });
});
