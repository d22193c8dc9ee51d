// Verilator as a SimulatorBackend: the model built by verilator.ts, run on a script over stdin,
// in stream mode over beat files (`--stream`), or live (`--interactive`).

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EmittedDesign } from '../dsl/design.js';
import {
  DEFAULT_STREAM_TIMEOUT_MS,
  type CheckedStreams,
  type OutputStreamResult,
  type SimulatorBackend,
  type StreamRunOptions,
  type StreamRunResult,
  type WaveRequest,
} from './backend.js';
import { decodeBeats, parseStreamSummary } from './stream-protocol.js';
import { streamRunResult } from './stream-result.js';
import { buildModel, runModel, verilatorLint } from './verilator.js';
import { runTool, tail, withTempDir } from './workspace.js';

async function runVerilatorStreams(design: EmittedDesign, checked: CheckedStreams, options: StreamRunOptions): Promise<StreamRunResult> {
  options.onPhase?.(`building the Verilator model of ${design.top}`);
  const model = await buildModel(design, { trace: options.wave !== undefined, ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }) });
  options.onPhase?.(model.cacheHit ? 'simulating (model from the build cache)' : 'simulating');
  return withTempDir('stream', async (dir) => {
    const args = ['--stream', '--max-cycles', String(checked.maxCycles)];
    for (const [i, input] of checked.inputs.entries()) {
      const file = path.join(dir, `in${i}.bin`);
      await writeFile(file, input.bytes);
      args.push('--in', input.stream.name, file);
    }
    checked.outputs.forEach((output, i) => args.push('--out', output.stream.name, path.join(dir, `out${i}.bin`), path.join(dir, `out${i}.cycles`), String(output.expect)));
    if (options.wave !== undefined) args.push(...waveArgs(options.wave));
    const started = performance.now();
    const run = await runTool(model.executable, args, { cwd: dir, timeoutMs: options.timeoutMs ?? DEFAULT_STREAM_TIMEOUT_MS }).catch((error: unknown) => {
      throw new Error(`simulation of '${design.top}' (verilator) crashed: ${error instanceof Error ? error.message : String(error)}`);
    });
    const runSeconds = (performance.now() - started) / 1000;
    const summary = parseStreamSummary(run.stdout);
    if (run.exitCode !== 0 || summary === undefined) {
      throw new Error(`simulation of '${design.top}' (verilator) failed (exit ${run.exitCode}):\n${tail(`${run.stderr}${run.stdout}`.trim())}`);
    }
    const outputs: Record<string, OutputStreamResult> = {};
    for (const [i, { stream }] of checked.outputs.entries()) {
      const cycleBytes = await readFile(path.join(dir, `out${i}.cycles`));
      const cycles = Array.from({ length: cycleBytes.length / 8 }, (_, k) => Number(cycleBytes.readBigUInt64LE(k * 8)));
      const data = await readFile(path.join(dir, `out${i}.bin`));
      outputs[stream.name] = { beats: stream.beatBytes === 0 ? cycles.map(() => []) : decodeBeats(stream, data), cycles };
    }
    return { ...streamRunResult('verilator', summary, checked, outputs, options, runSeconds), cacheHit: model.cacheHit };
  });
}

function waveArgs(wave: WaveRequest): string[] {
  const args = ['--wave', path.resolve(wave.path)];
  if (wave.fromCycle !== undefined) args.push('--wave-from', String(Math.max(0, wave.fromCycle)));
  if (wave.toCycle !== undefined) args.push('--wave-to', String(Math.max(0, wave.toCycle)));
  return args;
}

export const verilatorBackend: SimulatorBackend = {
  name: 'verilator',
  waveScope: (design) => `TOP.${design.top}`,
  lint: verilatorLint,
  async build(design, options = {}) {
    const model = await buildModel(design, options);
    return { path: model.executable, cacheHit: model.cacheHit };
  },
  async runScript(design, ops, options = {}) {
    const model = await buildModel(design, options.build);
    return runModel(model, ops, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  },
  runStreams: runVerilatorStreams,
  async interactive(design, options = {}) {
    const { wave, cacheDir } = options;
    const model = await buildModel(design, { trace: wave !== undefined, ...(cacheDir === undefined ? {} : { cacheDir }) });
    return {
      command: model.executable,
      args: ['--interactive', ...(wave === undefined ? [] : ['--wave', wave])],
      // The harness reads the protocol as it is.
      encode: (script) => script,
    };
  },
};
