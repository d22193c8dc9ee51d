// `lutforge run` end to end in-process: operands written as .npy, the real engines simulated, Y
// compared with the definition Y = A x (Q - Z) computed here by a plain triple loop. Small tiles
// (n=4, k=4, m=2, maxK=16) keep the Verilator builds short, and the tests share configs so the
// build cache serves most runs. Bad inputs must fail before any build, with exit 2 and no output.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNpy, writeNpy, type NpyWritable } from '../../host/npy.js';
import { registry } from '../../generators/index.js';
import { listTree, makeTempDir, matmulReference, removeTempDir, runIn, type CliRun } from './cli-harness.js';
import { FAST_TIER } from '../test-tiers.js';
import { findEngine, readOperands } from '../../cli/commands/run.js';

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

function run(...argv: string[]): Promise<CliRun> {
  return runIn(cwd, ['run', ...argv], registry);
}

const SMALL = ['--set', 'n=4', '--set', 'k=4', '--set', 'm=2', '--set', 'maxK=16'];

/** Deterministic operands in range; `seed` varies them between tests. */
function operands(M: number, K: number, N: number, actBits: number, wbits: number, seed: number): { A: Int32Array; Q: Uint8Array; Z: Int32Array } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const half = 2 ** (actBits - 1);
  const A = Int32Array.from({ length: M * K }, () => (next() % (2 * half)) - half);
  A[0] = -half; // the extremes, where widths are tight
  A[1] = half - 1;
  const Q = Uint8Array.from({ length: K * N }, () => next() % 2 ** wbits);
  Q[0] = 2 ** wbits - 1;
  const Z = Int32Array.from({ length: N }, () => next() % 2 ** wbits);
  return { A, Q, Z };
}


async function save(name: string, data: NpyWritable, shape: number[]): Promise<void> {
  await writeNpy(join(cwd, name), data, shape);
}

/**
 * Writes A.npy, Q.npy and (unless `zero` is false) Z.npy; returns the expected Y. `numpyDefaults`
 * stores them as NumPy's default dtypes do: A float64, Q and Z int64.
 */
async function saveOperands(M: number, K: number, N: number, { act = 8, wbits = 2, seed = 1, zero = true, numpyDefaults = false } = {}): Promise<bigint[]> {
  const { A, Q, Z } = operands(M, K, N, act, wbits, seed);
  const int64 = (values: ArrayLike<number>): BigInt64Array => BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  await save('A.npy', numpyDefaults ? Float64Array.from(A) : act === 8 ? Int8Array.from(A) : Int16Array.from(A), [M, K]);
  await save('Q.npy', numpyDefaults ? int64(Q) : Q, [K, N]);
  if (zero) await save('Z.npy', numpyDefaults ? int64(Z) : Z, [N]);
  return matmulReference(A, Q, zero ? Z : new Int32Array(N), M, K, N);
}

async function readY(file = 'Y.npy'): Promise<{ dtype: string; shape: readonly number[]; values: bigint[] }> {
  const Y = await readNpy(join(cwd, file), 'test');
  return { dtype: Y.dtype, shape: Y.shape, values: Array.from(Y.data as ArrayLike<number | bigint>, (v) => BigInt(v)) };
}

