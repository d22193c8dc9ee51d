// The .npy reader and writer: round trips, hand-made headers for every malformed case, and a
// cross-check against real NumPy in both directions when python3 has numpy.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeNpy, FLOAT_DTYPES, INTEGER_DTYPES, NpyError, NUMERIC_DTYPES, parseNpy, readNpy, writeNpy, type NpyExpectation, type NpyWritable } from '../../host/npy.js';
import { FP16 } from '../../contracts/fp-format.js';
import { fpRound } from '../../golden/softfloat.js';
import { listTree, makeTempDir, removeTempDir } from '../cli/cli-harness.js';
import { UsageError } from '../../host/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

/** A .npy file with a hand-written header dict, padded like NumPy's (to 64 bytes). */
function npyBytes(dict: string, data: Uint8Array, major = 1): Uint8Array {
  const preamble = major === 1 ? 10 : 12;
  const padded = dict + ' '.repeat(63 - ((preamble + dict.length) % 64)) + '\n';
  const bytes = new Uint8Array(preamble + padded.length + data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(bytes.buffer);
  if (major === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  bytes.set(new TextEncoder().encode(padded), preamble);
  bytes.set(data, preamble + padded.length);
  return bytes;
}

const header = (descr: string, shape: string, fortran = 'False'): string => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

function parse(bytes: Uint8Array, expectation?: Parameters<typeof parseNpy>[3]): ReturnType<typeof parseNpy> {
  return parseNpy(bytes, 'A.npy', '--act', expectation);
}

describe('npy round trip', () => {
  const cases: [string, NpyWritable, number[]][] = [
    ['int8', Int8Array.from([-128, -1, 0, 1, 127, 5]), [2, 3]],
    ['uint8', Uint8Array.from([0, 1, 15, 255]), [4]],
    ['int16', Int16Array.from([-32768, -2, 3, 32767]), [2, 2]],
    ['int32', Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 7]), [3]],
    ['int64', BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 0n, -5n, 9n, 12n]), [1, 2, 3]],
    ['float32', Float32Array.from([1.5, -2]), [2]],
    ['int32', new Int32Array(0), [0, 4]],
  ];
  it.each(cases)('writes and reads back %s', async (dtype, data, shape) => {
    const file = join(dir, 'x.npy');
    await writeNpy(file, data, shape);
    const back = await readNpy(file, '--x');
    expect(back.dtype).toBe(dtype);
    expect(back.shape).toEqual(shape);
    expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(data as ArrayLike<unknown>));
    expect(await listTree(dir)).toEqual(['x.npy']);
  });

  it('reads big-endian data in the right byte order', () => {
    const data = Uint8Array.from([0x01, 0x02, 0xff, 0xfe]);
    expect(Array.from(parse(npyBytes(header('>i2', '(2,)'), data)).data as Int16Array)).toEqual([0x0102, -2]);
    expect(Array.from(parse(npyBytes(header('<i2', '(2,)'), data)).data as Int16Array)).toEqual([0x0201, -257]);
  });

  it('reads version 2 headers and double-quoted keys', () => {
    const back = parse(npyBytes(`{"descr": "|i1", "fortran_order": False, "shape": (1, 2)}`, Uint8Array.from([1, 255]), 2));
    expect(back).toEqual({ dtype: 'int8', shape: [1, 2], data: Int8Array.from([1, -1]) });
  });

  it('rejects a shape that does not match the data length, and a bad writer call', () => {
    expect(() => encodeNpy(new Int32Array(5), [2, 3])).toThrow('shape (2, 3) holds 6 elements, the data 5');
  });

  it('writes atomically: an unwritable path is a UsageError and leaves nothing behind', async () => {
    await writeFile(join(dir, 'plain'), 'x');
    const error = await writeNpy(join(dir, 'plain', 'Y.npy'), new Int32Array(1), [1], { displayPath: 'plain/Y.npy' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^cannot write 'plain\/Y\.npy': /);
    expect(await listTree(dir)).toEqual(['plain']);
  });
});

