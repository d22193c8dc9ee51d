// `lutforge run lut-llm` end to end in-process: a layer quantized by `lutforge quantize`, X.npy in,
// ACC.npy (from the simulated hardware) and Y.npy out, both equal to the golden model; the report;
// and the bad layer directories and activations, each exit 2 naming the file with nothing written.
// The engine configs are the hardware regression's small ones, so the Verilator builds are shared.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../host/npy.js';
import { readLayer } from '../../host/lut-llm/layer-files.js';
import { lutLlmConfig } from '../../generators/lut-llm/config.js';
import { registry } from '../../generators/index.js';
import { activationIndices, lutLlmAccumulate, lutLlmDequantize, syntheticLlmData } from '../../golden/lut-llm.js';
import { projectionLatency } from '../../host/lut-llm/latency-model.js';
import { listTree, makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';
import { FAST_TIER } from '../test-tiers.js';

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

const run = (...argv: string[]): Promise<CliRun> => runIn(cwd, argv, registry);

// smallConfig of tb/generators/lut-llm/hardware.test.ts: (linf, fp32) runs 4-bit tables without
// and 8-bit tables with the hardware dequantization there.
const ENGINE = ['--set', 'v=2', '--set', 'ca=6', '--set', 'cw=4', '--set', 'groupCols=8', '--set', 'lookupsPerCycle=4', '--set', 'maxK=32', '--set', 'maxT=4'];
const K = 32;
const N = 19;
const T = 3;

/** Quantizes a synthetic layer into `layer/` and writes X.npy (T held-out tokens). */
async function prepare(tableBits: 4 | 8): Promise<void> {
  const data = syntheticLlmData(K, N, 48, T, 5);
  await writeNpy(join(cwd, 'W.npy'), data.W, [K, N]);
  await writeNpy(join(cwd, 'C.npy'), data.calib, [48, K]);
  await writeNpy(join(cwd, 'X.npy'), data.holdout, [T, K]);
  const quantized = await run('quantize', ...ENGINE, '--set', `tableBits=${tableBits}`, '--weight', 'W.npy', '--calib', 'C.npy', '--out', 'layer');
  expect(quantized.code, quantized.stderr).toBe(0);
}

/** The lookup cycles `lutforge model` predicts for this run's layer: they must be the measured cycles. */
function modelledCycles(tableBits: 4 | 8, dequant: boolean, tokens: number, positionsPerCycle = 1): number {
  const config = lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4, tableBits, dequant, positionsPerCycle });
  return projectionLatency(config, { name: 'o', K, N, kFrom: 'test' }, tokens, { clockMhz: 250, bandwidthGBs: 820 }).lookups.cycles;
}

async function golden(tableBits: 4 | 8) {
  const config = lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4, tableBits });
  const layer = await readLayer(join(cwd, 'layer'), config, 'layer');
  const X = await readNpy(join(cwd, 'X.npy'), 'test');
  const acc = lutLlmAccumulate(layer, activationIndices(layer, { T, K, act: 'fp32', data: X.data as Float32Array }, config.distance), T);
  return { acc, y: lutLlmDequantize(layer, acc) };
}

