import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromText, listTree, makeTempDir, removeTempDir, runIn } from './cli-harness.js';

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

async function readConfigReached(outDir: string): Promise<unknown> {
  return configFromText(await readFile(join(outDir, 'counter.v'), 'utf8'));
}

describe('lutforge gen', () => {
  it('writes every module and files.f, children first and the top last', async () => {
    const run = await runIn(cwd, ['gen', 'counter']);
    expect(run).toEqual({ code: 0, stdout: 'wrote rtl-out/counter/ (4 files, top counter)\n', stderr: '' });
    const out = join(cwd, 'rtl-out', 'counter');
    expect((await readdir(out)).sort()).toEqual(['counter.v', 'counter_bit.v', 'counter_core.v', 'files.f']);
    expect(await readFile(join(out, 'files.f'), 'utf8')).toBe('counter_bit.v\ncounter_core.v\ncounter.v\n');
    expect(await readFile(join(out, 'counter_core.v'), 'utf8')).toContain('module counter_core;');
    expect(await readConfigReached(out)).toEqual({ width: 8, reset: 'sync', options: { enable: false, label: 'ctr' } });
    // No temporary or set-aside directories next to the output.
    expect(await readdir(join(cwd, 'rtl-out'))).toEqual(['counter']);
  });

  it('applies --set with dotted keys, JSON values and plain strings', async () => {
    const run = await runIn(cwd, [
      'gen', 'counter', '--set', 'width=16', '--set', 'options.enable=true',
      '--set', 'options.label=hello world', '--set', 'reset=async', '--out', 'o',
    ]);
    expect(run.code).toBe(0);
    expect(await readConfigReached(join(cwd, 'o'))).toEqual({
      width: 16, reset: 'async', options: { enable: true, label: 'hello world' },
    });
  });

  it('takes a JSON-quoted value as a string even when it looks like a number', async () => {
    const run = await runIn(cwd, ['gen', 'counter', '-s', 'options.label="42"', '-o', 'o']);
    expect(run.code).toBe(0);
    expect(await readConfigReached(join(cwd, 'o'))).toMatchObject({ options: { label: '42' } });
  });

  it('merges the config file with --set, --set winning', async () => {
    await writeFile(
      join(cwd, 'cfg.json'),
      JSON.stringify({ width: 4, reset: 'async', options: { enable: true, label: 'from-file' } }),
    );
    const run = await runIn(cwd, ['gen', 'counter', '--config', 'cfg.json', '--set', 'width=32', '--set', 'options.label=cli']);
    expect(run.code).toBe(0);
    expect(await readConfigReached(join(cwd, 'rtl-out', 'counter'))).toEqual({
      width: 32, reset: 'async', options: { enable: true, label: 'cli' },
    });
  });

  it('prints only JSON with --json', async () => {
    const run = await runIn(cwd, ['gen', 'counter', '--json', '--out', 'build/c']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      generator: 'counter',
      top: 'counter',
      out: join(cwd, 'build', 'c'),
      files: ['counter_bit.v', 'counter_core.v', 'counter.v', 'files.f'],
    });
  });

  it('replaces earlier output as a whole, dropping stale files', async () => {
    const out = join(cwd, 'rtl-out', 'counter');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'files.f'), 'stale.v\n');
    await writeFile(join(out, 'stale.v'), 'module stale; endmodule\n');
    expect((await runIn(cwd, ['gen', 'counter'])).code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['counter.v', 'counter_bit.v', 'counter_core.v', 'files.f']);
    expect(await readdir(join(cwd, 'rtl-out'))).toEqual(['counter']);
  });

  it('accepts --debug after the subcommand', async () => {
    expect((await runIn(cwd, ['gen', 'counter', '--debug'])).code).toBe(0);
  });
});

