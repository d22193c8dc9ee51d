// Runs LUT-LLM layers through the simulated engine against the golden model (golden/lut-llm.ts),
// several runs back to back in one simulation (their commands and beats concatenated), through the
// golden-compare harness: a mismatch names the run, token and column of the first wrong result,
// the cycle it came out, and keeps a waveform of the cycles around it.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineModule, emitVerilog, mux, UInt, type EmittedDesign, type Expr } from '../../../dsl/index.js';
import type { LutLlmConfig } from '../../../generators/lut-llm/config.js';
import { buildLutLlmEngine } from '../../../generators/lut-llm/engine.js';
import { chunksOfLastGroup } from '../../../generators/lut-llm/layout.js';
import { lutLlmIdealCycles, packLutLlm } from '../../../generators/lut-llm/pack.js';
import type { SimulatorName } from '../../../sim/backend.js';
import type { Beat } from '../../../sim/stream-protocol.js';
import { expectMatchesGolden } from '../../golden-compare.js';
import { activationIndices, lutLlmAccumulate, lutLlmDequantize } from '../../../golden/lut-llm.js';
import type { LlmActivations, LutLlmLayer } from '../../../contracts/lut-llm-layer.js';

export interface LutLlmRun {
  readonly layer: LutLlmLayer;
  readonly x: LlmActivations;
}

const CANONICAL_NAN = 0x7fc00000;

/** Whether an FP32 pattern is a NaN (the engine produces only the canonical one). */
function isNaNBits(bits: number): boolean {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x007fffff) !== 0;
}

/**
 * The `out` beats the engine must send for a run, padding lanes included: a padding column has
 * weight index 0 in every position, so the golden computes it on a layer widened to whole groups.
 */
export function goldenOutBeats(config: LutLlmConfig, { layer, x }: LutLlmRun): bigint[][] {
  const { P, N, G, groupCols } = layer;
  const wideN = G * groupCols;
  const weightIndex = new Uint8Array(P * wideN);
  for (let p = 0; p < P; p++) weightIndex.set(layer.weightIndex.subarray(p * N, (p + 1) * N), p * wideN);
  const wide: LutLlmLayer = { ...layer, N: wideN, weightIndex };
  const acc = lutLlmAccumulate(wide, activationIndices(wide, x, config.distance), x.T);
  const y = config.dequant ? new Uint32Array(lutLlmDequantize(wide, acc).buffer) : undefined;
  const lanes = config.lookupsPerCycle;
  const lastChunks = chunksOfLastGroup(config, N, G);
  const beats: bigint[][] = [];
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < x.T; t++) {
      for (let c = 0; c < (g === G - 1 ? lastChunks : groupCols / lanes); c++) {
        const at = t * wideN + g * groupCols + c * lanes;
        const accLanes = Array.from(acc.subarray(at, at + lanes), (value) => BigInt(value));
        const yLanes = y === undefined ? [] : Array.from(y.subarray(at, at + lanes), (bits) => BigInt(isNaNBits(bits) ? CANONICAL_NAN : bits));
        beats.push([...accLanes, ...yLanes]);
      }
    }
  }
  return beats;
}

export interface EngineCheckOptions {
  readonly simulator?: SimulatorName;
  /** The design to run (default: the engine itself); a wrapper must keep the engine's stream names. */
  readonly design?: EmittedDesign;
}

/** Every run in order through one simulation; throws a GoldenMismatchError on any difference. */
export async function expectLutLlmMatchesGolden(config: LutLlmConfig, runs: readonly LutLlmRun[], options: EngineCheckOptions = {}): Promise<{ cycles: number }> {
  const design = options.design ?? emitVerilog(buildLutLlmEngine(config));
  const inputs: Record<string, Beat[]> = {};
  const expected: bigint[][] = [];
  // Which run, token and column each out beat holds, for the mismatch message.
  const owners: { run: number; t: number; column: number }[] = [];
  let ideal = 0;
  runs.forEach((run, r) => {
    const packed = packLutLlm(config, run.layer, run.x);
    for (const [name, beats] of Object.entries(packed.inputs)) (inputs[name] ??= []).push(...beats);
    const beats = goldenOutBeats(config, run);
    const { G, N } = run.layer;
    const chunks = config.groupCols / config.lookupsPerCycle;
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < run.x.T; t++) {
        for (let c = 0; c < (g === G - 1 ? chunksOfLastGroup(config, N, G) : chunks); c++) owners.push({ run: r, t, column: g * config.groupCols + c * config.lookupsPerCycle });
      }
    }
    expected.push(...beats);
    ideal += lutLlmIdealCycles(config, { T: run.x.T, P: run.layer.P, N: run.layer.N });
  });
  const waveDir = await mkdtemp(path.join(tmpdir(), 'lutforge-lut-llm-mismatch-'));
  const result = await expectMatchesGolden({
    design,
    inputs,
    golden: () => ({ out: expected }),
    indices: (_stream, beat, leaf) => ({ run: owners[beat]?.run ?? -1, t: owners[beat]?.t ?? -1, n: (owners[beat]?.column ?? 0) + (leaf % config.lookupsPerCycle), ...(leaf >= config.lookupsPerCycle ? { y: 1 } : {}) }),
    waveDir,
    maxCycles: 8 * ideal + 100 * expected.length + 2000 + 50 * Object.values(inputs).reduce((sum, beats) => sum + beats.length, 0),
    ...(options.simulator === undefined ? {} : { simulator: options.simulator }),
  });
  return { cycles: result.cycles };
}

const STREAMS = ['cmd', 'codebook', 'act', 'tables', 'windex', 'out', 'scales'] as const;

/**
 * The engine behind gates that open and close pseudo-randomly (a 16-bit LFSR): input beats
 * arrive late and `out` beats are refused three times in four, so the
 * loaders wait on empty streams and the lookup pipeline holds while a result waits. The top has
 * the engine's stream names, so packing and the golden comparison are unchanged.
 */
export function throttledEngine(config: LutLlmConfig, seed: number): EmittedDesign {
  const engine = buildLutLlmEngine(config);
  const top = defineModule('lut_llm_throttled', (m) => {
    const inner = m.instance(engine, 'engine');
    const lfsr = m.reg('lfsr', UInt(16), { init: (seed & 0xffff) | 1 });
    lfsr.assign(mux(lfsr.bit(0), lfsr.shr(1).xor(0xb400), lfsr.shr(1)));
    // Inputs open about three cycles in four; `out` one in four, so results wait often.
    const open = new Map<string, Expr>(
      STREAMS.map((name, i) => [name, m.node(`${name}_open`, name === 'out' ? lfsr.bit(i).and(lfsr.bit(i + 7)) : lfsr.bit(i).or(lfsr.bit(i + 7)))]),
    );
    for (const port of engine.builder.ports) {
      if (port.role === 'clock' || port.role === 'reset') continue;
      const stream = STREAMS.find((name) => port.name.startsWith(`${name}_`));
      const gate = stream === undefined ? undefined : open.get(stream);
      const handshake = port.name.endsWith('_valid') || port.name.endsWith('_ready');
      if (port.kind === 'input') {
        const outer = m.input(port.name, port.shape);
        inner.port(port.name).assign(handshake && gate !== undefined ? outer.and(gate) : outer);
      } else {
        const outer = m.output(port.name, port.shape);
        outer.assign(handshake && gate !== undefined ? inner.port(port.name).and(gate) : inner.port(port.name));
      }
    }
    return {};
  });
  return emitVerilog(top);
}
