// Stream mode on both simulators: beats in, beats out with their cycles, the same answers from
// Verilator and Icarus, backpressure, the cycle limit and waveforms.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';
import type { StreamRunResult } from '../../sim/backend.js';
import { runStreams, StreamLimitError } from '../../sim/run-streams.js';
import { blackHole, fifo12, sliceWide, slowIncrement } from './designs.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

const both = ['verilator', 'icarus'] as const;

/** The parts of a result both simulators must agree on. */
const observable = (r: StreamRunResult) => ({ status: r.status, cycles: r.cycles, consumed: r.consumed, outputs: r.outputs });

describe('runStreams', () => {
  it('passes a FIFO its beats at one per cycle, identically on Verilator and Icarus', async () => {
    const beats = Array.from({ length: 40 }, (_, i) => [BigInt((i * 97) % 4096)]);
    const [v, i] = await Promise.all(both.map((simulator) => runStreams(fifo12, { simulator, inputs: { in: beats }, expect: { out: 40 } })));
    expect(v!.outputs.out!.beats).toEqual(beats);
    // First-word fall-through: a word pushed in cycle c is visible at the head in cycle c+1.
    expect(v!.outputs.out!.cycles).toEqual(beats.map((_, k) => k + 1));
    expect(v!.cycles).toBe(41);
    expect(observable(i!)).toEqual(observable(v!));
  });

  it('carries signed and wider-than-64-bit leaves through a register slice on both simulators', async () => {
    const beats = [
      [-16n, (1n << 70n) - 1n],
      [15n, 1n << 69n],
      [-1n, 0x23456789abcdef0123n],
      [0n, 0n],
    ];
    const [v, i] = await Promise.all(both.map((simulator) => runStreams(sliceWide, { simulator, inputs: { in: beats }, expect: { out: 4 } })));
    expect(v!.outputs.out!.beats).toEqual(beats);
    expect(observable(i!)).toEqual(observable(v!));
  });

  it('feeds beats only as fast as the design takes them', async () => {
    const beats = Array.from({ length: 10 }, (_, k) => [BigInt(k * 25)]);
    const [v, i] = await Promise.all(both.map((simulator) => runStreams(slowIncrement, { simulator, inputs: { in: beats }, expect: { out: 10 } })));
    expect(v!.outputs.out!.beats).toEqual(beats.map(([x]) => [x! + 1n]));
    // One beat every third cycle: phase 2 of each three.
    expect(v!.outputs.out!.cycles).toEqual(beats.map((_, k) => 3 * k + 2));
    expect(observable(i!)).toEqual(observable(v!));
  });

  it.each(both)('ends at the cycle limit with an error saying how many beats arrived (%s)', async (simulator) => {
    const run = runStreams(blackHole, { simulator, inputs: { in: [[1n], [2n]] }, expect: { out: 2 }, maxCycles: 50 });
    await expect(run).rejects.toThrow(StreamLimitError);
    await expect(run).rejects.toThrow(/hit the cycle limit of 50 cycles with 'out' 0 of 2 beats/);
    const error = (await run.then(
      () => undefined,
      (e: unknown) => e,
    )) as StreamLimitError;
    expect(error.result.consumed).toEqual({ in: 2 });
  });

  it.each(both)('writes a VCD waveform on request (%s)', async (simulator) => {
    const wave = path.join(dir, `fifo-${simulator}.vcd`);
    const result = await runStreams(fifo12, { simulator, inputs: { in: [[5n], [6n]] }, expect: { out: 2 }, wave: { path: wave } });
    expect(result.wave).toBe(wave);
    const text = await readFile(wave, 'utf8');
    expect(text).toMatch(/\$enddefinitions/);
    expect(text).toMatch(/\$var\s+\w+\s+12\s+\S+\s+in_data/);
  });

  it.each(both)('records the whole run, not just the reset, in a waveform without a window (%s)', async (simulator) => {
    const wave = path.join(dir, `whole-${simulator}.vcd`);
    const beats = Array.from({ length: 20 }, (_, k) => [BigInt(k)]);
    const result = await runStreams(fifo12, { simulator, inputs: { in: beats }, expect: { out: 20 }, wave: { path: wave } });
    const text = await readFile(wave, 'utf8');
    expect(text).not.toMatch(/\$dumpoff/);
    // Cycle c starts at time 5 + 2c: the last cycle's rising edge must be in the file.
    const times = text.split('\n').filter((line) => /^#\d+$/.test(line)).map((line) => Number(line.slice(1)));
    expect(Math.max(...times)).toBeGreaterThanOrEqual(5 + 2 * (result.cycles - 1));
  });

  it('limits the waveform to a window of cycles, on one time axis for both simulators', async () => {
    const beats = Array.from({ length: 30 }, (_, k) => [BigInt(k)]);
    for (const simulator of both) {
      const wave = path.join(dir, `window-${simulator}.vcd`);
      await runStreams(fifo12, { simulator, inputs: { in: beats }, expect: { out: 30 }, wave: { path: wave, fromCycle: 10, toCycle: 12 } });
      // Cycle c starts at time 5 + 2c: 10..12 is times 25..30 (#0 holds the initial values and
      // Icarus marks the end of the window at #31).
      const times = (await readFile(wave, 'utf8')).split('\n').filter((line) => /^#\d+$/.test(line)).map((line) => Number(line.slice(1)));
      expect(times.filter((t) => t !== 0 && (t < 25 || t > 31)), simulator).toEqual([]);
      expect(times, simulator).toEqual(expect.arrayContaining([25, 26, 29, 30]));
    }
  });

  it('rejects bad input before any simulator runs', async () => {
    await expect(runStreams(fifo12, { inputs: { nope: [[1n]] }, expect: { out: 1 } })).rejects.toThrow(/has no input stream 'nope' \(input streams: in\)/);
    await expect(runStreams(fifo12, { inputs: { in: [[4096n]] }, expect: { out: 1 } })).rejects.toThrow(/4096 does not fit unsigned 12-bit port 'in_data'/);
    await expect(runStreams(fifo12, { inputs: { in: [[1n]] }, expect: { count: 1 } })).rejects.toThrow(/no output stream 'count'/);
  });
});