describe('lutforge gen: bad input exits 2 with one line and leaves nothing behind', () => {
  const cases: readonly {
    readonly title: string;
    readonly argv: readonly string[];
    readonly setup?: (dir: string) => Promise<void>;
    readonly message: string | RegExp;
  }[] = [
    {
      title: 'missing config file',
      argv: ['gen', 'counter', '--config', 'nope.json'],
      message: "lutforge: cannot read config file 'nope.json': no such file or directory (ENOENT)",
    },
    {
      title: 'config file that is not JSON',
      argv: ['gen', 'counter', '--config', 'bad.json'],
      setup: (dir) => writeFile(join(dir, 'bad.json'), '{\n  "width": 8,\n  "reset": }\n'),
      message: "lutforge: config file 'bad.json' is not valid JSON: Unexpected token '}' at line 3, column 12",
    },
    {
      title: 'config file holding an array',
      argv: ['gen', 'counter', '--config', 'list.json'],
      setup: (dir) => writeFile(join(dir, 'list.json'), '[1, 2]'),
      message: "lutforge: config file 'list.json' must hold a JSON object, not an array",
    },
    {
      title: 'unknown generator',
      argv: ['gen', 'countr'],
      message: "lutforge: unknown generator 'countr'; did you mean counter? (known: broken, counter, crashing)",
    },
    {
      title: 'unknown generator like none of the known ones',
      argv: ['gen', 'multiplier'],
      message: "lutforge: unknown generator 'multiplier' (known: broken, counter, crashing)",
    },
    {
      title: 'unknown parameter',
      argv: ['gen', 'counter', '--set', 'colour=red'],
      message: 'lutforge: counter: config.colour: unknown parameter (known: width, reset, options)',
    },
    {
      title: 'unknown nested parameter from the config file',
      argv: ['gen', 'counter', '--config', 'cfg.json'],
      setup: (dir) => writeFile(join(dir, 'cfg.json'), '{"options": {"colour": "red"}}'),
      message: 'lutforge: counter: config.options.colour: unknown parameter (known: enable, label)',
    },
    {
      title: 'out-of-range value',
      argv: ['gen', 'counter', '--set', 'width=5000'],
      message: 'lutforge: counter: config.width: Too big: expected number to be <=64 (got 5000)',
    },
    {
      title: 'wrongly typed values, all reported on one line',
      argv: ['gen', 'counter', '--set', 'width=wide', '--set', 'reset=never'],
      message:
        'lutforge: counter: config.width: Invalid input: expected number, received string (got "wide"); ' +
        'config.reset: Invalid option: expected one of "sync"|"async" (got "never")',
    },
    {
      title: '--set without =',
      argv: ['gen', 'counter', '--set', 'width'],
      message: 'lutforge: --set width: expected key=value',
    },
    {
      title: '--set into a parameter that is not an object',
      argv: ['gen', 'counter', '--set', 'width=8', '--set', 'width.bits=3'],
      message: "lutforge: --set width.bits: 'width' is a number (8), not an object",
    },
    {
      title: 'output directory whose parent is a regular file',
      argv: ['gen', 'counter', '--out', 'afile/out'],
      setup: (dir) => writeFile(join(dir, 'afile'), 'not a directory\n'),
      message: "lutforge: cannot write output directory 'afile/out': 'afile' is not a directory",
    },
    {
      title: 'output directory that holds something else',
      argv: ['gen', 'counter', '--out', 'src'],
      setup: async (dir) => {
        await mkdir(join(dir, 'src'));
        await writeFile(join(dir, 'src', 'precious.ts'), '');
      },
      message: /^lutforge: cannot write output directory 'src': it is not empty and has no files\.f/,
    },
    {
      title: 'DSL misuse inside generate',
      argv: ['gen', 'broken'],
      message: "lutforge: tb/cli/cli-harness.ts:12: WidthMismatchError: cannot assign a 3-bit value to 'q' (4 bits wide)",
    },
    { title: 'unknown option', argv: ['gen', 'counter', '--colour'], message: "lutforge: unknown option '--colour'" },
    {
      title: 'missing generator argument',
      argv: ['gen'],
      message: "lutforge: missing required argument 'generator'",
    },
    {
      title: 'unknown command',
      argv: ['gne', 'counter'],
      message: "lutforge: unknown command 'gne' (Did you mean gen?)",
    },
    { title: 'extra argument', argv: ['gen', 'counter', 'fifo'], message: /^lutforge: too many arguments/ },
  ];

  for (const { title, argv, setup, message } of cases) {
    it(title, async () => {
      await setup?.(cwd);
      const before = await listTree(cwd);
      const run = await runIn(cwd, argv);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.endsWith('\n')).toBe(true);
      const lines = run.stderr.slice(0, -1).split('\n');
      expect(lines).toHaveLength(1);
      if (typeof message === 'string') expect(lines[0]).toBe(message);
      else expect(lines[0]).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(await listTree(cwd)).toEqual(before);
    });
  }

  it('shows the stack trace with --debug', async () => {
    const run = await runIn(cwd, ['--debug', 'gen', 'broken']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe("lutforge: tb/cli/cli-harness.ts:12: WidthMismatchError: cannot assign a 3-bit value to 'q' (4 bits wide)");
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('lutforge: other outcomes', () => {
  it('reports an internal error with exit code 1 and a hint, no stack', async () => {
    const run = await runIn(cwd, ['gen', 'crashing']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'lutforge: internal error: cannot read properties of undefined (rerun with --debug for the stack trace)\n',
    );
    expect(await listTree(cwd)).toEqual([]);
  });

  it('lists generators with their parameters', async () => {
    const run = await runIn(cwd, ['list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('counter   an up counter\n');
    expect(run.stdout).toMatch(/^ {4}width\s+integer 1\.\.64\s+default 8\s+counter width in bits$/m);
    expect(run.stdout).toMatch(/^ {4}reset\s+"sync"\|"async"\s+default "sync"$/m);
    expect(run.stdout).toMatch(/^ {4}options\s+object\s+default \{"enable":false,"label":"ctr"\}$/m);
  });

  it('lists generators as JSON with their parameter schemas', async () => {
    const run = await runIn(cwd, ['list', '--json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as {
      generators: { name: string; description: string; parameters: { properties: Record<string, unknown> } }[];
    };
    expect(listed.generators.map((generator) => generator.name)).toEqual(['broken', 'counter', 'crashing']);
    expect(listed.generators[1]?.parameters.properties['width']).toMatchObject({ type: 'integer', default: 8, maximum: 64 });
  });

  it.each([[['--help']], [['gen', '--help']], [['list', '--help']], [['help', 'gen']]])(
    '%j prints usage with an example and exits 0',
    async (argv) => {
      const run = await runIn(cwd, argv);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: lutforge/);
      expect(run.stdout).toMatch(/Examples?:\n {2}\$ lutforge /);
      expect(run.stderr).toBe('');
    },
  );

  it('prints the version', async () => {
    expect(await runIn(cwd, ['--version'])).toEqual({ code: 0, stdout: '9.9.9-test\n', stderr: '' });
  });

  it('exits 2 with the usage on stderr when no command is given', async () => {
    const run = await runIn(cwd, []);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: lutforge/);
  });
});
