// The simulators lutforge drives, by name: the one place that knows which backends exist.

import type { SimulatorBackend, SimulatorName } from './backend.js';
import { SimInputError } from './errors.js';
import { icarusBackend } from './icarus-backend.js';
import { verilatorBackend } from './verilator-backend.js';

const BACKENDS: Readonly<Record<SimulatorName, SimulatorBackend>> = {
  verilator: verilatorBackend,
  icarus: icarusBackend,
};

/** Every simulator name, the default (Verilator, the fast one) first. */
export const SIMULATORS: readonly SimulatorName[] = ['verilator', 'icarus'];

export const DEFAULT_SIMULATOR: SimulatorName = 'verilator';

export function simulatorBackend(name: SimulatorName = DEFAULT_SIMULATOR): SimulatorBackend {
  // The type keeps TypeScript callers right; plain JavaScript callers get a message, not a crash.
  if (!Object.hasOwn(BACKENDS, name)) throw new SimInputError(`unknown simulator '${String(name)}' (simulators: ${SIMULATORS.join(', ')})`);
  return BACKENDS[name];
}
