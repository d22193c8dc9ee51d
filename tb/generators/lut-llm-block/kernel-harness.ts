// What the decoder block's kernel tests share: FP32 operands (moderate values like activations,
// plus the edges: signed zeros, subnormals, the largest finite, infinities, NaN), the throttling
// wrapper, and the one simulation of every kernel side by side (each Verilator build pays
// verilating, compiling the harness and linking again, so the kernels share one build).

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EmittedDesign } from '../../../dsl/design.js';
import { defineModule, emitVerilog, type Expr, type ModuleDef, mux, UInt } from '../../../dsl/index.js';
import { FP32 } from '../../../contracts/fp-format.js';
import { fpRound } from '../../../golden/softfloat.js';
import type { Beat } from '../../../sim/stream-protocol.js';
import { type GoldenCompareResult, GoldenMismatchError, goldenCompare } from '../../golden-compare.js';
import { edgeValues, FpRandom } from '../../dsl/lib/fp/fp-harness.js';

/** FP32 patterns of values like a layer's activations: magnitudes about 2^-4 .. 2^4, both signs. */
export function moderateValues(random: FpRandom, count: number): number[] {
  return Array.from({ length: count }, () => {
    const magnitude = 2 ** (random.below(9) - 4) * (1 + random.below(1 << 20) / (1 << 20));
    return fpRound(FP32, random.below(2) === 0 ? magnitude : -magnitude);
  });
}

/** The FP32 edge values (both signs) in vectors of `count`, the last one padded with random patterns of every kind. */
export function edgeVectors(random: FpRandom, count: number): number[][] {
  const edges = edgeValues(FP32);
  return Array.from({ length: Math.ceil(edges.length / count) }, (_, v) => Array.from({ length: count }, (_, i) => edges[v * count + i] ?? random.value()));
}

/** One beat per value. */
export function beatsOf(values: readonly number[]): Beat[] {
  return values.map((value) => [BigInt(value)]);
}

/** Where an input stream of the throttled wrapper stops for a while. */
export interface StreamPause {
  /** Beats that pass before the pause. */
  readonly afterBeats: number;
  /** The first cycle the stream moves again. */
  readonly untilCycle: number;
}

export interface ThrottleOptions {
  /** Input streams that stop after some beats until a cycle (e.g. to leave the kernel empty). */
  readonly pauses?: Readonly<Record<string, StreamPause>>;
  /** From this cycle on, inputs arrive about three cycles in four and `out` takes one beat in four. */
  readonly randomFrom: number;
  readonly seed: number;
}

/**
 * The kernel behind gates (as the engine's throttled test): until `randomFrom` the streams run
 * freely, so the cycles of the first beats are the kernel's own, then pseudo-randomly (a 16-bit
 * LFSR) so every stall is exercised. The wrapper keeps the kernel's port names.
 */
export function throttledKernel(kernel: ModuleDef, options: ThrottleOptions): ModuleDef {
  return defineModule(`${kernel.name}_throttled`, (m) => {
    const inner = m.instance(kernel, 'kernel');
    const cycle = m.reg('cycle', UInt(16), { init: 0 });
    m.when(cycle.ne(0xffff), () => cycle.assign(cycle.addWrap(1)));
    const lfsr = m.reg('lfsr', UInt(16), { init: (options.seed & 0xffff) | 1 });
    lfsr.assign(mux(lfsr.bit(0), lfsr.shr(1).xor(0xb400), lfsr.shr(1)));
    const random = cycle.ge(options.randomFrom);
    const streams = [...new Set(kernel.builder.ports.map((port) => /^(.+)_(valid|ready)$/.exec(port.name)?.[1]).filter((name) => name !== undefined))];
    const gates = new Map<string, Expr>();
    streams.forEach((name, i) => {
      const output = kernel.builder.ports.some((port) => port.name === `${name}_valid` && port.kind === 'output');
      const randomOpen = output ? lfsr.bit(i).and(lfsr.bit(i + 7)) : lfsr.bit(i).or(lfsr.bit(i + 7));
      let open: Expr = random.not().or(randomOpen);
      const pause = options.pauses?.[name];
      if (pause !== undefined) {
        const beats = m.reg(`${name}_beats`, UInt(16), { init: 0 });
        m.when(inner.port(`${name}_valid`).and(inner.port(`${name}_ready`)), () => beats.assign(beats.addWrap(1)));
        open = open.and(beats.lt(pause.afterBeats).or(cycle.ge(pause.untilCycle)));
      }
      gates.set(name, m.node(`${name}_open`, open));
    });
    for (const port of kernel.builder.ports) {
      if (port.role === 'clock' || port.role === 'reset') continue;
      const match = /^(.+)_(valid|ready)$/.exec(port.name);
      const gate = match === null ? undefined : gates.get(match[1]!);
      if (port.kind === 'input') {
        const outer = m.input(port.name, port.shape);
        inner.port(port.name).assign(gate === undefined ? outer : outer.and(gate));
      } else {
        const outer = m.output(port.name, port.shape);
        outer.assign(gate === undefined ? inner.port(port.name) : inner.port(port.name).and(gate));
      }
    }
    return {};
  });
}

