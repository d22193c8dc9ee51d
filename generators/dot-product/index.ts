// The dot-product array as a registered generator: the unit-level design points of the LUT Tensor
// Core paper's K sweep and weight-width sweep, for the design-space explorer.

import { emitVerilog } from '../../api/index.js';
import { defineGenerator } from '../registry.js';
import { buildDotProduct } from './array.js';
import { dotProductConfig, dotProductThroughput } from './config.js';

export const dotProductGenerator = defineGenerator({
  name: 'dot-product',
  description: 'dot-product units sharing one activation group: LUT (shared or per-unit table), bit-serial ADD or MAC (FP MACs take weights in the activation format)',
  schema: dotProductConfig,
  generate: (config) => emitVerilog(buildDotProduct(config)),
  throughput: dotProductThroughput,
});
