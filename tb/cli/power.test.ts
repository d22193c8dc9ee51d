// `lutforge power` end to end in-process on a small tensor core (n = 8): the JSON report on stdout
// and in --out are the same measurement, with every key the README documents, and the summary
// names the power split, the energy per MAC and the memory accesses.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { makeTempDir, removeTempDir, runIn } from './cli-harness.js';

const ARGS = ['power', 'tensor-core', '--set', 'n=8', '--set', 'maxK=256', '--set', 'wbits=1', '--workload', '2,64,8'];

let cwd: string;
beforeAll(async () => {
  cwd = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(cwd);
});

describe('lutforge power', () => {
  it('prints the JSON report and writes the same to --out', async () => {
    const run = await runIn(cwd, [...ARGS, '--json', '--out', 'power.json'], registry);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const key of ['clockMhz', 'powerMw', 'dynamicMw', 'leakageMw', 'memoryMw', 'ops', 'cycles', 'energyPerOpPj']) expect(typeof report[key]).toBe('number');
    expect(report).toMatchObject({ engine: 'tensor-core', clockMhz: 100, ops: 2 * 64 * 8, dims: { M: 2, K: 64, N: 8 } });
    expect(JSON.parse(await readFile(join(cwd, 'power.json'), 'utf8'))).toEqual(report);
  }, 300_000);

  it('summarizes the split of the power and the energy per MAC', async () => {
    const run = await runIn(cwd, [...ARGS, '--clock', '50'], registry);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^tensor-core 2x64x8 at 50 MHz \(fmax [\d.]+ MHz\)\n/);
    expect(run.stdout).toMatch(/\npower +[\d.]+ mW = logic dynamic [\d.]+ mW \+ logic leakage [\d.]+ mW \+ memories [\d.]+ mW\n/);
    expect(run.stdout).toMatch(/\nenergy +[\d.]+ pJ per MAC \(1,024 MACs in \d+ cycles\)\n/);
    expect(run.stdout).toMatch(/\nmemory group_buffer: 0 reads, 16 writes, [\d.]+ mW\n/);
  }, 300_000);
});
