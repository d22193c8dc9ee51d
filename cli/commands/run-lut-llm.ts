// `lutforge run lut-llm`: one linear layer on the simulated LUT-LLM engine. The layer directory
// (from `lutforge quantize` or any tool that writes the format) and X.npy are checked before
// anything is built; ACC.npy comes from the simulated hardware, Y.npy (--dequant) from the
// hardware's FP32 dequantization when the config has `dequant`, else from the host's, which
// follows the same float32 formula.

import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lutLlmEngine } from '../../generators/lut-llm/index.js';
import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import { chunksOfLastGroup, lutLlmLayout } from '../../generators/lut-llm/layout.js';
import { LAYER_BOUND_KEYS, LAYER_CONFIG_FILE, layerConfigConflict, readLayer, readLayerConfig } from '../../host/lut-llm/layer-files.js';
import { parseSetArgument } from '../../host/config.js';
import { runLutLlmLayer, type LutLlmCycleBreakdown, type LutLlmRunResult } from '../../host/lut-llm/run-layer.js';
import { lutLlmDequantize } from '../../golden/lut-llm.js';
import { checkOutputs, writeFileAtomically, type PlannedOutput } from '../../host/atomic.js';
import type { SimulatorName } from '../../sim/backend.js';
import { ToolMissingError } from '../../sim/errors.js';
import { StreamLimitError } from '../../sim/run-streams.js';
import type { CommandContext } from '../context.js';
import { buildConfig, type DesignOptions } from '../design-source.js';
import { formatShape, readNpy, writeNpy, type NpyDtype } from '../../host/npy.js';
import { NUMERIC_DTYPES } from '../../host/npy.js';
import { printWaveHint, writeJson } from '../output.js';
import { phaseReporter } from '../progress.js';
import { OperandError } from '../../contracts/matmul-operands.js';
import type { LlmActivations } from '../../contracts/lut-llm-layer.js';
import { CheckFailedError, UsageError } from '../../host/errors.js';

export interface LutLlmRunOptions extends DesignOptions {
  readonly layer?: string;
  readonly act: string;
  readonly out: string;
  readonly dequant?: string;
  readonly report?: string;
  readonly wave?: boolean;
  readonly simulator: SimulatorName;
  readonly json?: boolean;
  readonly progress?: boolean;
}

/** What `--report` writes for a LUT-LLM run, and `--json` prints. */
export interface LutLlmReport {
  readonly engine: 'lut-llm';
  readonly simulator: SimulatorName;
  readonly dims: { readonly T: number; readonly K: number; readonly N: number; readonly P: number; readonly G: number };
  readonly cycles: number;
  readonly idealCycles: number;
  readonly efficiency: number;
  /** The cycles by cause, adding up to `cycles` (host/lut-llm/run-layer.ts says which are derived). */
  readonly cycleBreakdown: LutLlmCycleBreakdown;
  readonly lookups: number;
  readonly wallSeconds: number;
  readonly simSeconds: number;
  readonly config: LutLlmConfig;
  readonly files: { readonly layer: string; readonly act: string; readonly out: string; readonly dequant: string | null; readonly report: string | null; readonly wave: string | null };
}

const ACT_DTYPE: Readonly<Record<LutLlmConfig['act'], NpyDtype>> = { fp32: 'float32', fp16: 'float16', int16: 'int16' };

/** The VCD `--wave` writes beside Y: Y.npy -> Y.vcd. */
export function waveFileFor(out: string): string {
  return `${out.replace(/\.npy$/i, '')}.vcd`;
}

/** Every file a run writes, for checkOutputs before anything is simulated (run.ts uses it too). */
export function runOutputs(options: { readonly out: string; readonly report?: string; readonly dequant?: string }, waveArgument: string | undefined): PlannedOutput[] {
  return [
    { flag: '--out', path: options.out, kind: 'file' },
    ...(options.dequant === undefined ? [] : [{ flag: '--dequant', path: options.dequant, kind: 'file' as const }]),
    ...(options.report === undefined ? [] : [{ flag: '--report', path: options.report, kind: 'file' as const }]),
    ...(waveArgument === undefined ? [] : [{ flag: '--wave', path: waveArgument, kind: 'file' as const }]),
  ];
}

