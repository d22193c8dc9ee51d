// Icarus Verilog as a SimulatorBackend: the bench compiled by icarus.ts, run by vvp on a script
// (in batch: vvp reads its commands from a file), in stream mode over hex beat files, or live with
// its commands on stdin.

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
} from './backend.js';
import { BENCH_MODULE, DUT_INSTANCE, ICARUS_OP } from './icarus-bench.js';
import { buildIcarusBench, icarusCompile, runVvp } from './icarus.js';
import { parseAnswers, renderScript, type SimOp, type SimResult, type UnknownBits } from './script.js';
import { packBeat, parseStreamSummary, unpackBeat } from './stream-protocol.js';
import { streamRunResult } from './stream-result.js';
import { tail, withTempDir } from './workspace.js';

const DEFAULT_RUN_TIMEOUT_MS = 600_000;

/** The harness-protocol script as the bench's numeric commands. */
function numericScript(design: EmittedDesign, script: string): string {
  const index = new Map(design.ports.map((port, i) => [port.name, i]));
  return script
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [command = '', a = '', b = ''] = line.split(' ');
      switch (command) {
        case 'poke':
          return `${ICARUS_OP.poke} ${index.get(a)} ${b}`;
        case 'peek':
          return `${ICARUS_OP.peek} ${index.get(a)} 0`;
        case 'step':
          return `${ICARUS_OP.step} 0 ${BigInt(a).toString(16)}`;
        case 'eval':
          return `${ICARUS_OP.eval} 0 0`;
        default:
          return `${ICARUS_OP.quit} 0 0`;
      }
    })
    .join('\n')
    .concat('\n');
}

export interface IcarusScriptOptions {
  readonly timeoutMs?: number;
  readonly wave?: string;
  /** Collects the x/z bits of each peek here instead of failing on them. */
  readonly unknown?: UnknownBits;
}

/** Runs a poke/step/peek script on Icarus, in batch; results as `simulate` returns them. */
export async function runIcarusScript(design: EmittedDesign, ops: readonly SimOp[], options: IcarusScriptOptions = {}): Promise<SimResult> {
  const { script, peeks } = renderScript(design, ops);
  const { path: vvp } = await buildIcarusBench(design);
  return withTempDir('icarus', async (dir) => {
    const cmds = path.join(dir, 'cmds.txt');
    await writeFile(cmds, numericScript(design, script));
    const wave = options.wave === undefined ? [] : [`+wave=${path.resolve(options.wave)}`];
    const stdout = await runVvp(design, vvp, [`+cmds=${cmds}`, ...wave], dir, options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
    return parseAnswers(design, stdout, peeks, '', options.unknown);
  });
}

async function runIcarusStreams(design: EmittedDesign, checked: CheckedStreams, options: StreamRunOptions): Promise<StreamRunResult> {
  options.onPhase?.(`compiling ${design.top} with Icarus`);
  const { path: vvp } = await buildIcarusBench(design);
  options.onPhase?.('simulating');
  return withTempDir('icarus-stream', async (dir) => {
    const plusargs = ['+stream', `+max_cycles=${checked.maxCycles}`];
    for (const [i, { stream, beats }] of checked.inputs.entries()) {
      const file = path.join(dir, `in${i}.hex`);
      await writeFile(file, beats.map((beat) => `${packBeat(stream, beat).toString(16)}\n`).join(''));
      plusargs.push(`+in_${stream.name}=${file}`);
    }
    checked.outputs.forEach(({ stream, expect }, i) => plusargs.push(`+out_${stream.name}=${path.join(dir, `out${i}.txt`)}`, `+expect_${stream.name}=${expect}`));
    if (options.wave !== undefined) {
      plusargs.push(`+wave=${path.resolve(options.wave.path)}`);
      if (options.wave.fromCycle !== undefined) plusargs.push(`+wave_from=${Math.max(0, options.wave.fromCycle)}`);
      if (options.wave.toCycle !== undefined) plusargs.push(`+wave_to=${Math.max(0, options.wave.toCycle)}`);
    }
    const started = performance.now();
    const stdout = await runVvp(design, vvp, plusargs, dir, options.timeoutMs ?? DEFAULT_STREAM_TIMEOUT_MS);
    const runSeconds = (performance.now() - started) / 1000;
    const summary = parseStreamSummary(stdout);
    if (summary === undefined) {
      throw new Error(`simulation of '${design.top}' (icarus) ended without a summary (did the design call $finish?):\n${tail(stdout.trim())}`);
    }
    const outputs: Record<string, OutputStreamResult> = {};
    for (const [i, { stream }] of checked.outputs.entries()) {
      const lines = (await readFile(path.join(dir, `out${i}.txt`), 'utf8')).split('\n').filter((line) => line !== '');
      const beats: bigint[][] = [];
      const cycles: number[] = [];
      for (const line of lines) {
        const [hex = '', cycle = ''] = line.split(' ');
        if (!/^[0-9a-f]+$/.test(hex)) throw new Error(`simulation of '${design.top}' (icarus): output stream '${stream.name}' carried undefined bits (${hex}) at cycle ${cycle}`);
        beats.push(unpackBeat(stream, BigInt(`0x${hex}`)));
        cycles.push(Number(cycle));
      }
      outputs[stream.name] = { beats, cycles };
    }
    return streamRunResult('icarus', summary, checked, outputs, options, runSeconds);
  });
}

export const icarusBackend: SimulatorBackend = {
  name: 'icarus',
  waveScope: () => `${BENCH_MODULE}.${DUT_INSTANCE}`,
  lint: icarusCompile,
  // Icarus needs no trace build and keeps its benches in the default cache: no option applies.
  build: (design) => buildIcarusBench(design),
  runScript: (design, ops, options = {}) => runIcarusScript(design, ops, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  runStreams: runIcarusStreams,
  async interactive(design, options = {}) {
    const { path: vvp } = await buildIcarusBench(design);
    return {
      command: 'vvp',
      // +cmds=- reads commands from stdin; +interactive flushes each answer at once.
      args: ['-n', vvp, '+cmds=-', '+interactive', ...(options.wave === undefined ? [] : [`+wave=${options.wave}`])],
      encode: (script) => numericScript(design, script),
    };
  },
};
