// Benchmark: the simulation driver on a mid-size design (a stream of 32 8-bit lanes into eight
// pipelined weighted adder trees, ~1,400 lines of Verilog). Measures, in one run: the Verilator
// build on a cache miss and on a hit, stream-mode cycles per second in Verilator and in Icarus,
// and their ratio. Targets (issue 3): Verilator at least 50x Icarus; a cache hit under 1 s.
// Outputs are checked against a TypeScript model so the speed is of a correct simulation.
//
//   node --import tsx scripts/bench-sim.ts [--beats N] [--icarus-beats M]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { defineModule, emitVerilog, lit, Stream, UInt, Vec, type Expr } from '../dsl/index.js';
import { adderTreeLatency, delay, pipelinedAdderTree } from '../dsl/lib/index.js';
import type { SimulatorName } from '../sim/backend.js';
import { buildIcarusBench } from '../sim/icarus.js';
import { runStreams } from '../sim/run-streams.js';
import { buildModel, verilatorVersion } from '../sim/verilator.js';

const LANES = 32;
const OUTPUTS = 8;
const weight = (o: number, j: number): number => (o * 37 + j * 11) % 256;

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const design = emitVerilog(
  defineModule('bench_dot', (m) => {
    const input = m.input('in', Stream(Vec(LANES, UInt(8))));
    const output = m.output('out', Stream(Vec(OUTPUTS, UInt(21))));
    const latency = adderTreeLatency(LANES);
    // A pipeline without stalls: it always takes a beat and its output is never refused in
    // stream mode (outputs are held ready), so `valid` just travels alongside the data.
    input.ready.assign(1);
    output.valid.assign(delay(m, 'valid', input.valid, latency, { init: 0 }));
    for (let o = 0; o < OUTPUTS; o++) {
      const products: Expr[] = [];
      for (let j = 0; j < LANES; j++) products.push(input.data[j]!.mul(lit(weight(o, j), UInt(8))));
      output.data[o]!.assign(pipelinedAdderTree(m, `tree${o}`, products));
    }
    return { input, output };
  }),
);

function inputBeats(count: number): bigint[][] {
  let state = 12345;
  const next = (): bigint => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return BigInt(state >> 8) & 0xffn;
  };
  return Array.from({ length: count }, () => Array.from({ length: LANES }, next));
}

const model = (beat: readonly bigint[]): bigint[] =>
  Array.from({ length: OUTPUTS }, (_, o) => beat.reduce((sum, x, j) => sum + x * BigInt(weight(o, j)), 0n));

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - start) / 1000 };
}

async function measure(simulator: SimulatorName, beats: number, cacheDir: string): Promise<number> {
  const inputs = inputBeats(beats);
  const { value: run, seconds } = await timed(() => runStreams(design, { simulator, cacheDir, inputs: { in: inputs }, expect: { out: beats }, maxCycles: beats * 2 + 100 }));
  const got = run.outputs.out?.beats ?? [];
  const wrong = inputs.findIndex((beat, i) => model(beat).some((value, o) => value !== got[i]?.[o]));
  if (wrong >= 0) throw new Error(`${simulator}: beat ${wrong} differs from the model`);
  // The simulator process alone: building, and encoding and decoding beats in TypeScript, are
  // the same work whichever simulator runs, so they are left out of the rate (shown separately).
  const rate = run.cycles / run.runSeconds;
  const cycles = run.cycles.toLocaleString('en-US').padStart(9);
  console.log(
    `  ${simulator.padEnd(9)} ${cycles} cycles in ${run.runSeconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US')} cycles/s ` +
      `(${seconds.toFixed(2)} s with beat encoding; outputs match the model)`,
  );
  return rate;
}

const cacheDir = await mkdtemp(path.join(tmpdir(), 'lutforge-bench-sim-'));
try {
  const lines = design.modules.reduce((sum, module) => sum + module.text.split('\n').length, 0);
  console.log(`bench-sim: '${design.top}', ${design.modules.length} module(s), ${lines} lines of Verilog, ${design.ports.length} ports`);
  // `verilator --version` is part of every cache key and is asked once per process: a new
  // process pays it on its first hit, so it is timed and reported with the hit.
  const version = await timed(() => verilatorVersion());
  const miss = await timed(() => buildModel(design, { cacheDir }));
  const hit = await timed(() => buildModel(design, { cacheDir }));
  if (miss.value.cacheHit || !hit.value.cacheHit) throw new Error('expected a cache miss, then a hit');
  const icarusBuild = await timed(() => buildIcarusBench(design, path.join(cacheDir, 'icarus')));
  // runStreams uses the repo's Icarus cache; warm it so the measured run does not compile.
  await buildIcarusBench(design);
  console.log(
    `  verilator build: cache miss ${miss.seconds.toFixed(2)} s, cache hit ${hit.seconds.toFixed(3)} s ` +
      `+ ${version.seconds.toFixed(3)} s for verilator --version in a new process (target < 1 s: ${hit.seconds + version.seconds < 1 ? 'met' : 'MISSED'})`,
  );
  console.log(`  icarus compile:  ${icarusBuild.seconds.toFixed(2)} s`);
  const verilatorRate = await measure('verilator', argument('beats', 1_000_000), cacheDir);
  const icarusRate = await measure('icarus', argument('icarus-beats', 20_000), cacheDir);
  const ratio = verilatorRate / icarusRate;
  console.log(`  verilator / icarus: ${ratio.toFixed(1)}x (target >= 50x: ${ratio >= 50 ? 'met' : 'MISSED'})`);
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}