describe('lutforge run', () => {
  it.skipIf(FAST_TIER)('multiplies on the tensor core: Y.npy, the report and the summary', async () => {
    const expected = await saveOperands(3, 9, 5);
    const result = await run('tensor-core', ...SMALL, '--act', 'A.npy', '--weight', 'Q.npy', '--zero', 'Z.npy', '--out', 'Y.npy', '--report', 'out/report.json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await readY()).toEqual({ dtype: 'int32', shape: [3, 5], values: expected });

    const report = JSON.parse(await readFile(join(cwd, 'out/report.json'), 'utf8')) as Record<string, unknown>;
    // ceil(3/2) row blocks * ceil(5/4) tiles * ceil(9/4) groups * 2 planes
    expect(report).toMatchObject({ engine: 'tensor-core', simulator: 'verilator', dims: { M: 3, K: 9, N: 5 }, idealCycles: 24, macs: 135, outBits: 14, outDtype: 'int32' });
    expect(report['config']).toEqual({ m: 2, n: 4, k: 4, wbits: 2, act: 'int8', symmetric: true, reinterpret: true, precompute: 'shared', maxK: 16 });
    expect(report['files']).toEqual({ act: join(cwd, 'A.npy'), weight: join(cwd, 'Q.npy'), zero: join(cwd, 'Z.npy'), out: join(cwd, 'Y.npy'), report: join(cwd, 'out/report.json'), wave: null });
    const cycles = report['cycles'] as number;
    expect(cycles).toBeGreaterThanOrEqual(24);
    expect(report['efficiency']).toBeCloseTo(24 / cycles, 12);
    expect(report['wallSeconds']).toBeGreaterThanOrEqual(report['simSeconds'] as number);
    expect(report['macsPerSecond']).toBeCloseTo(135 / (report['simSeconds'] as number), 3);
    // 2 row blocks x 2 n-tiles, each with its 2 correction planes after the 3 k-groups of 2 planes.
    expect(report['cycleBreakdown']).toEqual({ ideal: 24, correction: 8, commands: 2, fillDrain: 2, stalls: 0 });
    expect(cycles).toBe(36);
    expect(result.stdout).toMatch(
      new RegExp(
        `^tensor-core \\(verilator\\): Y \\(3, 5\\) int32 -> Y.npy\ncycles ${cycles}, ideal 24, efficiency [\\d.]+%, wall [\\d.]+ s \\(simulator [\\d.]+ s, model (built|cached)\\)\n` +
          `cycles by cause: ideal 24 \\+ zero-point correction 8 \\+ commands 2 \\+ fill/drain 2 \\+ stalls 0 = 36\nreport: out/report.json\n$`,
      ),
    );
    expect(await listTree(cwd)).toEqual(['A.npy', 'Q.npy', 'Y.npy', 'Z.npy', 'out', 'out/report.json']);
  });

  it.skipIf(FAST_TIER)('takes zero points as all 0 without --zero, and writes a waveform next to Y with --wave (Icarus)', async () => {
    const expected = await saveOperands(2, 5, 4, { seed: 7, zero: false });
    const result = await run('tensor-core', ...SMALL, '--act', 'A.npy', '--weight', 'Q.npy', '--out', 'res/Y.npy', '--wave', '--simulator', 'icarus');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^tensor-core \(icarus\): Y \(2, 4\) int32 -> res\/Y.npy\ncycles 9, ideal 4, .*\ncycles by cause: ideal 4 \+ zero-point correction 2 \+ commands 1 \+ fill\/drain 2 \+ stalls 0 = 9\nwaveform: res\/Y.vcd \(open with: gtkwave res\/Y.vcd, or surfer res\/Y.vcd\)\n$/);
    expect((await readY('res/Y.npy')).values).toEqual(expected);
    expect(await readFile(join(cwd, 'res/Y.vcd'), 'utf8')).toMatch(/\$enddefinitions/);
  });

  it.skipIf(FAST_TIER)('prints the report as one JSON document with --json, the VCD in it, and the phases on stderr with --progress; takes float64 and int64 operands', async () => {
    const expected = await saveOperands(2, 5, 4, { seed: 7, numpyDefaults: true });
    const result = await run('tensor-core', ...SMALL, '--act', 'A.npy', '--weight', 'Q.npy', '--zero', 'Z.npy', '--out', 'Y.npy', '--wave', '--json', '--progress', '--simulator', 'icarus');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ engine: 'tensor-core', simulator: 'icarus', dims: { M: 2, K: 5, N: 4 }, outDtype: 'int32' });
    expect(report['files']).toEqual({ act: join(cwd, 'A.npy'), weight: join(cwd, 'Q.npy'), zero: join(cwd, 'Z.npy'), out: join(cwd, 'Y.npy'), report: null, wave: join(cwd, 'Y.vcd') });
    expect((await readY()).values).toEqual(expected);
    expect(await readFile(join(cwd, 'Y.vcd'), 'utf8')).toMatch(/\$enddefinitions/);
    expect(result.stderr).toMatch(/^\[run \+[\d.]+ s\] reading the operands\.\.\.\n\[run \+[\d.]+ s\] generating the tensor-core design\.\.\.\n\[run \+[\d.]+ s\] compiling \w+ with Icarus\.\.\.\n\[run \+[\d.]+ s\] simulating\.\.\.\n\[run \+[\d.]+ s\] writing Y\.npy\.\.\.\n\[run \+[\d.]+ s\] done\n$/);
  });

  it.skipIf(FAST_TIER)('writes int64 when results need more than 32 bits (int16 activations, 4-bit weights, large maxK)', async () => {
    // The extremes: every product is -32768 * +-15, and 4400 of them leave the int32 range both ways.
    const K = 4400;
    await save('A.npy', new Int16Array(K).fill(-32768), [1, K]);
    await save('Q.npy', Uint8Array.from({ length: 2 * K }, (_, i) => (i % 2 === 0 ? 15 : 0)), [K, 2]);
    await save('Z.npy', Int32Array.from([0, 15]), [2]);
    const config = ['--set', 'n=2', '--set', 'k=8', '--set', 'm=1', '--set', 'act=int16', '--set', 'wbits=4', '--set', 'maxK=8192'];
    const result = await run('tensor-core', ...config, '--act', 'A.npy', '--weight', 'Q.npy', '--zero', 'Z.npy', '--out', 'Y.npy', '--simulator', 'icarus', '--report', 'r.json');
    expect(result.stderr).toBe('');
    const big = BigInt(K) * 32768n * 15n;
    expect(big).toBeGreaterThan(2n ** 31n);
    expect(await readY()).toEqual({ dtype: 'int64', shape: [1, 2], values: [-big, big] });
    expect(JSON.parse(await readFile(join(cwd, 'r.json'), 'utf8'))).toMatchObject({ outBits: 33, outDtype: 'int64', idealCycles: 550 * 4 });
  });

  it.skipIf(FAST_TIER).each(['mac', 'add'])('multiplies on the %s baseline', async (engine) => {
    const expected = await saveOperands(3, 9, 5, { seed: 11 });
    const result = await run(engine, ...SMALL, '--act', 'A.npy', '--weight', 'Q.npy', '--zero', 'Z.npy', '--out', 'Y.npy', '--simulator', 'icarus');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await readY()).toEqual({ dtype: 'int32', shape: [3, 5], values: expected });
    // The MAC takes one weight beat per k-group instead of one per plane: ideal 12, 1 correction beat per tile.
    const cause = engine === 'mac' ? 'ideal 12 \\+ zero-point correction 4' : 'ideal 24 \\+ zero-point correction 8';
    expect(result.stdout).toMatch(new RegExp(`\ncycles by cause: ${cause} \\+ commands 2 \\+ fill/drain 2 \\+ stalls 0 = ${engine === 'mac' ? 20 : 36}\n$`));
  });
});

