// The golden comparison helper: a matching run passes; an injected wrong golden value gives a
// report naming the first wrong element, its indices, its cycle, both values and a waveform.

import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Beat } from '../sim/stream-protocol.js';
import { expectMatchesGolden, goldenCompare, GoldenMismatchError } from './golden-compare.js';
import { makeTempDir, removeTempDir } from './cli/cli-harness.js';
import { blackHole, fifo12 } from './sim/designs.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

// A 4x4 matrix streamed row by row through the FIFO; the golden kernel is the identity.
const matrix = Array.from({ length: 16 }, (_, k) => [BigInt(k * 11)]);
const identity = (inputs: Readonly<Record<string, readonly Beat[]>>) => ({ out: inputs.in ?? [] });
const rowCol = (_stream: string, beat: number) => ({ row: Math.floor(beat / 4), col: beat % 4 });

describe('goldenCompare', () => {
  it('passes when the design agrees with the golden kernel bit for bit', async () => {
    const run = await expectMatchesGolden({ design: fifo12, inputs: { in: matrix }, golden: identity, waveDir: dir });
    expect(run.outputs.out?.beats).toEqual(matrix);
  });

  it('reports the first wrong element of an injected wrong golden value, with a waveform', async () => {
    const wrong = (inputs: Readonly<Record<string, readonly Beat[]>>) => {
      const out = (inputs.in ?? []).map((beat) => [...beat]);
      out[6] = [999n];
      out[9] = [998n];
      return { out };
    };
    const { mismatch } = await goldenCompare({ design: fifo12, inputs: { in: matrix }, golden: wrong, indices: rowCol, waveDir: dir, window: 4 });
    expect(mismatch).toMatchObject({ stream: 'out', beat: 6, leaf: 0, port: 'out_data', indices: { row: 1, col: 2 }, cycle: 7, expected: 999n, actual: 66n });
    expect(mismatch?.message).toBe(
      `'fifo' (verilator) output 'out' element [row=1, col=2] (port out_data) came out at cycle 7: expected 999, got 66; ` +
        `waveform of cycles 3..11: ${mismatch?.wave}`,
    );
    expect((await stat(mismatch!.wave)).size).toBeGreaterThan(0);
    expect(await readFile(mismatch!.wave, 'utf8')).toMatch(/\$var\s+\w+\s+12\s+\S+\s+out_data/);
    await expect(expectMatchesGolden({ design: fifo12, inputs: { in: matrix }, golden: wrong, waveDir: dir })).rejects.toThrow(GoldenMismatchError);
  });

  it('reports beats that never came out (on Icarus)', async () => {
    const { mismatch } = await goldenCompare({ design: blackHole, simulator: 'icarus', inputs: { in: [[3n]] }, golden: identity, maxCycles: 20, waveDir: dir });
    expect(mismatch).toMatchObject({ beat: 0, cycle: undefined, expected: 3n, actual: undefined });
    expect(mismatch?.message).toMatch(/'black_hole' \(icarus\) output 'out' element \[beat=0, leaf=0\] \(port out_data\) never came out \(run ended at cycle 20\): expected 3, got no beat/);
  });
});
