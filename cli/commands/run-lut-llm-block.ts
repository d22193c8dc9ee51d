// `lutforge run lut-llm-block`: hidden states through the simulated decoder block. The model
// directory (from `lutforge quantize-block`) and X.npy are checked before anything is built; Y.npy
// comes from the simulated hardware, which must agree with the golden block bit for bit.

import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lutLlmBlockGenerator } from '../../generators/lut-llm-block/index.js';
import { lutLlmBlockShape, type LutLlmBlockConfig } from '../../generators/lut-llm-block/config.js';
import { readBlockModel } from '../../host/lut-llm-block/model-files.js';
import { readBlockWeights } from '../../host/lut-llm-block/weights.js';
import { runLutLlmBlock, type BlockRunResult } from '../../host/lut-llm-block/run-block.js';
import { blockAccuracy, cyclesPerToken, type BlockAccuracy, type BlockCyclesPerToken } from '../../host/lut-llm-block/block-report.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import { CheckFailedError, UsageError } from '../../host/errors.js';
import { FLOAT_DTYPES, formatShape, readNpy, writeNpy } from '../../host/npy.js';
import { OperandError } from '../../contracts/matmul-operands.js';
import type { SimulatorName } from '../../sim/backend.js';
import { ToolMissingError } from '../../sim/errors.js';
import { StreamLimitError } from '../../sim/run-streams.js';
import type { CommandContext } from '../context.js';
import { buildConfig } from '../design-source.js';
import { printWaveHint, writeJson } from '../output.js';
import { phaseReporter } from '../progress.js';
import { runOutputs, waveFileFor, type LutLlmRunOptions } from './run-lut-llm.js';

/** The options of a LUT-LLM layer run, with the model in place of the layer. */
export interface BlockRunCliOptions extends Omit<LutLlmRunOptions, 'layer' | 'dequant'> {
  readonly model?: string;
  readonly weights?: string;
  readonly decode?: boolean;
}

/** What `--report` writes for a block run, and `--json` prints. */
export interface BlockReport {
  readonly engine: 'lut-llm-block';
  readonly simulator: SimulatorName;
  readonly T: number;
  readonly mode: 'prefill' | 'decode';
  readonly cycles: number;
  readonly cyclesPerToken: BlockCyclesPerToken;
  /** Each run's cycles by phase, from the block's own counters. */
  readonly runs: BlockRunResult['runs'];
  readonly accuracy: BlockAccuracy;
  readonly wallSeconds: number;
  readonly simSeconds: number;
  readonly config: LutLlmBlockConfig;
  readonly files: { readonly model: string; readonly act: string; readonly out: string; readonly weights: string | null; readonly report: string | null; readonly wave: string | null };
}

/** Prefill goes in runs of maxT tokens (the last one shorter); decode one token per run. */
export function blockRuns(T: number, maxT: number, decode: boolean): number[] {
  const size = decode ? 1 : maxT;
  return Array.from({ length: Math.ceil(T / size) }, (_, i) => Math.min(size, T - i * size));
}

