// The decoder-block part of `make demo`: a tiny Qwen3-style block end to end through the two
// commands a user runs. Synthetic float weights (outlier channels included) are written as a
// weights directory, `lutforge quantize-block` calibrates and quantizes its four projections into a
// model directory, and `lutforge run lut-llm-block` runs held-out hidden states through the
// simulated block, checks Y against the golden block and reports cycles and errors.

import path from 'node:path';
import { rm } from 'node:fs/promises';
import { registry } from '../../generators/index.js';
import { runCli } from '../../cli/program.js';
import { syntheticBlockInput, syntheticBlockWeights } from '../../host/lut-llm-block/synthetic.js';
import { writeBlockWeights } from '../../host/lut-llm-block/weights.js';
import { writeNpy } from '../../host/npy.js';

const DIMS = { hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16, ropeTheta: 1_000_000, rmsEps: 1e-6, maxSeq: 16 };
const ENGINE = ['v=2', 'ca=16', 'cw=8', 'groupCols=8', 'lookupsPerCycle=8'];
const CALIB_T = 64;
const T = 8;

/** Runs the demo and prints what the commands print; returns whether both succeeded. */
export async function lutLlmBlockDemo(root: string): Promise<boolean> {
  const dir = path.join(root, 'rtl-out', 'lut-llm-block-demo');
  await rm(dir, { recursive: true, force: true });
  console.log(`LUT-LLM decoder block (hidden ${DIMS.hidden}, ${DIMS.heads} heads, ${DIMS.kvHeads} kv heads, headDim ${DIMS.headDim}, intermediate ${DIMS.intermediate}): quantize-block -> run lut-llm-block\n`);
  await writeBlockWeights(path.join(dir, 'weights'), syntheticBlockWeights(DIMS, 1));
  // Calibration and held-out rows from one draw, so both have the same outlier channels.
  const rows = syntheticBlockInput(DIMS.hidden, CALIB_T + T, 2);
  await writeNpy(path.join(dir, 'calib.npy'), rows.slice(0, CALIB_T * DIMS.hidden), [CALIB_T, DIMS.hidden]);
  await writeNpy(path.join(dir, 'X.npy'), rows.slice(CALIB_T * DIMS.hidden), [T, DIMS.hidden]);
  const io = { registry, cwd: dir, stdout: { write: (text: string) => process.stdout.write(indent(text)) }, stderr: process.stderr };
  const commands = [
    ['quantize-block', '--weights', 'weights', '--calib', 'calib.npy', '--out', 'model', ...ENGINE.flatMap((kv) => ['--set', kv])],
    ['run', 'lut-llm-block', '--model', 'model', '--act', 'X.npy', '--out', 'Y.npy', '--weights', 'weights', '--set', 'maxT=4', '--report', 'report.json'],
  ];
  for (const argv of commands) {
    console.log(`  $ lutforge ${argv.join(' ')}`);
    if ((await runCli(argv, io)) !== 0) return false;
  }
  console.log(`  (files in ${path.relative(root, dir)}/)\n`);
  return true;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '    ');
}
