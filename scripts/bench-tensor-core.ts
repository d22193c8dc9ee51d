// LUT Tensor Core benchmark (issue figures): cycle efficiency of the default M2N64K4 W2 INT8 engine
// on a GEMV 1 x 4096 x 4096 and a GEMM 8 x 4096 x 4096 (table precompute and weight streaming
// included), Verilator's simulated MACs per second, and the compute density against the MAC
// baseline at the same tile for wbits 1, 2, 4 with int8 and int16 (ADD beside it). Every result
// is checked against the golden kernel. Prints only what it measured in this run.
//
//   node --import tsx scripts/bench-tensor-core.ts
//
// Synthesis results are cached in .cache/synth, so a second run prints the same densities at once.

import { performance } from 'node:perf_hooks';
import { runMatmul } from '../cli/matmul-run.js';
import { tensorCoreConfig } from '../generators/lut-tensor-core/config.js';
import { tensorCoreEngine } from '../generators/lut-tensor-core/index.js';
import { formatNumber } from '../synth/report.js';
import { mpgemmInt } from '../tb/golden/mpgemm.js';
import { randomOperands, seededRandom } from '../tb/generators/matmul-regression.js';
import { densityAgainstMac, type DensityPoint } from './lib/density.js';

const config = tensorCoreConfig.parse({});
const shapes = [
  { label: 'GEMV 1 x 4096 x 4096', dims: { M: 1, K: 4096, N: 4096 } },
  { label: 'GEMM 8 x 4096 x 4096', dims: { M: 8, K: 4096, N: 4096 } },
];

console.log(`LUT Tensor Core M${config.m}N${config.n}K${config.k}, W${config.wbits} ${config.act.toUpperCase()}, maxK ${config.maxK}\n`);
console.log('shape                    cycles      ideal       efficiency  sim MAC/s   wall     golden');
for (const { label, dims } of shapes) {
  const operands = randomOperands(seededRandom(dims.M), dims, { actBits: 8, wbits: config.wbits });
  const result = await runMatmul(tensorCoreEngine, config, operands);
  const golden = mpgemmInt(operands);
  const wrong = result.y.findIndex((value, i) => value !== golden[i]);
  console.log(
    `${label.padEnd(24)} ${formatNumber(result.cycles).padEnd(11)} ${formatNumber(result.idealCycles).padEnd(11)} ${result.efficiency.toFixed(4).padEnd(11)} ` +
      `${(result.macsPerSecond / 1e6).toFixed(0).padStart(5)} M    ${result.wallSeconds.toFixed(1).padStart(5)} s  ${wrong === -1 ? 'exact' : `WRONG at ${wrong}`}`,
  );
  if (wrong !== -1) process.exitCode = 1;
}

const points: DensityPoint[] = [1, 2, 4].flatMap((wbits) => (['int8', 'int16'] as const).map((act) => ({ wbits, act })));
const started = performance.now();
const rows = await densityAgainstMac({ m: config.m, n: config.n, k: config.k, maxK: config.maxK }, points, { withAdd: true });
console.log(`\nDensity against MAC at M${config.m}N${config.n}K${config.k} (cmos transistors, logic only; memories are SRAM macros, bits shown apart)`);
console.log('point     LUT transistors  MAC transistors  ADD transistors  LUT/MAC  ADD/MAC  LUT/MAC memory bits');
for (const row of rows) {
  console.log(
    `W${row.wbits}${row.act === 'int8' ? 'A8 ' : 'A16'}    ${formatNumber(row.lut.transistors).padStart(15)}  ${formatNumber(row.mac.transistors).padStart(15)}  ` +
      `${formatNumber(row.add!.transistors).padStart(15)}  ${row.ratio.toFixed(2).padStart(6)}x  ${row.addRatio!.toFixed(2).padStart(6)}x  ` +
      `${formatNumber(row.lut.memoryBits)} / ${formatNumber(row.mac.memoryBits)}`,
  );
}
console.log(`(synthesis ${((performance.now() - started) / 1000).toFixed(0)} s; density = MACs per cycle / transistors: LUT and ADD m*n*k/wbits, MAC m*n*k)`);