export async function runLutLlmBlockCommand(options: BlockRunCliOptions, context: CommandContext): Promise<void> {
  const started = performance.now();
  if (options.model === undefined) throw new UsageError("lut-llm-block needs --model <dir> (a model directory from 'lutforge quantize-block')");
  const phases = phaseReporter(context, 'run', options.progress === true);
  const waveArgument = options.wave ? waveFileFor(options.out) : undefined;
  await checkOutputs(context.cwd, runOutputs(options, waveArgument));
  phases.phase('reading the model and the hidden states');
  const files = await readBlockModel(resolve(context.cwd, options.model), options.model);
  // The model's config.json is the block's configuration; --config and --set may change what the
  // model's data does not fix (maxT, the engine's rate keys).
  const config = (await buildConfig(lutLlmBlockGenerator, options, context.cwd, { ...files.config })) as LutLlmBlockConfig;
  const X = await readNpy(resolve(context.cwd, options.act), '--act', { displayPath: options.act, expect: { dtype: 'float32', dims: ['T', 'hidden'], from: FLOAT_DTYPES } });
  const [T, width] = X.shape as [number, number];
  if (width !== config.hidden) throw new UsageError(`'${options.act}' (--act) has shape ${formatShape(X.shape)}: ${width} columns; the block '${options.model}' has hidden = ${config.hidden}`);
  if (T > config.maxSeq) throw new UsageError(`'${options.act}' (--act) has T = ${T} tokens; the block's KV cache holds maxSeq = ${config.maxSeq} positions ('${options.model}/config.json')`);
  const x = X.data as Float32Array;
  const floatWeights = options.weights === undefined ? undefined : await readBlockWeights(resolve(context.cwd, options.weights), options.weights);
  if (floatWeights !== undefined && floatWeights.config.hidden !== config.hidden) {
    throw new UsageError(`--weights '${options.weights}' is a block of hidden = ${floatWeights.config.hidden}; the model '${options.model}' has hidden = ${config.hidden}`);
  }

  const outPath = resolve(context.cwd, options.out);
  const wavePath = waveArgument === undefined ? undefined : resolve(context.cwd, waveArgument);
  const mode = options.decode ? 'decode' : 'prefill';
  let run: BlockRunResult;
  try {
    run = await runLutLlmBlock(config, files.model, x, blockRuns(T, lutLlmBlockShape(config).maxT, mode === 'decode'), {
      simulator: options.simulator,
      onPhase: phases.phase,
      ...(wavePath === undefined ? {} : { wave: wavePath }),
    });
  } catch (error) {
    if (error instanceof OperandError) throw new UsageError(`lut-llm-block: ${error.message}`);
    if (error instanceof ToolMissingError) throw new UsageError(error.message);
    if (error instanceof StreamLimitError) throw new CheckFailedError(`lut-llm-block: ${error.message}`);
    throw error;
  }
  phases.phase('checking y against the golden block');
  const accuracy = blockAccuracy(files.model, x, run.y, floatWeights);
  phases.phase(`writing ${options.out}`);
  await writeNpy(outPath, run.y, [T, config.hidden], { displayPath: options.out });
  const perToken = cyclesPerToken(run);
  const report: BlockReport = {
    engine: 'lut-llm-block',
    simulator: run.simulator,
    T,
    mode,
    cycles: run.cycles,
    cyclesPerToken: perToken,
    runs: run.runs,
    accuracy,
    wallSeconds: (performance.now() - started) / 1000,
    simSeconds: run.simSeconds,
    config,
    files: {
      model: resolve(context.cwd, options.model),
      act: resolve(context.cwd, options.act),
      out: outPath,
      weights: options.weights === undefined ? null : resolve(context.cwd, options.weights),
      report: options.report === undefined ? null : resolve(context.cwd, options.report),
      wave: wavePath ?? null,
    },
  };
  if (options.report !== undefined) await writeFileAtomically(resolve(context.cwd, options.report), `${JSON.stringify(report, null, 2)}\n`, { displayPath: options.report });
  phases.done();
  if (accuracy.goldenMismatches > 0) throw new CheckFailedError(`lut-llm-block: ${accuracy.goldenMismatches} of ${T * config.hidden} words of Y differ from the golden block (Y written to ${options.out}; the report says more)`);
  if (options.json) {
    writeJson(context, report);
    return;
  }
  context.stdout.write(describeRun(report, options));
  printWaveHint(context, waveArgument);
  if (options.report !== undefined) context.stdout.write(`report: ${options.report}\n`);
}

function describeRun(report: BlockReport, options: BlockRunCliOptions): string {
  const { cyclesPerToken: c, accuracy: a } = report;
  const f = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const parts = c.parts;
  return (
    `lut-llm-block (${report.simulator}, ${report.mode}): Y ${formatShape([report.T, report.config.hidden])} float32 -> ${options.out}, bit-exact with the golden block\n` +
    `cycles ${report.cycles}, per token ${f(c.total)}: engine rounds ${f(parts.engineRounds)} (qkv ${f(c.rounds.qkv)}, o ${f(c.rounds.o)}, gate+up ${f(c.rounds.gateUp)}, down ${f(c.rounds.down)}; ` +
    `lookups alone ${f(parts.engineLookups)}) + attention ${f(parts.attention)} + norms/RoPE ${f(parts.norms)} + SiLU ${f(parts.silu)} + X/Y ${f(parts.io)} + stalls ${f(parts.stalls)}\n` +
    `relative error of Y: ${a.vsFloatBlock === null ? 'against the float block: give --weights <dir> (the float weights quantize-block read); ' : `against the float block ${a.vsFloatBlock.toPrecision(3)}, `}` +
    `against the float64 reference of the quantized block ${a.vsReference.toPrecision(3)}\n`
  );
}
