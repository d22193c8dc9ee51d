// quantize-block: a float decoder block into a LUT-LLM block model (docs/design/lut-llm-block.md).
// Each projection is calibrated on the activations the FLOAT block produces at its input (the
// float64 reference block with dense weights over the calibration rows at positions 0 .. T-1), and
// quantized with the layer quantizer (host/lut-llm/quantize.ts) exactly as `lutforge quantize`
// does: QKV is w_q | w_k | w_v side by side with one scale pair per head, gate_up is w_gate | w_up.

import { BLOCK_PROJECTIONS, projectionShape, type BlockProjection, type LutLlmBlockDims, type LutLlmBlockModel } from '../../contracts/lut-llm-block.js';
import type { LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import { goldenBlock } from '../../golden/lut-llm-block.js';
import { denseLinear, referenceBlock } from '../../golden/lut-llm-block-reference.js';
import { quantizeLayer } from '../lut-llm/quantize.js';
import { blockDims, engineConfigOf, type BlockModelConfig } from './model-config.js';
import { projectionScaleGroups, type BlockModelFiles } from './model-files.js';
import type { BlockWeights } from './weights.js';

/** W [K, N1 + N2 + ...] from matrices [K, Ni] side by side. */
export function concatColumns(K: number, parts: readonly Float32Array[]): Float32Array {
  const widths = parts.map((part) => part.length / K);
  const N = widths.reduce((a, b) => a + b, 0);
  const out = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    let at = k * N;
    parts.forEach((part, i) => {
      out.set(part.subarray(k * widths[i]!, (k + 1) * widths[i]!), at);
      at += widths[i]!;
    });
  }
  return out;
}

/** The four projections' dense weights [K, N] in the block's column order. */
export function projectionWeights(weights: BlockWeights): Record<BlockProjection, Float32Array> {
  const { config, tensors } = weights;
  return {
    qkv: concatColumns(config.hidden, [tensors.w_q, tensors.w_k, tensors.w_v]),
    o: tensors.w_o,
    gateUp: concatColumns(config.hidden, [tensors.w_gate, tensors.w_up]),
    down: tensors.w_down,
  };
}

function floatNorms(weights: BlockWeights): { dims: LutLlmBlockDims; inputNorm: Float32Array; postNorm: Float32Array; qNorm: Float32Array; kNorm: Float32Array } {
  const { tensors } = weights;
  return { dims: blockDims(weights.config), inputNorm: tensors.input_norm, postNorm: tensors.post_norm, qNorm: tensors.q_norm, kNorm: tensors.k_norm };
}

/** The unquantized block's y [T, H] in float64 over x at positions 0 .. T-1; `capture` sees each projection's input. */
export function floatBlock(weights: BlockWeights, x: Float32Array, capture?: (projection: BlockProjection, input: Float64Array, T: number) => void): Float64Array {
  const norms = floatNorms(weights);
  const y = referenceBlock(norms, denseLinear(norms.dims, projectionWeights(weights), capture), x);
  return Float64Array.from(y, (value) => value.v);
}

export interface QuantizeBlockOptions {
  readonly seed?: number;
  readonly zeroPoint?: 'integer' | 'exact';
  /** After each codebook: `done` of `total` over the four projections (the layer quantizer's count, summed). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The model directory's contents for the float block `weights`, calibrated on x [T, H]. */
export function quantizeBlock(weights: BlockWeights, engine: BlockModelConfig['engine'], calib: Float32Array, options: QuantizeBlockOptions = {}): BlockModelFiles {
  const config: BlockModelConfig = { ...weights.config, engine };
  const engineConfig = engineConfigOf(config);
  const inputs = {} as Record<BlockProjection, { data: Float32Array; T: number; K: number }>;
  floatBlock(weights, calib, (projection, input, T) => {
    inputs[projection] = { data: Float32Array.from(input), T, K: input.length / T };
  });
  const dense = projectionWeights(weights);
  const layers = {} as Record<BlockProjection, LutLlmLayer>;
  // quantizeLayer counts P activation and P * G weight codebooks.
  const codebooks = (projection: BlockProjection): number => {
    const { K, N } = projectionShape(config, projection);
    return (K / engine.v) * (1 + Math.ceil(N / engine.groupCols));
  };
  const total = BLOCK_PROJECTIONS.reduce((sum, projection) => sum + codebooks(projection), 0);
  let before = 0;
  for (const projection of BLOCK_PROJECTIONS) {
    const { data, T, K } = inputs[projection];
    layers[projection] = quantizeLayer(dense[projection], { T, K, act: 'fp32', data }, engineConfig, {
      seed: options.seed ?? 0,
      zeroPoint: options.zeroPoint ?? 'integer',
      scaleGroups: projectionScaleGroups(config, projection),
      onProgress: (done) => options.onProgress?.(before + done, total),
    });
    before += codebooks(projection);
  }
  const { tensors } = weights;
  const model: LutLlmBlockModel = {
    dims: blockDims(config),
    distance: engineConfig.distance,
    inputNorm: tensors.input_norm,
    postNorm: tensors.post_norm,
    qNorm: tensors.q_norm,
    kNorm: tensors.k_norm,
    ...layers,
  };
  return { config, model };
}

/** || a - b ||_F / || b ||_F (Infinity when b is zero and a is not; NaN entries count as NaN). */
export function relativeFrobenius(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    norm += b[i]! ** 2;
  }
  if (norm === 0) return diff === 0 ? 0 : Infinity;
  return Math.sqrt(diff / norm);
}

/** How far the quantized block's golden y is from the float block's on x [T, H] (T at most maxSeq), for y and for the block's update y - x. */
export function blockRelativeErrors(files: BlockModelFiles, weights: BlockWeights, x: Float32Array): { readonly y: number; readonly update: number; readonly T: number } {
  const { hidden, maxSeq } = files.model.dims;
  const T = Math.min(x.length / hidden, maxSeq);
  const rows = x.subarray(0, T * hidden);
  const golden = goldenBlock(files.model, rows).y;
  const float = floatBlock(weights, rows);
  return {
    y: relativeFrobenius(golden, float),
    update: relativeFrobenius(Float64Array.from(golden, (v, i) => v - rows[i]!), Float64Array.from(float, (v, i) => v - rows[i]!)),
    T,
  };
}
