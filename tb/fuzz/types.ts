// What the fuzzer knows about a generator: how to draw a configuration and input vectors, how to
// run vectors through the simulated design against the golden model, and how to make a failing
// vector or configuration simpler. One target per registered generator (targets.ts).

import type { z } from 'zod';
import type { Random } from './random.js';

/** One vector's result: ok, or what went wrong with it (first wrong element, missing beat, ...). */
export interface Verdict {
  readonly ok: boolean;
  readonly message?: string;
}

export interface RunOptions<Vector> {
  /**
   * For the fuzzer's own tests: the golden value of the vectors this holds for is made wrong (its
   * first expected element flipped), so a run must report them as mismatches.
   */
  readonly perturb?: (vector: Vector) => boolean;
}

export interface FuzzTarget<Config, Vector> {
  /** The registry name of the generator. */
  readonly name: string;
  /** The generator's own schema (the one the registry holds). */
  readonly schema: z.ZodType<Config>;
  /** The keys the drawer chose; the schema fills in the rest, and must accept every draw. */
  drawConfig(random: Random): Record<string, unknown>;
  drawVectors(config: Config, random: Random, count: number): Vector[];
  /**
   * All vectors through one build of the design (one stream run or one script), one verdict per
   * vector. Throws for what is no vector's fault: the generator, the build or the simulator failed.
   */
  run(config: Config, vectors: readonly Vector[], options?: RunOptions<Vector>): Promise<Verdict[]>;
  /** Simpler variants of a vector (smaller shapes, values toward 0), the most aggressive first. */
  shrinkVector(config: Config, vector: Vector): Vector[];
  /** The vector fitted to another configuration (while the configuration shrinks), if it can be. */
  fitVector(config: Config, vector: Vector): Vector | undefined;
  /**
   * What each parameter shrinks toward, in the order the keys are tried; values in order of
   * preference (`undefined`: drop an optional key). Numbers also try halfway to the first value.
   * A dotted key (`engine.v`) names a key of a nested object of the configuration.
   */
  readonly simplest: Readonly<Record<string, readonly unknown[]>>;
  /** Elements in a vector: its size in reports and in "smaller". */
  size(vector: Vector): number;
  /** A few words on a vector's shape, for reports. */
  describe(vector: Vector): string;
}

/** A target with its types erased, as the driver holds them all in one list. */
export type AnyTarget = FuzzTarget<unknown, unknown>;

export function defineTarget<Config, Vector>(target: FuzzTarget<Config, Vector>): AnyTarget {
  return target as unknown as AnyTarget;
}

/** Why a case failed: a result that differs from golden, or an error from generator or simulator. */
export type Failure =
  | { readonly kind: 'mismatch'; readonly message: string; readonly vectors: readonly number[] }
  | { readonly kind: 'error'; readonly name: string; readonly message: string }
  /** The fuzzer built something the design cannot take (a fuzzer bug, or a rejected shrink). */
  | { readonly kind: 'invalid'; readonly name: string; readonly message: string };

/** Whether two failures are the same failure for shrinking: same kind, same error class. */
export function sameFailure(a: Failure, b: Failure): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'mismatch' || b.kind === 'mismatch') return true;
  return a.name === b.name;
}

/** One fuzz case: a generator, a validated configuration and its vectors. */
export interface FuzzCase {
  readonly index: number;
  readonly seed: number;
  readonly generator: string;
  readonly config: Record<string, unknown>;
  readonly vectors: readonly unknown[];
}
