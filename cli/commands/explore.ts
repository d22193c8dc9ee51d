// `lutforge explore`: measure every point of a design space (generate, synthesize, simulate),
// with a results cache so a re-run only measures new points, `--shard i/n` for a deterministic
// slice (a CI matrix or a cluster array job), and `explore merge` to join the slices.

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { exploreSpace } from '../../explore/explore.js';
import { namePoints } from '../../explore/labels.js';
import { isFailed, mergeResults, missingPoints, parseResults, pointLabel, resultFiles, type ExploredPoint, type ExploreResults } from '../../explore/results.js';
import { parseShard, parseSpace, type Shard } from '../../explore/space.js';
import { resolveFlavour, YOSYS_FLAVOURS } from '../../synth/runner.js';
import { checkOutputs, writeDirectoryAtomically } from '../../host/atomic.js';
import { loadConfigFile } from '../../host/config.js';
import type { CommandContext } from '../context.js';
import { writeJson } from '../output.js';
import { countProgress } from '../progress.js';
import { asUsageError } from './synth.js';
import { CheckFailedError, describeOsError, UsageError } from '../../host/errors.js';

interface ExploreOptions {
  readonly space?: string;
  readonly jobs?: string;
  readonly shard?: string;
  readonly out?: string;
  readonly png?: boolean;
  readonly cache?: boolean;
  readonly json?: boolean;
  readonly progress?: boolean;
  readonly yosys?: string;
}

interface MergeOptions {
  readonly out?: string;
  readonly png?: boolean;
  readonly allowPartial?: boolean;
  readonly json?: boolean;
}

export function addExploreCommand(program: Command, context: CommandContext): void {
  const explore = program
    .command('explore')
    .description('explore a design space: generate, synthesize and simulate every point, with a results cache')
    .option('--space <file>', 'the space file (JSON): generators, parameter products and lists, targets, workloads')
    .option('-j, --jobs <n>', 'points measured at once (default: the number of cores)')
    .option('--shard <i/n>', 'measure only the i-th of n deterministic slices (1-based), for CI matrices and array jobs')
    .option('-o, --out <dir>', 'results directory (default: explore-out/<space name>, with -shard-i-of-n when sharded)')
    .option('--png', 'write PNG copies of the plots beside the SVGs')
    .option('--no-cache', 'measure every point even when .cache/explore holds it')
    .option('--json', 'print results.json (space, points with their figures, density, workloads) on stdout instead of the summary')
    .option('--progress', 'show progress on stderr even when it is not a terminal (there: one line per finished point)')
    .option('--yosys <flavour>', `Yosys to run: ${YOSYS_FLAVOURS.join(' or ')}`)
    .addHelpText(
      'after',
      `
Space file:
  {"name": "k-sweep", "targets": ["cmos"],
   "workloads": {"gemv": {"M": 1, "K": 256, "N": 128}},
   "groups": [{"generator": "tensor-core", "set": {"wbits": 2},
               "product": {"k": [2, 3, 4, 5, 6], "act": ["int8", "fp16"]},
               "workloads": ["gemv"]}]}
  A group's points are its "list" entries (or one empty entry) crossed with its "product", over
  its "set". Results: results.json, results.csv, pareto.svg and density.svg in the output folder.

Examples:
  $ lutforge explore --space k-sweep.json
  $ lutforge explore --space k-sweep.json --shard 2/4 --out shards/2
  $ lutforge explore --space k-sweep.json --jobs 4 --json --progress > sweep-results.json
  $ lutforge explore merge shards/1 shards/2 shards/3 shards/4 --out k-sweep`,
    )
    .action(async (options: ExploreOptions) => {
      if (options.space === undefined) throw new UsageError("explore needs --space <file> (or the subcommand 'merge')");
      const jobs = options.jobs === undefined ? undefined : parseJobs(options.jobs);
      const shard = options.shard === undefined ? undefined : parseShard(options.shard);
      const flavour = asUsageError(() => resolveFlavour(options.yosys));
      const { space, points } = parseSpace(await loadConfigFile(resolve(context.cwd, options.space), options.space, 'space file'), options.space, context.registry);
      const outShown = options.out ?? join('explore-out', shard === undefined ? space.name : `${space.name}-shard-${shard.index}-of-${shard.count}`);
      await checkOutputs(context.cwd, [{ flag: '--out', path: outShown, kind: 'directory' }]);

      const started = performance.now();
      const progress = countProgress(context, 'explore', 'explore [{bar}] {value}/{total} points | {eta_formatted} left | {last}', options.progress === true);
      // Named over the whole space, so the shards of one space name a point alike.
      const names = namePoints(points).labels;
      const results = await exploreSpace(space, points, {
        registry: context.registry,
        ...(jobs === undefined ? {} : { jobs }),
        ...(shard === undefined ? {} : { shard }),
        flavour,
        cacheDir: options.cache === false ? null : resolve(context.cwd, '.cache', 'explore'),
        ...(options.cache === false ? { synthCacheDir: null } : {}),
        onStart: (total) => progress?.start(total),
        onPoint: (point) => progress?.finished(`${names[point.index] ?? pointLabel(point)} ${outcome(point)}`),
      }).finally(() => progress?.stop());
      await writeDirectoryAtomically(resolve(context.cwd, outShown), await resultFiles(results, { png: options.png === true }), { displayPath: outShown });
      report(context, results, outShown, options.json === true, (performance.now() - started) / 1000);
      failOnProblems(results);
    });

  explore
    .command('merge')
    .description('join the results of shards of one space into one results directory')
    .argument('<dirs...>', 'results directories written by explore --shard')
    .option('--allow-partial', 'write and exit 0 even when shards are missing')
    // Declared here for merge's help; commander hands an option `explore` also knows to `explore`
    // wherever it stands on the line, so the values are read from there as well.
    .option('-o, --out <dir>', 'results directory (default: explore-out/<space name>)')
    .option('--png', 'write PNG copies of the plots beside the SVGs')
    .option('--json', 'print the merged results.json on stdout instead of the summary')
    .addHelpText('after', '\nExamples:\n  $ lutforge explore merge shards/1 shards/2 --out k-sweep\n  $ lutforge explore merge shards/* --allow-partial --json')
    .action(async (dirs: readonly string[], mergeOptions: MergeOptions) => {
      const parent = explore.opts<ExploreOptions>();
      const options: MergeOptions = {
        ...mergeOptions,
        ...(mergeOptions.out === undefined && parent.out !== undefined ? { out: parent.out } : {}),
        png: mergeOptions.png === true || parent.png === true,
        json: mergeOptions.json === true || parent.json === true,
      };
      const parts = await Promise.all(
        dirs.map(async (dir) => {
          const displayPath = join(dir, 'results.json');
          const text = await readFile(resolve(context.cwd, displayPath), 'utf8').catch((error: unknown) => {
            throw new UsageError(`cannot read '${displayPath}': ${describeOsError(error)}`);
          });
          return { results: parseResults(text, displayPath), displayPath };
        }),
      );
      const merged = mergeResults(parts);
      const missing = missingPoints(merged);
      const outShown = options.out ?? join('explore-out', merged.space.name);
      if (missing.length > 0 && options.allowPartial !== true) {
        throw new CheckFailedError(`the shards hold ${merged.points.length} of ${merged.totalPoints} points (missing ${describeMissing(missing, merged.shards)}); nothing written (--allow-partial writes them anyway)`);
      }
      await writeDirectoryAtomically(resolve(context.cwd, outShown), await resultFiles(merged, { png: options.png === true }), { displayPath: outShown });
      report(context, merged, outShown, options.json === true);
      failOnProblems(merged);
    });
}