describe('lutforge run lut-llm', () => {
  // The second engine looks up 4 positions per step (2 search units): 57 ideal cycles, and 60 steps
  // since the last group's 3 columns take a chunk of 4.
  it.skipIf(FAST_TIER).each([
    [4, false, 1, 228, 12],
    [8, true, 4, 57, 3],
  ] as const)('%i-bit tables, hardware dequantization %s, %i positions per step: ACC and Y equal the golden model', async (tableBits, dequant, positionsPerCycle, ideal, idleLanes) => {
    await prepare(tableBits);
    const result = await run('run', 'lut-llm', ...ENGINE, '--set', `tableBits=${tableBits}`, '--set', `dequant=${dequant}`, '--set', `positionsPerCycle=${positionsPerCycle}`, '--layer', 'layer', '--act', 'X.npy', '--out', 'ACC.npy', '--dequant', 'Y.npy', '--report', 'r.json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^lut-llm \\(verilator\\): ACC \\(${T}, ${N}\\) int32 -> ACC.npy, Y float32 -> Y.npy\ncycles (\\d+), ideal \\d+, efficiency [\\d.]+%, lookups ${T * (K / 2) * N}\ncycles by cause: ideal ${ideal} \\+ table loading 0 \\+ fill \\d+ \\+ drain \\d+ \\+ idle lanes ${idleLanes} \\+ stalls 0 = \\1\nreport: r.json\n$`),
    );
    const expected = await golden(tableBits);
    const acc = await readNpy(join(cwd, 'ACC.npy'), 'test');
    expect(acc.dtype).toBe('int32');
    expect(acc.shape).toEqual([T, N]);
    expect(Array.from(acc.data as Int32Array)).toEqual(Array.from(expected.acc));
    const y = await readNpy(join(cwd, 'Y.npy'), 'test');
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.data as Float32Array)).toEqual(Array.from(expected.y));
    const report = JSON.parse(await readFile(join(cwd, 'r.json'), 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({ engine: 'lut-llm', dims: { T, K, N, P: K / 2, G: 3 }, idealCycles: Math.ceil((T * (K / 2) * N) / (4 * positionsPerCycle)), lookups: T * (K / 2) * N });
    expect(report['efficiency']).toBeCloseTo((report['idealCycles'] as number) / (report['cycles'] as number), 12);
    // The cycles by cause add up to the measured total, the ideal part is the analytic ideal, and
    // the engine's structure accounts for every cycle (no stalls left over).
    const parts = report['cycleBreakdown'] as Record<string, number>;
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(report['cycles']);
    expect(parts).toMatchObject({ ideal: report['idealCycles'], idleLanes, tableLoading: 0, searchWaits: 0, drain: dequant ? 8 : 5, stalls: 0 });
    expect(modelledCycles(tableBits, dequant, T, positionsPerCycle)).toBe(report['cycles']);
  });

  it.skipIf(FAST_TIER)('runs a layer of 3 scale groups (quantize --scale-groups 3) bit for bit like the golden model, dequantized in hardware', async () => {
    // N = 24: three whole column groups of 8, one (scale, zero) pair each; the dequant engine above.
    const grouped = syntheticLlmData(K, 24, 48, T, 6);
    const W = Float32Array.from(grouped.W, (w, i) => w * 4 ** Math.floor((i % 24) / 8));
    await writeNpy(join(cwd, 'W.npy'), W, [K, 24]);
    await writeNpy(join(cwd, 'C.npy'), grouped.calib, [48, K]);
    await writeNpy(join(cwd, 'X.npy'), grouped.holdout, [T, K]);
    const quantized = await run('quantize', ...ENGINE, '--set', 'tableBits=8', '--scale-groups', '3', '--weight', 'W.npy', '--calib', 'C.npy', '--out', 'layer');
    expect(quantized.code, quantized.stderr).toBe(0);
    expect(quantized.stdout).toContain(', 3 scale groups of 8 columns\n');
    const result = await run('run', 'lut-llm', '--set', 'dequant=true', '--layer', 'layer', '--act', 'X.npy', '--out', 'ACC.npy', '--dequant', 'Y.npy', '--report', 'r.json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const config = lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4, tableBits: 8 });
    const layer = await readLayer(join(cwd, 'layer'), config, 'layer');
    expect(new Set(layer.scale).size).toBe(3);
    const acc = lutLlmAccumulate(layer, activationIndices(layer, { T, K, act: 'fp32', data: grouped.holdout }, config.distance), T);
    expect(Array.from((await readNpy(join(cwd, 'ACC.npy'), 'test')).data as Int32Array)).toEqual(Array.from(acc));
    expect(Array.from((await readNpy(join(cwd, 'Y.npy'), 'test')).data as Float32Array)).toEqual(Array.from(lutLlmDequantize(layer, acc)));
    const report = JSON.parse(await readFile(join(cwd, 'r.json'), 'utf8')) as { cycleBreakdown: Record<string, number> };
    expect(report.cycleBreakdown['stalls']).toBe(0);
  });

  it.skipIf(FAST_TIER)('says when table loading is a large part of the cycles, and how many tokens hide it', async () => {
    await prepare(4);
    const X = await readNpy(join(cwd, 'X.npy'), 'test');
    await writeNpy(join(cwd, 'X1.npy'), (X.data as Float32Array).subarray(0, K), [1, K]);
    const result = await run('run', 'lut-llm', '--layer', 'layer', '--act', 'X1.npy', '--out', 'ACC.npy');
    expect([result.code, result.stderr]).toEqual([0, '']);
    // The last column group has 3 columns, one lookup beat: its 2-beat tables each serve 1 cycle at T = 1.
    expect(result.stdout).toMatch(
      /\ncycles by cause: ideal 76 \+ table loading 12 \+ fill 12 \+ drain 5 \+ idle lanes 4 \+ stalls 0 = 109\ntable loading: a table loads in 2 cycles but serves 1 \(T = 1 x 1 lookup beat of the last column group\); runs of 2 or more tokens hide it\n$/,
    );
    expect(modelledCycles(4, false, 1)).toBe(Number(/\ncycles (\d+),/.exec(result.stdout)?.[1]));
  });

  it.skipIf(FAST_TIER)('prints the report as one JSON document with --json, with the VCD of --wave (Icarus); the layer brings its own config', async () => {
    await prepare(4);
    // No --set: the layer's config.json is the quantization's.
    const result = await run('run', 'lut-llm', '--layer', 'layer', '--act', 'X.npy', '--out', 'out/ACC.npy', '--wave', '--json', '--simulator', 'icarus');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ engine: 'lut-llm', simulator: 'icarus', dims: { T, K, N }, lookups: T * (K / 2) * N });
    expect(report['files']).toEqual({ layer: join(cwd, 'layer'), act: join(cwd, 'X.npy'), out: join(cwd, 'out/ACC.npy'), dequant: null, report: null, wave: join(cwd, 'out/ACC.vcd') });
    expect(Array.from((await readNpy(join(cwd, 'out/ACC.npy'), 'test')).data as Int32Array)).toEqual(Array.from((await golden(4)).acc));
    expect(await readFile(join(cwd, 'out/ACC.vcd'), 'utf8')).toMatch(/\$enddefinitions/);
  });

  it.each<[string, () => Promise<string[]>, string]>([
    ['a missing table', async () => (await rm(join(cwd, 'layer', 'table.npy')), []), "layer/table.npy"],
    ['X with another K', async () => (await writeNpy(join(cwd, 'X.npy'), new Float32Array(T * 30), [T, 30]), []), "'X.npy' (--act) has K = 30 columns, shape (3, 30); the layer 'layer' takes K = P*v = 16*2 = 32"],
    ['X with K not a multiple of v', async () => (await writeNpy(join(cwd, 'X.npy'), new Float32Array(T * 33), [T, 33]), []), "'X.npy' (--act) has K = 33 columns"],
    ['a weight index out of range', async () => {
      const index = await readNpy(join(cwd, 'layer', 'weight_index.npy'), 'test');
      const data = Uint8Array.from(index.data as Uint8Array);
      data[5 * N + 7] = 4;
      await writeNpy(join(cwd, 'layer', 'weight_index.npy'), data, [...index.shape]);
      return [];
    }, 'layer/weight_index.npy'],
    ['a table of the wrong G', async () => {
      await writeNpy(join(cwd, 'layer', 'table.npy'), new Uint8Array(16 * 2 * 6 * 4), [16, 2, 6, 4]);
      return [];
    }, 'layer/table.npy'],
    ['float64 activations off the float32 grid', async () => (await writeNpy(join(cwd, 'X.npy'), Float64Array.from({ length: T * K }, (_, i) => (i === K + 2 ? 0.1 : 0)), [T, K]), []), "'X.npy' (--act) has dtype float64 and holds 0.1 at [1, 2], which float32 for act=fp32 cannot hold exactly; round it with .astype(np.float32)"],
    ['too many tokens', async () => (await writeNpy(join(cwd, 'X.npy'), new Float32Array(5 * K), [5, K]), []), 'T = 5 rows; this lut-llm configuration takes at most maxT = 4'],
    ['weights given as for a matrix engine', async () => ['--weight', 'W.npy'], 'lut-llm takes its weights from --layer <dir>, not --weight/--zero'],
  ])('rejects %s with exit 2, writing nothing', async (_, breakIt, message) => {
    await prepare(4);
    const extra = await breakIt();
    const before = await listTree(cwd);
    const result = await run('run', 'lut-llm', ...ENGINE, '--set', 'tableBits=4', '--layer', 'layer', '--act', 'X.npy', '--out', 'ACC.npy', '--dequant', 'Y.npy', ...extra);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(await listTree(cwd)).toEqual(before);
  });

  it("starts from the layer's config.json: its maxT without --set, another maxT with it", async () => {
    await prepare(4);
    await writeNpy(join(cwd, 'X.npy'), new Float32Array(6 * K), [6, K]);
    const remembered = await run('run', 'lut-llm', '--layer', 'layer', '--act', 'X.npy', '--out', 'ACC.npy');
    expect(remembered.stderr).toBe("lutforge: 'X.npy' (--act) has T = 6 rows; this lut-llm configuration takes at most maxT = 4 (raise it with --set maxT=6)\n");
    const overridden = await run('run', 'lut-llm', '--set', 'maxT=5', '--layer', 'layer', '--act', 'X.npy', '--out', 'ACC.npy');
    expect(overridden.stderr).toContain('takes at most maxT = 5');
  });

  it.each<[string[], string]>([
    [['--set', 'ca=64'], "lutforge: --set ca=64 contradicts the layer 'layer', quantized with ca = 6 (layer/config.json); v, ca, cw, groupCols, tableBits are fixed by a layer's data: leave ca out, or quantize again\n"],
    [['--config', 'engine.json'], "lutforge: tableBits = 8 in --config 'engine.json' contradicts the layer 'layer', quantized with tableBits = 4 (layer/config.json); v, ca, cw, groupCols, tableBits are fixed by a layer's data: leave tableBits out, or quantize again\n"],
  ])('rejects %j, which contradicts the layer, with exit 2', async (argv, message) => {
    await prepare(4);
    await writeFile(join(cwd, 'engine.json'), JSON.stringify({ tableBits: 8, lookupsPerCycle: 8 }));
    const before = await listTree(cwd);
    const result = await run('run', 'lut-llm', ...argv, '--layer', 'layer', '--act', 'X.npy', '--out', 'ACC.npy');
    expect(result).toEqual({ code: 2, stdout: '', stderr: message });
    expect(await listTree(cwd)).toEqual(before);
  });

  it('needs --layer', async () => {
    await writeFile(join(cwd, 'X.npy'), '');
    const result = await run('run', 'lut-llm', '--act', 'X.npy', '--out', 'ACC.npy');
    expect(result).toEqual({ code: 2, stdout: '', stderr: "lutforge: lut-llm needs --layer <dir> (a layer directory from 'lutforge quantize')\n" });
  });
});
