// What the decoder block's kernel tests share: FP32 operands (moderate values like activations,
// plus the edges: signed zeros, subnormals, the largest finite, infinities, NaN) and one
// simulation of a kernel against beats the test computed itself, with the cycle of the run.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EmittedDesign } from '../../../dsl/design.js';
import { defineModule, emitVerilog, type Expr, type ModuleDef, mux, UInt } from '../../../dsl/index.js';
import { FP32 } from '../../../contracts/fp-format.js';
import { fpRound } from '../../../golden/softfloat.js';
import type { Beat } from '../../../sim/stream-protocol.js';
import type { StreamRunResult } from '../../../sim/backend.js';
import { expectMatchesGolden } from '../../golden-compare.js';
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

/** Runs the kernel once on `inputs` and throws on the first `out` beat that differs from `expected`. */
export async function expectKernelOutput(design: EmittedDesign, inputs: Readonly<Record<string, readonly Beat[]>>, expected: readonly number[], maxCycles: number): Promise<StreamRunResult> {
  const waveDir = await mkdtemp(path.join(tmpdir(), `lutforge-${design.top}-mismatch-`));
  return expectMatchesGolden({ design, inputs, golden: () => ({ out: beatsOf(expected) }), waveDir, maxCycles });
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
export function throttledKernel(kernel: ModuleDef, options: ThrottleOptions): EmittedDesign {
  const top = defineModule(`${kernel.name}_throttled`, (m) => {
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
  return emitVerilog(top);
}
