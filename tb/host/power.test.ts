// Power from a gate-level run, on a small tensor core and MAC engine (n = 8): the mapped netlist
// must compute the golden result (measurePower throws otherwise), the figures must add up and be
// in their units, and they must respond to the data: all-zero activations switch less logic than
// uniform random ones, so they draw less dynamic power on the same engine.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatmulOperands } from '../../contracts/matmul-operands.js';
import type { SerialPackConfig } from '../../contracts/serial-packing.js';
import { matmulEngines } from '../../generators/engines.js';
import type { MatmulEngine } from '../../generators/matmul-engine/interface.js';
import { workloadOperands } from '../../host/matmul-workload.js';
import { measurePower, type PowerReport } from '../../host/power.js';

let cacheDir: string;
const reports = new Map<string, PowerReport>();

function engineNamed(name: 'tensor-core' | 'mac'): { engine: MatmulEngine<SerialPackConfig>; config: SerialPackConfig } {
  const engine = matmulEngines.get(name) as unknown as MatmulEngine<SerialPackConfig>;
  const config = engine.generator.schema.parse({ n: 8, maxK: 256, wbits: 1 }) as SerialPackConfig;
  return { engine, config };
}

const dims = { M: 2, K: 64, N: 8 };

function zeroActivations(operands: MatmulOperands): MatmulOperands {
  return { ...operands, act: new Int32Array(operands.act.length) };
}

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'lutforge-power-'));
  for (const name of ['tensor-core', 'mac'] as const) {
    const { engine, config } = engineNamed(name);
    const random = workloadOperands(config, dims, 7, 'uniform');
    reports.set(`${name}/random`, await measurePower(engine, config, random, { cacheDir }));
    // One engine suffices for the data check; each run is a gate-level simulation.
    if (name === 'tensor-core') reports.set(`${name}/zero`, await measurePower(engine, config, zeroActivations(random), { cacheDir }));
  }
}, 600_000);
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function reportFor(key: string): PowerReport {
  const report = reports.get(key);
  if (report === undefined) throw new Error(`no report ${key}`);
  return report;
}

describe('measurePower', () => {
  it('all-zero activations draw less dynamic power than random ones on the same engine', () => {
    const random = reportFor('tensor-core/random');
    const zero = reportFor('tensor-core/zero');
    expect(zero.dynamicMw).toBeGreaterThan(0);
    expect(zero.dynamicMw).toBeLessThan(random.dynamicMw);
    // Same engine, same cells: leakage depends on the state held, not on the switching.
    expect(zero.areaUm2).toBe(random.areaUm2);
  });

  it.each(['tensor-core', 'mac'])('%s: the figures add up, in their units', (name) => {
    const report = reportFor(`${name}/random`);
    expect(report.ops).toBe(dims.M * dims.K * dims.N);
    expect(report.clockMhz).toBe(100);
    expect(report.powerMw).toBeCloseTo(report.dynamicMw + report.leakageMw + report.memoryMw, 9);
    // energy = power x (cycles / clock) / ops: mW x us = nJ, x 1000 -> pJ.
    expect(report.energyPerOpPj).toBeCloseTo((report.powerMw * (report.cycles / report.clockMhz) * 1000) / report.ops, 9);
    expect(report.cycles).toBeGreaterThan(0);
    expect(report.nets.annotated).toBeGreaterThan(1000);
    expect(report.nets.derived).toBe(0);
    expect(report.meetsTiming).toBe(report.clockMhz <= report.fmaxMhz);
  });

  it('counts the activation buffer writes it prices: one per activation group loaded', () => {
    const report = reportFor('tensor-core/random');
    const [buffer] = report.memories;
    // M = 2 rows in one m-tile: K / k = 16 groups, each written once.
    expect(buffer?.writes).toBe(dims.K / 4);
    expect(buffer?.powerMw).toBeGreaterThan(0);
  });
});
