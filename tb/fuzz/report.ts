// What a fuzz run prints and writes: one progress line per case, the command lines that replay a
// case (by seed and index) or a shrunk case (from the JSON file written here), and that file.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJson, encodeJson } from './codec.js';
import type { CaseResult, Plan } from './driver.js';
import type { Failure } from './types.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = 'node --import tsx scripts/fuzz.ts';

/** `key=value` for every parameter, in the schema's order. */
export function configSummary(config: Record<string, unknown>): string {
  return Object.entries(config)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' ');
}

export function failureSummary(failure: Failure): string {
  const text = failure.kind === 'mismatch' ? `mismatch: ${failure.message}` : `${failure.kind === 'invalid' ? 'fuzzer input rejected' : 'error'} (${failure.name}): ${failure.message}`;
  // Build logs can be long: the first lines say what failed.
  return text.split('\n').slice(0, 8).join('\n');
}

export function progressLine(result: CaseResult, total: number): string {
  const { fuzzCase, outcome, seconds } = result;
  const width = String(total).length;
  const head = `[${String(fuzzCase.index + 1).padStart(width)}/${total}] ${fuzzCase.generator.padEnd(11)} ${configSummary(fuzzCase.config)}`;
  const verdict = outcome.ok ? 'ok' : 'FAIL';
  const line = `${head}: ${fuzzCase.vectors.length} vectors ${verdict} ${seconds.toFixed(1)}s`;
  return outcome.ok ? line : `${line}\n    ${failureSummary(outcome.failure).replace(/\n/g, '\n    ')}`;
}

/** The command that draws and runs case `index` of the plan again, alone. */
export function caseReplayCommand(plan: Plan, index: number, allGenerators: readonly string[]): string {
  const generators = plan.generators.join(',') === allGenerators.join(',') ? '' : ` --generators ${plan.generators.join(',')}`;
  return `${SCRIPT} --seed ${plan.seed} --configs ${plan.configs} --vectors ${plan.vectors}${generators} --case ${index}`;
}

/** The command that runs a written case, from the repository root. */
export function fileReplayCommand(file: string): string {
  const relative = path.relative(REPO_ROOT, path.resolve(file));
  return `${SCRIPT} --replay ${relative.startsWith('..') ? path.resolve(file) : relative}`;
}

/** A case as a file: the generator, the whole configuration and every vector. */
export interface ReplayCase {
  readonly generator: string;
  readonly config: Record<string, unknown>;
  readonly vectors: readonly unknown[];
  /** Where it came from and how it failed, for the reader. */
  readonly seed?: number;
  readonly case?: number;
  readonly failure?: string;
}

export async function writeReplayFile(file: string, replay: ReplayCase): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(encodeJson(replay), null, 1)}\n`);
}

export async function readReplayFile(file: string): Promise<ReplayCase> {
  const value = decodeJson(JSON.parse(await readFile(file, 'utf8'))) as Partial<ReplayCase>;
  if (typeof value.generator !== 'string' || typeof value.config !== 'object' || value.config === null || !Array.isArray(value.vectors)) {
    throw new Error(`${file} is not a fuzz case (generator, config and vectors expected)`);
  }
  return value as ReplayCase;
}

export function replayFileFor(seed: number, index: number): string {
  return path.join(REPO_ROOT, '.cache', 'fuzz', `seed-${seed}-case-${index}.json`);
}
