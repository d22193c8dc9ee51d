// A synthetic float block of given dimensions, seeded, for the tests and the demo: weights
// N(0, 1/K) (so every projection keeps its input's scale) with 1% of the entries 6x larger, as in
// syntheticLlmData; norm weights 1 + N(0, 0.1^2); hidden states N(0, 1) with 3% of the channels
// (at least one) 8x larger, the outlier channels LLM activations have.

import { mulberry32 } from '../../golden/random.js';
import { weightShape, WEIGHT_NAMES, type BlockWeights, type BlockWeightsConfig, type WeightName } from './weights.js';

function gaussians(seed: number): () => number {
  const random = mulberry32(seed);
  // Box-Muller; 1 - u keeps the logarithm finite.
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function syntheticBlockWeights(config: BlockWeightsConfig, seed: number): BlockWeights {
  const gaussian = gaussians(seed);
  const random = mulberry32(seed ^ 0x5bd1e995);
  const tensors = {} as Record<WeightName, Float32Array>;
  for (const name of WEIGHT_NAMES) {
    const { shape } = weightShape(config, name);
    const size = shape.reduce((a, b) => a * b, 1);
    tensors[name] =
      shape.length === 1
        ? Float32Array.from({ length: size }, () => 1 + 0.1 * gaussian())
        : Float32Array.from({ length: size }, () => (gaussian() / Math.sqrt(shape[0]!)) * (random() < 0.01 ? 6 : 1));
  }
  return { config, tensors };
}

/** Hidden states x [T, hidden] entering the block. */
export function syntheticBlockInput(hidden: number, T: number, seed: number): Float32Array {
  const gaussian = gaussians(seed);
  const random = mulberry32(seed ^ 0x27d4eb2f);
  const outlier = Array.from({ length: hidden }, () => random() < 0.03);
  outlier[Math.floor(random() * hidden)] = true;
  return Float32Array.from({ length: T * hidden }, (_, i) => gaussian() * (outlier[i % hidden] ? 8 : 1));
}
