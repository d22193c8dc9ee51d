// Host side of the decoder block (docs/design/lut-llm-block.md): the beats of a sequence of runs
// (T tokens each, the cache carrying over) and the reading of y and the per-phase cycle counts
// back. The engine's streams are the lut-llm engine's own packing, round by round, so the block
// adds no second description of the tables or the indices.

import type { LutLlmBlockModel } from '../../contracts/lut-llm-block.js';
import { OperandError, type PackedRun } from '../../contracts/matmul-operands.js';
import { packLutLlm } from '../lut-llm/pack.js';
import { type LutLlmBlockConfig, lutLlmBlockShape, PROJECTIONS } from './config.js';
import { PROFILED_PHASES, type ProfiledPhase } from './phases.js';


const ENGINE_STREAMS = ['cmd', 'codebook', 'tables', 'windex', 'scales'] as const;

/** One beat per value, its float32 bit pattern as stored (NaN payloads included). */
function wordBeats(values: Float32Array): bigint[][] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length), (word) => [BigInt(word)]);
}

/** Throws OperandError naming the first thing the block cannot take. */
export function checkBlockRuns(config: LutLlmBlockConfig, weights: LutLlmBlockModel, x: Float32Array, runs: readonly number[]): void {
  const shape = lutLlmBlockShape(config);
  const { hidden: H, headDim: D } = config;
  for (const [name, values, length] of [['input_norm', weights.inputNorm, H], ['post_norm', weights.postNorm, H], ['q_norm', weights.qNorm, D], ['k_norm', weights.kNorm, D]] as const) {
    if (values.length !== length) throw new OperandError(`${name} has ${values.length} weights; the block needs ${length}`);
  }
  for (const p of PROJECTIONS) {
    const layer = weights[p];
    const { K, N } = shape.rounds[p];
    if (layer.P * layer.v !== K || layer.N !== N) throw new OperandError(`projection ${p} is ${layer.P * layer.v} x ${layer.N}; the block needs ${K} x ${N}`);
  }
  const T = runs.reduce((a, b) => a + b, 0);
  if (x.length !== T * H) throw new OperandError(`X holds ${x.length} values; ${T} tokens of hidden ${H} are ${T * H}`);
  for (const tokens of runs) {
    if (!Number.isInteger(tokens) || tokens < 1 || tokens > shape.maxT) throw new OperandError(`a run of ${tokens} tokens: the block takes 1 to maxT = ${shape.maxT} per run`);
  }
  if (T > config.maxSeq) throw new OperandError(`T = ${T} tokens is more than the ${config.maxSeq} positions the KV cache holds (maxSeq)`);
}

/**
 * The beats of `runs` (token counts, in order) over X [T, hidden]: the norm weights once, then per
 * run its `run` beat, its rows of X and the four rounds' engine streams. `y` returns T * hidden
 * words, `profile` one beat per run.
 */
export function packLutLlmBlock(config: LutLlmBlockConfig, weights: LutLlmBlockModel, x: Float32Array, runs: readonly number[]): PackedRun {
  checkBlockRuns(config, weights, x, runs);
  const shape = lutLlmBlockShape(config);
  const inputs: Record<string, bigint[][]> = { run: [], x: [], norms: [], ...Object.fromEntries(ENGINE_STREAMS.map((s) => [s, []])) };
  inputs['norms'] = [weights.inputNorm, weights.postNorm, weights.qNorm, weights.kNorm].flatMap(wordBeats);
  let first = 0;
  for (const tokens of runs) {
    inputs['run']!.push([BigInt(tokens)]);
    inputs['x']!.push(...wordBeats(x.subarray(first * config.hidden, (first + tokens) * config.hidden)));
    for (const p of PROJECTIONS) {
      const { K } = shape.rounds[p];
      // The engine's packing also makes `act` beats; the block makes its own from its buffers.
      const engineRun = packLutLlm(shape.engine, weights[p], { T: tokens, K, act: 'fp32', data: new Float32Array(tokens * K) });
      for (const stream of ENGINE_STREAMS) inputs[stream]!.push(...(engineRun.inputs[stream] ?? []).map((beat) => [...beat]));
    }
    first += tokens;
  }
  const T = first;
  return { inputs, expect: { y: T * config.hidden, profile: runs.length } };
}

export type PhaseCycles = Readonly<Record<ProfiledPhase, number>>;

/** y [T, hidden] from the `y` beats, and each run's cycles by phase from its `profile` beat. */
export function unpackLutLlmBlock(config: LutLlmBlockConfig, T: number, yBeats: readonly (readonly bigint[])[], profileBeats: readonly (readonly bigint[])[]): { y: Float32Array; phases: PhaseCycles[] } {
  if (yBeats.length !== T * config.hidden) throw new Error(`the block sent ${yBeats.length} y words; ${T} tokens of hidden ${config.hidden} are ${T * config.hidden}`);
  const bits = Uint32Array.from(yBeats, (beat) => Number(beat[0]!));
  const phases = profileBeats.map((beat) => Object.fromEntries(PROFILED_PHASES.map((p, i) => [p, Number(beat[i]!)])) as Record<ProfiledPhase, number>);
  return { y: new Float32Array(bits.buffer), phases };
}
