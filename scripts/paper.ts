// `make paper`: reproduces the seeds' experiments with our flow and writes the report. Each
// experiment is a space file in scripts/paper/spaces/, explored like `lutforge explore` does (same
// results cache, so a re-run only measures what changed); each section then puts the paper's
// figures and ours side by side. The report goes to reports/paper/ and is copied to docs/paper/.
//
//   node --import tsx scripts/paper.ts [--jobs N] [--out DIR] [--docs DIR | --no-docs]

import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { withOutputMarker, writeDirectoryAtomically, writeFileAtomically, type OutputFile } from '../host/atomic.js';
import { exploreSpace } from '../explore/explore.js';
import { plotFiles } from '../explore/plot.js';
import { isFailed, resultsCsv, type ExploreResults } from '../explore/results.js';
import { parseSpace } from '../explore/space.js';
import { registry } from '../generators/index.js';
import { resolveFlavour, yosysVersion } from '../synth/runner.js';
import { COMPARABILITY_NOTE } from '../synth/synthesize.js';
import { ablationSection, precomputeSection, tensorCoreSection, tileShapesSection } from './paper/engine-sections.js';
import type { Section, SummaryLine } from './paper/kit.js';
import { latencyFiles } from './paper/latency-section.js';
import { lutLlmSection } from './paper/lut-llm-section.js';
import { physicalSection } from './paper/physical-section.js';
import { POWER_RUNS, powerCsv, powerRun, type PowerResult } from './paper/power-runs.js';
import { readPaperData, renderReadmeTables } from './paper/readme-tables.js';
import { kSweepSection, weightWidthSection } from './paper/unit-sections.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The experiments in report order: the space file and the section that reads its results. */
const EXPERIMENTS: readonly { readonly space: string; readonly section: (results: ExploreResults) => Section | Promise<Section> }[] = [
  { space: 'k-sweep', section: kSweepSection },
  { space: 'weight-width', section: weightWidthSection },
  { space: 'tensor-core', section: tensorCoreSection },
  { space: 'tile-shapes', section: tileShapesSection },
  { space: 'ablation', section: ablationSection },
  { space: 'precompute', section: precomputeSection },
  { space: 'lut-llm', section: lutLlmSection },
  {
    space: 'physical-units',
    section: async (results) => {
      powerResults = await powerRuns();
      return physicalSection(results, powerResults);
    },
  },
];

/**
 * Sections too long to synthesize in `make paper`, written into the docs copy by their own scripts
 * and kept from one report to the next: scripts/bench-lut-llm-block.ts --markdown.
 */
const HAND_RUN_FILES = ['block-resources.md'];

/** The hand-run files the checked-in copy holds now. */
async function handRunFiles(): Promise<OutputFile[]> {
  const docs = options.docs === false ? join(root, 'docs', 'paper') : options.docs;
  const kept = await Promise.all(HAND_RUN_FILES.map(async (name) => ({ name, contents: await readFile(join(docs, name), 'utf8').catch(() => undefined) })));
  return kept.flatMap(({ name, contents }) => (contents === undefined ? [] : [{ name, contents }]));
}

/** The gate-level power runs of this report, kept for power.csv. */
let powerResults: readonly PowerResult[] = [];

/** The gate-level power runs, one after another (each is a heavy simulation), from their cache when it holds them. */
async function powerRuns(): Promise<PowerResult[]> {
  const done: PowerResult[] = [];
  for (const run of POWER_RUNS) {
    const result = await powerRun(run, join(root, '.cache', 'paper-power'));
    console.log(`power: ${run.engine} W${run.wbits} x ${run.act} ${result.cached ? 'from the cache' : `in ${result.seconds.toFixed(1)} s`}`);
    done.push(result);
  }
  return done;
}

const options = new Command('paper')
  .option('-j, --jobs <n>', 'points measured at once', String(availableParallelism()))
  .option('-o, --out <dir>', 'report directory', join(root, 'reports', 'paper'))
  .option('--docs <dir>', 'where the checked-in copy goes', join(root, 'docs', 'paper'))
  .option('--no-docs', 'do not update the checked-in copy')
  .parse()
  .opts<{ jobs: string; out: string; docs: string | false }>();

