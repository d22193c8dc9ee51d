// LUT-LLM benchmark (issue figures): cycle efficiency of the default engine on a 2048 x 2048 layer
// at T = 1 (decode) and T = 32 (prefill), table loading included, every ACC checked against the
// golden model; xilinx (UltraScale+) resources of engines by lookups per cycle (scripts/lib/lut-llm-
// resources.ts: whole engine, lookup chain, search, the search's FP32 subtractors apart, the chain
// against its floor on the fabric); and the relative error of quantized layers (Gaussian weights
// and activations with outliers) at 4- and 8-bit tables. Prints only what it measured in this run.
//
//   node --import tsx scripts/bench-lut-llm.ts                 the default engine's resources (1 x 64)
//   node --import tsx scripts/bench-lut-llm.ts --scale         also 1 x 256, 4 x 256, 8 x 256 and the release's 16 x 512
//   node --import tsx scripts/bench-lut-llm.ts --engines 8x256 --resources-only --yosys system
//
// Engines are POSITIONSxCOLUMNS per cycle. Large engines need the native Yosys (--yosys system, or
// LUTFORGE_YOSYS=system): the embedded WebAssembly one has 4 GiB of memory. One synthesis at a time.

import { Command } from 'commander';
import { lutLlmConfig } from '../generators/lut-llm/config.js';
import { quantizeLayer } from '../host/lut-llm/quantize.js';
import { runLutLlmLayer } from '../host/lut-llm/run-layer.js';
import { formatNumber } from '../synth/report.js';
import { resolveFlavour } from '../synth/runner.js';
import { activationIndices, lutLlmAccumulate, relativeError, syntheticLlmData } from '../golden/lut-llm.js';
import { randomLayer } from '../tb/generators/lut-llm/random-layer.js';
import type { LlmActivations } from '../contracts/lut-llm-layer.js';
import { engineResources, parseEngineSize, printEngine, RELEASE_LUT_PER_LOOKUP, RELEASE_QWEN_BLOCK, subtractorCost, type EngineResources, type EngineSize } from './lib/lut-llm-resources.js';

const DEFAULT_ENGINES = '1x64';
const SCALE_ENGINES = '1x64,1x256,4x256,8x256,16x512';
const options = new Command('bench-lut-llm')
  .option('--scale', `resources of ${SCALE_ENGINES} lookups per cycle (positions x columns)`)
  .option('--engines <list>', `engines to synthesize, comma-separated POSITIONSxCOLUMNS (default ${DEFAULT_ENGINES})`)
  .option('--yosys <flavour>', 'embedded or system (default $LUTFORGE_YOSYS, else embedded)')
  .option('--table-bits <bits>', 'table entry bits of the synthesized engines: 8 (default) or 4 (the release\'s final kernel)', '8')
  .option('--resources-only', 'skip the cycle runs and the quantization error')
  .parse()
  .opts<{ scale?: boolean; engines?: string; yosys?: string; tableBits: string; resourcesOnly?: boolean }>();
const engines: EngineSize[] = (options.engines ?? (options.scale === true ? SCALE_ENGINES : DEFAULT_ENGINES)).split(',').map(parseEngineSize);
const flavour = resolveFlavour(options.yosys);
const resourcesOnly = options.resourcesOnly === true;
if (options.tableBits !== '4' && options.tableBits !== '8') throw new Error(`--table-bits must be 4 or 8, got '${options.tableBits}'`);
const tableBits = options.tableBits === '4' ? 4 : 8;

const config = lutLlmConfig.parse({ maxK: 2048, maxT: 32 });
const K = 2048;
const N = 2048;
if (!resourcesOnly) await cycles();
await resources();
if (!resourcesOnly) quantizationError();

/** The default engine on a 2048 x 2048 layer, at T = 1 and 32, against the golden model. */
async function cycles(): Promise<void> {
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
}

function quantizationError(): void {
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
}

/** xilinx resources of each engine, one synthesis at a time, with the FP32 subtractor alone first. */
async function resources(): Promise<void> {
  const subtractor = await subtractorCost(flavour);
  console.log(`\nxilinx (UltraScale+) resources, hierarchical synthesis (flatten: false), ${flavour} Yosys; nothing cached`);
  console.log(`one FP32 subtractor (dsl/lib/fp fpAdd, b negated) alone: ${subtractor.lut} LUT, ${subtractor.carry} CARRY (synthesis ${subtractor.seconds.toFixed(0)} s)`);
  for (const size of engines) {
    let measured: EngineResources;
    try {
      measured = await engineResources(size, flavour, tableBits);
    } catch (error) {
      console.log(`\n${size.positions} x ${size.columns}: not synthesized: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
      process.exitCode = 1;
      continue;
    }
    printEngine(measured, subtractor);
    console.log(`(Yosys: ${measured.yosys})`);
  }
  const release = RELEASE_QWEN_BLOCK;
  console.log(
    `\nThe release (qwen_block, V80): ${RELEASE_LUT_PER_LOOKUP.toFixed(1)} LUT per lookup per cycle for the whole block (${formatNumber(release.lut)} LUT, ${formatNumber(release.ff)} FF, ` +
      `${formatNumber(release.ramb18)} RAMB18 + ${release.ramb36} RAMB36, ${release.uram} URAM, ${formatNumber(release.dsp)} DSP at ${formatNumber(release.lookups)} lookups/cycle, ` +
      'attention, normalization and HBM interface included, FP32 subtractors in DSPs); lut_dla at most 246.8 (505,450 LUT at 2,048, platform included).',
  );
}
