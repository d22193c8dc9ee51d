// Physical-figures benchmark: the default tensor core and MAC engine (M2N64K4, W1, INT8) through
// the cmos flow, the osu018 standard-cell flow (Yosys + OpenSTA) and `power` (gate-level Icarus
// run + OpenSTA power) from empty caches, with each step's wall time, the process's peak memory,
// and the LUT / MAC ratios of area, power and energy per MAC. Prints measured figures only.
//
//   node --import tsx scripts/bench-ppa.ts [--workload M,K,N]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { SerialPackConfig } from '../contracts/serial-packing.js';
import { matmulEngines } from '../generators/engines.js';
import type { MatmulEngine } from '../generators/matmul-engine/interface.js';
import { workloadOperands } from '../host/matmul-workload.js';
import { measurePower, type PowerReport } from '../host/power.js';
import { synthesize, type SynthReport } from '../synth/synthesize.js';

const options = new Command('bench-ppa').option('--workload <M,K,N>', 'the power workload', '2,256,64').parse().opts<{ workload: string }>();
const [M, K, N] = options.workload.split(',').map(Number) as [number, number, number];

async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await action();
  return [result, (performance.now() - start) / 1000];
}

interface EngineFigures {
  readonly name: string;
  readonly cmosSeconds: number;
  readonly osuSeconds: number;
  readonly powerSeconds: number;
  readonly transistors: number;
  readonly osu: SynthReport;
  readonly power: PowerReport;
}

const cacheDir = await mkdtemp(join(tmpdir(), 'lutforge-bench-ppa-'));
const rows: EngineFigures[] = [];
try {
  for (const name of ['tensor-core', 'mac'] as const) {
    const engine = matmulEngines.get(name) as unknown as MatmulEngine<SerialPackConfig>;
    const config = engine.generator.schema.parse({ wbits: 1 }) as SerialPackConfig;
    const design = engine.generator.generate(config);
    // One flow at a time: these are single-design latencies on an otherwise idle machine.
    const [cmos, cmosSeconds] = await timed(() => synthesize(design, 'cmos', { cacheDir, flatten: false }));
    const [osu, osuSeconds] = await timed(() => synthesize(design, 'osu018', { cacheDir }));
    // The cell mapping is cached now: this times the gate-level run, the VCD and OpenSTA power.
    const operands = workloadOperands(config, { M, K, N }, 1, 'uniform');
    const [power, powerSeconds] = await timed(() => measurePower(engine, config, operands, { cacheDir }));
    if (cmos.report.target !== 'cmos') throw new Error('unreachable');
    rows.push({ name, cmosSeconds, osuSeconds, powerSeconds, transistors: cmos.report.transistors, osu: osu.report, power });
    console.error(`${name}: cmos ${cmosSeconds.toFixed(1)} s, osu018 ${osuSeconds.toFixed(1)} s, power ${powerSeconds.toFixed(1)} s`);
  }
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}

const mm2 = (um2: number): string => (um2 / 1e6).toFixed(3);
console.log(`default engines, W1 x INT8, M2N64K4, maxK 16384; power on a uniform ${M}x${K}x${N} workload at 100 MHz`);
console.log('');
console.log('| engine | cmos flow s | osu018 flow s | power s | transistors | logic mm2 | SRAM mm2 | fmax MHz | power mW | of it SRAM mW | pJ per MAC |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  if (row.osu.target !== 'osu018') throw new Error('unreachable');
  const p = row.power;
  console.log(
    `| ${row.name} | ${row.cmosSeconds.toFixed(1)} | ${row.osuSeconds.toFixed(1)} | ${row.powerSeconds.toFixed(1)} | ${row.transistors.toLocaleString('en-US')} | ${mm2(row.osu.areaUm2)} | ${mm2(row.osu.memoryAreaUm2)} | ${row.osu.fmaxMhz.toFixed(1)} | ${p.powerMw.toFixed(1)} | ${p.memoryMw.toFixed(1)} | ${p.energyPerOpPj.toFixed(2)} |`,
  );
}
const [lut, mac] = rows;
if (lut !== undefined && mac !== undefined && lut.osu.target === 'osu018' && mac.osu.target === 'osu018') {
  // At W1 both engines do m*n*k MACs per cycle, so equal areas and powers mean equal densities.
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
  console.log('');
  console.log('MAC / LUT at W1 (both do m*n*k = 512 MACs per cycle):');
  console.log(`- logic area (standard cells): ${ratio(mac.osu.areaUm2, lut.osu.areaUm2)}; with SRAM: ${ratio(mac.osu.areaUm2 + mac.osu.memoryAreaUm2, lut.osu.areaUm2 + lut.osu.memoryAreaUm2)}`);
  console.log(`- cmos transistors (hierarchical): ${ratio(mac.transistors, lut.transistors)}`);
  console.log(`- power, cells only: ${ratio(mac.power.dynamicMw + mac.power.leakageMw, lut.power.dynamicMw + lut.power.leakageMw)}; with SRAM: ${ratio(mac.power.powerMw, lut.power.powerMw)}`);
  console.log(`- energy per MAC: ${ratio(mac.power.energyPerOpPj, lut.power.energyPerOpPj)}`);
  console.log(`- fmax LUT / MAC: ${ratio(lut.osu.fmaxMhz, mac.osu.fmaxMhz)}`);
}
// Yosys runs in worker threads of this process (counted); Icarus and OpenSTA are child processes (not).
console.log(`\npeak memory of this process (Yosys workers included): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