const started = performance.now();
const flavour = resolveFlavour();
const isTerminal = process.stderr.isTTY === true;
let pointCount = 0;
let cachedCount = 0;
const sections: Section[] = [];
const dataFiles: OutputFile[] = [];
for (const experiment of EXPERIMENTS) {
  const file = join(root, 'scripts', 'paper', 'spaces', `${experiment.space}.json`);
  const { space, points } = parseSpace(JSON.parse(await readFile(file, 'utf8')), file, registry);
  const spaceStarted = performance.now();
  const results = await exploreSpace(space, points, {
    registry,
    jobs: Number(options.jobs),
    flavour,
    cacheDir: join(root, '.cache', 'explore'),
    synthCacheDir: join(root, '.cache', 'synth'),
    onPoint: (point, done, total) => {
      if (isTerminal) process.stderr.write(`\r${space.name}: ${done}/${total} points`);
      if (!isFailed(point) && point.cached) cachedCount++;
      pointCount++;
    },
  });
  const failed = results.points.filter(isFailed);
  if (failed.length > 0) {
    for (const point of failed) console.error(`${space.name}: point ${point.index} failed: ${point.error}`);
    process.exit(1);
  }
  console.log(`${space.name}: ${points.length} points in ${((performance.now() - spaceStarted) / 1000).toFixed(1)} s`);
  sections.push(await experiment.section(results));
  dataFiles.push({ name: `${space.name}.csv`, contents: resultsCsv(results) });
}

const seconds = (performance.now() - started) / 1000;
const plots = (await Promise.all(sections.flatMap((section) => section.plots.map((plot) => plotFiles(plot.name, plot.spec, { png: true }))))).flat();
const report = renderReport(sections, { seconds, points: pointCount, cached: cachedCount, yosys: await yosysVersion(flavour) });
const files: OutputFile[] = [{ name: 'README.md', contents: report }, ...plots, ...dataFiles, { name: 'power.csv', contents: powerCsv(powerResults) }, ...(await latencyFiles()), ...(await handRunFiles())];
const withMarker = withOutputMarker(files);
await writeDirectoryAtomically(options.out, withMarker);
console.log(`report: ${options.out} (${sections.length} sections, ${pointCount} points, ${cachedCount} from the cache, ${seconds.toFixed(0)} s)`);
if (options.docs !== false) {
  await writeDirectoryAtomically(options.docs, withMarker);
  console.log(`copy: ${options.docs}`);
  // The README's figure tables come from the copy just written, as its test reads them.
  const readmePath = join(root, 'README.md');
  const readme = await readFile(readmePath, 'utf8');
  const updated = renderReadmeTables(readme, await readPaperData(options.docs, join(root, 'scripts', 'paper', 'spaces')));
  if (updated !== readme) {
    await writeFileAtomically(readmePath, updated);
    console.log('README.md: figure tables updated');
  }
}

function renderReport(sections: readonly Section[], run: { seconds: number; points: number; cached: number; yosys: string }): string {
  const summary: SummaryLine[] = sections.flatMap((section) => section.summary);
  const plural = { meets: 'meet', beats: 'beat', misses: 'miss', differs: 'differ' } as const;
  const counts = (['meets', 'beats', 'misses', 'differs'] as const).map((verdict) => `${summary.filter((line) => line.verdict === verdict).length} ${plural[verdict]}`);
  return [
    '# The LUT Tensor Core and LUT-LLM papers, reproduced with lutforge',
    '',
    'Generated by `make paper` (`scripts/paper.ts`); every figure below was measured in that run or read',
    `from its results cache. ${run.points} design points (${run.cached} from the cache) in ${run.seconds.toFixed(0)} s; ${run.yosys}.`,
    'The spaces are in `scripts/paper/spaces/`; `lutforge explore --space <file>` runs any of them alone, and',
    'the CSV files here hold every point of each.',
    '',
    `Flow: Yosys' cmos target (transistor estimate of generic cells, hierarchical) for area; the xilinx`,
    '(UltraScale+) mapping for LUT-LLM; the OSU 0.18 um standard cells with OpenSTA timing and gate-level power',
    'for the physical units; Verilator for cycles, checked against the golden kernels. The papers',
    'used Synopsys DC at TSMC 28 nm and Vivado on a V80. ' + COMPARABILITY_NOTE,
    '',
    `## Summary (${counts.join(', ')})`,
    '',
    '| figure | paper | lutforge | verdict |',
    '| --- | --- | --- | --- |',
    ...summary.map((line) => `| ${line.figure} | ${line.paper} | ${line.ours} | ${line.verdict} |`),
    '',
    ...sections.flatMap((section, i) => [`## ${i + 1}. ${section.title}`, '', section.body, '']),
  ].join('\n');
}