/**
 * The run's configuration: the layer's config.json (what it was quantized with) first, then
 * --config, then --set, so a layer runs without repeating the quantization's settings and the
 * engine parameters (lookupsPerCycle, maxT, dequant, ...) can still change. A v, ca, cw,
 * groupCols or tableBits that contradicts the layer's is an error naming both, not a shape
 * mismatch later.
 */
async function layerRunConfig(options: LutLlmRunOptions, cwd: string, layerDir: string): Promise<LutLlmConfig> {
  const remembered = await readLayerConfig(resolve(cwd, layerDir), layerDir);
  const config = (await buildConfig(lutLlmEngine.generator, options, cwd, remembered)) as LutLlmConfig;
  const conflict = remembered === undefined ? undefined : layerConfigConflict(config, remembered);
  if (conflict === undefined) return config;
  const { key, quantized } = conflict;
  const setting = [...(options.set ?? []).map(parseSetArgument)].reverse().find((candidate) => candidate.path.length === 1 && candidate.path[0] === key);
  const source = setting !== undefined ? `--set ${key}=${JSON.stringify(setting.value)}` : `${key} = ${JSON.stringify(config[key])} in --config '${options.config ?? ''}'`;
  throw new UsageError(
    `${source} contradicts the layer '${layerDir}', quantized with ${key} = ${JSON.stringify(quantized)} (${join(layerDir, LAYER_CONFIG_FILE)}); ` +
      `${LAYER_BOUND_KEYS.join(', ')} are fixed by a layer's data: leave ${key} out, or quantize again`,
  );
}

