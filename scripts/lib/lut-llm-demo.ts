// The LUT-LLM part of `make demo`: a small layer end to end. Synthetic weights and activations
// with outliers are quantized (k-means codebooks, 2D tables), the layer directory is written, the
// engine is generated and linted, and the activations run through it in Verilator; ACC must equal
// the golden model element for element, and the dequantized result is compared with x @ W.

import path from 'node:path';
import { writeDirectoryAtomically } from '../../host/atomic.js';
import { designFiles } from '../../cli/commands/gen.js';
import { writeLayer } from '../../host/lut-llm/layer-files.js';
import { quantizeLayer } from '../../host/lut-llm/quantize.js';
import { runLutLlmLayer } from '../../host/lut-llm/run-layer.js';
import { lutLlmConfig } from '../../generators/lut-llm/config.js';
import { lutLlmEngine } from '../../generators/lut-llm/index.js';
import { formatNumber } from '../../synth/report.js';
import { activationIndices, lutLlmAccumulate, relativeError, syntheticLlmData } from '../../golden/lut-llm.js';
import { lintEverywhere } from '../../tb/lint.js';
import type { LlmActivations } from '../../contracts/lut-llm-layer.js';

/** Runs the demo and prints its rows; returns whether the Verilog is clean and ACC exact. */
export async function lutLlmDemo(root: string): Promise<boolean> {
  const config = lutLlmConfig.parse({ v: 2, ca: 16, cw: 8, groupCols: 32, lookupsPerCycle: 8, maxK: 64, maxT: 4 });
  const K = 64;
  const N = 80;
  const T = 4;
  console.log(`LUT-LLM (v ${config.v}, Ca ${config.ca}, Cw ${config.cw}, ${config.tableBits}-bit tables, ${config.distance}): quantize -> generate -> lint -> simulate\n`);
  const data = syntheticLlmData(K, N, 128, T, 3);
  const calib: LlmActivations = { T: 128, K, act: 'fp32', data: data.calib };
  const x: LlmActivations = { T, K, act: 'fp32', data: data.holdout };
  const layer = quantizeLayer(data.W, calib, config, { seed: 1 });
  await writeLayer(path.join(root, 'rtl-out', 'lut-llm-layer'), layer, { config });
  const design = lutLlmEngine.generator.generate(config);
  await writeDirectoryAtomically(path.join(root, 'rtl-out', 'lut-llm'), designFiles(design));

  const [lint, run] = await Promise.all([lintEverywhere(design), runLutLlmLayer(config, layer, x)]);
  const acc = run.acc;
  const golden = lutLlmAccumulate(layer, activationIndices(layer, x, config.distance), T);
  const matching = acc.filter((value, i) => value === golden[i]).length;
  const lintVerdict = [lint.verilator.ok, lint.icarus.ok, lint.yosys.ok].map((ok) => (ok ? 'clean' : 'DIRTY')).join('/');
  if (!lint.ok) console.error(`lint problems\n${[lint.verilator, lint.icarus, lint.yosys].map((r) => r.messages).join('\n')}`);
  const rows: [string, string][] = [
    ['layer', `K ${K} x N ${N} (P ${layer.P} positions, G ${layer.G} column groups) -> rtl-out/lut-llm-layer/`],
    ['Verilog', `rtl-out/lut-llm/ (${design.modules.length} modules)`],
    ['lint (verilator/icarus/yosys)', lintVerdict],
    [`ACC ${T} x ${N}`, `${formatNumber(matching)}/${formatNumber(golden.length)} equal the golden model`],
    ['cycles', `${formatNumber(run.cycles)} (ideal ${formatNumber(run.idealCycles)}), efficiency ${(100 * run.efficiency).toFixed(1)}%`],
    ['relative error vs x @ W', `${relativeError(layer, x, data.W, config.distance).toFixed(3)} (held-out tokens; 16 centroids per position)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  console.log('');
  return lint.ok && matching === golden.length;
}
