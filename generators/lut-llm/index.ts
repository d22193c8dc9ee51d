// The LUT-LLM engine as a registered generator and as the engine `lutforge run lut-llm` drives:
// the generator (config schema and hardware), the host packing of a layer and activations into the
// streams of docs/design/lut-llm.md, and the reading of ACC (and y) back from the `out` beats.

import { emitVerilog } from '../../api/index.js';
import type { LlmActivations, LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import { defineGenerator } from '../registry.js';
import { lutLlmConfig, type LutLlmConfig } from './config.js';
import { buildLutLlmEngine } from './engine.js';
import { lutLlmIdealCycles, type LutLlmRunDims, packLutLlm, unpackLutLlmRun } from './pack.js';
import type { PackedRun } from '../../contracts/matmul-operands.js';

export const lutLlmGenerator = defineGenerator({
  name: 'lut-llm',
  description: 'LUT-LLM linear layer: centroid search, 2D table lookups in block RAM, integer accumulation (optional FP32 dequantization)',
  schema: lutLlmConfig,
  generate: (config) => emitVerilog(buildLutLlmEngine(config)),
  // Each lookup stands for a v-long dot product of a centroid pair.
  throughput: (config) => ({ perCycle: config.positionsPerCycle * config.lookupsPerCycle, unit: 'lookup' }),
});

/** What a run gives back: the accumulators, and with `dequant` the hardware's FP32 y beside them. */
export interface LutLlmRunOutput {
  readonly acc: Int32Array;
  readonly y?: Float32Array;
}

export interface LutLlmEngine {
  readonly generator: typeof lutLlmGenerator;
  /** Checks the layer against the config and X, and packs both into stream beats. */
  readonly pack: (config: LutLlmConfig, layer: LutLlmLayer, x: LlmActivations) => PackedRun;
  readonly idealCycles: (config: LutLlmConfig, dims: LutLlmRunDims) => number;
  readonly unpack: (config: LutLlmConfig, dims: LutLlmRunDims, outBeats: readonly (readonly bigint[])[]) => LutLlmRunOutput;
}

export const lutLlmEngine: LutLlmEngine = {
  generator: lutLlmGenerator,
  pack: packLutLlm,
  idealCycles: lutLlmIdealCycles,
  unpack: unpackLutLlmRun,
};
