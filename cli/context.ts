// What every command needs from the program: the generator registry, the output streams and the
// directory relative paths resolve against. Injected, so tests run commands in-process.

import type { GeneratorRegistry } from '../generators/registry.js';

/** Where output goes; `process.stdout` and `process.stderr` fit. */
export interface TextSink {
  write(text: string): unknown;
}

export interface CommandContext {
  readonly registry: GeneratorRegistry;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Directory that relative paths (`--config`, `--out`, default outputs) resolve against. */
  readonly cwd: string;
}

/** Registered generator names, sorted, for help texts and error messages. */
export function knownGenerators(context: CommandContext): string[] {
  return [...context.registry.keys()].sort();
}
