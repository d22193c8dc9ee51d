// Random LUT-LLM layers and activations for the engine tests and the benchmark, built directly as
// LutLlmLayer objects (no quantizer): tables and weight indices uniform over their ranges, and
// codebooks and activations drawn from a coarse grid often enough that distances tie and whole
// centroids repeat, so the tie rule (lower index) is exercised, mixed with arbitrary values.

import { FP16 } from '../../../contracts/fp-format.js';
import type { LutLlmConfig } from '../../../generators/lut-llm/config.js';
import { fpRound } from '../../../golden/softfloat.js';
import { seededRandom } from '../matmul-regression.js';
import type { LlmActivations, LutLlmLayer } from '../../../contracts/lut-llm-layer.js';

export interface RandomLayerOptions {
  readonly T: number;
  readonly K: number;
  readonly N: number;
  readonly seed: number;
  /** Mix NaN, infinities, zeros of both signs and subnormals into float codebooks and activations. */
  readonly specials?: boolean;
  /** Every table entry at 2^tableBits - 1: the largest accumulators. */
  readonly fullTables?: boolean;
  /** S (scale, zero) pairs, one per N / S columns (default 1). */
  readonly scaleGroups?: number;
}

export function randomLayer(config: LutLlmConfig, options: RandomLayerOptions): { layer: LutLlmLayer; x: LlmActivations } {
  const { v, ca, cw, groupCols, tableBits, act } = config;
  const { T, K, N } = options;
  if (K % v !== 0) throw new RangeError(`K = ${K} is not a multiple of v = ${v}`);
  const random = seededRandom(options.seed);
  const P = K / v;
  const G = Math.ceil(N / groupCols);
  const S = options.scaleGroups ?? 1;
  const unit = (): number => random(0, 2 ** 24 - 1) / 2 ** 24;

  // A float value: a quarter of the time on a grid of quarters (ties), else arbitrary.
  const floatValue = (): number => {
    const roll = random(0, 19);
    if (options.specials === true && roll === 0) return [NaN, Infinity, -Infinity][random(0, 2)]!;
    if (options.specials === true && roll === 1) return [0, -0, 2 ** -140, -(2 ** -135), 3.4e38][random(0, 4)]!;
    if (roll < 6) return random(-16, 16) / 4;
    return (unit() * 2 - 1) * 2 ** random(-3, 3);
  };
  // An int16 value: a coarse grid (ties), the extremes, or anything.
  const intValue = (): number => {
    const roll = random(0, 9);
    if (roll < 4) return random(-8, 8) * 1024;
    if (roll === 4) return random(0, 1) === 0 ? -32768 : 32767;
    return random(-32768, 32767);
  };

  // Codebooks [P, Ca, v]; about one centroid in six repeats an earlier one of its position.
  const codebookValues: number[] = [];
  for (let p = 0; p < P; p++) {
    for (let c = 0; c < ca; c++) {
      const copy = c > 0 && random(0, 5) === 0 ? random(0, c - 1) : -1;
      for (let i = 0; i < v; i++) {
        codebookValues.push(copy >= 0 ? codebookValues[(p * ca + copy) * v + i]! : act === 'int16' ? intValue() : floatValue());
      }
    }
  }
  const actCodebook = act === 'int16' ? Int16Array.from(codebookValues) : Float32Array.from(codebookValues);

  // Activations [T, K]; some sub-vectors sit exactly on a centroid of their position.
  const xValues: number[] = [];
  for (let t = 0; t < T; t++) {
    for (let p = 0; p < P; p++) {
      const on = random(0, 7) === 0 ? random(0, ca - 1) : -1;
      for (let i = 0; i < v; i++) xValues.push(on >= 0 ? codebookValues[(p * ca + on) * v + i]! : act === 'int16' ? intValue() : floatValue());
    }
  }
  const data =
    act === 'int16' ? Int16Array.from(xValues) : act === 'fp32' ? Float32Array.from(xValues) : Uint16Array.from(xValues, (value) => fpRound(FP16, value));

  const top = 2 ** tableBits - 1;
  const table = Uint8Array.from({ length: P * G * ca * cw }, () => (options.fullTables === true ? top : random(0, top)));
  const weightIndex = Uint8Array.from({ length: P * N }, () => random(0, cw - 1));
  const weightCodebook = new Float32Array(P * G * cw * v);
  const layer: LutLlmLayer = {
    P,
    N,
    G,
    v,
    ca,
    cw,
    groupCols,
    tableBits,
    actCodebook,
    weightCodebook,
    weightIndex,
    table,
    scale: new Float32Array(S),
    zero: new Float32Array(S),
  };
  // Drawn last, pair by pair, so a layer with S = 1 is the same as before scale groups.
  for (let s = 0; s < S; s++) {
    layer.scale[s] = (unit() + 0.01) / 64;
    layer.zero[s] = unit() * top;
  }
  return { layer, x: { T, K, act, data } };
}