/** How a point ended, for its progress line. */
function outcome(point: ExploredPoint): string {
  if (isFailed(point)) return 'failed';
  return point.cached ? 'done (cached)' : `done (${point.seconds.toFixed(1)} s)`;
}

function parseJobs(text: string): number {
  // Digits only: Number() would also take '0x10', '1e3' and ' 4 '.
  const jobs = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw new UsageError(`--jobs ${text}: expected a whole number of at least 1`);
  return jobs;
}

function describeMissing(missing: readonly number[], shards: readonly Shard[]): string {
  const count = shards[0]?.count;
  const shardNote =
    count !== undefined && shards.every((shard) => shard.count === count)
      ? `; shards present: ${shards.map((shard) => `${shard.index}/${shard.count}`).join(', ')} of ${count}`
      : '';
  const listed = missing.slice(0, 8).join(', ');
  return `point${missing.length === 1 ? '' : 's'} ${listed}${missing.length > 8 ? ', ...' : ''}${shardNote}`;
}

/** The summary: how many points, how many from the cache, where the results went, the best density. */
function report(context: CommandContext, results: ExploreResults, outShown: string, json: boolean, seconds?: number): void {
  const verb = seconds === undefined ? 'merged' : 'explored';
  if (json) {
    writeJson(context, results);
    return;
  }
  const measured = results.points.filter((point) => !isFailed(point));
  const cached = measured.filter((point) => !isFailed(point) && point.cached).length;
  const time = seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`;
  context.stdout.write(`${verb} ${results.points.length} of ${results.totalPoints} points of '${results.space.name}'${time} (${cached} ${seconds === undefined ? 'measured' : 'taken'} from the cache) -> ${outShown}\n`);
  const ranked = measured
    .flatMap((point) => (isFailed(point) || point.density?.cmos === undefined ? [] : [{ point, density: point.density.cmos }]))
    .sort((a, b) => b.density - a.density)
    .slice(0, 5);
  if (ranked.length > 0) {
    context.stdout.write('highest density (ops per cycle per 1,000 cmos transistors):\n');
    for (const { point, density } of ranked) context.stdout.write(`  ${density.toFixed(3).padStart(9)}  ${pointLabel(point)}\n`);
  }
  for (const point of results.points) if (isFailed(point)) context.stdout.write(`FAILED point ${point.index} (${pointLabel(point)}): ${point.error}\n`);
}

/** Failed points and results that differ from golden make the run exit 1, after the results are written. */
function failOnProblems(results: ExploreResults): void {
  const failed = results.points.filter(isFailed).length;
  const wrong = results.points.filter((point) => !isFailed(point) && Object.values(point.workloads).some((run) => run.mismatches > 0));
  if (failed === 0 && wrong.length === 0) return;
  const parts = [
    ...(failed > 0 ? [`${failed} point${failed === 1 ? '' : 's'} failed`] : []),
    ...(wrong.length > 0 ? [`${wrong.length} point${wrong.length === 1 ? '' : 's'} differ from the golden model (${wrong.map(pointLabel).slice(0, 3).join('; ')})`] : []),
  ];
  throw new CheckFailedError(`explore: ${parts.join(', ')}; the results are written`);
}
