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

const { spawn, spawnSync, execFile, execFileSync } = childProcess;
childProcess.spawn = ((command: string, ...rest: unknown[]) => {
  if (TOOLS.test(command)) refuse(command);
  return (spawn as (...args: unknown[]) => unknown)(command, ...rest);
}) as typeof spawn;
childProcess.spawnSync = ((command: string, ...rest: unknown[]) => {
  if (TOOLS.test(command)) refuse(command);
  return (spawnSync as (...args: unknown[]) => unknown)(command, ...rest);
}) as typeof spawnSync;
childProcess.execFile = ((command: string, ...rest: unknown[]) => {
  if (TOOLS.test(command)) refuse(command);
  return (execFile as (...args: unknown[]) => unknown)(command, ...rest);
}) as typeof execFile;
childProcess.execFileSync = ((command: string, ...rest: unknown[]) => {
  if (TOOLS.test(command)) refuse(command);
  return (execFileSync as (...args: unknown[]) => unknown)(command, ...rest);
}) as typeof execFileSync;
// The embedded Yosys runs in worker threads (synth/runner.ts).
workerThreads.Worker = class extends workerThreads.Worker {
  constructor(...args: ConstructorParameters<typeof workerThreads.Worker>) {
    if (String(args[0]).includes('yosys')) refuse('the embedded Yosys');
    super(...args);
  }
};
syncBuiltinESMExports();
