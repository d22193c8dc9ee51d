// `lutforge run`: one matrix multiplication Y = A x (Q - Z) on a simulated engine, operands and
// result as NumPy .npy files, so Python scripts and benchmarks drive the hardware directly.
// Every input is checked before anything is simulated: a bad file fails in milliseconds with
// exit 2 and leaves no output, instead of after a build.

import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { matmulEngines } from '../../generators/engines.js';
import { MATMUL_ENGINE_NAMES, type MatmulEngine } from '../../generators/matmul-engine/interface.js';
import { checkOutputs, writeFileAtomically } from '../../host/atomic.js';
import type { SimulatorName } from '../../sim/backend.js';
import { ToolMissingError } from '../../sim/errors.js';
import { StreamLimitError } from '../../sim/run-streams.js';
import { SIMULATORS } from '../../sim/simulators.js';
import type { CommandContext } from '../context.js';
import { buildConfig, type DesignOptions } from '../design-source.js';
import { blamingDesignFile, designFilePath, isDesignFile, loadEngineFile } from '../design-file.js';
import { didYouMean } from '../did-you-mean.js';
import { runMatmul, type MatmulCycleBreakdown, type MatmulRunResult } from '../../host/run-matmul.js';
import { printWaveHint, writeJson } from '../output.js';
import { phaseReporter } from '../progress.js';
import { runLutLlm, runOutputs, waveFileFor } from './run-lut-llm.js';
import { runLutLlmBlockCommand } from './run-lut-llm-block.js';
import { formatShape, readNpy, writeNpy, type NpyArray, type NpyDtype, type NpyExpectation } from '../../host/npy.js';
import { INTEGER_DTYPES, NUMERIC_DTYPES } from '../../host/npy.js';
import type { ActFormat } from '../../contracts/engine-widths.js';
import { OperandError, type MatmulOperands, type OperandLimits } from '../../contracts/matmul-operands.js';
import { CheckFailedError, UsageError } from '../../host/errors.js';

interface RunOptions extends DesignOptions {
  readonly act: string;
  readonly weight?: string;
  readonly layer?: string;
  readonly model?: string;
  readonly weights?: string;
  readonly decode?: boolean;
  readonly dequant?: string;
  readonly zero?: string;
  readonly out: string;
  readonly report?: string;
  readonly wave?: boolean;
  readonly simulator: SimulatorName;
  readonly json?: boolean;
  readonly progress?: boolean;
}

/** What `--report` writes, and `--json` prints. */
export interface RunReport {
  readonly engine: string;
  readonly simulator: SimulatorName;
  readonly dims: { readonly M: number; readonly K: number; readonly N: number };
  readonly cycles: number;
  readonly idealCycles: number;
  readonly efficiency: number;
  /** The cycles by cause, adding up to `cycles` (host/run-matmul.ts says how each is counted). */
  readonly cycleBreakdown: MatmulCycleBreakdown;
  readonly wallSeconds: number;
  readonly simSeconds: number;
  readonly macs: number;
  readonly macsPerSecond: number;
  readonly cacheHit: boolean;
  readonly outBits: number;
  readonly outDtype: YDtype;
  /** The full validated engine configuration, defaults filled in. */
  readonly config: unknown;
  /** Absolute paths; null for what was not given. */
  readonly files: {
    readonly act: string;
    readonly weight: string;
    readonly zero: string | null;
    readonly out: string;
    readonly report: string | null;
    readonly wave: string | null;
  };
}

const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

type YDtype = 'int32' | 'int64' | 'float32';

/** How A is stored for each activation format: bf16 and fp8 have no NumPy dtype, so their bit patterns travel as unsigned integers. */
/** Values convert from any dtype that holds them exactly; bit patterns only from integers (a float is a value, not a pattern). */
const ACT_DTYPES: Readonly<Record<ActFormat, { readonly dtype: NpyDtype; readonly reason: string; readonly from: readonly NpyDtype[] }>> = {
  int8: { dtype: 'int8', reason: 'for act=int8', from: NUMERIC_DTYPES },
  int16: { dtype: 'int16', reason: 'for act=int16', from: NUMERIC_DTYPES },
  fp16: { dtype: 'float16', reason: 'for act=fp16', from: NUMERIC_DTYPES },
  bf16: { dtype: 'uint16', reason: 'for act=bf16 (bfloat16 bit patterns, e.g. a.view(np.uint16))', from: INTEGER_DTYPES },
  fp8e4m3: { dtype: 'uint8', reason: 'for act=fp8e4m3 (E4M3FN bit patterns, e.g. a.view(np.uint8))', from: INTEGER_DTYPES },
};

