// LUT Tensor Core benchmark (issue figures): cycle efficiency of the default M2N64K4 W2 INT8 engine
// on a GEMV 1 x 4096 x 4096 and a GEMM 8 x 4096 x 4096 (table precompute and weight streaming
// included), Verilator's simulated MACs per second, and the compute density against the MAC
// baseline at the same tile for wbits 1, 2, 4 with int8, int16, fp16, bf16 and fp8e4m3 (ADD beside
// the integer ones), plus the dot-product units alone at W1 x FP16 (the paper's DP4 figure). Every
// result is checked against the golden kernel. Prints only what it measured in this run.
//
//   node --import tsx scripts/bench-tensor-core.ts
//
// Synthesis results are cached in .cache/synth, so a second run prints the same densities at once.

import { performance } from 'node:perf_hooks';
import { runMatmul, type MatmulRunResult } from '../host/run-matmul.js';
import { tensorCoreConfig } from '../generators/lut-tensor-core/config.js';
import { tensorCoreEngine } from '../generators/lut-tensor-core/index.js';
import { formatNumber } from '../synth/report.js';
import { mpgemmInt } from '../golden/mpgemm.js';
import { FP32 } from '../contracts/fp-format.js';
import { lutFpMpgemm, mpgemmFloat64 } from '../golden/lut-mpgemm-fp.js';
import { fpDecode } from '../golden/softfloat.js';
import { floatFormat, randomFloatOperands, randomOperands, seededRandom } from '../tb/generators/matmul-regression.js';
import { densityAgainstMac, unitDensity, type DensityPoint } from './lib/density.js';

const config = tensorCoreConfig.parse({});
const shapes = [
  { label: 'GEMV 1 x 4096 x 4096', dims: { M: 1, K: 4096, N: 4096 } },
  { label: 'GEMM 8 x 4096 x 4096', dims: { M: 8, K: 4096, N: 4096 } },
];

/** One line per run; a Y that differs from the golden one fails the benchmark. */
function printRun(label: string, result: MatmulRunResult, golden: BigInt64Array): void {
  const wrong = result.y.findIndex((value, i) => value !== golden[i]);
  console.log(
    `${label.padEnd(26)} ${formatNumber(result.cycles).padEnd(11)} ${formatNumber(result.idealCycles).padEnd(11)} ${result.efficiency.toFixed(4).padEnd(11)} ` +
      `${(result.macsPerSecond / 1e6).toFixed(0).padStart(5)} M    ${result.wallSeconds.toFixed(1).padStart(5)} s  ${wrong === -1 ? 'exact' : `WRONG at ${wrong}`}`,
  );
  if (wrong !== -1) process.exitCode = 1;
}

console.log(`LUT Tensor Core M${config.m}N${config.n}K${config.k}, W${config.wbits} ${config.act.toUpperCase()}, maxK ${config.maxK}\n`);
console.log('shape                      cycles      ideal       efficiency  sim MAC/s   wall     golden');
for (const { label, dims } of shapes) {
  const operands = randomOperands(seededRandom(dims.M), dims, { actBits: 8, wbits: config.wbits });
  const result = await runMatmul(tensorCoreEngine, config, operands);
  const golden = mpgemmInt(operands);
  printRun(label, result, golden);
}

// FP16 activations on the same tile: timing is the integer engine's, the arithmetic FP32; the
// result must equal the bit-exact model, and its distance from float64 is the FP32 rounding.
{
  const fpConfig = tensorCoreConfig.parse({ act: 'fp16', maxK: 1024 });
  const dims = { M: 1, K: 1024, N: 1024 };
  const operands = randomFloatOperands(seededRandom(16), dims, { format: floatFormat('fp16'), wbits: fpConfig.wbits });
  const result = await runMatmul(tensorCoreEngine, fpConfig, operands);
  const model = lutFpMpgemm(operands, fpConfig);
  const exact = mpgemmFloat64(operands, 'fp16');
  printRun('FP16 GEMV 1 x 1024 x 1024', result, model);
  const relative = exact.map((y, i) => Math.abs(fpDecode(FP32, Number(result.y[i])) - y) / Math.max(Math.abs(y), Number.MIN_VALUE)).sort();
  console.log(`  FP32 result against float64: median relative error ${relative[relative.length >> 1]!.toExponential(2)}, largest ${relative[relative.length - 1]!.toExponential(2)}`);
}

const ACTS = ['int8', 'int16', 'fp16', 'bf16', 'fp8e4m3'] as const;
const points: DensityPoint[] = [1, 2, 4].flatMap((wbits) => ACTS.map((act) => ({ wbits, act })));
const started = performance.now();
const rows = await densityAgainstMac({ m: config.m, n: config.n, k: config.k, maxK: config.maxK }, points, { withAdd: true });
console.log(`\nDensity against MAC at M${config.m}N${config.n}K${config.k} (cmos transistors, logic only; memories are SRAM macros, bits shown apart)`);
console.log('point        LUT transistors  MAC transistors  ADD transistors  LUT/MAC  ADD/MAC  LUT/MAC memory bits');
for (const row of rows) {
  const add = row.add === undefined ? '-'.padStart(15) : formatNumber(row.add.transistors).padStart(15);
  const addRatio = row.addRatio === undefined ? '-'.padStart(7) : `${row.addRatio.toFixed(2).padStart(6)}x`;
  console.log(
    `W${row.wbits} ${row.act.padEnd(8)} ${formatNumber(row.lut.transistors).padStart(15)}  ${formatNumber(row.mac.transistors).padStart(15)}  ` +
      `${add}  ${row.ratio.toFixed(2).padStart(6)}x  ${addRatio}  ${formatNumber(row.lut.memoryBits)} / ${formatNumber(row.mac.memoryBits)}`,
  );
}
console.log(`(synthesis ${((performance.now() - started) / 1000).toFixed(0)} s; density = MACs per cycle / transistors: LUT and ADD m*n*k/wbits, MAC m*n*k)`);

const unit = await unitDensity(config.k);
console.log(
  `\nDot-product units alone, W1 x FP16, k = ${config.k} (FP32 accumulation; the LUT unit's table precompute is shared, so not counted):\n` +
    `LUT unit ${formatNumber(unit.lut.transistors)} transistors for ${unit.lut.macsPerCycle} MACs/cycle, MAC unit ${formatNumber(unit.mac.transistors)} for ${unit.mac.macsPerCycle}: ${unit.ratio.toFixed(2)}x`,
);
