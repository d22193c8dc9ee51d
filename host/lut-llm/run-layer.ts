// One layer on the simulated LUT-LLM engine: generate, pack the layer and activations into its
// streams, simulate, unpack ACC (and y). The LUT-LLM counterpart of `runMatmul`: the CLI, the
// demo and the benchmark all run layers through it, with the same cycle limit.

import { performance } from 'node:perf_hooks';
import type { LutLlmConfig } from '../../generators/lut-llm/config.js';
import { lutLlmEngine } from '../../generators/lut-llm/index.js';
import { lutLlmLookups } from '../../generators/lut-llm/pack.js';
import { lutLlmCycleBudget, type LutLlmCycleBudget } from '../../generators/lut-llm/cycle-budget.js';
import { simulatePacked } from '../run-matmul.js';
import type { LlmActivations, LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import type { PhaseListener } from '../run-matmul.js';
import type { SimulatorName } from '../../sim/backend.js';

export interface LayerRunOptions {
  readonly simulator?: SimulatorName;
  /** Where to write a VCD of the whole run; its directory is created if need be. */
  readonly wave?: string;
  /** Told as each phase starts (generating, building, simulating), for the CLI's progress lines. */
  readonly onPhase?: PhaseListener;
}

/**
 * The measured cycles by cause; the parts add up to `cycles`. Every part but `stalls` follows
 * from the engine's structure (generators/lut-llm/cycle-budget.ts replays its lookup loop);
 * `stalls` is what the simulation took beyond them: waits for the search in group 0, or an `out`
 * beat held back. In the runs measured so far it is 0: the structure accounts for every cycle.
 */
export interface LutLlmCycleBreakdown extends LutLlmCycleBudget {
  readonly stalls: number;
}

export interface LutLlmRunResult {
  readonly acc: Int32Array;
  /** The hardware's FP32 y, when the config dequantizes. */
  readonly y?: Float32Array;
  readonly cycles: number;
  readonly idealCycles: number;
  /** idealCycles / cycles. */
  readonly efficiency: number;
  readonly breakdown: LutLlmCycleBreakdown;
  /** T * P * N table lookups. */
  readonly lookups: number;
  readonly simulator: SimulatorName;
  /** The whole call: generate, pack, build, simulate, unpack. */
  readonly wallSeconds: number;
  /** The simulator process alone. */
  readonly simSeconds: number;
}

/** Runs x through the layer; OperandError, ToolMissingError and StreamLimitError propagate as they are. */
export async function runLutLlmLayer(config: LutLlmConfig, layer: LutLlmLayer, x: LlmActivations, options: LayerRunOptions = {}): Promise<LutLlmRunResult> {
  const started = performance.now();
  // Packing first: it checks the layer against the config, before any elaboration.
  const packed = lutLlmEngine.pack(config, layer, x);
  options.onPhase?.('generating the lut-llm design');
  const design = lutLlmEngine.generator.generate(config);
  const dims = { T: x.T, P: layer.P, N: layer.N, G: layer.G };
  const idealCycles = lutLlmEngine.idealCycles(config, dims);
  const { result, outBeats } = await simulatePacked('lut-llm', design, packed, idealCycles, options);
  const { acc, y } = lutLlmEngine.unpack(config, dims, outBeats);
  const budget = lutLlmCycleBudget(config, dims);
  const explained = budget.ideal + budget.idleLanes + budget.fill + budget.drain + budget.tableLoading + budget.searchWaits;
  return {
    acc,
    ...(y === undefined ? {} : { y }),
    cycles: result.cycles,
    idealCycles,
    efficiency: result.cycles > 0 ? idealCycles / result.cycles : 0,
    breakdown: { ...budget, stalls: result.cycles - explained },
    lookups: lutLlmLookups(x.T, layer.P, layer.N),
    simulator: result.simulator,
    wallSeconds: (performance.now() - started) / 1000,
    simSeconds: result.runSeconds,
  };
}
