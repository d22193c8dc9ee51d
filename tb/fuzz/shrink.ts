// Shrinking a failing case to a small one that fails the same way. Vectors first, on the same
// build (each attempt is one simulator run): fewer vectors (the failing one alone, then delta
// debugging), then each vector made simpler (smaller shapes, values toward zero) for as long as it
// still fails. Then the configuration, one parameter at a time toward its simplest value, keeping
// a change only if the failure persists; each of those attempts is a new Verilator build, so they
// are capped. A last pass over the vectors then uses the smaller build.

import { isDeepStrictEqual } from 'node:util';
import { evaluate } from './driver.js';
import { sameFailure, type AnyTarget, type Failure, type RunOptions } from './types.js';

export interface ShrinkOptions {
  /** Configuration candidates tried (each a build); default 30. */
  readonly maxBuilds?: number;
  /** Vector candidates tried on a build; default 150. */
  readonly maxRuns?: number;
  readonly runOptions?: RunOptions<unknown>;
  /** Progress lines (what shrank). */
  readonly log?: (line: string) => void;
}

export interface ShrunkCase {
  readonly config: Record<string, unknown>;
  readonly vectors: readonly unknown[];
  readonly failure: Failure;
  readonly builds: number;
  readonly runs: number;
}

/**
 * The values to try for a key: the listed ones, then for numbers a half, a quarter and an eighth of
 * the way back from the first of them, and close to it single steps (a failure that needs
 * wbits >= 3 ends at 3, not at the 4 it started from). No single steps far away: a maxK of 2^20
 * would spend every build on them.
 */
export function candidateValues(current: unknown, simplest: readonly unknown[]): unknown[] {
  // Only toward more preferred values, or a flip-flop between two equally failing ones never ends.
  const rank = simplest.indexOf(current);
  const values: unknown[] = rank === -1 ? [...simplest] : simplest.slice(0, rank);
  const first = simplest[0];
  if (typeof current === 'number' && typeof first === 'number' && current !== first) {
    const distance = current - first;
    for (const fraction of [1 / 2, 3 / 4, 7 / 8]) values.push(first + Math.trunc(distance * fraction));
    if (Math.abs(distance) <= 4) values.push(current - Math.sign(distance));
  }
  return values.filter((value, i) => values.indexOf(value) === i && value !== current);
}

/** Same settings, nested objects (the block's `engine`) compared by content: the schema copies them on every parse. */
function sameConfig(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return isDeepStrictEqual(a, b);
}

/** A setting by key; `engine.v` names a key of a nested object. */
export function settingAt(config: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), config);
}

/** A copy of the configuration with one setting changed (`undefined`: the key dropped), nested objects copied on the way. */
export function withSetting(config: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  const copy = { ...config };
  if (rest.length > 0) {
    const inner = copy[head!];
    copy[head!] = withSetting(inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>) : {}, rest.join('.'), value);
  } else if (value === undefined) delete copy[head!];
  else copy[head!] = value;
  return copy;
}

class Shrinker {
  builds = 0;
  runs = 0;
  private readonly maxBuilds: number;
  private maxRuns: number;

  constructor(
    private readonly target: AnyTarget,
    public config: Record<string, unknown>,
    public vectors: readonly unknown[],
    public failure: Failure,
    private readonly options: ShrinkOptions,
  ) {
    this.maxBuilds = options.maxBuilds ?? 30;
    this.maxRuns = options.maxRuns ?? 150;
  }

  /** More vector attempts, for the last pass on the smaller build. */
  extendRuns(count: number): void {
    this.maxRuns = Math.max(this.maxRuns, this.runs) + count;
  }

  get runsLeft(): boolean {
    return this.runs < this.maxRuns;
  }

  /** Runs the candidate; keeps it when it fails the same way. */
  async attempt(config: Record<string, unknown>, vectors: readonly unknown[]): Promise<boolean> {
    const newBuild = !sameConfig(config, this.config);
    if (newBuild) this.builds++;
    else this.runs++;
    const outcome = await evaluate(this.target, config, vectors, this.options.runOptions);
    if (outcome.ok || !sameFailure(outcome.failure, this.failure)) return false;
    this.config = config;
    this.vectors = vectors;
    this.failure = outcome.failure;
    return true;
  }