/**
 * Every part on one top, side by side: each part's ports but clock and reset become top ports
 * named `<prefix>_<port>`, so part `rope`'s stream `x` is the top's stream `rope_x`.
 */
export function sideBySide(name: string, parts: Readonly<Record<string, ModuleDef>>): ModuleDef {
  return defineModule(name, (m) => {
    for (const [prefix, part] of Object.entries(parts)) {
      // Not named `prefix`: an instance's port signals are `<instance>_<port>`, the top's ports' names.
      const inner = m.instance(part, `${prefix}_part`);
      for (const port of part.builder.ports) {
        if (port.role === 'clock' || port.role === 'reset') continue;
        if (port.kind === 'input') inner.port(port.name).assign(m.input(`${prefix}_${port.name}`, port.shape));
        else m.output(`${prefix}_${port.name}`, port.shape).assign(inner.port(port.name));
      }
    }
    return {};
  });
}

/** One kernel's simulated case: its design (throttled or sequenced), its inputs and the `out` beats docs/design/lut-llm-block.md gives. */
export interface KernelCase {
  readonly design: ModuleDef;
  readonly inputs: Readonly<Record<string, readonly Beat[]>>;
  readonly expected: readonly Beat[];
  /** The indices of `out` beat `beat` in the kernel's terms (vector and element, query and head). */
  readonly indices: (beat: number) => Readonly<Record<string, number>>;
  /** The case's checks beyond the beats' bits, given the cycles its `out` beats came out: its cycle formula, its throttling. */
  readonly check: (cycles: readonly number[]) => void;
}

export interface SideBySideRun extends GoldenCompareResult {
  readonly design: EmittedDesign;
}

/**
 * Simulates every case at once, each kernel on its own streams from cycle 0 as if alone (the
 * harness drives every input stream independently and holds every output ready), compared with
 * the expectations; the waveform of the earliest wrong beat is written.
 */
export async function runSideBySide(cases: Readonly<Record<string, KernelCase>>, maxCycles: number): Promise<SideBySideRun> {
  const entries = Object.entries(cases);
  const design = emitVerilog(sideBySide('lut_llm_block_kernels', Object.fromEntries(entries.map(([prefix, c]) => [prefix, c.design]))));
  const inputs = Object.fromEntries(entries.flatMap(([prefix, c]) => Object.entries(c.inputs).map(([stream, beats]) => [`${prefix}_${stream}`, beats])));
  const expected = Object.fromEntries(entries.map(([prefix, c]) => [`${prefix}_out`, c.expected]));
  const indices = (stream: string, beat: number): Readonly<Record<string, number>> => {
    const prefix = stream.replace(/_out$/, '');
    return cases[prefix]?.indices(beat) ?? { beat };
  };
  const waveDir = await mkdtemp(path.join(tmpdir(), 'lutforge-kernels-mismatch-'));
  const result = await goldenCompare({ design, inputs, golden: () => expected, indices, waveDir, maxCycles });
  return { ...result, design };
}

/**
 * Throws on the first `out` beat of kernel `prefix` that differs from its case's expectation
 * (naming its indices and cycle, with the waveform when it is the run's earliest mismatch), then
 * runs the case's own checks.
 */
export function expectKernelMatches(run: SideBySideRun, prefix: string, kernel: KernelCase): void {
  const stream = `${prefix}_out`;
  const got = run.run.outputs[stream] ?? { beats: [], cycles: [] };
  const beat = Array.from({ length: Math.max(kernel.expected.length, got.beats.length) }, (_, i) => i).find(
    (i) => kernel.expected[i]?.join() !== got.beats[i]?.join(),
  );
  if (beat !== undefined) {
    if (run.mismatch?.stream === stream) throw new GoldenMismatchError(run.mismatch);
    const where = Object.entries(kernel.indices(beat)).map(([key, value]) => `${key}=${value}`).join(', ');
    const when = got.cycles[beat] === undefined ? `never came out (run ended at cycle ${run.run.cycles})` : `came out at cycle ${got.cycles[beat]}`;
    const wave = run.mismatch === undefined ? '' : `; the waveform is of the run's earliest mismatch: ${run.mismatch.wave}`;
    throw new Error(`'${run.design.top}' output '${stream}' element [${where}] ${when}: expected ${kernel.expected[beat]?.join() ?? 'no beat'}, got ${got.beats[beat]?.join() ?? 'no beat'}${wave}`);
  }
  kernel.check(got.cycles);
}