describe('lutforge run rejects bad input before simulating', () => {
  const files = ['--act', 'A.npy', '--weight', 'Q.npy', '--out', 'Y.npy', '--report', 'report.json'];
  /** Replaces the file of one flag; the rest stay the good ones. */
  const withFile = (flag: string, file: string): string[] => files.map((value, i) => (files[i - 1] === flag ? file : value));

  it.each<[string, () => Promise<string[]>, string]>([
    ['fractional float activations', async () => (await save('bad.npy', Float64Array.from({ length: 27 }, (_, i) => (i === 10 ? 0.5 : i)), [3, 9]), withFile('--act', 'bad.npy')), "'bad.npy' (--act) has dtype float64 and holds 0.5 at [1, 1], which int8 for act=int8 cannot hold (not an integer); in-range values can be saved with .astype(np.int8)"],
    ['int16 activations beyond int8', async () => (await save('bad.npy', Int16Array.from({ length: 27 }, (_, i) => (i === 26 ? -200 : 0)), [3, 9]), withFile('--act', 'bad.npy')), "'bad.npy' (--act) has dtype int16 and holds -200 at [2, 8], which int8 for act=int8 cannot hold (-128..127); in-range values can be saved with .astype(np.int8)"],
    ['negative int8 codes', async () => (await save('bad.npy', Int8Array.from({ length: 45 }, (_, i) => (i === 7 ? -1 : 0)), [9, 5]), withFile('--weight', 'bad.npy')), "'bad.npy' (--weight) has dtype int8 and holds -1 at [1, 2], which uint8 (weight codes) cannot hold (0..255); in-range values can be saved with .astype(np.uint8)"],
    ['int64 codes beyond uint8', async () => (await save('bad.npy', BigInt64Array.from({ length: 45 }, (_, i) => (i === 44 ? 256n : 1n)), [9, 5]), withFile('--weight', 'bad.npy')), "'bad.npy' (--weight) has dtype int64 and holds 256 at [8, 4], which uint8 (weight codes) cannot hold (0..255); in-range values can be saved with .astype(np.uint8)"],
    ['int64 codes beyond wbits', async () => (await save('bad.npy', BigInt64Array.from({ length: 45 }, (_, i) => (i === 13 ? 4n : 1n)), [9, 5]), withFile('--weight', 'bad.npy')), "'bad.npy' (--weight): weight code Q[2, 3] = 4 exceeds 3, the largest 2-bit code"],
    ['bit patterns given as floats', async () => (await save('bad.npy', new Float32Array(27), [3, 9]), ['--set', 'act=bf16', ...withFile('--act', 'bad.npy')]), "'bad.npy' has dtype float32; --act needs uint16 for act=bf16 (bfloat16 bit patterns, e.g. a.view(np.uint16))"],
    ['1-D activations', async () => (await save('bad.npy', new Int8Array(27), [27]), withFile('--act', 'bad.npy')), "'bad.npy' has shape (27,) (1 dimension); --act needs 2 dimensions (M, K)"],
    ['not npy', async () => (await writeFile(join(cwd, 'bad.npy'), '1,2,3\n'), withFile('--act', 'bad.npy')), "'bad.npy' is not a .npy file (it does not start with \\x93NUMPY)"],
    ['truncated codes', async () => {
      await save('full.npy', new Uint8Array(45), [9, 5]);
      await writeFile(join(cwd, 'bad.npy'), (await readFile(join(cwd, 'full.npy'))).subarray(0, -5));
      return withFile('--weight', 'bad.npy');
    }, "'bad.npy' is truncated: shape (9, 5) of uint8 needs 45 bytes of data, the file has 40"],
    ['missing file', async () => withFile('--act', 'none.npy'), "cannot read --act file 'none.npy': no such file or directory (ENOENT)"],
    ['K mismatch', async () => (await save('bad.npy', new Uint8Array(40), [8, 5]), withFile('--weight', 'bad.npy')), "K differs: 'A.npy' (--act) has K = 9 columns, shape (3, 9); 'bad.npy' (--weight) has K = 8 rows, shape (8, 5)"],
    ['K beyond maxK', async () => {
      await save('A17.npy', new Int8Array(17), [1, 17]);
      await save('Q17.npy', new Uint8Array(17 * 5), [17, 5]);
      return withFile('--act', 'A17.npy').map((v) => (v === 'Q.npy' ? 'Q17.npy' : v));
    }, "K = 17 of 'A17.npy' and 'Q17.npy' exceeds maxK = 16 of this tensor-core configuration (raise it with --set maxK=17)"],
    ['code beyond wbits', async () => {
      const Q = new Uint8Array(45);
      Q[2 * 5 + 3] = 4;
      await save('bad.npy', Q, [9, 5]);
      return withFile('--weight', 'bad.npy');
    }, "'bad.npy' (--weight): weight code Q[2, 3] = 4 exceeds 3, the largest 2-bit code"],
    ['zero point beyond wbits', async () => (await save('Z.npy', Int32Array.from([0, 1, 2, 3, 4]), [5]), [...files, '--zero', 'Z.npy']), "'Z.npy' (--zero): zero point Z[4] = 4 of column 4 is outside 0..3 (wbits = 2)"],
    ['negative zero point', async () => (await save('Z.npy', Int32Array.from([0, -1, 2, 3, 0]), [5]), [...files, '--zero', 'Z.npy']), "'Z.npy' (--zero): zero point Z[1] = -1 of column 1 is outside 0..3 (wbits = 2)"],
    ['zero points of the wrong length', async () => (await save('Z.npy', new Int32Array(4), [4]), [...files, '--zero', 'Z.npy']), "'Z.npy' (--zero) has 4 zero points, shape (4,); 'Q.npy' (--weight) has N = 5 columns"],
    ['int64 zero points beyond wbits', async () => (await save('Z.npy', BigInt64Array.from([0n, 1n, 2n, 3n, 4n]), [5]), [...files, '--zero', 'Z.npy']), "'Z.npy' (--zero): zero point Z[4] = 4 of column 4 is outside 0..3 (wbits = 2)"],
    ['int64 zero points beyond int32', async () => (await save('Z.npy', BigInt64Array.from([0n, 2n ** 40n, 0n, 0n, 0n]), [5]), [...files, '--zero', 'Z.npy']), "'Z.npy' (--zero) has dtype int64 and holds 1099511627776 at [1], which int32 (zero points) cannot hold (-2147483648..2147483647); in-range values can be saved with .astype(np.int32)"],
  ])('%s', async (_, setUp, message) => {
    await saveOperands(3, 9, 5, { zero: false });
    const argv = await setUp();
    const before = await listTree(cwd);
    const result = await run('tensor-core', ...SMALL, ...argv);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `lutforge: ${message}\n` });
    expect(await listTree(cwd)).toEqual(before);
  });

  it.each<[string[], string]>([
    [['gemm', ...files], "unknown engine 'gemm' (known: tensor-core, mac, add, lut-llm, lut-llm-block, or a design file exporting a MatmulEngine)"],
    [['tensor-core', '--set', 'n=0', ...files], 'tensor-core: config.n: Too small: expected number to be >=1 (got 0)'],
    [['tensor-core', '--set', 'depth=3', ...files], 'tensor-core: config.depth: unknown parameter (known: m, n, k, wbits, act, maxK, symmetric, reinterpret, precompute)'],
    [['tensor-core', '--act', 'A.npy', '--out', 'Y.npy'], "required option '--weight <file>' not specified"],
  ])('%j', async (argv, message) => {
    await saveOperands(3, 9, 5, { zero: false });
    const result = await run(...argv);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `lutforge: ${message}\n` });
    expect(await listTree(cwd)).toEqual(['A.npy', 'Q.npy']);
  });

  it("reads NumPy's default dtypes as the engine's exactly: int64 codes, float64 activations, int64 zero points", async () => {
    const engine = findEngine('tensor-core');
    const config = engine.generator.schema.parse({ n: 4, k: 4, m: 2, maxK: 16 });
    await saveOperands(3, 9, 5, { seed: 5 });
    const native = await readOperands(engine, config, { act: 'A.npy', weight: 'Q.npy', zero: 'Z.npy' }, cwd);
    await saveOperands(3, 9, 5, { seed: 5, numpyDefaults: true });
    const converted = await readOperands(engine, config, { act: 'A.npy', weight: 'Q.npy', zero: 'Z.npy' }, cwd);
    expect(converted).toEqual(native);
    expect(converted.operands.codes).toBeInstanceOf(Uint8Array);
  });

  it('shows an example in --help', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ lutforge run tensor-core --set n=8 --set wbits=2 --act A.npy --weight Q.npy --out Y.npy');
  });
});
