// LUT-LLM benchmark (issue figures): cycle efficiency of the default engine on a 2048 x 2048 layer
// at T = 1 (decode) and T = 32 (prefill), table loading included, every ACC checked against the
// golden model; xilinx resources per unit of throughput for the whole engine, the lookup path and
// the centroid search; and the relative error of quantized layers (Gaussian weights and
// activations with outliers) at 4- and 8-bit tables. Prints only what it measured in this run.
//
//   node --import tsx scripts/bench-lut-llm.ts

import { performance } from 'node:perf_hooks';
import { lutLlmConfig, type LutLlmConfig } from '../generators/lut-llm/config.js';
import { lutLlmEngine } from '../generators/lut-llm/index.js';
import { quantizeLayer } from '../host/lut-llm/quantize.js';
import { runLutLlmLayer } from '../host/lut-llm/run-layer.js';
import { formatNumber } from '../synth/report.js';
import { synthesize } from '../synth/synthesize.js';
import { activationIndices, lutLlmAccumulate, relativeError, syntheticLlmData } from '../golden/lut-llm.js';
import { randomLayer } from '../tb/generators/lut-llm/random-layer.js';
import type { LlmActivations } from '../contracts/lut-llm-layer.js';

const config = lutLlmConfig.parse({ maxK: 2048, maxT: 32 });
const K = 2048;
const N = 2048;
console.log(`LUT-LLM engine: v ${config.v}, Ca ${config.ca}, Cw ${config.cw}, ${config.tableBits}-bit tables, ${config.distance}, ${config.act}, groupCols ${config.groupCols}, ${config.lookupsPerCycle} lookups/cycle\n`);

console.log('layer                    T    cycles       ideal        efficiency  golden   wall');
for (const T of [1, 32]) {
  const { layer, x } = randomLayer(config, { T, K, N, seed: T });
  const result = await runLutLlmLayer(config, layer, x);
  const { acc, idealCycles: ideal } = result;
  const golden = lutLlmAccumulate(layer, activationIndices(layer, x, config.distance), T);
  const wrong = acc.findIndex((value, i) => value !== golden[i]);
  if (wrong !== -1) process.exitCode = 1;
  console.log(
    `${`${K} x ${N}`.padEnd(24)} ${String(T).padEnd(4)} ${formatNumber(result.cycles).padEnd(12)} ${formatNumber(ideal).padEnd(12)} ${(ideal / result.cycles).toFixed(4).padEnd(11)} ` +
      `${wrong === -1 ? 'exact' : `WRONG at ${wrong}`}    ${result.wallSeconds.toFixed(1)} s`,
  );
}

await resources(config);

console.log('\nRelative error of the quantized layer against x @ W (K = N = 512, Gaussian with outliers, 256 calibration and 256 held-out tokens)');
console.log('tableBits  calibration  holdout');
const data = syntheticLlmData(512, 512, 256, 256, 7);
for (const tableBits of [4, 8] as const) {
  const quantConfig = lutLlmConfig.parse({ tableBits, groupCols: 128, lookupsPerCycle: 64 });
  const calib: LlmActivations = { T: 256, K: 512, act: 'fp32', data: data.calib };
  const holdout: LlmActivations = { T: 256, K: 512, act: 'fp32', data: data.holdout };
  const layer = quantizeLayer(data.W, calib, quantConfig, { seed: 1 });
  const errors = [calib, holdout].map((x) => relativeError(layer, x, data.W, quantConfig.distance));
  console.log(`${String(tableBits).padEnd(10)} ${errors[0]!.toFixed(4).padEnd(12)} ${errors[1]!.toFixed(4)}`);
}

/** xilinx figures of the whole engine and of its parts, per lookup per cycle. */
async function resources(engineConfig: LutLlmConfig): Promise<void> {
  const started = performance.now();
  const { report } = await synthesize(lutLlmEngine.generator.generate(engineConfig), 'xilinx', { flatten: false });
  if (report.target !== 'xilinx') throw new Error(`expected a xilinx report, got ${report.target}`);
  const perLookup = (value: number): string => (value / engineConfig.lookupsPerCycle).toFixed(1);
  console.log(`\nxilinx (UltraScale+, hierarchical totals; synthesis ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  console.log('part                         LUT6        FF          BRAM (RAMB36)  DSP   LUT6 / lookup/cycle  FF / lookup/cycle');
  const row = (name: string, figures: XilinxFigures): void =>
    console.log(
      `${name.padEnd(28)} ${formatNumber(figures.lut).padEnd(11)} ${formatNumber(figures.ff).padEnd(11)} ${formatNumber(figures.bram).padEnd(14)} ` +
        `${String(figures.dsp).padEnd(5)} ${perLookup(figures.lut).padEnd(20)} ${perLookup(figures.ff)}`,
    );
  const modules = report.modules as Readonly<Record<string, XilinxFigures & { instances: Readonly<Record<string, number>> }>>;
  // A module's figures with everything it instantiates, counted per instance.
  const total = (name: string): XilinxFigures => {
    const entry = modules[name];
    if (entry === undefined) return { lut: 0, ff: 0, bram: 0, dsp: 0 };
    const sum = { lut: entry.lut, ff: entry.ff, bram: entry.bram, dsp: entry.dsp };
    for (const [child, count] of Object.entries(entry.instances)) {
      const figures = total(child);
      sum.lut += count * figures.lut;
      sum.ff += count * figures.ff;
      sum.bram += count * figures.bram;
      sum.dsp += count * figures.dsp;
    }
    return sum;
  };
  row('whole engine', total(report.top));
  for (const [child, count] of Object.entries(modules[report.top]?.instances ?? {})) {
    const figures = total(child);
    row(`${child}${count > 1 ? ` x ${count}` : ''}`, { lut: count * figures.lut, ff: count * figures.ff, bram: count * figures.bram, dsp: count * figures.dsp });
  }
  console.log("(the paper's whole V80 design: about 155 LUTs per lookup per cycle, 1.27 M LUTs for 8192 lookups per cycle)");
}

interface XilinxFigures {
  lut: number;
  ff: number;
  bram: number;
  dsp: number;
}