describe('npy errors', () => {
  const int8x6 = new Uint8Array(6);
  it.each<[string, Uint8Array, string]>([
    ['not npy', new TextEncoder().encode('a,b,c\n1,2,3\n'), "'A.npy' is not a .npy file (it does not start with \\x93NUMPY)"],
    ['empty', new Uint8Array(0), "'A.npy' is not a .npy file (it does not start with \\x93NUMPY)"],
    ['cut preamble', npyBytes(header('|i1', '(2, 3)'), int8x6).slice(0, 9), "'A.npy' is truncated: it ends inside the .npy preamble"],
    ['cut header', npyBytes(header('|i1', '(2, 3)'), int8x6).slice(0, 40), "'A.npy' is truncated: its header says 118 bytes, the file has 30 after the preamble"],
    ['version 9', Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 0, 0, 0]), "'A.npy' is .npy format version 9.0, which lutforge does not read (versions 1 to 3)"],
    ['not a dict', npyBytes('descr', int8x6), "'A.npy' has a malformed .npy header: it is not a Python dict literal"],
    ['no shape', npyBytes(`{'descr': '|i1', 'fortran_order': False}`, int8x6), "'A.npy' has a malformed .npy header: no 'shape' tuple"],
    ['no descr', npyBytes(`{'fortran_order': False, 'shape': (6,)}`, int8x6), "'A.npy' has a malformed .npy header: no 'descr' entry"],
    ['no order', npyBytes(`{'descr': '|i1', 'shape': (6,)}`, int8x6), "'A.npy' has a malformed .npy header: no 'fortran_order' entry of True or False"],
    ['bad shape', npyBytes(header('|i1', '(2, -3)'), int8x6), "'A.npy' has a malformed .npy header: shape (2, -3) is not a tuple of non-negative integers"],
    ['short data', npyBytes(header('<i2', '(2, 3)'), int8x6), "'A.npy' is truncated: shape (2, 3) of int16 needs 12 bytes of data, the file has 6"],
    ['long data', npyBytes(header('|i1', '(5,)'), int8x6), "'A.npy' is malformed: 1 bytes follow the 5 bytes of data that shape (5,) of int8 holds"],
    ['fortran', npyBytes(header('|i1', '(2, 3)', 'True'), int8x6), "'A.npy' is stored in Fortran (column-major) order; --act needs C order (save np.ascontiguousarray(a))"],
    ['strings', npyBytes(header('<U3', '(2,)'), new Uint8Array(24)), "'A.npy' has dtype '<U3', which lutforge does not read"],
    ['structured', npyBytes(`{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,)}`, new Uint8Array(4)), "'A.npy' holds a structured dtype, which lutforge does not read"],
  ])('%s', (_, bytes, message) => {
    const attempt = (): unknown => parse(bytes);
    expect(attempt).toThrow(NpyError);
    expect(attempt).toThrow(message);
  });

  const expectation = { dtype: 'int8', dtypeReason: 'for act=int8', dims: ['M', 'K'] } as const;
  it.each<[string, Uint8Array, string]>([
    ['dtype', npyBytes(header('<f4', '(2, 3)'), new Uint8Array(24)), "'A.npy' has dtype float32; --act needs int8 for act=int8"],
    ['odd dtype', npyBytes(header('<c8', '(1,)'), new Uint8Array(8)), "'A.npy' has dtype '<c8'; --act needs int8 for act=int8"],
    ['rank', npyBytes(header('|i1', '(6,)'), int8x6), "'A.npy' has shape (6,) (1 dimension); --act needs 2 dimensions (M, K)"],
    ['rank 3', npyBytes(header('|i1', '(1, 2, 3)'), int8x6), "'A.npy' has shape (1, 2, 3) (3 dimensions); --act needs 2 dimensions (M, K)"],
    ['empty', npyBytes(header('|i1', '(3, 0)'), new Uint8Array(0)), "'A.npy' has shape (3, 0); --act needs K >= 1 in (M, K)"],
  ])('checks the expectation: %s', (_, bytes, message) => {
    expect(() => parse(bytes, expectation)).toThrow(message);
  });

  it('names the file it cannot read', async () => {
    await expect(readNpy(join(dir, 'nope.npy'), '--act', { displayPath: 'nope.npy' })).rejects.toThrow("cannot read --act file 'nope.npy': no such file or directory (ENOENT)");
  });
});

const hasNumpy = await execa('python3', ['-c', 'import numpy'], { reject: false }).then((r) => r.exitCode === 0, () => false);

