// `lutforge run` with floating-point activations: A.npy as float16 (fp16) or as uint16 / uint8 bit
// patterns (bf16 / fp8e4m3), Y.npy as float32 from the simulated hardware, equal bit for bit to the
// engines' models and close to float64; NaN and infinities in A are legal and propagate; an A of
// the wrong dtype fails with exit 2 and writes nothing.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeNpy, readNpy, writeNpy } from '../../host/npy.js';
import { registry } from '../../generators/index.js';
import { floatFormat, lutFpMpgemm, macFpMpgemm, mpgemmFloat64 } from '../../golden/lut-mpgemm-fp.js';
import { randomFloatOperands, seededRandom } from '../generators/matmul-regression.js';
import { listTree, makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';
import type { MatmulOperands } from '../../contracts/matmul-operands.js';
import { FAST_TIER } from '../test-tiers.js';

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

// The tiles of the engine regressions (tb/generators/*/fp-regression.test.ts), so these runs reuse
// their Verilator builds instead of compiling FP32 datapaths of their own.
const SMALL = ['--set', 'n=3', '--set', 'm=2', '--set', 'maxK=40'];
const tile = (wbits: number, k: number): string[] => [...SMALL, '--set', `wbits=${wbits}`, '--set', `k=${k}`];
const FILES = ['--act', 'A.npy', '--weight', 'Q.npy', '--zero', 'Z.npy', '--out', 'Y.npy'];

/** NumPy's float16 file for raw half-precision bits: a uint16 file with the dtype code changed. */
function float16Npy(bits: Uint16Array, shape: number[]): Uint8Array {
  const bytes = encodeNpy(bits, shape);
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 128));
  const at = header.indexOf("'<u2'");
  if (at < 0) throw new Error(`unexpected npy header ${header}`);
  bytes.set(new TextEncoder().encode("'<f2'"), at);
  return bytes;
}

/** Writes A (in the dtype `act` travels as), Q and Z. */
async function saveOperands(operands: MatmulOperands, act: 'fp16' | 'bf16' | 'fp8e4m3'): Promise<void> {
  const { M, K, N } = operands;
  if (act === 'fp16') await writeFile(join(cwd, 'A.npy'), float16Npy(Uint16Array.from(operands.act), [M, K]));
  else if (act === 'bf16') await writeNpy(join(cwd, 'A.npy'), Uint16Array.from(operands.act), [M, K]);
  else await writeNpy(join(cwd, 'A.npy'), Uint8Array.from(operands.act), [M, K]);
  await writeNpy(join(cwd, 'Q.npy'), operands.codes, [K, N]);
  await writeNpy(join(cwd, 'Z.npy'), operands.zeros, [N]);
}

/** Y.npy's dtype, shape and FP32 bit patterns. */
async function readYBits(): Promise<{ dtype: string; shape: readonly number[]; bits: number[] }> {
  const Y = await readNpy(join(cwd, 'Y.npy'), 'test');
  if (!(Y.data instanceof Float32Array)) throw new Error(`Y.npy holds ${Y.dtype}`);
  return { dtype: Y.dtype, shape: Y.shape, bits: Array.from(new Uint32Array(Y.data.buffer, Y.data.byteOffset, Y.data.length)) };
}

