// The power runs of the physical-units section: host/power.ts on the default engines with a seeded
// uniform workload, each report kept in .cache/paper-power/ under a digest of everything that
// decides it (design, operands, clock, flow script), so that a re-run of `make paper` only
// simulates what changed. A gate-level run of a MAC engine takes minutes on two cores.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { SerialPackConfig } from '../../contracts/serial-packing.js';
import { matmulEngines } from '../../generators/engines.js';
import type { MatmulEngine } from '../../generators/matmul-engine/interface.js';
import { workloadOperands } from '../../host/matmul-workload.js';
import { measurePower, type PowerReport } from '../../host/power.js';
import { targetScript } from '../../synth/targets.js';

export type PowerEngine = 'tensor-core' | 'mac' | 'add';

export interface PowerRun {
  readonly engine: PowerEngine;
  readonly act: 'int8' | 'fp16';
  readonly wbits: number;
}

/** The workload every power run shares: one decode-like tile pass over K = 256 (K must stay <= maxK). */
export const POWER_WORKLOAD = { M: 2, K: 256, N: 64, seed: 1, draw: 'uniform', clockMhz: 100 } as const;

/** The runs of one `make paper`: LUT, MAC and ADD at W1 (ADD takes no FP activations). */
export const POWER_RUNS: readonly PowerRun[] = [
  { engine: 'tensor-core', act: 'int8', wbits: 1 },
  { engine: 'mac', act: 'int8', wbits: 1 },
  { engine: 'add', act: 'int8', wbits: 1 },
];

// 1: first layout (PowerReport as host/power.ts returns it).
const CACHE_FORMAT = 1;

export interface PowerResult {
  readonly run: PowerRun;
  readonly report: PowerReport;
  readonly cached: boolean;
  /** Wall time of the measurement (0 for a cache hit). */
  readonly seconds: number;
}

export async function powerRun(run: PowerRun, cacheDir: string): Promise<PowerResult> {
  // The engines' configurations differ in fields the power flow does not read; like the power
  // command and its tests, the run sees every engine through the serial packing's common shape.
  const engine = matmulEngines.get(run.engine) as unknown as MatmulEngine<SerialPackConfig> | undefined;
  if (engine === undefined) throw new Error(`no matrix engine '${run.engine}'`);
  // The defaults of each generator (M2N64K4, maxK 16384), as the explore spaces use them.
  const config = engine.generator.schema.parse({ act: run.act, wbits: run.wbits }) as SerialPackConfig;
  const { M, K, N, seed, draw, clockMhz } = POWER_WORKLOAD;
  const operands = workloadOperands(config, { M, K, N }, seed, draw);
  const design = engine.generator.generate(config);
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        format: CACHE_FORMAT,
        engine: engine.name,
        config,
        files: design.modules.map((module) => [module.fileName, module.text]),
        // The flow script too: a change of mapping must re-measure.
        script: targetScript('osu018'),
        operands: [operands.M, operands.K, operands.N, Array.from(operands.act), Array.from(operands.codes), Array.from(operands.zeros)],
        clockMhz,
      }),
    )
    .digest('hex')
    .slice(0, 24);
  const file = join(cacheDir, `${key}.json`);
  const hit = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as PowerReport,
    () => undefined,
  );
  if (hit !== undefined) return { run, report: hit, cached: true, seconds: 0 };
  const started = performance.now();
  const report = await measurePower(engine, config, operands, { clockMhz });
  await mkdir(cacheDir, { recursive: true });
  // Written under a temporary name and renamed, so an interrupted run never leaves half an entry.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(report, null, 1));
  await rename(temporary, file);
  return { run, report, cached: false, seconds: (performance.now() - started) / 1000 };
}

const POWER_COLUMNS = ['clockMhz', 'fmaxMhz', 'powerMw', 'dynamicMw', 'leakageMw', 'memoryMw', 'ops', 'cycles', 'energyPerOpPj', 'areaUm2', 'memoryAreaUm2'] as const;

/** The power runs as docs/paper/power.csv: one row per run, the report's figures as measured. */
export function powerCsv(results: readonly PowerResult[]): string {
  const { M, K, N } = POWER_WORKLOAD;
  return stringify(
    results.map(({ run, report }) => ({ engine: run.engine, act: run.act, wbits: run.wbits, workload: `${M}x${K}x${N}`, ...Object.fromEntries(POWER_COLUMNS.map((column) => [column, report[column]])) })),
    { header: true, columns: ['engine', 'act', 'wbits', 'workload', ...POWER_COLUMNS] },
  );
}
