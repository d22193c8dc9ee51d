// The fuzz driver: a master seed becomes a sequence of cases (generator, validated configuration,
// vectors), each drawn from its own seed derived from the master seed and its index, so case i
// can be drawn alone to replay it. Cases run on a small pool (each is one Verilator build and one
// simulator process), and each run ends in an outcome: passed, or the failure that shrink.ts takes.

import { performance } from 'node:perf_hooks';
import { ZodError } from 'zod';
import { SimInputError } from '../../sim/errors.js';
import { caseSeed, seededRandom } from './random.js';
import { TARGETS } from './targets.js';
import type { AnyTarget, Failure, FuzzCase, RunOptions } from './types.js';
import { mapPool } from '../../host/pool.js';
import { OperandError } from '../../contracts/matmul-operands.js';

export interface Plan {
  readonly seed: number;
  /** Cases (configurations) in the run. */
  readonly configs: number;
  /** Vectors in the whole run, spread evenly over the cases. */
  readonly vectors: number;
  /** The generators to draw from, in a fixed order (the round-robin shuffles it per round). */
  readonly generators: readonly string[];
}

/** A drawer made a configuration its generator's schema rejects: a bug of the fuzzer itself. */
export class FuzzerBugError extends Error {
  override readonly name = 'FuzzerBugError';
}

export function vectorsOfCase(plan: Plan, index: number): number {
  return Math.floor(plan.vectors / plan.configs) + (index < plan.vectors % plan.configs ? 1 : 0);
}

/**
 * Case i's generator: the cases go round by round, each round one shuffle of the generators (seeded
 * by the master seed and the round), so any `generators.length` cases in a row cover them all.
 */
export function generatorOfCase(plan: Plan, index: number): string {
  const count = plan.generators.length;
  const round = Math.floor(index / count);
  const random = seededRandom(caseSeed(plan.seed ^ 0x5bd1e995, round));
  const order = [...plan.generators];
  for (let i = order.length - 1; i > 0; i--) {
    const j = random(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order[index % count]!;
}

function findTarget(targets: readonly AnyTarget[], name: string): AnyTarget {
  const target = targets.find((candidate) => candidate.name === name);
  if (target === undefined) throw new RangeError(`no fuzz target '${name}' (targets: ${targets.map((t) => t.name).join(', ')})`);
  return target;
}

/** Case `index` of the plan, drawn from its own seed alone. */
export function drawCase(plan: Plan, index: number, targets: readonly AnyTarget[] = TARGETS): FuzzCase {
  const seed = caseSeed(plan.seed, index);
  const target = findTarget(targets, generatorOfCase(plan, index));
  const random = seededRandom(seed);
  const settings = target.drawConfig(random);
  const parsed = target.schema.safeParse(settings);
  if (!parsed.success) {
    throw new FuzzerBugError(`the ${target.name} drawer made a configuration its schema rejects: ${JSON.stringify(settings)}: ${parsed.error.message}`);
  }
  const vectors = target.drawVectors(parsed.data, random, vectorsOfCase(plan, index));
  return { index, seed, generator: target.name, config: parsed.data as Record<string, unknown>, vectors };
}

export function planCases(plan: Plan, targets: readonly AnyTarget[] = TARGETS): FuzzCase[] {
  return Array.from({ length: plan.configs }, (_, index) => drawCase(plan, index, targets));
}

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly failure: Failure };

/** Errors that mean the fuzzer built something the design cannot take, not that the design is wrong. */
function isInvalidInput(error: unknown): error is Error {
  return error instanceof OperandError || error instanceof SimInputError || error instanceof ZodError || error instanceof FuzzerBugError;
}

/** Runs vectors through the target; any mismatch or error is a failure. */
export async function evaluate(target: AnyTarget, config: unknown, vectors: readonly unknown[], options: RunOptions<unknown> = {}): Promise<Outcome> {
  try {
    const verdicts = await target.run(config, vectors, options);
    const failing = verdicts.flatMap((verdict, i) => (verdict.ok ? [] : [i]));
    if (failing.length === 0) return { ok: true };
    const first = failing[0]!;
    const message = `vector ${first} (${target.describe(vectors[first])}): ${verdicts[first]!.message ?? 'differs from golden'}`;
    return { ok: false, failure: { kind: 'mismatch', message, vectors: failing } };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: { kind: isInvalidInput(error) ? 'invalid' : 'error', name, message } };
  }
}

export interface CaseResult {
  readonly fuzzCase: FuzzCase;
  readonly outcome: Outcome;
  readonly seconds: number;
}

export interface RunCasesOptions {
  readonly jobs?: number;
  readonly targets?: readonly AnyTarget[];
  readonly runOptions?: RunOptions<unknown>;
  /** Called as each case finishes (in completion order). */
  readonly onResult?: (result: CaseResult) => void;
}

export async function runCase(fuzzCase: FuzzCase, options: RunCasesOptions = {}): Promise<CaseResult> {
  const started = performance.now();
  const target = findTarget(options.targets ?? TARGETS, fuzzCase.generator);
  const outcome = await evaluate(target, fuzzCase.config, fuzzCase.vectors, options.runOptions);
  return { fuzzCase, outcome, seconds: (performance.now() - started) / 1000 };
}

/**
 * Runs the cases `jobs` at a time; results in case order. A case is drawn when its turn comes (a
 * thunk), so a long run holds few vectors at once, and a drawer's bug fails that case alone.
 */
export async function runCases(cases: readonly (FuzzCase | (() => FuzzCase))[], options: RunCasesOptions = {}): Promise<CaseResult[]> {
  return mapPool(cases, options.jobs ?? 1, async (entry, at) => {
    const result = await drawAndRun(typeof entry === 'function' ? entry : () => entry, at, options);
    options.onResult?.(result);
    return result;
  });
}

async function drawAndRun(draw: () => FuzzCase, at: number, options: RunCasesOptions): Promise<CaseResult> {
  let fuzzCase: FuzzCase;
  try {
    fuzzCase = draw();
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const stub: FuzzCase = { index: at, seed: 0, generator: '?', config: {}, vectors: [] };
    return { fuzzCase: stub, outcome: { ok: false, failure: { kind: 'invalid', name, message } }, seconds: 0 };
  }
  return runCase(fuzzCase, options);
}
