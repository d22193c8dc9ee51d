// runMatmul's plumbing, independent of the real engines: a stand-in engine whose "hardware" is
// the example FIFO, which echoes the weight codes back, so beats in, beats out, the cycle limit
// and the timings can be checked in a second on Icarus.

import { describe, expect, it } from 'vitest';
import { matmulCycleLimit, runMatmul } from '../../host/run-matmul.js';
import { fifoGenerator } from '../../generators/examples/fifo.js';
import { type MatmulEngine } from '../../generators/matmul-engine/interface.js';
import { OperandError, type MatmulOperands } from '../../contracts/matmul-operands.js';
import { StreamLimitError } from '../../sim/run-streams.js';

interface EchoConfig {
  readonly width: number;
  readonly depth: number;
  /** Output beats to wait for beyond the input: > 0 makes the run hang. */
  readonly extra: number;
}

const echoEngine: MatmulEngine<EchoConfig> = {
  name: 'add',
  generator: fifoGenerator,
  limits: () => ({ act: 'int8', actBits: 8, wbits: 8, maxK: 16, outBits: 8, result: 'int' }),
  idealCycles: (_, { K, N }) => K * N,
  pack: (config, { codes }) => {
    if (codes.some((code) => code === 255)) throw new OperandError('weight code 255 is reserved by the echo engine');
    return { inputs: { in: Array.from(codes, (code) => [BigInt(code)]) }, expect: { out: codes.length + config.extra } };
  },
  unpack: (_, __, beats) => BigInt64Array.from(beats, (beat) => beat[0]!),
};

/** M = K, so the K*N echoed codes fill an M*N Y. */
const operands: MatmulOperands = { M: 2, K: 2, N: 3, act: new Int32Array(4), codes: Uint8Array.from([1, 2, 3, 4, 5, 250]), zeros: new Int32Array(3) };

describe('runMatmul', () => {
  it('packs, simulates and unpacks, with cycles, efficiency and timings', async () => {
    const run = await runMatmul(echoEngine, { width: 8, depth: 2, extra: 0 }, operands, { simulator: 'icarus' });
    expect(Array.from(run.y)).toEqual([1n, 2n, 3n, 4n, 5n, 250n]);
    expect(run.simulator).toBe('icarus');
    expect(run.idealCycles).toBe(6);
    expect(run.cycles).toBeGreaterThanOrEqual(6);
    expect(run.efficiency).toBeCloseTo(6 / run.cycles, 12);
    // An engine that is not a serial one: what the serial engines' structure does not explain is stalls, and the parts still add up.
    expect(run.breakdown).toMatchObject({ ideal: 6, correction: 0, commands: 0, fillDrain: 2 });
    expect(run.breakdown.ideal + run.breakdown.correction + run.breakdown.commands + run.breakdown.fillDrain + run.breakdown.stalls).toBe(run.cycles);
    expect(run.macs).toBe(12);
    expect(run.simSeconds).toBeGreaterThan(0);
    expect(run.wallSeconds).toBeGreaterThanOrEqual(run.simSeconds);
    expect(run.macsPerSecond).toBeCloseTo(12 / run.simSeconds, 6);
    expect(run.cacheHit).toBe(false);
  });

  it('lets an OperandError from the packing through before anything is built', async () => {
    const bad = { ...operands, codes: Uint8Array.from([1, 2, 3, 4, 5, 255]) };
    await expect(runMatmul(echoEngine, { width: 8, depth: 2, extra: 0 }, bad, { simulator: 'icarus' })).rejects.toThrow(OperandError);
  });

  it('stops a run that never finishes at the cycle limit', async () => {
    const error = await runMatmul(echoEngine, { width: 8, depth: 2, extra: 1 }, operands, { simulator: 'icarus' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamLimitError);
    expect((error as StreamLimitError).result.cycles).toBe(matmulCycleLimit(6, 6, 7));
  });
});
