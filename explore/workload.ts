// A workload simulated on a point of a space: random operands of the workload's shape (from its
// seed) run through the generated hardware in Verilator, and the result compared element for
// element with the golden kernel. Matrix engines (tensor-core, mac, add) take M x K x N; lut-llm
// takes T tokens of a synthetic K x N layer, quantized with the point's codebook sizes.

import { quantizeLayer } from '../host/lut-llm/quantize.js';
import { runLutLlmLayer } from '../host/lut-llm/run-layer.js';
import { runMatmul } from '../host/run-matmul.js';
import { countMismatches, matmulGolden, workloadOperands } from '../host/matmul-workload.js';
import { matmulEngines } from '../generators/engines.js';
import type { LutLlmConfig } from '../generators/lut-llm/config.js';
import { MATMUL_ENGINE_NAMES, type MatmulEngineName } from '../generators/matmul-engine/interface.js';
import type { SerialPackConfig } from '../contracts/serial-packing.js';
import { activationIndices, lutLlmAccumulate, syntheticLlmData } from '../golden/lut-llm.js';
import { z } from 'zod';
import type { LlmActivations } from '../contracts/lut-llm-layer.js';
import { UsageError } from '../host/errors.js';

export interface WorkloadResult {
  readonly cycles: number;
  readonly idealCycles: number;
  /** idealCycles / cycles. */
  readonly efficiency: number;
  /** Multiply-accumulates (matrix engines) or table lookups (lut-llm) of the whole run. */
  readonly ops: number;
  /** Result elements that differ from the golden kernel (0: bit-exact). */
  readonly mismatches: number;
  readonly elements: number;
}

/** The generators a workload can run on. */
export const WORKLOAD_GENERATORS: readonly string[] = [...MATMUL_ENGINE_NAMES, 'lut-llm'];

/** A workload simulated on every point of the groups that name it: random operands of this shape. */
const dimension = z.number().int().min(1).max(1 << 20);

export const workloadSchema = z.strictObject({
  M: dimension.optional().describe('activation rows (matrix engines)'),
  T: dimension.optional().describe('tokens (lut-llm)'),
  K: dimension.describe('reduction length'),
  N: dimension.describe('output columns'),
  seed: z.number().int().min(0).default(1).describe('seed of the random operands'),
});
export type WorkloadSpec = z.output<typeof workloadSchema>;

/** Checks that a workload fits a generator before anything runs (a space error, exit 2). */
export function checkWorkload(generator: string, config: unknown, name: string, spec: WorkloadSpec): string | undefined {
  if (!WORKLOAD_GENERATORS.includes(generator)) return `workload '${name}': generator '${generator}' has no workload runner (those that do: ${WORKLOAD_GENERATORS.join(', ')})`;
  const limits = config as { readonly maxK: number; readonly maxT?: number; readonly act?: string; readonly v?: number };
  if (spec.K > limits.maxK) return `workload '${name}': K = ${spec.K} exceeds the point's maxK = ${limits.maxK}`;
  if (generator === 'lut-llm') {
    if (spec.T === undefined) return `workload '${name}': lut-llm needs T (tokens)`;
    if (spec.K % (limits.v ?? 1) !== 0) return `workload '${name}': K = ${spec.K} is not a multiple of the point's v = ${limits.v}`;
    if (spec.T > (limits.maxT ?? 0)) return `workload '${name}': T = ${spec.T} exceeds the point's maxT = ${limits.maxT}`;
    // The synthetic layer data are float32; fp16 and int16 engines need quantized inputs of their own.
    if (limits.act !== 'fp32') return `workload '${name}': lut-llm workloads run fp32 activations (the point has act = ${limits.act})`;
  } else if (spec.M === undefined) {
    return `workload '${name}': ${generator} needs M (activation rows)`;
  }
  return undefined;
}

export async function runWorkload(generator: string, config: unknown, spec: WorkloadSpec): Promise<WorkloadResult> {
  if (isMatmulEngine(generator)) return runMatmulWorkload(generator, config as SerialPackConfig & { maxK: number }, spec);
  if (generator === 'lut-llm') return runLutLlmWorkload(config as LutLlmConfig, spec);
  throw new UsageError(`generator '${generator}' has no workload runner`);
}

function isMatmulEngine(name: string): name is MatmulEngineName {
  return (MATMUL_ENGINE_NAMES as readonly string[]).includes(name);
}

async function runMatmulWorkload(name: MatmulEngineName, config: SerialPackConfig & { maxK: number }, spec: WorkloadSpec): Promise<WorkloadResult> {
  const engine = matmulEngines.get(name)!;
  const operands = workloadOperands(config, { M: spec.M!, K: spec.K, N: spec.N }, spec.seed);
  const run = await runMatmul(engine, config, operands);
  const golden = matmulGolden(name, config, operands);
  return {
    cycles: run.cycles,
    idealCycles: run.idealCycles,
    efficiency: run.efficiency,
    ops: run.macs,
    mismatches: countMismatches(run.y, golden),
    elements: golden.length,
  };
}

async function runLutLlmWorkload(config: LutLlmConfig, spec: WorkloadSpec): Promise<WorkloadResult> {
  const T = spec.T!;
  // Calibration tokens for the codebooks: enough for every activation centroid to be drawn.
  const calibT = Math.max(64, 2 * config.ca);
  const data = syntheticLlmData(spec.K, spec.N, calibT, T, spec.seed);
  const layer = quantizeLayer(data.W, { T: calibT, K: spec.K, act: 'fp32', data: data.calib }, config, { seed: spec.seed });
  const x: LlmActivations = { T, K: spec.K, act: 'fp32', data: data.holdout };
  const run = await runLutLlmLayer(config, layer, x);
  const golden = lutLlmAccumulate(layer, activationIndices(layer, x, config.distance), T);
  return {
    cycles: run.cycles,
    idealCycles: run.idealCycles,
    efficiency: run.efficiency,
    ops: run.lookups,
    mismatches: countMismatches(run.acc, golden),
    elements: golden.length,
  };
}