describe('lutforge run with floating-point activations', () => {
  it.skipIf(FAST_TIER).each([
    ['tensor-core', 'fp16', 2, 4],
    ['tensor-core', 'bf16', 4, 3],
    ['mac', 'fp8e4m3', 1, 4],
  ] as const)('%s, %s, W%i: float32 Y equal to the model bit for bit, close to float64', async (engine, act, wbits, k) => {
    const operands = randomFloatOperands(seededRandom(act.length), { M: 3, K: 29, N: 6 }, { format: floatFormat(act), wbits });
    await saveOperands(operands, act);
    const result = await run(engine, ...tile(wbits, k), '--set', `act=${act}`, ...FILES, '--report', 'r.json');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Y \(3, 6\) float32 -> Y.npy/);
    const model = engine === 'mac' ? macFpMpgemm(operands, { k, act }) : lutFpMpgemm(operands, { m: 2, n: 3, k, wbits, symmetric: true, reinterpret: true, act });
    const y = await readYBits();
    expect(y).toEqual({ dtype: 'float32', shape: [3, 6], bits: Array.from(model, Number) });
    const values = new Float32Array(Uint32Array.from(y.bits).buffer);
    mpgemmFloat64(operands, act).forEach((exact, i) => expect(values[i]).toBeCloseTo(exact, 1));
    expect(JSON.parse(await readFile(join(cwd, 'r.json'), 'utf8'))).toMatchObject({ outBits: 32, outDtype: 'float32' });
  });

  it.skipIf(FAST_TIER)('propagates NaN and infinities from A.npy (fp16 on the tensor core and the MAC)', async () => {
    const one = 0x3c00;
    const operands: MatmulOperands = {
      M: 3,
      K: 5,
      N: 2,
      // Row 0 holds a NaN, row 1 +inf, row 2 only ones.
      act: Int32Array.from([0x7e00, one, one, one, one, 0x7c00, one, one, one, one, one, one, one, one, one]),
      codes: new Uint8Array(10).fill(2),
      zeros: Int32Array.from([1, 0]),
    };
    await saveOperands(operands, 'fp16');
    const values = async (): Promise<number[]> => Array.from(new Float32Array(Uint32Array.from((await readYBits()).bits).buffer));
    expect((await run('mac', ...tile(2, 4), '--set', 'act=fp16', ...FILES)).code).toBe(0);
    const mac = await values();
    expect(mac.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(mac.slice(2)).toEqual([Infinity, Infinity, 5, 10]);
    expect((await run('tensor-core', ...tile(2, 4), '--set', 'act=fp16', ...FILES)).code).toBe(0);
    const lut = await values();
    // The {-1,+1} table sums an infinity with both signs (docs/design/lut-tensor-core.md): NaN
    // where MAC has inf.
    expect(lut.slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(lut.slice(4)).toEqual([5, 10]);
  });

  it.each<[string, string, () => Promise<void>, string]>([
    ['float64 A off the float16 grid', 'fp16', () => writeNpy(join(cwd, 'A.npy'), Float64Array.of(0, 0, 0, 0, 0.1, 0), [2, 3]), "'A.npy' (--act) has dtype float64 and holds 0.1 at [1, 1], which float16 for act=fp16 cannot hold exactly; round it with .astype(np.float16)"],
    ['float32 A beyond float16', 'fp16', () => writeNpy(join(cwd, 'A.npy'), Float32Array.of(1e5, 0, 0, 0, 0, 0), [2, 3]), "'A.npy' (--act) has dtype float32 and holds 100000 at [0, 0], which float16 for act=fp16 cannot hold (beyond its range); round it with .astype(np.float16)"],
    ['float16 A for bf16', 'bf16', () => writeFile(join(cwd, 'A.npy'), float16Npy(new Uint16Array(6), [2, 3])), "'A.npy' has dtype float16; --act needs uint16 for act=bf16 (bfloat16 bit patterns, e.g. a.view(np.uint16))"],
    ['negative int8 A for fp8e4m3', 'fp8e4m3', () => writeNpy(join(cwd, 'A.npy'), Int8Array.of(0, 0, -3, 0, 0, 0), [2, 3]), "'A.npy' (--act) has dtype int8 and holds -3 at [0, 2], which uint8 for act=fp8e4m3 (E4M3FN bit patterns, e.g. a.view(np.uint8)) cannot hold (0..255); in-range values can be saved with .astype(np.uint8)"],
  ])('rejects %s with exit 2, writing nothing', async (_, act, writeA, message) => {
    await writeA();
    await writeNpy(join(cwd, 'Q.npy'), new Uint8Array(12), [3, 4]);
    await writeNpy(join(cwd, 'Z.npy'), new Int32Array(4), [4]);
    const before = await listTree(cwd);
    const result = await run('tensor-core', ...SMALL, '--set', `act=${act}`, ...FILES);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `lutforge: ${message}\n` });
    expect(await listTree(cwd)).toEqual(before);
  });

  it('refuses floating-point activations on the ADD baseline and per-unit precompute', async () => {
    const add = await run('add', ...SMALL, '--set', 'act=fp16', ...FILES);
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/the ADD baseline takes integer activations/);
    const perUnit = await run('tensor-core', ...SMALL, '--set', 'act=bf16', '--set', 'precompute=per-unit', ...FILES);
    expect(perUnit.code).toBe(2);
    expect(perUnit.stderr).toMatch(/floating-point activations need precompute=shared/);
  });
});
