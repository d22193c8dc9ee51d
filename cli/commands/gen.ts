// `lutforge gen`: write a generator's Verilog into a directory, atomically.

import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EmittedDesign } from '../../dsl/design.js';
import { OUTPUT_MARKER_FILE, type OutputFile, writeDirectoryAtomically } from '../../host/atomic.js';
import type { CommandContext } from '../context.js';
import { resolveDesign, withDesignOptions, type DesignOptions } from '../design-source.js';
import { writeJson } from '../output.js';

/** What `gen --json` prints: the only thing on stdout, so scripts can parse it directly. */
export interface GenSummary {
  readonly generator: string;
  readonly top: string;
  /** Absolute path of the output directory. */
  readonly out: string;
  /** Every file written, in the order of files.f, then files.f itself. */
  readonly files: readonly string[];
}

interface GenOptions extends DesignOptions {
  readonly out?: string;
  readonly json?: boolean;
}

export function addGenCommand(program: Command, context: CommandContext): void {
  withDesignOptions(program.command('gen').description('generate the Verilog of one design into a directory'), context)
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
      const { spec, design } = await resolveDesign(context, generatorName, options);
      const outArgument = options.out ?? join('rtl-out', spec.name);
      const outDir = resolve(context.cwd, outArgument);
      const files = designFiles(design);
      await writeDirectoryAtomically(outDir, files, { displayPath: outArgument });
      const summary: GenSummary = { generator: spec.name, top: design.top, out: outDir, files: files.map((file) => file.name) };
      if (options.json) {
        writeJson(context, summary);
      } else {
        const shownDir = outArgument.endsWith('/') ? outArgument : `${outArgument}/`;
        const count = `${files.length} file${files.length === 1 ? '' : 's'}`;
        context.stdout.write(`wrote ${shownDir} (${count}, top ${design.top})\n`);
      }
    });
}

/** Everything `gen` writes, built in memory before any file is touched. */
export function designFiles(design: EmittedDesign): OutputFile[] {
  const moduleFiles = design.modules.map((module) => ({ name: module.fileName, contents: module.text }));
  const fileList = design.modules.map((module) => `${module.fileName}\n`).join('');
  return [...moduleFiles, { name: OUTPUT_MARKER_FILE, contents: fileList }];
}