function yDtypeOf(limits: OperandLimits): YDtype {
  if (limits.result === 'fp32') return 'float32';
  return limits.outBits <= 32 ? 'int32' : 'int64';
}

/** Y as the typed array its .npy holds: FP32 results reinterpret their bit patterns. */
function yData(y: BigInt64Array, dtype: YDtype): Int32Array | BigInt64Array | Float32Array {
  if (dtype === 'int64') return y;
  if (dtype === 'int32') return Int32Array.from(y, Number);
  return new Float32Array(Uint32Array.from(y, Number).buffer);
}

export function addRunCommand(program: Command, context: CommandContext): void {
  program
    .command('run')
    .description('multiply Y = A x (Q - Z) on a simulated engine (or run a LUT-LLM layer), operands and result as .npy files')
    .argument('<engine>', `matrix engine (${MATMUL_ENGINE_NAMES.join(', ')}), lut-llm, lut-llm-block, or a design file exporting a MatmulEngine (./src/my-engine.ts)`)
    .option('-c, --config <file>', 'JSON file with the engine parameters')
    .option('-s, --set <key=value>', 'set one engine parameter, overriding the config file (repeatable)', collect)
    .requiredOption('--act <file>', 'activations A, shape (M, K): int8 or int16, float16 for act=fp16, uint16 bit patterns for bf16, uint8 for fp8e4m3 (lut-llm: X, shape (T, K), float32, float16 or int16); other dtypes are converted when every value is exact in the needed one')
    .option('--weight <file>', 'weight codes Q in 0..2^wbits-1, shape (K, N): uint8, or any dtype holding them exactly (matrix engines)')
    .option('--layer <dir>', "lut-llm: the quantized layer directory (from 'lutforge quantize'); its config.json is the default configuration, which --config and --set change")
    .option('--dequant <file>', 'lut-llm: also write the dequantized Y, float32, shape (T, N)')
    .option('--model <dir>', "lut-llm-block: the block model directory (from 'lutforge quantize-block'); X.npy is float32 (T, hidden), Y.npy the same shape")
    .option('--weights <dir>', 'lut-llm-block: the float weights the model was quantized from, to report the error of Y against the float block')
    .option('--decode', 'lut-llm-block: one token per run (decode), instead of runs of maxT tokens (prefill); Y is the same bit for bit')
    .option('--zero <file>', 'zero points Z in 0..2^wbits-1, shape (N,): int32, or any dtype holding them exactly (default: all 0)')
    .requiredOption('--out <file>', 'where Y goes, shape (M, N): int32 (int64 when results need more than 32 bits), float32 for float activations (lut-llm: ACC, int32, shape (T, N))')
    .option('--report <file>', 'write a JSON report: cycles (and cycleBreakdown, by cause), efficiency, times, config, files')
    .option('--wave', 'write a VCD waveform next to Y (Y.npy -> Y.vcd)')
    .addOption(new Option('--simulator <name>', 'simulator to run').choices(SIMULATORS).default('verilator'))
    .option('--json', 'print the report (what --report writes) on stdout instead of the summary lines')
    .option('--progress', 'report the phases (reading, generating, building the model, simulating) on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      `
Y[m][n] = sum_k A[m][k] * (Q[k][n] - Z[n]), computed by the simulated hardware. Arrays are C order.

Examples:
  $ lutforge run tensor-core --set n=8 --set wbits=2 --act A.npy --weight Q.npy --out Y.npy
  $ lutforge run mac --config engine.json --act A.npy --weight Q.npy --zero Z.npy --out Y.npy --report report.json --wave
  $ lutforge run lut-llm --layer layer/ --act X.npy --out ACC.npy --dequant Y.npy --report report.json
  $ lutforge run lut-llm-block --model block/ --act X.npy --out Y.npy --weights weights/ --report report.json
  $ lutforge run add --act A.npy --weight Q.npy --out Y.npy --json --progress

  >>> np.save('A.npy', np.random.randint(-128, 128, (4, 64), dtype=np.int8))
  >>> np.save('Q.npy', np.random.randint(0, 4, (64, 32), dtype=np.uint8))
  $ lutforge run tensor-core --set act=fp16 --act A16.npy --weight Q.npy --out Y32.npy
  >>> np.save('A16.npy', np.random.randn(4, 64).astype(np.float16))`,
    )
    .action(async (engineName: string, options: RunOptions) => {
      if (engineName !== 'lut-llm-block' && (options.model !== undefined || options.weights !== undefined || options.decode === true)) {
        throw new UsageError(`--model, --weights and --decode are lut-llm-block options; ${engineName} does not take them`);
      }
      if (engineName === 'lut-llm-block') {
        const misplaced = (['weight', 'zero', 'layer', 'dequant'] as const).find((key) => options[key] !== undefined);
        if (misplaced !== undefined) throw new UsageError(`lut-llm-block takes its weights from --model <dir>, not --${misplaced}`);
        await runLutLlmBlockCommand(options, context);
        return;
      }
      if (engineName === 'lut-llm') {
        if (options.weight !== undefined || options.zero !== undefined) throw new UsageError('lut-llm takes its weights from --layer <dir>, not --weight/--zero');
        await runLutLlm(options, context);
        return;
      }
      if (options.weight === undefined) throw new UsageError("required option '--weight <file>' not specified");
      if (options.layer !== undefined || options.dequant !== undefined) throw new UsageError(`--layer and --dequant are lut-llm options; ${engineName} takes --weight (and --zero)`);
      const matmulOptions = { ...options, weight: options.weight };
      if (!isDesignFile(engineName)) {
        await runMatmulEngine(findEngine(engineName), matmulOptions, context);
        return;
      }
      // An engine of the user's own, from the file that defines it (docs/tutorial/02-lut-tensor-core.md).
      const engine = await loadEngineFile(engineName, context.cwd);
      await blamingDesignFile(designFilePath(engineName, context.cwd), () => runMatmulEngine(engine, matmulOptions, context));
    });
}

/** The options of a matrix-engine run, where --weight is required. */
type MatmulOptions = RunOptions & { readonly weight: string };

/** The operand files of a matrix-engine command. */
export interface OperandFiles {
  readonly act: string;
  readonly weight: string;
  readonly zero?: string;
}

async function runMatmulEngine(engine: MatmulEngine, options: MatmulOptions, context: CommandContext): Promise<void> {
  const phases = phaseReporter(context, 'run', options.progress === true);
  const config = await buildConfig(engine.generator, options, context.cwd);
  const waveArgument = options.wave ? waveFileFor(options.out) : undefined;
  await checkOutputs(context.cwd, runOutputs(options, waveArgument));
  phases.phase('reading the operands');
  const inputs = await readOperands(engine, config, options, context.cwd);
  const outPath = resolve(context.cwd, options.out);
  const wavePath = waveArgument === undefined ? undefined : resolve(context.cwd, waveArgument);

  let run: MatmulRunResult;
  try {
    run = await runMatmul(engine, config, inputs.operands, { simulator: options.simulator, onPhase: phases.phase, ...(wavePath === undefined ? {} : { wave: wavePath }) });
  } catch (error) {
    if (error instanceof OperandError) throw new UsageError(blameOperand(error, options));
    if (error instanceof ToolMissingError) throw new UsageError(error.message);
    if (error instanceof StreamLimitError) throw new CheckFailedError(`${engine.name}: ${error.message}`);
    throw error;
  }

  const limits = engine.limits(config);
  const { outBits } = limits;
  const outDtype = yDtypeOf(limits);
  const { M, K, N } = inputs.operands;
  phases.phase(`writing ${options.out}`);
  await writeNpy(outPath, yData(run.y, outDtype), [M, N], { displayPath: options.out });
  const report: RunReport = {
    engine: engine.name,
    simulator: run.simulator,
    dims: { M, K, N },
    cycles: run.cycles,
    idealCycles: run.idealCycles,
    efficiency: run.efficiency,
    cycleBreakdown: run.breakdown,
    wallSeconds: run.wallSeconds,
    simSeconds: run.simSeconds,
    macs: run.macs,
    macsPerSecond: run.macsPerSecond,
    cacheHit: run.cacheHit,
    outBits,
    outDtype,
    config,
    files: {
      act: resolve(context.cwd, options.act),
      weight: resolve(context.cwd, options.weight),
      zero: options.zero === undefined ? null : resolve(context.cwd, options.zero),
      out: outPath,
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
  const percent = (100 * run.efficiency).toFixed(1);
  const build = run.simulator === 'verilator' ? (run.cacheHit ? ', model cached' : ', model built') : '';
  context.stdout.write(
    `${engine.name} (${run.simulator}): Y ${formatShape([M, N])} ${outDtype} -> ${options.out}\n` +
      `cycles ${run.cycles}, ideal ${run.idealCycles}, efficiency ${percent}%, wall ${run.wallSeconds.toFixed(2)} s (simulator ${run.simSeconds.toFixed(3)} s${build})\n` +
      `cycles by cause: ideal ${run.breakdown.ideal} + zero-point correction ${run.breakdown.correction} + commands ${run.breakdown.commands} + fill/drain ${run.breakdown.fillDrain} + stalls ${run.breakdown.stalls} = ${run.cycles}\n`,
  );
  printWaveHint(context, waveArgument);
  if (options.report !== undefined) context.stdout.write(`report: ${options.report}\n`);
}

export function findEngine(name: string): MatmulEngine {
  const engine = (matmulEngines as ReadonlyMap<string, MatmulEngine>).get(name);
  if (engine === undefined) {
    const known = [...matmulEngines.keys(), 'lut-llm', 'lut-llm-block'];
    throw new UsageError(`unknown engine '${name}'${didYouMean(name, known)} (known: ${known.join(', ')}, or a design file exporting a MatmulEngine)`);
  }
  return engine;
}

/** Reads and cross-checks the three operand files; every problem names the file. */
export async function readOperands(engine: MatmulEngine, config: unknown, options: OperandFiles, cwd: string): Promise<{ operands: MatmulOperands }> {
  const limits = engine.limits(config);
  const actDtype = ACT_DTYPES[limits.act];
  const read = (file: string, role: string, expect: NpyExpectation): Promise<NpyArray> =>
    readNpy(resolve(cwd, file), role, { displayPath: file, expect });
  // Any dtype whose values the engine's format holds exactly (NumPy's default int64 codes too);
  // the ranges of codes and zero points for wbits are the packing's to check (OperandError).
  const A = await read(options.act, '--act', { dtype: actDtype.dtype, dtypeReason: actDtype.reason, dims: ['M', 'K'], from: actDtype.from });
  const Q = await read(options.weight, '--weight', { dtype: 'uint8', dtypeReason: `(weight codes)`, dims: ['K', 'N'], from: NUMERIC_DTYPES });
  const Z = options.zero === undefined ? undefined : await read(options.zero, '--zero', { dtype: 'int32', dtypeReason: '(zero points)', dims: ['N'], from: NUMERIC_DTYPES });
  const [M, K] = A.shape as [number, number];
  const [KQ, N] = Q.shape as [number, number];
  if (K !== KQ) {
    throw new UsageError(`K differs: '${options.act}' (--act) has K = ${K} columns, shape ${formatShape(A.shape)}; '${options.weight}' (--weight) has K = ${KQ} rows, shape ${formatShape(Q.shape)}`);
  }
  if (Z !== undefined && Z.shape[0] !== N) {
    throw new UsageError(`'${options.zero}' (--zero) has ${Z.shape[0]} zero points, shape ${formatShape(Z.shape)}; '${options.weight}' (--weight) has N = ${N} columns`);
  }
  if (K > limits.maxK) {
    throw new UsageError(`K = ${K} of '${options.act}' and '${options.weight}' exceeds maxK = ${limits.maxK} of this ${engine.name} configuration (raise it with --set maxK=${K})`);
  }
  // The dtype checks above guarantee these; the narrowing only satisfies the types.
  const actData = A.data;
  if (!(actData instanceof Int8Array || actData instanceof Int16Array || actData instanceof Uint16Array || actData instanceof Uint8Array)) {
    throw new Error('activation array of an unexpected type after the dtype check');
  }
  if (!(Q.data instanceof Uint8Array) || (Z !== undefined && !(Z.data instanceof Int32Array))) {
    throw new Error('operand arrays of unexpected types after the dtype checks');
  }
  const zeros = Z?.data instanceof Int32Array ? Z.data : new Int32Array(N);
  return { operands: { M, K, N, act: Int32Array.from(actData), codes: Q.data, zeros } };
}

/** Says which file an OperandError from the packing is about. */
export function blameOperand(error: OperandError, options: OperandFiles): string {
  const message = error.message;
  if (/zero point/i.test(message) && options.zero !== undefined) return `'${options.zero}' (--zero): ${message}`;
  if (/activation/i.test(message)) return `'${options.act}' (--act): ${message}`;
  if (/weight code|codes|^N = /i.test(message)) return `'${options.weight}' (--weight): ${message}`;
  const files = [options.act, options.weight, ...(options.zero === undefined ? [] : [options.zero])].map((file) => `'${file}'`).join(', ');
  return `operands ${files}: ${message}`;
}
