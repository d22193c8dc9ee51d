// The interactive Simulation: poke/step/peek over a live pipe to the Verilator model, and the
// same session replayed on Icarus, which must answer identically.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterGenerator } from '../../generators/examples/counter.js';
import { runIcarusScript } from '../../sim/icarus-backend.js';
import { Simulation } from '../../sim/simulation.js';
import { syntaxError } from '../fixtures/designs.js';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';
import { sliceWide } from './designs.js';

const counter = counterGenerator.generate({ modulo: 5 });

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(dir);
});

/** Counts to 7 with enable, clears, counts again; returns every value read. */
async function session(sim: Simulation): Promise<bigint[]> {
  const seen: bigint[] = [];
  sim.poke({ rst: 1n });
  sim.step();
  sim.poke({ rst: 0n, enable: 1n });
  for (let i = 0; i < 7; i++) {
    sim.step();
    seen.push(await sim.peek('count'), await sim.peek('wrap'));
  }
  sim.poke({ clear: 1n });
  sim.step(2);
  seen.push(await sim.peek('count'));
  return seen;
}

describe('Simulation', () => {
  it('pokes, steps and peeks a live Verilator model, and Icarus answers the same', async () => {
    const results: bigint[][] = [];
    for (const simulator of ['verilator', 'icarus'] as const) {
      const sim = await Simulation.start(counter, { simulator });
      try {
        results.push(await session(sim));
        expect(sim.cycle).toBe(10);
      } finally {
        await sim.close();
      }
      // The model process is gone, not left behind.
      expect(() => process.kill(sim.pid!, 0)).toThrow(/ESRCH/);
    }
    expect(results[0]).toEqual([1n, 0n, 2n, 0n, 3n, 0n, 4n, 1n, 0n, 0n, 1n, 0n, 2n, 0n, 0n]);
    expect(results[1]).toEqual(results[0]);
  });

  it('reads signed and wide ports as bigint', async () => {
    for (const simulator of ['verilator', 'icarus'] as const) {
      const sim = await Simulation.start(sliceWide, { simulator });
      try {
        sim.poke({ rst: 1n });
        sim.step();
        sim.poke({ rst: 0n, in_valid: 1n, in_data_a: -7n, in_data_b: (1n << 70n) - 3n, out_ready: 1n });
        sim.step();
        expect([await sim.peek('out_valid'), await sim.peek('out_data_a'), await sim.peek('out_data_b')]).toEqual([1n, -7n, (1n << 70n) - 3n]);
      } finally {
        await sim.close();
      }
    }
  });

  it('refuses to read bits Icarus holds as unknown (x) rather than guessing a value', async () => {
    const sim = await Simulation.start(sliceWide, { simulator: 'icarus' });
    try {
      await expect(sim.peek('out_data_b')).rejects.toThrow(/port 'out_data_b' read undefined bits \(x+\)/);
    } finally {
      await sim.close();
    }
  });

  it('checks port names, directions and widths before sending anything', async () => {
    const sim = await Simulation.start(counter);
    try {
      expect(() => sim.poke({ nope: 1n })).toThrow(/'counter' has no port 'nope' \(ports: enable, clear, count, wrap, clk, rst\)/);
      expect(() => sim.poke({ count: 1n })).toThrow(/Cannot poke output port 'count'/);
      expect(() => sim.poke({ enable: 2n })).toThrow(/2 does not fit unsigned 1-bit port 'enable'/);
      await expect(sim.peek('nope')).rejects.toThrow(/no port 'nope'/);
      // The session is still usable after rejected commands.
      sim.step();
      expect(await sim.peek('count')).toBe(0n);
    } finally {
      await sim.close();
    }
  });

  it('reports a crash of the model instead of hanging', async () => {
    const sim = await Simulation.start(counter);
    process.kill(sim.pid!, 'SIGSEGV');
    await expect(sim.peek('count')).rejects.toThrow(/simulation of 'counter' \(verilator\) ended \(killed by SIGSEGV\)/);
    await sim.close();
  });

  it('writes the waveform of a session', async () => {
    for (const simulator of ['verilator', 'icarus'] as const) {
      const wave = path.join(dir, `counter-${simulator}.vcd`);
      const sim = await Simulation.start(counter, { simulator, wave });
      sim.poke({ enable: 1n });
      sim.step(3);
      await sim.close();
      expect(await readFile(wave, 'utf8')).toMatch(/\$var\s+\w+\s+3\s+\S+\s+count/);
    }
  });
});

describe('build failures', () => {
  it('show the Verilator message when the model does not compile', async () => {
    await expect(Simulation.start(syntaxError)).rejects.toThrow(/Verilator build of 'broken' failed[\s\S]*%Error: broken\.v:5:\d+: syntax error/);
  });

  it('show the Icarus message when the bench does not compile', async () => {
    await expect(runIcarusScript(syntaxError, [{ eval: true }])).rejects.toThrow(/Icarus compile of 'broken' failed[\s\S]*broken\.v:5: syntax error/);
  });
});
