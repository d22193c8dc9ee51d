// The `lutforge` command line. Everything it touches (the generator registry, the output streams,
// the working directory) is injected, so tests drive the real program in-process against a fake
// registry and a temporary directory; cli/main.ts only wires in the real ones.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import type { EmittedDesign } from '../dsl/design.js';
import type { GeneratorRegistry, GeneratorSpec } from '../generators/registry.js';
import { OUTPUT_MARKER_FILE, type OutputFile, writeDirectoryAtomically } from './atomic.js';
import {
  type ConfigObject,
  formatConfigError,
  loadConfigFile,
  mergeConfig,
  parseSetArgument,
  safeJsonSchema,
  summarizeParameters,
} from './config.js';
import { ExitCode, UsageError, describeError, exitCodeFor } from './errors.js';

/** Where output goes; `process.stdout` and `process.stderr` fit. */
export interface TextSink {
  write(text: string): unknown;
}

export interface CliDeps {
  readonly registry: GeneratorRegistry;
  readonly stdout?: TextSink;
  readonly stderr?: TextSink;
  /** Directory that relative paths (`--config`, `--out`, the default output) resolve against. */
  readonly cwd?: string;
  /** Shown by `--version`; defaults to the version in package.json. */
  readonly version?: string;
}

/** What `gen --json` prints: the only thing on stdout, so scripts can parse it directly. */
export interface GenSummary {
  readonly generator: string;
  readonly top: string;
  /** Absolute path of the output directory. */
  readonly out: string;
  /** Every file written, in the order of files.f, then files.f itself. */
  readonly files: readonly string[];
}

interface GenOptions {
  readonly config?: string;
  readonly set?: readonly string[];
  readonly out?: string;
  readonly json?: boolean;
}

interface ListOptions {
  readonly json?: boolean;
}