describe.skipIf(!hasNumpy)('npy against NumPy', () => {
  it('reads what NumPy writes, in every byte order and header version', async () => {
    const script = `
import numpy as np, sys
d = sys.argv[1]
np.save(d + '/i8.npy', np.array([[-128, 0, 127], [1, 2, 3]], dtype=np.int8))
np.save(d + '/i16be.npy', np.array([[-300, 2], [32767, -32768]], dtype='>i2'))
np.save(d + '/u8.npy', np.arange(12, dtype=np.uint8).reshape(4, 3))
np.save(d + '/i32.npy', np.array([-5, 2**31 - 1], dtype=np.int32))
np.save(d + '/i64.npy', np.array([[-2**63, 2**63 - 1]], dtype=np.int64))
np.save(d + '/f.npy', np.zeros((2, 2), dtype=np.float32))
np.save(d + '/fortran.npy', np.asfortranarray(np.arange(6, dtype=np.int8).reshape(2, 3)))
with open(d + '/v2.npy', 'wb') as f:
    np.lib.format.write_array(f, np.array([7, -7], dtype=np.int16), version=(2, 0))
`;
    await execa('python3', ['-c', script, dir]);
    const read = (file: string): ReturnType<typeof readNpy> => readNpy(join(dir, file), '--x');
    const values = (array: Awaited<ReturnType<typeof readNpy>>): unknown[] => Array.from(array.data as ArrayLike<unknown>);
    const i8 = await read('i8.npy');
    expect([i8.dtype, i8.shape, values(i8)]).toEqual(['int8', [2, 3], [-128, 0, 127, 1, 2, 3]]);
    const be = await read('i16be.npy');
    expect([be.dtype, be.shape, values(be)]).toEqual(['int16', [2, 2], [-300, 2, 32767, -32768]]);
    const u8 = await read('u8.npy');
    expect([u8.dtype, u8.shape, values(u8)]).toEqual(['uint8', [4, 3], Array.from({ length: 12 }, (_, i) => i)]);
    const i32 = await read('i32.npy');
    expect([i32.dtype, i32.shape, values(i32)]).toEqual(['int32', [2], [-5, 2 ** 31 - 1]]);
    const i64 = await read('i64.npy');
    expect([i64.dtype, i64.shape, values(i64)]).toEqual(['int64', [1, 2], [-(2n ** 63n), 2n ** 63n - 1n]]);
    expect((await read('f.npy')).dtype).toBe('float32');
    const v2 = await read('v2.npy');
    expect([v2.dtype, v2.shape, values(v2)]).toEqual(['int16', [2], [7, -7]]);
    await expect(read('fortran.npy')).rejects.toThrow('is stored in Fortran (column-major) order');
  });

  it('writes files NumPy loads with the right dtype, shape and values', async () => {
    await writeNpy(join(dir, 'y32.npy'), Int32Array.from([-(2 ** 31), 0, 1, 2 ** 31 - 1, -7, 9]), [2, 3]);
    await writeNpy(join(dir, 'y64.npy'), BigInt64Array.from([-(2n ** 63n), 2n ** 40n, 2n ** 63n - 1n]), [3, 1]);
    await writeNpy(join(dir, 'a8.npy'), Int8Array.from([-128, 127]), [1, 2]);
    await writeNpy(join(dir, 'q.npy'), Uint8Array.from([0, 3, 255]), [3]);
    const script = `
import numpy as np, sys, json
out = {}
for name in ['y32', 'y64', 'a8', 'q']:
    a = np.load(sys.argv[1] + '/' + name + '.npy')
    out[name] = [str(a.dtype), list(a.shape), [str(v) for v in a.flatten().tolist()], bool(a.flags['C_CONTIGUOUS'])]
print(json.dumps(out))
`;
    const { stdout } = await execa('python3', ['-c', script, dir]);
    expect(JSON.parse(stdout)).toEqual({
      y32: ['int32', [2, 3], ['-2147483648', '0', '1', '2147483647', '-7', '9'], true],
      y64: ['int64', [3, 1], ['-9223372036854775808', '1099511627776', '9223372036854775807'], true],
      a8: ['int8', [1, 2], ['-128', '127'], true],
      q: ['uint8', [3], ['0', '3', '255'], true],
    });
  });
});

// Other dtypes converted to the one a reader expects: exact values taken (NumPy's default int64
// and float64 among them), the first inexact one reported with its index and the `.astype` to use.
function readAs(data: NpyWritable, shape: number[], expect: NpyExpectation): ReturnType<typeof parseNpy> {
  return parseNpy(encodeNpy(data, shape), 'A.npy', '--act', expect);
}

const int64 = (values: readonly number[]): BigInt64Array => BigInt64Array.from(values, (v) => BigInt(v));

