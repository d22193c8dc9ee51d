// `lutforge/sim`: run emitted designs in Verilator (Icarus Verilog as the second simulator).
//   - interactive: `Simulation.start(design)`, then poke / step / peek with bigint values;
//   - batch: `simulate(design, ops)` runs a list of operations in one process;
//   - stream mode: `runStreams(design, { inputs, ... })` feeds valid/ready input streams as fast
//     as the design takes them and collects its output streams with the cycle count;
//   - lint: `verilatorLint`, `icarusCompile`.

export { Simulation, type SimulationOptions } from '../sim/simulation.js';
export {
  buildModel,
  runModel,
  simulate,
  verilatorLint,
  verilatorVersion,
  type BuildOptions,
  type SimulateOptions,
  type VerilatorModel,
} from '../sim/verilator.js';
export { icarusCompile } from '../sim/icarus.js';
export { runIcarusScript, type IcarusScriptOptions } from '../sim/icarus-backend.js';
export type { SimOp, SimResult } from '../sim/script.js';
export type { LintResult } from '../toolchain/lint-result.js';
export {
  DEFAULT_MAX_CYCLES,
  requireDone,
  runStreams,
  SIMULATORS,
  StreamLimitError,
  type OutputStreamResult,
  type SimulatorName,
  type StreamRunOptions,
  type StreamRunResult,
  type WaveRequest,
} from '../sim/run-streams.js';
export { decodeBeats, encodeBeats, findStreams, SimInputError, streamNamed, type Beat, type StreamInfo } from '../sim/stream-protocol.js';
export { ToolMissingError } from '../sim/workspace.js';
