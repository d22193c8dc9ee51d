// The `lutforge` command line. Everything it touches (the generator registry, the output streams,
// the working directory) is injected, so tests drive the real program in-process against a fake
// registry and a temporary directory; cli/main.ts only wires in the real ones. Each command lives
// in cli/commands/ and is added here.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import type { GeneratorRegistry } from '../generators/registry.js';
import { lutforgeRoot } from '../toolchain/cache-dir.js';
import { addGenCommand } from './commands/gen.js';
import { addListCommand } from './commands/list.js';
import { addSynthCommand } from './commands/synth.js';
import { addSimCommand } from './commands/sim.js';
import { addRunCommand } from './commands/run.js';
import { addPowerCommand } from './commands/power.js';
import { addCompareCommand } from './commands/compare.js';
import { addQuantizeCommand } from './commands/quantize.js';
import { addQuantizeBlockCommand } from './commands/quantize-block.js';
import { addExploreCommand } from './commands/explore.js';
import { addProveCommand } from './commands/prove.js';
import { addSchematicCommand } from './commands/schematic.js';
import { addModelCommand } from './commands/model.js';
import type { CommandContext, TextSink } from './context.js';
import { withSubcommandSuggestion } from './did-you-mean.js';
import { ExitCode, describeError, exitCodeFor } from './errors.js';

export type { TextSink } from './context.js';

export interface CliDeps {
  readonly registry: GeneratorRegistry;
  readonly stdout?: TextSink;
  readonly stderr?: TextSink;
  /** Directory that relative paths (`--config`, `--out`, the default output) resolve against. */
  readonly cwd?: string;
  /** Shown by `--version`; defaults to the version in package.json. */
  readonly version?: string;
}

/**
 * Runs the CLI on `argv` (the arguments after the script name) and returns the exit code
 * instead of exiting, printing any error as one `lutforge: ...` line on stderr.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const stderr = deps.stderr ?? process.stderr;
  // Read from argv rather than the parsed options: an error may come before parsing finishes.
  const debug = argv.includes('--debug');
  let program: Command | undefined;
  try {
    program = createProgram(deps);
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (caught) {
    const error = program === undefined ? caught : withSubcommandSuggestion(caught, program, argv);
    const text = describeError(error, { debug });
    if (text !== undefined) stderr.write(`${text}\n`);
    return exitCodeFor(error);
  }
}

export function createProgram(deps: CliDeps): Command {
  const context: CommandContext = {
    registry: deps.registry,
    stdout: deps.stdout ?? process.stdout,
    stderr: deps.stderr ?? process.stderr,
    cwd: deps.cwd ?? process.cwd(),
  };
  const { stdout, stderr } = context;

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
  $ lutforge run tensor-core --set n=8 --act A.npy --weight Q.npy --out Y.npy
  $ lutforge sim fifo --in words.bin --out result.bin --wave
  $ lutforge prove --quick --json

Every command: --help ends with examples; --json prints one JSON document on stdout and nothing
else; long commands show progress (a bar, or their phases) on stderr on a terminal, and with
--progress anywhere; --wave (sim, run) writes a VCD and prints how to open it.

Exit codes: 0 ok; 1 a check failed (a mismatch, a failed proof, a budget exceeded, a simulation
at its cycle limit) or an internal error; 2 bad input.`,
    );

  addListCommand(program, context);
  addGenCommand(program, context);
  addSynthCommand(program, context);
  addSimCommand(program, context);
  addRunCommand(program, context);
  addPowerCommand(program, context);
  addCompareCommand(program, context);
  addQuantizeCommand(program, context);
  addQuantizeBlockCommand(program, context);
  addExploreCommand(program, context);
  addProveCommand(program, context);
  addSchematicCommand(program, context);
  addModelCommand(program, context);
  return program;
}

function packageVersion(): string {
  const text = readFileSync(join(lutforgeRoot(), 'package.json'), 'utf8');
  return z.object({ version: z.string() }).parse(JSON.parse(text)).version;
}
