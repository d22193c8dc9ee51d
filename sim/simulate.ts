// Batch simulation: a whole poke/step/peek script run in one simulator process, on the simulator
// the caller names.

import type { EmittedDesign } from '../dsl/design.js';
import type { BuildOptions, SimulatorName } from './backend.js';
import { renderScript, type SimOp, type SimResult } from './script.js';
import { simulatorBackend } from './simulators.js';

export interface SimulateOptions extends BuildOptions {
  /** Which simulator runs the script; Icarus runs it in batch from a command file. */
  readonly simulator?: SimulatorName;
  /** Limit for one run of the model; it is killed when exceeded. Defaults to 60 s (Icarus: 10 minutes). */
  readonly runTimeoutMs?: number;
}

/**
 * Builds the design (cached), then runs the whole script in one model process. Ports and
 * values are checked before anything runs, so a bad script fails fast with a clear message.
 */
export async function simulate(
  design: EmittedDesign,
  ops: readonly SimOp[],
  options: SimulateOptions = {},
): Promise<SimResult> {
  renderScript(design, ops);
  const { simulator, runTimeoutMs, ...build } = options;
  return simulatorBackend(simulator).runScript(design, ops, { build, ...(runTimeoutMs === undefined ? {} : { timeoutMs: runTimeoutMs }) });
}