  /** The failing vector alone, else delta debugging over the list. */
  async fewerVectors(): Promise<void> {
    if (this.vectors.length <= 1) return;
    const failing = this.failure.kind === 'mismatch' ? this.failure.vectors : [0];
    for (const index of failing.slice(0, 3)) {
      if (await this.attempt(this.config, [this.vectors[index]])) return;
    }
    let chunks = 2;
    while (this.vectors.length >= 2 && this.runsLeft) {
      const size = Math.ceil(this.vectors.length / chunks);
      let reduced = false;
      for (let start = 0; start < this.vectors.length && this.runsLeft; start += size) {
        const rest = [...this.vectors.slice(0, start), ...this.vectors.slice(start + size)];
        if (rest.length > 0 && (await this.attempt(this.config, rest))) {
          chunks = Math.max(chunks - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (chunks >= this.vectors.length) break;
        chunks = Math.min(chunks * 2, this.vectors.length);
      }
    }
  }

  /** Each vector replaced by its first simpler variant that still fails, until none does. */
  async simplerVectors(): Promise<void> {
    for (let i = 0; i < this.vectors.length; i++) {
      let progress = true;
      while (progress && this.runsLeft) {
        progress = false;
        for (const candidate of this.target.shrinkVector(this.config, this.vectors[i])) {
          if (!this.runsLeft) break;
          const vectors = this.vectors.map((vector, j) => (j === i ? candidate : vector));
          if (await this.attempt(this.config, vectors)) {
            progress = true;
            break;
          }
        }
      }
    }
  }

  /** Each parameter toward its simplest value, one at a time, while builds are left. */
  async simplerConfig(): Promise<void> {
    let progress = true;
    while (progress && this.builds < this.maxBuilds) {
      progress = false;
      for (const [key, simplest] of Object.entries(this.target.simplest)) {
        for (const value of candidateValues(settingAt(this.config, key), simplest)) {
          if (this.builds >= this.maxBuilds) return;
          const settings = withSetting(this.config, key, value);
          const parsed = this.target.schema.safeParse(settings);
          if (!parsed.success) continue;
          const config = parsed.data as Record<string, unknown>;
          if (sameConfig(config, this.config)) continue;
          const fitted = this.vectors.map((vector) => this.target.fitVector(config, vector));
          if (fitted.some((vector) => vector === undefined)) continue;
          const before = settingAt(this.config, key);
          if (await this.attempt(config, fitted)) {
            this.options.log?.(`shrink: ${key} ${String(before)} -> ${String(value)}`);
            progress = true;
            break;
          }
        }
      }
    }
  }
}

export async function shrinkCase(
  target: AnyTarget,
  config: Record<string, unknown>,
  vectors: readonly unknown[],
  failure: Failure,
  options: ShrinkOptions = {},
): Promise<ShrunkCase> {
  const shrinker = new Shrinker(target, config, vectors, failure, options);
  const log = options.log ?? (() => undefined);
  await shrinker.fewerVectors();
  log(`shrink: ${vectors.length} vectors -> ${shrinker.vectors.length}`);
  await shrinker.simplerVectors();
  log(`shrink: vectors now ${shrinker.vectors.map((vector) => target.describe(vector)).join('; ')} (${shrinker.runs} runs)`);
  await shrinker.simplerConfig();
  shrinker.extendRuns(50);
  await shrinker.simplerVectors();
  const { builds, runs } = shrinker;
  return { config: shrinker.config, vectors: shrinker.vectors, failure: shrinker.failure, builds, runs };
}

/** How big a case is: vectors, and elements over all of them. */
export function caseSize(target: AnyTarget, vectors: readonly unknown[]): { vectors: number; elements: number } {
  return { vectors: vectors.length, elements: vectors.reduce<number>((sum, vector) => sum + target.size(vector), 0) };
}
