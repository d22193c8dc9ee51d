// The part every design command shares (`gen`, `sim`, `synth`, `schematic`): a generator named on
// the command line (a registered one, or a user's design file), its parameters from `--config` and
// `--set`, validated by its schema, then elaborated and emitted.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { EmittedDesign } from '../dsl/design.js';
import type { GeneratorSpec } from '../generators/registry.js';
import { formatConfigError, loadConfigFile, mergeConfig, parseSetArgument, type ConfigObject } from '../host/config.js';
import { knownGenerators, type CommandContext } from './context.js';
import { blamingDesignFile, designFilePath, isDesignFile, loadDesignFile } from './design-file.js';
import { didYouMean } from './did-you-mean.js';
import { UsageError } from '../host/errors.js';

export interface DesignOptions {
  readonly config?: string;
  readonly set?: readonly string[];
  readonly strict?: boolean;
}

/** Adds `<generator>`, `--config` and `--set` to a command. */
export function withDesignOptions(command: Command, context: CommandContext): Command {
  const known = knownGenerators(context);
  return command
    .argument(
      '<generator>',
      `generator to run (${known.length > 0 ? known.join(', ') : 'none registered'}), or a design file exporting one made with defineGenerator (./mac.ts)`,
    )
    .option('-c, --config <file>', 'JSON file with the generator parameters')
    .option(
      '-s, --set <key=value>',
      'set one parameter, overriding the config file (repeatable; dotted keys reach nested ' +
        'parameters; the value is read as JSON when it parses, else as a string)',
      // No commander default: it would print "(default: [])" in the help.
      (value: string, previous: readonly string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--strict', 'treat design warnings (logic that reaches no output) as errors: exit 2, nothing written');
}

export interface ResolvedDesign {
  readonly spec: GeneratorSpec;
  /** The validated configuration, defaults filled in. */
  readonly config: unknown;
  readonly design: EmittedDesign;
}

/** Finds the generator, builds and validates its configuration, and generates the design. */
export async function resolveDesign(context: CommandContext, generatorName: string, options: DesignOptions): Promise<ResolvedDesign> {
  const generate = async (spec: GeneratorSpec): Promise<ResolvedDesign> => {
    const config = await buildConfig(spec, options, context.cwd);
    const design = spec.generate(config);
    reportDesignWarnings(context, design, options.strict === true);
    return { spec, config, design };
  };
  if (isDesignFile(generatorName)) {
    const spec = await loadDesignFile(generatorName, context.cwd);
    // The schema's refinements and the generator are the user's code.
    return blamingDesignFile(designFilePath(generatorName, context.cwd), () => generate(spec));
  }
  const spec = context.registry.get(generatorName);
  if (spec === undefined) {
    const known = knownGenerators(context);
    throw new UsageError(`unknown generator '${generatorName}'${didYouMean(generatorName, known)} (known: ${known.length > 0 ? known.join(', ') : 'none registered'})`);
  }
  return generate(spec);
}

/**
 * Prints the design's warnings on stderr, one `lutforge: warning: file:line: ...` line each; with
 * `strict` (CI), any warning fails the command before it writes anything.
 */
export function reportDesignWarnings(context: CommandContext, design: EmittedDesign, strict: boolean): void {
  const warnings = design.warnings ?? [];
  for (const warning of warnings) context.stderr.write(`lutforge: warning: ${warning.message}\n`);
  if (strict && warnings.length > 0) {
    const count = warnings.length === 1 ? 'a warning' : `${warnings.length} warnings`;
    throw new UsageError(`the design has ${count}, which --strict makes errors; stopped before writing anything`);
  }
}

/**
 * Config file first, then each `--set` in order, then the generator's schema decides. `base`
 * (a layer's remembered configuration) comes under the file, key by key.
 */
export async function buildConfig(spec: GeneratorSpec, options: DesignOptions, cwd: string, base: ConfigObject = {}): Promise<unknown> {
  // Parse every --set before reading the file, so a malformed flag is reported even if the file
  // is also wrong: the flag is the cheaper thing to fix.
  const settings = (options.set ?? []).map(parseSetArgument);
  const fromFile: ConfigObject =
    options.config === undefined ? {} : await loadConfigFile(resolve(cwd, options.config), options.config);
  const input = mergeConfig({ ...base, ...fromFile }, settings);
  const parsed = spec.schema.safeParse(input);
  if (!parsed.success) throw new UsageError(formatConfigError(spec.name, parsed.error, input, spec.schema));
  return parsed.data;
}
