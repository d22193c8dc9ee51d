// Entry point of the `lutforge` bin (via bin/lutforge.mjs): wires the real generator registry and
// the process streams into the program and turns the outcome into the process exit code.

import { registry } from '../generators/index.js';
import { runCli } from './program.js';

// exitCode rather than process.exit(): pending writes to a piped stdout still get flushed.
process.exitCode = await runCli(process.argv.slice(2), { registry });
