// `lutforge quantize`: a small Gaussian layer with outliers quantized end to end (files, dtypes,
// shapes, the printed errors, determinism), and every bad input failing with exit 2, one line
// naming the file, and nothing written.
//
// The command runs in-process on a bare commander program with runCli's error handling (the same
// describeError / exitCodeFor), so these tests do not depend on the rest of the CLI; one more test
// goes through the real `lutforge` program when it loads.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addQuantizeCommand } from '../../cli/commands/quantize.js';
import { describeError, exitCodeFor } from '../../cli/errors.js';
import { encodeNpy, readNpy, writeNpy, type NpyWritable } from '../../host/npy.js';
import { FP16 } from '../../contracts/fp-format.js';
import { lutLlmConfig } from '../../generators/lut-llm/config.js';
import { readLayer } from '../../host/lut-llm/layer-files.js';
import type { GeneratorSpec } from '../../generators/registry.js';
import { syntheticLlmData } from '../../golden/lut-llm.js';
import { fpRound } from '../../golden/softfloat.js';
import { runIn } from './cli-harness.js';

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function quantize(cwd: string, argv: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const context = { registry: new Map<string, GeneratorSpec>(), cwd, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const program = new Command('lutforge').exitOverride().configureOutput({ writeOut: context.stdout.write, writeErr: context.stderr.write, outputError: () => undefined });
  addQuantizeCommand(program, context);
  try {
    await program.parseAsync(['quantize', ...argv], { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const text = describeError(error, { debug: false });
    if (text !== undefined) stderr += `${text}\n`;
    return { code: exitCodeFor(error), stdout, stderr };
  }
}

const [K, N, T] = [32, 40, 64];
const SMALL = ['--set', 'groupCols=16', '--set', 'lookupsPerCycle=16'];
const FILES = ['--weight', 'W.npy', '--calib', 'X.npy', '--out', 'layer'];
const data = syntheticLlmData(K, N, T, T, 17);

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'lutforge-quantize-'));
  await save('W.npy', data.W, [K, N]);
  await save('X.npy', data.calib, [T, K]);
  await save('X2.npy', data.holdout, [T, K]);
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const save = (name: string, array: NpyWritable, shape: number[]): Promise<void> => writeNpy(join(cwd, name), array, shape);
const tree = async (): Promise<string[]> => (await readdir(cwd, { recursive: true })).sort();

/** NumPy's float16 file for raw half-precision bits: a uint16 file with the dtype code changed. */
function float16Npy(bits: Uint16Array, shape: number[]): Uint8Array {
  const bytes = encodeNpy(bits, shape);
  const at = new TextDecoder('latin1').decode(bytes.subarray(0, 128)).indexOf("'<u2'");
  bytes.set(new TextEncoder().encode("'<f2'"), at);
  return bytes;
}

/** A .npy of one complex64 value, a dtype lutforge does not read. */
function complexNpy(): Uint8Array {
  const bytes = encodeNpy(new Float64Array(1), [1]);
  const at = new TextDecoder('latin1').decode(bytes.subarray(0, 128)).indexOf("'<f8'");
  bytes.set(new TextEncoder().encode("'<c8'"), at);
  return bytes;
}

function printedErrors(stdout: string): { calibration: number; holdout?: number } {
  const calibration = /relative error \(calibration 'X.npy', T = 64\): (\S+)/.exec(stdout)?.[1];
  const holdout = /relative error \(holdout 'X2.npy', T = 64\): (\S+)/.exec(stdout)?.[1];
  expect(calibration).toBeDefined();
  return { calibration: Number(calibration), ...(holdout === undefined ? {} : { holdout: Number(holdout) }) };
}

describe('lutforge quantize', () => {
  it('writes the layer directory with exact dtypes and shapes and prints the errors', async () => {
    const run = await quantize(cwd, [...SMALL, ...FILES, '--holdout', 'X2.npy']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^quantized 'W.npy' \(K = 32, N = 40\) -> layer\/: P = 16, G = 3, v = 2, ca = 64, cw = 16, tableBits = 8, distance linf\n/);
    const errors = printedErrors(run.stdout);
    expect(errors.calibration).toBeLessThan(0.5);
    expect(errors.holdout).toBeLessThan(0.6);
    const shapes: Record<string, [string, number[]]> = {
      'act_codebook.npy': ['float32', [16, 64, 2]],
      'weight_codebook.npy': ['float32', [16, 3, 16, 2]],
      'weight_index.npy': ['uint8', [16, 40]],
      'table.npy': ['uint8', [16, 3, 64, 16]],
      'scale.npy': ['float32', [1]],
      'zero.npy': ['float32', [1]],
    };
    for (const [file, [dtype, shape]] of Object.entries(shapes)) {
      const array = await readNpy(join(cwd, 'layer', file), file);
      expect([file, array.dtype, array.shape]).toEqual([file, dtype, shape]);
    }
    expect((await readdir(join(cwd, 'layer'))).sort()).toEqual([...Object.keys(shapes), 'config.json', 'files.f'].sort());
    const config = lutLlmConfig.parse({ groupCols: 16, lookupsPerCycle: 16 });
    expect((await readLayer(join(cwd, 'layer'), config, 'layer')).G).toBe(3);
    // The layer remembers the whole configuration it was quantized with, defaults filled in.
    expect(JSON.parse(await readFile(join(cwd, 'layer', 'config.json'), 'utf8'))).toEqual(config);
  });

  it('warns on stderr when the calibration has fewer tokens than activation centroids, and still quantizes', async () => {
    await save('X8.npy', data.calib.subarray(0, 8 * K), [8, K]);
    const run = await quantize(cwd, [...SMALL, '--set', 'ca=16', '--weight', 'W.npy', '--calib', 'X8.npy', '--out', 'layer']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("lutforge: warning: --calib 'X8.npy' has T = 8 tokens, fewer than ca = 16 activation centroids: each position's codebook repeats centroids (at most 8 distinct); give at least 16 tokens, or lower ca\n");
    const enough = await quantize(cwd, [...SMALL, '--set', 'ca=8', '--weight', 'W.npy', '--calib', 'X8.npy', '--out', 'layer']);
    expect([enough.code, enough.stderr]).toEqual([0, '']);
  });

  it('prints the summary as one JSON document with --json, the same errors as the text', async () => {
    const text = await quantize(cwd, [...SMALL, ...FILES, '--holdout', 'X2.npy']);
    const run = await quantize(cwd, [...SMALL, ...FILES, '--holdout', 'X2.npy', '--json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const summary = JSON.parse(run.stdout) as Record<string, unknown> & { errors: { calibration: { relativeError: number }; holdout: { relativeError: number } } };
    expect(summary).toMatchObject({ weight: join(cwd, 'W.npy'), out: join(cwd, 'layer'), K, N, P: 16, G: 3, seed: 0, zeroPoint: 'integer', config: { v: 2, groupCols: 16 } });
    expect(summary.errors).toMatchObject({ calibration: { file: join(cwd, 'X.npy'), T }, holdout: { file: join(cwd, 'X2.npy'), T } });
    const printed = printedErrors(text.stdout);
    expect(summary.errors.calibration.relativeError.toPrecision(4)).toBe(String(printed.calibration));
    expect(summary.errors.holdout.relativeError.toPrecision(4)).toBe(String(printed.holdout));
  });

  it('writes one (scale, zero) pair per N / S columns with --scale-groups, and says so', async () => {
    const groups = ['--set', 'groupCols=8', '--set', 'lookupsPerCycle=8'];
    const text = await quantize(cwd, [...groups, '--scale-groups', '5', ...FILES]);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toMatch(/^quantized 'W.npy' \(K = 32, N = 40\) -> layer\/: P = 16, G = 5, .*, distance linf, 5 scale groups of 8 columns\n/);
    const layer = await readLayer(join(cwd, 'layer'), lutLlmConfig.parse({ groupCols: 8, lookupsPerCycle: 8 }), 'layer');
    expect([layer.scale.length, layer.zero.length]).toEqual([5, 5]);
    const run = await quantize(cwd, [...groups, '--scale-groups', '5', ...FILES, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ scaleGroups: 5, G: 5 });
    expect(JSON.parse((await quantize(cwd, [...SMALL, ...FILES, '--json'])).stdout)).toMatchObject({ scaleGroups: 1 });
  });

  it('gets more accurate from 4-bit to 8-bit tables, and replaces its earlier output', async () => {
    const four = await quantize(cwd, [...SMALL, '--set', 'tableBits=4', ...FILES, '--holdout', 'X2.npy']);
    const eight = await quantize(cwd, [...SMALL, '--set', 'tableBits=8', ...FILES, '--holdout', 'X2.npy']);
    expect([four.code, eight.code]).toEqual([0, 0]);
    const [e4, e8] = [printedErrors(four.stdout), printedErrors(eight.stdout)];
    expect(e8.calibration).toBeLessThan(e4.calibration);
    expect(e8.holdout!).toBeLessThan(e4.holdout!);
    expect((await readNpy(join(cwd, 'layer', 'table.npy'), 'table')).data.some((q) => Number(q) > 15)).toBe(true);
  });

  it("keeps the paper's fractional zero point with --zero-point exact, and it costs accuracy at 4 bits", async () => {
    const integer = await quantize(cwd, [...SMALL, '--set', 'tableBits=4', ...FILES]);
    const integerZero = (await readNpy(join(cwd, 'layer', 'zero.npy'), 'zero')).data[0] as number;
    const exact = await quantize(cwd, [...SMALL, '--set', 'tableBits=4', ...FILES, '--zero-point', 'exact']);
    const exactZero = (await readNpy(join(cwd, 'layer', 'zero.npy'), 'zero')).data[0] as number;
    expect([integer.code, exact.code]).toEqual([0, 0]);
    expect(Number.isInteger(integerZero)).toBe(true);
    expect(Number.isInteger(exactZero)).toBe(false);
    expect(printedErrors(exact.stdout).calibration).toBeGreaterThan(printedErrors(integer.stdout).calibration);
  });

  it('writes identical bytes for the same seed and different ones for another', async () => {
    const bytes = async (seed: string, out: string): Promise<Buffer> => {
      expect((await quantize(cwd, [...SMALL, '--weight', 'W.npy', '--calib', 'X.npy', '--out', out, '--seed', seed])).code).toBe(0);
      return Buffer.concat(await Promise.all(['act_codebook.npy', 'weight_codebook.npy', 'weight_index.npy', 'table.npy', 'scale.npy', 'zero.npy'].map((f) => readFile(join(cwd, out, f)))));
    };
    const a = await bytes('5', 'a');
    expect((await bytes('5', 'b')).equals(a)).toBe(true);
    expect((await bytes('6', 'c')).equals(a)).toBe(false);
  });

  it('takes float16 or float32 calibration for act=fp16, int16 for act=int16, and a config file', async () => {
    await writeFile(join(cwd, 'X16.npy'), float16Npy(Uint16Array.from(data.calib, (x) => fpRound(FP16, x)), [T, K]));
    for (const calib of ['X16.npy', 'X.npy']) {
      const run = await quantize(cwd, [...SMALL, '--set', 'act=fp16', '--weight', 'W.npy', '--calib', calib, '--out', `fp16-${calib}`]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    // float32 is rounded to float16 on reading: both give the same layer.
    expect(await readFile(join(cwd, 'fp16-X.npy', 'act_codebook.npy'))).toEqual(await readFile(join(cwd, 'fp16-X16.npy', 'act_codebook.npy')));
    await save('X16i.npy', Int16Array.from(data.calib, (x) => Math.round(x * 1000)), [T, K]);
    await writeFile(join(cwd, 'cfg.json'), JSON.stringify({ act: 'int16', groupCols: 16, lookupsPerCycle: 16, distance: 'l1' }));
    const run = await quantize(cwd, ['--config', 'cfg.json', '--weight', 'W.npy', '--calib', 'X16i.npy', '--out', 'int16']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/distance l1/);
    expect((await readNpy(join(cwd, 'int16', 'act_codebook.npy'), 'a')).dtype).toBe('int16');
  });

  it("takes NumPy's default float64 for W and the activations, rounded to float32: the same layer as float32 files", async () => {
    const reference = await quantize(cwd, [...SMALL, ...FILES]);
    expect(reference.code).toBe(0);
    // float64 values off the float32 grid: rounding them gives back exactly the float32 files.
    const nudged = (values: Float32Array): Float64Array => Float64Array.from(values, (x) => x * (1 + 2 ** -30));
    await save('W64.npy', nudged(data.W), [K, N]);
    await save('X64.npy', nudged(data.calib), [T, K]);
    const run = await quantize(cwd, [...SMALL, '--weight', 'W64.npy', '--calib', 'X64.npy', '--out', 'layer64']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const file of ['act_codebook.npy', 'weight_codebook.npy', 'weight_index.npy', 'table.npy', 'scale.npy', 'zero.npy']) {
      expect(await readFile(join(cwd, 'layer64', file)), file).toEqual(await readFile(join(cwd, 'layer', file)));
    }
  });

  it('draws a progress bar on stderr with --progress', async () => {
    const run = await quantize(cwd, [...SMALL, ...FILES, '--progress']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/quantize \[.*\] 64\/64 codebooks/);
  });

  const bad: [string, () => Promise<unknown>, string[], string][] = [
    ['a missing weight file', () => rm(join(cwd, 'W.npy')), FILES, "lutforge: cannot read --weight file 'W.npy': no such file or directory (ENOENT)"],
    ['a W of rank 1', () => save('W.npy', data.W, [K * N]), FILES, "lutforge: 'W.npy' has shape (1280,) (1 dimension); --weight needs 2 dimensions (K, N)"],
    ['NaN in W', () => save('W.npy', data.W.map((x, i) => (i === 45 ? NaN : x)), [K, N]), FILES, "lutforge: 'W.npy' (--weight) holds NaN at [1, 5]; weights must be finite"],
    ['infinity in W', () => save('W.npy', data.W.map((x, i) => (i === 3 ? -Infinity : x)), [K, N]), FILES, "lutforge: 'W.npy' (--weight) holds -Infinity at [0, 3]; weights must be finite"],
    ['K not a multiple of v', async () => { await save('W.npy', data.W.subarray(0, 31 * N), [31, N]); await save('X.npy', data.calib.subarray(0, T * 31), [T, 31]); }, FILES, "lutforge: 'W.npy' (--weight) has K = 31 rows, not a multiple of v = 2"],
    ['K above maxK', () => Promise.resolve(), ['--set', 'maxK=16', ...FILES], "lutforge: 'W.npy' (--weight) has K = 32 rows, more than maxK = 16 (raise it with --set maxK=32)"],
    ['a K mismatch', () => save('X.npy', data.calib.subarray(0, T * 30), [T, 30]), FILES, "lutforge: K differs: 'X.npy' (--calib) has K = 30 columns, shape (64, 30); 'W.npy' (--weight) has K = 32 rows"],
    ['a holdout K mismatch', () => save('X2.npy', data.calib.subarray(0, 2 * 34), [2, 34]), [...FILES, '--holdout', 'X2.npy'], "lutforge: K differs: 'X2.npy' (--holdout) has K = 34 columns, shape (2, 34); 'W.npy' (--weight) has K = 32 rows"],
    ['a fractional calibration for act=int16', () => Promise.resolve(), ['--set', 'act=int16', ...FILES], `lutforge: 'X.npy' (--calib) has dtype float32 and holds ${data.calib[0]} at [0, 0], which int16 for act=int16 cannot hold (not an integer); in-range values can be saved with .astype(np.int16)`],
    ['a complex holdout', () => writeFile(join(cwd, 'X2.npy'), complexNpy()), [...FILES, '--holdout', 'X2.npy'], "lutforge: 'X2.npy' has dtype '<c8'; --holdout needs float32 for act=fp32"],
    ['a calibration of rank 3', () => save('X.npy', data.calib, [2, T / 2, K]), FILES, "lutforge: 'X.npy' has shape (2, 32, 32) (3 dimensions); --calib needs 2 dimensions (T, K)"],
    ['NaN in the calibration', () => save('X.npy', data.calib.map((x, i) => (i === 33 ? NaN : x)), [T, K]), FILES, "lutforge: 'X.npy' (--calib) holds NaN at [1, 1]; activations must be finite"],
    ['float32 beyond float16 for act=fp16', () => save('X.npy', data.calib.map((x, i) => (i === 2 ? 1e6 : x)), [T, K]), ['--set', 'act=fp16', ...FILES], "lutforge: 'X.npy' (--calib) has dtype float32 and holds 1000000 at [0, 2], which float16 for act=fp16 cannot hold (beyond its range); round it with .astype(np.float16)"],
    ['float64 weights beyond float32', () => save('W.npy', Float64Array.from(data.W, (w, i) => (i === 3 ? 1e300 : w)), [K, N]), FILES, "lutforge: 'W.npy' (--weight) has dtype float64 and holds 1e+300 at [0, 3], which float32 cannot hold (beyond its range); round it with .astype(np.float32)"],
    ['a truncated holdout', () => writeFile(join(cwd, 'X2.npy'), encodeNpy(data.holdout, [T, K]).subarray(0, 300)), [...FILES, '--holdout', 'X2.npy'], "lutforge: 'X2.npy' is truncated"],
    ['a bad seed', () => Promise.resolve(), [...FILES, '--seed', '-1'], "lutforge: --seed must be an integer from 0 to 4294967295, not '-1'"],
    ['an unknown parameter', () => Promise.resolve(), ['--set', 'wbits=2', ...FILES], 'lutforge: lut-llm: config.wbits: unknown parameter'],
    ['groupCols not a multiple of lookupsPerCycle', () => Promise.resolve(), ['--set', 'groupCols=16', ...FILES], 'lookupsPerCycle must divide groupCols'],
    ['an output directory that is not lutforge output', async () => { await mkdir(join(cwd, 'layer')); await writeFile(join(cwd, 'layer', 'mine.txt'), 'x'); }, [...SMALL, ...FILES], "lutforge: cannot write output directory 'layer': it is not empty and has no files.f"],
  ];
  for (const [name, prepare, argv, message] of bad) {
    it(`exits 2 on ${name}, naming the file, writing nothing`, async () => {
      await prepare();
      const before = await tree();
      const run = await quantize(cwd, argv);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')).toHaveLength(2); // one line
      expect(run.stderr).toContain(message);
      expect(await tree()).toEqual(before);
    });
  }
});

// Through the real `lutforge` program, with every command it registers.
describe('lutforge quantize through runCli', () => {
  it('is registered and runs', async () => {
    const help = await runIn(cwd, ['--help']);
    expect(help.stdout).toMatch(/\bquantize\b/);
    const run = await runIn(cwd, ['quantize', ...FILES, ...SMALL]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/relative error \(calibration 'X.npy', T = 64\)/);
  });
});