describe('convertNpy through parseNpy', () => {
  it('takes integers of any width that fit, and floats holding integers', () => {
    const expect8 = { dtype: 'uint8', dims: ['N'], from: NUMERIC_DTYPES } as const;
    for (const data of [int64([0, 3, 255]), Uint32Array.of(0, 3, 255), Float64Array.of(0, 3, 255), Int16Array.of(0, 3, 255)]) {
      const array = readAs(data, [3], expect8);
      expect(array.dtype).toBe('uint8');
      expect(array.data).toEqual(Uint8Array.of(0, 3, 255));
    }
    expect(readAs(Uint8Array.of(1, 2), [2], { dtype: 'int64', dims: ['N'], from: INTEGER_DTYPES }).data).toEqual(int64([1, 2]));
  });

  it('takes floats exact in float32 or float16, bit patterns for float16', () => {
    expect(readAs(Float64Array.of(0.5, -3, Math.fround(0.1)), [3], { dtype: 'float32', dims: ['N'], from: FLOAT_DTYPES }).data).toEqual(Float32Array.of(0.5, -3, 0.1));
    const half = readAs(Float64Array.of(0.5, -2048, 65504), [3], { dtype: 'float16', dims: ['N'], from: FLOAT_DTYPES });
    expect(half.data).toEqual(Uint16Array.from([0.5, -2048, 65504], (x) => fpRound(FP16, x)));
    expect(readAs(Float64Array.of(NaN), [1], { dtype: 'float32', dims: ['N'], from: FLOAT_DTYPES }).data[0]).toBeNaN();
  });

  it('rounds instead when asked, but not past the range', () => {
    expect(readAs(Float64Array.of(0.1), [1], { dtype: 'float32', dims: ['N'], from: FLOAT_DTYPES, round: true }).data).toEqual(Float32Array.of(0.1));
    expect(() => readAs(Float64Array.of(1, 1e39), [2], { dtype: 'float32', dims: ['N'], from: FLOAT_DTYPES, round: true })).toThrow(
      "'A.npy' (--act) has dtype float64 and holds 1e+39 at [1], which float32 cannot hold (beyond its range); round it with .astype(np.float32)",
    );
  });

  it.each<[string, NpyWritable, number[], NpyExpectation, string]>([
    ['int64 out of range', int64([1, 2, 3, 4, 300, 6]), [2, 3], { dtype: 'uint8', dtypeReason: '(weight codes)', dims: ['K', 'N'], from: NUMERIC_DTYPES }, "'A.npy' (--act) has dtype int64 and holds 300 at [1, 1], which uint8 (weight codes) cannot hold (0..255); in-range values can be saved with .astype(np.uint8)"],
    ['a fraction', Float32Array.of(1, 2.5), [2], { dtype: 'int32', dims: ['N'], from: NUMERIC_DTYPES }, "'A.npy' (--act) has dtype float32 and holds 2.5 at [1], which int32 cannot hold (not an integer); in-range values can be saved with .astype(np.int32)"],
    ['float64 off the float32 grid', Float64Array.of(0.1), [1], { dtype: 'float32', dims: ['N'], from: NUMERIC_DTYPES }, "'A.npy' (--act) has dtype float64 and holds 0.1 at [0], which float32 cannot hold exactly; round it with .astype(np.float32)"],
    ['float32 off the float16 grid', Float32Array.of(1, 2049), [2], { dtype: 'float16', dtypeReason: 'for act=fp16', dims: ['N'], from: NUMERIC_DTYPES }, "'A.npy' (--act) has dtype float32 and holds 2049 at [1], which float16 for act=fp16 cannot hold exactly; round it with .astype(np.float16)"],
    ['an integer beyond float32', int64([2 ** 24 + 1]), [1], { dtype: 'float32', dims: ['N'], from: NUMERIC_DTYPES }, "'A.npy' (--act) has dtype int64 and holds 16777217 at [0], which float32 cannot hold exactly; round it with .astype(np.float32)"],
  ])('rejects %s with its index and the .astype to use', (_, data, shape, expectation, message) => {
    const attempt = (): unknown => readAs(data, shape, expectation);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });

  it('keeps refusing dtypes not in `from`', () => {
    expect(() => readAs(Float32Array.of(1), [1], { dtype: 'uint16', dtypeReason: 'for act=bf16', dims: ['N'], from: INTEGER_DTYPES })).toThrow("'A.npy' has dtype float32; --act needs uint16 for act=bf16");
  });
});
