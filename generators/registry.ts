// Generators are registered by name so the CLI (and later the explorer) can build any of them
// from a config file: each entry pairs a validated config schema with the function that
// elaborates and emits the design.

import type { z } from 'zod';
import type { EmittedDesign } from '../api/dsl.js';

export interface GeneratorSpec<Schema extends z.ZodType = z.ZodType> {
  /** Registry name, used on the command line (`lutforge gen <name>`) and as the output folder. */
  readonly name: string;
  /** One line for `lutforge gen --help` and `lutforge list`. */
  readonly description: string;
  /** Validates a config object (unknown keys rejected) and supplies defaults. */
  readonly schema: Schema;
  /** Elaborates and emits the design. DSL misuse throws an HdlError. */
  readonly generate: (config: z.output<Schema>) => EmittedDesign;
  /**
   * The work the design completes per cycle at full rate, for density figures (work per cycle per
   * transistor or per LUT). Absent for designs that do no such work (the examples).
   */
  readonly throughput?: (config: z.output<Schema>) => Throughput;
}

/** Operations per cycle, and what one operation is ('MAC' for matrix engines, 'lookup' for LUT-LLM). */
export interface Throughput {
  readonly perCycle: number;
  readonly unit: string;
}

export type GeneratorRegistry = ReadonlyMap<string, GeneratorSpec>;

export function defineGenerator<Schema extends z.ZodType>(spec: GeneratorSpec<Schema>): GeneratorSpec {
  return spec as unknown as GeneratorSpec;
}

export function createRegistry(specs: readonly GeneratorSpec[]): GeneratorRegistry {
  const registry = new Map<string, GeneratorSpec>();
  for (const spec of specs) {
    if (registry.has(spec.name)) throw new Error(`generator '${spec.name}' is registered twice`);
    registry.set(spec.name, spec);
  }
  return registry;
}
