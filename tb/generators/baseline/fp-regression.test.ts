// Verilator regressions of the MAC baseline with floating-point activations against its bit-exact
// model (golden/lut-mpgemm-fp.ts): every activation format, ragged shapes, subnormals, zeros of
// both signs, NaN, infinities and the largest values.

import { describe, it } from 'vitest';
import { macEngine, type MacConfig } from '../../../generators/baseline/mac.js';
import { macFpBeats } from '../../../golden/lut-mpgemm-fp.js';
import { regressFloatEngine } from '../matmul-regression.js';
import { macFpCases as MAC_CASES, macFpConfigOf } from './cases.js';
import type { MatmulOperands, PackedRun } from '../../../contracts/matmul-operands.js';

function macGolden(config: MacConfig) {
  return (_packed: PackedRun, operands: MatmulOperands): bigint[][] => macFpBeats(config, operands);
}

describe.concurrent('floating-point MAC baseline on Verilator equals its bit-exact model', () => {
  it.each(MAC_CASES)('$act, wbits $wbits, k $k', async (variant) => {
    const config = macFpConfigOf(variant);
    await regressFloatEngine(macEngine, config, 400 + MAC_CASES.indexOf(variant), macGolden(config));
  });
});
