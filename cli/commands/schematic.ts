// `lutforge schematic`: draw one module of a generator's design as an SVG schematic of its
// word-level netlist (Yosys, then netlistsvg), so an architect can see what a unit is made of.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { YOSYS_FLAVOUR_ENV, YOSYS_FLAVOURS, resolveFlavour, SynthInputError } from '../../synth/runner.js';
import { SCHEMATIC_LEVELS, SchematicRenderError, schematicModule, schematicSvg, type Schematic, type SchematicLevel } from '../../synth/schematic.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import type { CommandContext } from '../context.js';
import { resolveDesign, withDesignOptions, type DesignOptions } from '../design-source.js';
import { writeJson } from '../output.js';
import { phaseReporter } from '../progress.js';
import { asUsageError } from './synth.js';
import { CheckFailedError, UsageError } from '../../host/errors.js';

/** What `schematic --json` prints: the schematic without its SVG, and where it went. */
export type SchematicSummary = Omit<Schematic, 'svg'> & {
  readonly generator: string;
  /** Absolute path of the SVG written. */
  readonly out: string;
  readonly bytes: number;
};

interface SchematicOptions extends DesignOptions {
  readonly module?: string;
  readonly out: string;
  readonly level: string;
  readonly flatten?: boolean;
  readonly yosys?: string;
  readonly json?: boolean;
  readonly progress?: boolean;
}

export function addSchematicCommand(program: Command, context: CommandContext): void {
  withDesignOptions(program.command('schematic').description("draw one module of a design as an SVG schematic of its word-level netlist (Yosys + netlistsvg)"), context)
    .option('-m, --module <name>', "module to draw (default: the design's top)")
    .requiredOption('-o, --out <file.svg>', 'SVG file to write (atomically)')
    .option('--level <level>', `${SCHEMATIC_LEVELS.join(' or ')}: multi-bit operators, or one-bit gates after ABC`, 'word')
    .option('--flatten', 'draw the logic of submodules inline instead of as boxes')
    .option('--yosys <flavour>', `Yosys to run: ${YOSYS_FLAVOURS.join(' or ')} (default: $${YOSYS_FLAVOUR_ENV}, else embedded)`)
    .option('--json', 'print a JSON summary {generator, module, out, cells, instances, ports, ...} instead of a line')
    .option('--progress', 'show the phases on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      `
The picture shows Yosys' word-level cells ($add, $mux, $dff, $eq, $and, ...), each as wide as its
operands, with bus splits and joins; instances of other modules are boxes named after the module.
A bit repeated across an operand (a select bit gating a word) is drawn as one wire. Large modules
(an engine's top) take seconds to lay out and draw big; --level gates is for small modules.

Examples:
  $ lutforge schematic tensor-core --module serial_unit --out unit.svg
  $ lutforge schematic tensor-core --set n=4 --module lut_table_precompute --out precompute.svg --json
  $ lutforge schematic counter --level gates --out counter.svg`,
    )
    .action(async (generatorName: string, options: SchematicOptions) => {
      const level = parseLevel(options.level);
      const flavour = asUsageError(() => resolveFlavour(options.yosys));
      const phases = phaseReporter(context, 'schematic', options.progress === true);
      phases.phase(`generating ${generatorName}`);
      const { spec, design } = await resolveDesign(context, generatorName, options);
      const module = asUsageError(() => schematicModule(design, options.module));
      await checkOutputs(context.cwd, [{ flag: '--out', path: options.out, kind: 'file' }]);

      let schematic: Schematic;
      try {
        schematic = await schematicSvg(design, { module, level, flatten: options.flatten === true, flavour, onPhase: phases.phase });
      } catch (error) {
        if (error instanceof SynthInputError) throw new UsageError(error.message);
        // A layout netlistsvg cannot finish is neither the user's input at fault nor a lutforge bug.
        throw error instanceof SchematicRenderError ? new CheckFailedError(error.message) : error;
      }
      const out = resolve(context.cwd, options.out);
      await writeFileAtomically(out, schematic.svg, { displayPath: options.out });
      phases.done();

      const bytes = Buffer.byteLength(schematic.svg);
      if (options.json) {
        const { module: drawn, level: drawnLevel, flattened, cells, instances, ports, yosys } = schematic;
        const summary: SchematicSummary = { generator: spec.name, module: drawn, level: drawnLevel, flattened, out, bytes, cells, instances, ports, yosys };
        writeJson(context, summary);
      } else {
        context.stdout.write(`wrote ${options.out} (${describe(schematic)}; ${bytes.toLocaleString('en-US')} bytes)\n`);
      }
    });
}

function parseLevel(level: string): SchematicLevel {
  if ((SCHEMATIC_LEVELS as readonly string[]).includes(level)) return level as SchematicLevel;
  throw new UsageError(`unknown schematic level '${level}' (known: ${SCHEMATIC_LEVELS.join(', ')})`);
}

/** `serial_unit: 24 cells (11 $and, 7 $or, ...), 16 ports` */
function describe(schematic: Schematic): string {
  const list = (counts: Readonly<Record<string, number>>, noun: string): string | undefined => {
    const entries = Object.entries(counts);
    if (entries.length === 0) return undefined;
    const total = entries.reduce((sum, [, count]) => sum + count, 0);
    return `${total} ${noun}${total === 1 ? '' : 's'} (${entries.map(([type, count]) => `${count} ${type}`).join(', ')})`;
  };
  const ports = `${schematic.ports.length} port${schematic.ports.length === 1 ? '' : 's'}`;
  const parts = [list(schematic.cells, 'cell'), list(schematic.instances, 'instance'), ports];
  return `${schematic.module}: ${parts.filter((part) => part !== undefined).join(', ')}`;
}
