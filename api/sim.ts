// `lutforge/sim`: run emitted designs in Verilator (Icarus Verilog as the second simulator).
//   - interactive: `Simulation.start(design)`, then poke / step / peek with bigint values;
//   - batch: `simulate(design, ops)` runs a list of operations in one process;
//   - stream mode: `runStreams(design, { inputs, ... })` feeds valid/ready input streams as fast
//     as the design takes them and collects its output streams with the cycle count;
//   - lint: `verilatorLint`, `icarusCompile`.

export { Simulation, type SimulationOptions } from '../sim/simulation.js';
export { simulate, type SimulateOptions } from '../sim/simulate.js';
export { buildModel, runModel, verilatorLint, verilatorVersion, type VerilatorModel } from '../sim/verilator.js';
export { icarusCompile } from '../sim/icarus.js';
export { runIcarusScript, type IcarusScriptOptions } from '../sim/icarus-backend.js';
export type { SimOp, SimResult } from '../sim/script.js';
export type { LintResult } from '../toolchain/lint-result.js';
export type { BuildOptions, OutputStreamResult, SimulatorName, StreamRunOptions, StreamRunResult, WaveRequest } from '../sim/backend.js';
export { SIMULATORS } from '../sim/simulators.js';
export { DEFAULT_MAX_CYCLES, requireDone, runStreams, StreamLimitError } from '../sim/run-streams.js';
export { decodeBeats, encodeBeats, findStreams, streamNamed, type Beat, type StreamInfo } from '../sim/stream-protocol.js';
export { SimInputError, ToolMissingError } from '../sim/errors.js';