/**
 * Runs the CLI on `argv` (the arguments after the script name) and returns the exit code
 * instead of exiting, printing any error as one `lutforge: ...` line on stderr.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const stderr = deps.stderr ?? process.stderr;
  // Read from argv rather than the parsed options: an error may come before parsing finishes.
  const debug = argv.includes('--debug');
  try {
    await createProgram(deps).parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    const text = describeError(error, { debug });
    if (text !== undefined) stderr.write(`${text}\n`);
    return exitCodeFor(error);
  }
}

export function createProgram(deps: CliDeps): Command {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const cwd = deps.cwd ?? process.cwd();
  const { registry } = deps;
  const knownNames = [...registry.keys()].sort();

  const program = new Command('lutforge')
    .description('Generate Verilog from lutforge hardware generators.')
    .version(deps.version ?? packageVersion(), '-V, --version', 'print the lutforge version')
    .option('--debug', 'print stack traces of errors')
    // Set before any subcommand exists: commander copies these settings into each subcommand.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      // Commander's errors surface as thrown CommanderErrors that runCli prints in the common
      // one-line format; printing them here as well would say everything twice.
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      `
Examples:
  $ lutforge list
  $ lutforge gen counter --set modulo=16 --out build/counter

Exit codes: 0 ok, 1 a check failed or an internal error, 2 bad input.`,
    );

  program
    .command('list')
    .description('list the generators and their parameters')
    .option('--json', 'print JSON (name, description, JSON Schema of the parameters) instead of text')
    .addHelpText('after', '\nExample:\n  $ lutforge list --json')
    .action((options: ListOptions) => {
      const specs = knownNames.map((name) => registry.get(name)).filter((spec) => spec !== undefined);
      stdout.write(options.json ? `${JSON.stringify(listAsJson(specs), null, 2)}\n` : listAsText(specs));
    });

  program
    .command('gen')
    .description('generate the Verilog of one design into a directory')
    .argument('<generator>', `generator to run (${knownNames.length > 0 ? knownNames.join(', ') : 'none registered'})`)
    .option('-c, --config <file>', 'JSON file with the generator parameters')
    .option(
      '-s, --set <key=value>',
      'set one parameter, overriding the config file (repeatable; dotted keys reach nested ' +
        'parameters; the value is read as JSON when it parses, else as a string)',
      // No commander default: it would print "(default: [])" in the help.
      (value: string, previous: readonly string[] | undefined) => [...(previous ?? []), value],
    )
    .option('-o, --out <dir>', 'output directory, replaced as a whole (default: rtl-out/<generator>/)')
    .option('--json', 'print a JSON summary {generator, top, out, files} instead of a line')
    .addHelpText(
      'after',
      `
Writes one <module>.v per module and ${OUTPUT_MARKER_FILE} (file names in compile order, top last;
relative to the output directory, e.g. for \`verilator -F\`).

Examples:
  $ lutforge gen counter --set modulo=16
  $ lutforge gen fifo --config fifo.json --set depth=32 --out build/fifo --json`,
    )
    .action(async (generatorName: string, options: GenOptions) => {
      const spec = registry.get(generatorName);
      if (spec === undefined) {
        const known = knownNames.length > 0 ? knownNames.join(', ') : 'none registered';
        throw new UsageError(`unknown generator '${generatorName}' (known: ${known})`);
      }
      const config = await buildConfig(spec, options, cwd);
      const design = spec.generate(config);
      const outArgument = options.out ?? join('rtl-out', spec.name);
      const outDir = resolve(cwd, outArgument);
      const files = designFiles(design);
      await writeDirectoryAtomically(outDir, files, { displayPath: outArgument });
      const summary: GenSummary = {
        generator: spec.name,
        top: design.top,
        out: outDir,
        files: files.map((file) => file.name),
      };
      if (options.json) {
        stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        const shownDir = outArgument.endsWith('/') ? outArgument : `${outArgument}/`;
        const count = `${files.length} file${files.length === 1 ? '' : 's'}`;
        stdout.write(`wrote ${shownDir} (${count}, top ${design.top})\n`);
      }
    });

  return program;
}

/** Config file first, then each `--set` in order, then the generator's schema decides. */
async function buildConfig(spec: GeneratorSpec, options: GenOptions, cwd: string): Promise<unknown> {
  // Parse every --set before reading the file, so a malformed flag is reported even if the file
  // is also wrong: the flag is the cheaper thing to fix.
  const settings = (options.set ?? []).map(parseSetArgument);
  const fromFile: ConfigObject =
    options.config === undefined ? {} : await loadConfigFile(resolve(cwd, options.config), options.config);
  const input = mergeConfig(fromFile, settings);
  const parsed = spec.schema.safeParse(input);
  if (!parsed.success) throw new UsageError(formatConfigError(spec.name, parsed.error, input, spec.schema));
  return parsed.data;
}

/** Everything `gen` writes, built in memory before any file is touched. */
export function designFiles(design: EmittedDesign): OutputFile[] {
  const moduleFiles = design.modules.map((module) => ({ name: module.fileName, contents: module.text }));
  const fileList = design.modules.map((module) => `${module.fileName}\n`).join('');
  return [...moduleFiles, { name: OUTPUT_MARKER_FILE, contents: fileList }];
}

function listAsJson(specs: readonly GeneratorSpec[]): unknown {
  return {
    generators: specs.map((spec) => ({
      name: spec.name,
      description: spec.description,
      parameters: safeJsonSchema(spec.schema) ?? null,
    })),
  };
}

function listAsText(specs: readonly GeneratorSpec[]): string {
  if (specs.length === 0) return 'no generators registered\n';
  const nameWidth = Math.max(...specs.map((spec) => spec.name.length));
  return specs
    .map((spec) => {
      const heading = `${spec.name.padEnd(nameWidth)}  ${spec.description}`;
      const rows = summarizeParameters(safeJsonSchema(spec.schema)).map((parameter) => [
        parameter.name,
        parameter.range ? `${parameter.type} ${parameter.range}` : parameter.type,
        parameter.defaultValue !== undefined
          ? `default ${parameter.defaultValue}`
          : parameter.required
            ? 'required'
            : 'optional',
        parameter.description ?? '',
      ]);
      return [heading, ...formatColumns(rows).map((line) => `    ${line}`)].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

function formatColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return z.object({ version: z.string() }).parse(JSON.parse(text)).version;
}
