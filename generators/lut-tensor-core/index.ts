// The LUT Tensor Core as a registered generator and as a matrix engine (`lutforge run tensor-core`).

import { emitVerilog } from '../../api/index.js';
import type { MatmulEngine } from '../matmul-engine/interface.js';
import { defineGenerator } from '../registry.js';
import { tensorCoreConfig, type TensorCoreConfig } from './config.js';
import { buildTensorCore } from './tensor-core.js';
import { operandLimits, packSerial, tileSteps, unpackResults } from '../../contracts/serial-packing.js';

export const tensorCoreGenerator = defineGenerator({
  name: 'tensor-core',
  description: 'LUT Tensor Core: bit-serial table-lookup mpGEMM engine (M2N64K4, W1-4, INT8/INT16 or FP16/BF16/FP8 activations)',
  schema: tensorCoreConfig,
  generate: (config) => emitVerilog(buildTensorCore(config)),
  // One weight bit plane of m*n*k weights per cycle (correction beats not counted).
  throughput: (config) => ({ perCycle: (config.m * config.n * config.k) / config.wbits, unit: 'MAC' }),
});

export const tensorCoreEngine: MatmulEngine<TensorCoreConfig> = {
  name: 'tensor-core',
  generator: tensorCoreGenerator,
  limits: (config) => operandLimits(config),
  idealCycles: (config, dims) => tileSteps(config, dims) * config.wbits,
  pack: (config, operands) => packSerial(config, operands),
  unpack: (config, dims, beats) => unpackResults(config, dims, beats),
};
