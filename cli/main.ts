// Entry point of the `lutforge` bin (via bin/lutforge.mjs): wires the real generator registry and
// the process streams into the program and turns the outcome into the process exit code.

import { registry } from '../generators/index.js';
import { runCli } from './program.js';

// A reader that stops early (`lutforge explore ... | head`) closes the pipe: that is the reader's
// choice, not a failure of ours, so it ends the process quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// exitCode rather than process.exit(): pending writes to a piped stdout still get flushed.
process.exitCode = await runCli(process.argv.slice(2), { registry });
