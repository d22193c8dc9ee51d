// Worker thread for the embedded Yosys (@yowasp/yosys, WebAssembly). Plain JavaScript on purpose:
// a worker starts without the TypeScript loader of its parent (vitest, tsx), so a .ts worker would
// not load everywhere. One job at a time: { id, files, script, outputs } in, { id, exitCode, log,
// outputs } out, where outputs maps each requested file the script wrote to its text.

import { parentPort } from 'node:worker_threads';
import { runYosys } from '@yowasp/yosys';

const SCRIPT_FILE = 'lutforge_script.ys';

function text(value) {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

parentPort.on('message', async ({ id, files, script, outputs }) => {
  const decoder = new TextDecoder();
  let log = '';
  const capture = (bytes) => {
    log += bytes === null ? decoder.decode() : decoder.decode(bytes, { stream: true });
  };
  let tree;
  let exitCode = 0;
  try {
    tree = await runYosys(['-s', SCRIPT_FILE], { ...files, [SCRIPT_FILE]: script }, { stdout: capture, stderr: capture });
  } catch (error) {
    // A Yosys error exits through yowasp's Exit, which carries the code and the files so far.
    if (error === null || typeof error !== 'object' || !('code' in error)) {
      parentPort.postMessage({ id, exitCode: -1, log: `${log}\n${String(error?.stack ?? error)}`, outputs: {} });
      return;
    }
    exitCode = Number(error.code);
    tree = error.files;
  }
  const found = {};
  for (const name of outputs) {
    const value = text(tree?.[name]);
    if (value !== undefined) found[name] = value;
  }
  parentPort.postMessage({ id, exitCode, log, outputs: found });
});
