// Setup of the fast tier (`make check`): a test there must need no simulator and no synthesizer,
// so starting one is an error that names the tool, instead of a slow pass. Node's child-process
// and worker entry points are wrapped before any test module loads; syncBuiltinESMExports makes
// the wrapped functions the ones every `import { spawn } from 'node:child_process'` sees.

import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';

const TOOLS = /(^|\/)(verilator|verilator_bin|iverilog|vvp|yosys|sta|make|g\+\+|ccache)$/;

function refuse(what: string): never {
  throw new Error(`the fast tier (make check) runs no simulator or synthesizer, but a test started ${what}: move the test file to the full tier (tb/test-tiers.ts)`);
}

/** The same function, refusing to start one of the tools. */
function guarded<F extends (command: string, ...rest: never[]) => unknown>(start: F): F {
  return ((command: string, ...rest: never[]) => {
    if (TOOLS.test(command)) refuse(command);
    return start(command, ...rest);
  }) as F;
}

childProcess.spawn = guarded(childProcess.spawn);
childProcess.spawnSync = guarded(childProcess.spawnSync);
childProcess.execFile = guarded(childProcess.execFile);
childProcess.execFileSync = guarded(childProcess.execFileSync);
// The embedded Yosys runs in worker threads (synth/runner.ts).
workerThreads.Worker = class extends workerThreads.Worker {
  constructor(...args: ConstructorParameters<typeof workerThreads.Worker>) {
    if (String(args[0]).includes('yosys')) refuse('the embedded Yosys');
    super(...args);
  }
};
syncBuiltinESMExports();
