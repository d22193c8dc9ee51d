// Other dtypes converted to the one a reader expects: exact values taken (NumPy's default int64
// and float64 among them), the first inexact one reported with its index and the `.astype` to use.

import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy, type NpyExpectation, type NpyWritable } from '../../host/npy.js';
import { FLOAT_DTYPES, INTEGER_DTYPES, NUMERIC_DTYPES } from '../../host/npy.js';
import { FP16 } from '../../contracts/fp-format.js';
import { fpRound } from '../../golden/softfloat.js';
import { UsageError } from '../../host/errors.js';

function read(data: NpyWritable, shape: number[], expect: NpyExpectation): ReturnType<typeof parseNpy> {
  return parseNpy(encodeNpy(data, shape), 'A.npy', '--act', expect);
}

const int64 = (values: readonly number[]): BigInt64Array => BigInt64Array.from(values, (v) => BigInt(v));

describe('convertNpy through parseNpy', () => {
  it('takes integers of any width that fit, and floats holding integers', () => {
    const expect8 = { dtype: 'uint8', dims: ['N'], from: NUMERIC_DTYPES } as const;
    for (const data of [int64([0, 3, 255]), Uint32Array.of(0, 3, 255), Float64Array.of(0, 3, 255), Int16Array.of(0, 3, 255)]) {
      const array = read(data, [3], expect8);
      expect(array.dtype).toBe('uint8');
      expect(array.data).toEqual(Uint8Array.of(0, 3, 255));
    }
    expect(read(Uint8Array.of(1, 2), [2], { dtype: 'int64', dims: ['N'], from: INTEGER_DTYPES }).data).toEqual(int64([1, 2]));
  });

  it('takes floats exact in float32 or float16, bit patterns for float16', () => {
    expect(read(Float64Array.of(0.5, -3, Math.fround(0.1)), [3], { dtype: 'float32', dims: ['N'], from: FLOAT_DTYPES }).data).toEqual(Float32Array.of(0.5, -3, 0.1));
    const half = read(Float64Array.of(0.5, -2048, 65504), [3], { dtype: 'float16', dims: ['N'], from: FLOAT_DTYPES });
    expect(half.data).toEqual(Uint16Array.from([0.5, -2048, 65504], (x) => fpRound(FP16, x)));
    expect(read(Float64Array.of(NaN), [1], { dtype: 'float32', dims: ['N'], from: FLOAT_DTYPES }).data[0]).toBeNaN();
  });

  it('rounds instead when asked, but not past the range', () => {
    expect(read(Float64Array.of(0.1), [1], { dtype: 'float32', dims: ['N'], from: FLOAT_DTYPES, round: true }).data).toEqual(Float32Array.of(0.1));
    expect(() => read(Float64Array.of(1, 1e39), [2], { dtype: 'float32', dims: ['N'], from: FLOAT_DTYPES, round: true })).toThrow(
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
    const attempt = (): unknown => read(data, shape, expectation);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });

  it('keeps refusing dtypes not in `from`', () => {
    expect(() => read(Float32Array.of(1), [1], { dtype: 'uint16', dtypeReason: 'for act=bf16', dims: ['N'], from: INTEGER_DTYPES })).toThrow("'A.npy' has dtype float32; --act needs uint16 for act=bf16");
  });
});