export async function runLutLlm(options: LutLlmRunOptions, context: CommandContext): Promise<void> {
  const started = performance.now();
  if (options.layer === undefined) throw new UsageError("lut-llm needs --layer <dir> (a layer directory from 'lutforge quantize')");
  const phases = phaseReporter(context, 'run', options.progress === true);
  const config = await layerRunConfig(options, context.cwd, options.layer);
  const waveArgument = options.wave ? waveFileFor(options.out) : undefined;
  await checkOutputs(context.cwd, runOutputs(options, waveArgument));
  phases.phase('reading the layer and the activations');
  const layer = await readLayer(resolve(context.cwd, options.layer), config, options.layer);
  const X = await readNpy(resolve(context.cwd, options.act), '--act', {
    displayPath: options.act,
    // Any dtype whose values are exact in the engine's format: float64 X that holds float32 values too.
    expect: { dtype: ACT_DTYPE[config.act], dtypeReason: `for act=${config.act}`, dims: ['T', 'K'], from: NUMERIC_DTYPES },
  });
  const [T, K] = X.shape as [number, number];
  if (K !== layer.P * layer.v) {
    throw new UsageError(`'${options.act}' (--act) has K = ${K} columns, shape ${formatShape(X.shape)}; the layer '${options.layer}' takes K = P*v = ${layer.P}*${layer.v} = ${layer.P * layer.v}`);
  }
  if (K > config.maxK) throw new UsageError(`K = ${K} of '${options.act}' exceeds maxK = ${config.maxK} of this lut-llm configuration (raise it with --set maxK=${K})`);
  if (T > config.maxT) throw new UsageError(`'${options.act}' (--act) has T = ${T} rows; this lut-llm configuration takes at most maxT = ${config.maxT} (raise it with --set maxT=${T})`);
  const data = X.data;
  if (!(data instanceof Float32Array || data instanceof Uint16Array || data instanceof Int16Array)) throw new Error('activation array of an unexpected type after the dtype check');
  const x: LlmActivations = { T, K, act: config.act, data };

  const outPath = resolve(context.cwd, options.out);
  const wavePath = waveArgument === undefined ? undefined : resolve(context.cwd, waveArgument);
  let run: LutLlmRunResult;
  try {
    run = await runLutLlmLayer(config, layer, x, { simulator: options.simulator, onPhase: phases.phase, ...(wavePath === undefined ? {} : { wave: wavePath }) });
  } catch (error) {
    // readLayer checked the layer against the config, so a packing rejection is still the input's fault.
    if (error instanceof OperandError) throw new UsageError(`lut-llm: ${error.message}`);
    if (error instanceof ToolMissingError) throw new UsageError(error.message);
    if (error instanceof StreamLimitError) throw new CheckFailedError(`lut-llm: ${error.message}`);
    throw error;
  }

  phases.phase(`writing ${options.out}`);
  await writeNpy(outPath, run.acc, [T, layer.N], { displayPath: options.out });
  if (options.dequant !== undefined) {
    const y = run.y ?? lutLlmDequantize(layer, run.acc);
    await writeNpy(resolve(context.cwd, options.dequant), y, [T, layer.N], { displayPath: options.dequant });
  }
  const report: LutLlmReport = {
    engine: 'lut-llm',
    simulator: run.simulator,
    dims: { T, K, N: layer.N, P: layer.P, G: layer.G },
    cycles: run.cycles,
    idealCycles: run.idealCycles,
    efficiency: run.efficiency,
    cycleBreakdown: run.breakdown,
    lookups: run.lookups,
    wallSeconds: (performance.now() - started) / 1000,
    simSeconds: run.simSeconds,
    config,
    files: {
      layer: resolve(context.cwd, options.layer),
      act: resolve(context.cwd, options.act),
      out: outPath,
      dequant: options.dequant === undefined ? null : resolve(context.cwd, options.dequant),
      report: options.report === undefined ? null : resolve(context.cwd, options.report),
      wave: wavePath ?? null,
    },
  };
  if (options.report !== undefined) {
    await writeFileAtomically(resolve(context.cwd, options.report), `${JSON.stringify(report, null, 2)}\n`, { displayPath: options.report });
  }
  phases.done();
  if (options.json) {
    writeJson(context, report);
    return;
  }
  context.stdout.write(
    `lut-llm (${run.simulator}): ACC ${formatShape([T, layer.N])} int32 -> ${options.out}${options.dequant === undefined ? '' : `, Y float32 -> ${options.dequant}`}\n` +
      `cycles ${run.cycles}, ideal ${run.idealCycles}, efficiency ${(100 * run.efficiency).toFixed(1)}%, lookups ${run.lookups}\n` +
      describeBreakdown(run.breakdown, run.cycles, config, { T, N: layer.N, G: layer.G }),
  );
  printWaveHint(context, waveArgument);
  if (options.report !== undefined) context.stdout.write(`report: ${options.report}\n`);
}

/** The breakdown line, and what to change when table loading is a large part. */
function describeBreakdown(parts: LutLlmCycleBreakdown, cycles: number, config: LutLlmConfig, dims: { readonly T: number; readonly N: number; readonly G: number }): string {
  const line =
    `cycles by cause: ideal ${parts.ideal} + table loading ${parts.tableLoading} + fill ${parts.fill} + drain ${parts.drain} + ` +
    `idle lanes ${parts.idleLanes}${parts.searchWaits > 0 ? ` + search waits ${parts.searchWaits}` : ''} + stalls ${parts.stalls} = ${cycles}\n`;
  if (parts.tableLoading * 10 < cycles) return line;
  // Only the last column group can be used for fewer cycles than its table takes (tableBeats <= chunks).
  const beats = lutLlmLayout(config).tableBeats;
  const lastChunks = chunksOfLastGroup(config, dims.N, dims.G);
  const tokens = Math.ceil(beats / lastChunks);
  return (
    `${line}table loading: a table loads in ${beats} cycles but serves ${dims.T * lastChunks} ` +
    `(T = ${dims.T} x ${lastChunks} lookup beat${lastChunks === 1 ? '' : 's'} of the last column group); runs of ${tokens} or more tokens hide it\n`
  );
}
