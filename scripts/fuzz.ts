// `make fuzz`: differential fuzzing of every generator. Random configurations and random vectors
// (seeded: the seed is printed first and `--seed` replays it) run in Verilator against the golden
// models; a failing case is shrunk to a small one, written to .cache/fuzz/ and printed with the
// command that replays it. Exit 0 when everything passed, 1 on any failure, 2 on bad arguments.

import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { performance } from 'node:perf_hooks';
import { drawCase, runCases, vectorsOfCase, type CaseResult, type Plan } from '../tb/fuzz/driver.js';
import { caseReplayCommand, configSummary, failureSummary, fileReplayCommand, progressLine, readReplayFile, replayFileFor, writeReplayFile } from '../tb/fuzz/report.js';
import { caseSize, shrinkCase } from '../tb/fuzz/shrink.js';
import { TARGET_NAMES, targetNamed } from '../tb/fuzz/targets.js';
import { encodeJson } from '../tb/fuzz/codec.js';

interface Options {
  seed?: number;
  configs: number;
  vectors: number;
  generators?: string[];
  case?: number;
  replay?: string;
  jobs: number;
  shrink: boolean;
  json?: boolean;
}

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got '${text}'`);
    }
    return value;
  };
}

function generatorList(text: string): string[] {
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !TARGET_NAMES.includes(name));
  if (names.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`unknown generator(s) '${unknown.join(', ')}' (generators: ${TARGET_NAMES.join(', ')})`);
  return TARGET_NAMES.filter((name) => names.includes(name));
}

const program = new Command('fuzz')
  .description('differential fuzzing: random configurations and vectors of every generator in Verilator against golden')
  .option('--seed <n>', 'master seed, 0 to 2^32 - 1 (default: random; always printed first)', integer(0, 2 ** 32 - 1))
  .option('--configs <n>', 'configurations (cases) to draw', integer(1), 20)
  .option('--vectors <n>', 'vectors in all, spread evenly over the configurations', integer(1), 200)
  .option('--generators <list>', `comma-separated generators (default: all of ${TARGET_NAMES.join(', ')})`, generatorList)
  .option('--case <i>', 'draw and run only case i of the seed (0-based), to replay it', integer(0))
  .option('--replay <file>', 'run a case written by an earlier run (a shrunk failure)')
  .option('--jobs <n>', 'cases run at once', integer(1), 1)
  .option('--no-shrink', 'report failures without shrinking them')
  .option('--json', 'a JSON report on stdout; progress lines go to stderr')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

function usageError(message: string): never {
  process.stderr.write(`fuzz: ${message}\n`);
  process.exit(2);
}

async function replay(file: string, say: (line: string) => void): Promise<number> {
  const replayCase = await readReplayFile(file).catch((error: unknown) => usageError(error instanceof Error ? error.message : String(error)));
  const target = targetNamed(replayCase.generator);
  const [result] = await runCases([{ index: 0, seed: replayCase.seed ?? 0, generator: target.name, config: replayCase.config, vectors: replayCase.vectors }]);
  say(progressLine(result!, 1));
  return result!.outcome.ok ? 0 : 1;
}

async function main(): Promise<number> {
  try {
    program.parse();
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    throw error;
  }
  const options = program.opts<Options>();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  // With --json, stdout carries only the report.
  const say = (line: string): void => void (options.json === true ? process.stderr : process.stdout).write(`${line}\n`);
  say(`seed: ${seed}`);
  if (options.replay !== undefined) return replay(options.replay, say);
  if (options.vectors < options.configs) usageError(`--vectors ${options.vectors} is fewer than --configs ${options.configs}: every configuration needs a vector`);
  if (options.case !== undefined && options.case >= options.configs) usageError(`--case ${options.case} is not below --configs ${options.configs}`);

  const plan: Plan = { seed, configs: options.configs, vectors: options.vectors, generators: options.generators ?? TARGET_NAMES };
  const indices = options.case === undefined ? Array.from({ length: plan.configs }, (_, i) => i) : [options.case];
  const started = performance.now();
  const results = await runCases(
    indices.map((index) => () => drawCase(plan, index)),
    { jobs: options.jobs, onResult: (result) => say(progressLine(result, plan.configs)) },
  );
  const failed = results.filter((result) => !result.outcome.ok);
  const shrunk = options.shrink ? await shrinkFailures(plan, failed, say) : [];
  if (options.shrink === false) for (const result of failed) say(`replay case ${result.fuzzCase.index}: ${caseReplayCommand(plan, result.fuzzCase.index, TARGET_NAMES)}`);

  const vectors = indices.reduce((sum, index) => sum + vectorsOfCase(plan, index), 0);
  const seconds = (performance.now() - started) / 1000;
  say(`fuzz: ${results.length} configs, ${vectors} vectors, ${failed.length} failures (seed ${seed}) in ${seconds.toFixed(0)} s`);
  if (options.json === true) {
    const cases = results.map(({ fuzzCase, outcome, seconds: caseSeconds }) => ({
      index: fuzzCase.index,
      generator: fuzzCase.generator,
      config: fuzzCase.config,
      vectors: fuzzCase.vectors.length,
      ok: outcome.ok,
      seconds: caseSeconds,
      ...(outcome.ok ? {} : { failure: failureSummary(outcome.failure), replay: caseReplayCommand(plan, fuzzCase.index, TARGET_NAMES) }),
    }));
    process.stdout.write(`${JSON.stringify({ seed, configs: results.length, vectors, failures: failed.length, seconds, cases, shrunk }, null, 2)}\n`);
  }
  return failed.length === 0 ? 0 : 1;
}

/** Shrinks the first failure of each generator (at most three), writes each and prints its replay. */
async function shrinkFailures(plan: Plan, failed: readonly CaseResult[], say: (line: string) => void): Promise<unknown[]> {
  const firsts = failed.filter((result, i) => failed.findIndex((other) => other.fuzzCase.generator === result.fuzzCase.generator) === i).slice(0, 3);
  const reports: unknown[] = [];
  for (const { fuzzCase, outcome } of firsts) {
    if (outcome.ok || fuzzCase.generator === '?') continue;
    const target = targetNamed(fuzzCase.generator);
    const caseCommand = caseReplayCommand(plan, fuzzCase.index, TARGET_NAMES);
    say(`\ncase ${fuzzCase.index} (${fuzzCase.generator}) failed; shrinking (replay the original: ${caseCommand})`);
    const small = await shrinkCase(target, fuzzCase.config, fuzzCase.vectors, outcome.failure, { log: (line) => say(`  ${line}`) });
    const file = replayFileFor(plan.seed, fuzzCase.index);
    await writeReplayFile(file, { generator: target.name, config: small.config, vectors: small.vectors, seed: plan.seed, case: fuzzCase.index, failure: failureSummary(small.failure) });
    const size = caseSize(target, small.vectors);
    say(`shrunk case ${fuzzCase.index} (${small.builds} builds, ${small.runs} runs): ${target.name} ${configSummary(small.config)}`);
    say(`  config: ${JSON.stringify(small.config)}`);
    say(`  vectors (${size.vectors}, ${size.elements} elements): ${small.vectors.map((vector) => target.describe(vector)).join('; ')}`);
    say(`  ${failureSummary(small.failure).replace(/\n/g, '\n  ')}`);
    say(`  replay: ${fileReplayCommand(file)}`);
    reports.push({ case: fuzzCase.index, generator: target.name, config: small.config, vectors: encodeJson(small.vectors), failure: failureSummary(small.failure), file, replay: fileReplayCommand(file), caseReplay: caseCommand });
  }
  return reports;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
