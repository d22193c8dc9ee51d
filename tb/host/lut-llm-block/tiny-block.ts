// The tiny block of the block tests (issue 22's size): hidden 64, 4 heads of 16, 2 key/value
// heads, intermediate 128, 16 positions; an engine of v = 2, 16 activation and 8 weight centroids,
// column groups of 8 (two per head), quantized from the synthetic float block on 64 calibration
// rows. Built once per test file (about a second).

import { quantizeBlock } from '../../../host/lut-llm-block/quantize-block.js';
import type { BlockModelConfig } from '../../../host/lut-llm-block/model-config.js';
import type { BlockModelFiles } from '../../../host/lut-llm-block/model-files.js';
import { syntheticBlockInput, syntheticBlockWeights } from '../../../host/lut-llm-block/synthetic.js';
import type { BlockWeights, BlockWeightsConfig } from '../../../host/lut-llm-block/weights.js';

export const TINY_DIMS: BlockWeightsConfig = { hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16, ropeTheta: 10000, rmsEps: 1e-6, maxSeq: 16 };
export const TINY_ENGINE: BlockModelConfig['engine'] = { v: 2, ca: 16, cw: 8, tableBits: 8, distance: 'linf', groupCols: 8, lookupsPerCycle: 8, positionsPerCycle: 1 };
export const CALIB_T = 64;

export interface TinyBlock {
  readonly weights: BlockWeights;
  readonly files: BlockModelFiles;
  /** [CALIB_T, 64]. */
  readonly calib: Float32Array;
  /** [16, 64] from the same distribution (the same outlier channels), not calibrated on. */
  readonly x: Float32Array;
}

let cached: TinyBlock | undefined;

export function tinyBlock(): TinyBlock {
  if (cached !== undefined) return cached;
  const weights = syntheticBlockWeights(TINY_DIMS, 1);
  const rows = syntheticBlockInput(TINY_DIMS.hidden, CALIB_T + TINY_DIMS.maxSeq, 2);
  const calib = rows.slice(0, CALIB_T * TINY_DIMS.hidden);
  const x = rows.slice(CALIB_T * TINY_DIMS.hidden);
  cached = { weights, files: quantizeBlock(weights, TINY_ENGINE, calib), calib, x };
  return cached;
}
