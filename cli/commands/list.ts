// `lutforge list`: the registered generators and their parameters.

import type { Command } from 'commander';
import type { GeneratorSpec } from '../../generators/registry.js';
import { safeJsonSchema, summarizeParameters } from '../../host/config.js';
import { knownGenerators, type CommandContext } from '../context.js';
import { writeJson } from '../output.js';

interface ListOptions {
  readonly json?: boolean;
}

export function addListCommand(program: Command, context: CommandContext): void {
  program
    .command('list')
    .description('list the generators and their parameters')
    .option('--json', 'print JSON {generators: [{name, description, parameters}]}, parameters as JSON Schema, instead of text')
    .addHelpText('after', '\nExamples:\n  $ lutforge list\n  $ lutforge list --json')
    .action((options: ListOptions) => {
      const specs = knownGenerators(context)
        .map((name) => context.registry.get(name))
        .filter((spec) => spec !== undefined);
      if (options.json) writeJson(context, listAsJson(specs));
      else context.stdout.write(listAsText(specs));
    });
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
