// Verilator regressions of the LUT Tensor Core with floating-point activations against its bit-exact
// model (golden/lut-mpgemm-fp.ts): every activation format, 1- to 4-bit weights, the three table
// kinds, k from 1 to 5, ragged shapes, subnormals, zeros of both signs, and NaN, infinities and the
// largest values.

import { describe, it } from 'vitest';
import type { TensorCoreConfig } from '../../../generators/lut-tensor-core/config.js';
import { tensorCoreEngine } from '../../../generators/lut-tensor-core/index.js';
import { lutFpStreamModel } from '../../../golden/lut-mpgemm-fp.js';
import { expectSimulatorsAgree, floatFormat, randomFloatOperands, regressFloatEngine, seededRandom } from '../matmul-regression.js';
import { FP_ICARUS_CONFIG, fpCases, fpConfigOf } from './cases.js';
import type { PackedRun } from '../../../contracts/matmul-operands.js';

const LUT_CASES = fpCases(process.env['LUTFORGE_REGRESS'] === '1');

function lutGolden(config: TensorCoreConfig) {
  return (packed: PackedRun): bigint[][] => lutFpStreamModel(config, packed.inputs);
}

describe.concurrent('floating-point tensor-core on Verilator equals its bit-exact model', () => {
  it.each(LUT_CASES)('$act, wbits $wbits, k $k, symmetric $symmetric, reinterpret $reinterpret', async (variant) => {
    const config = fpConfigOf(variant);
    await regressFloatEngine(tensorCoreEngine, config, 300 + LUT_CASES.indexOf(variant), lutGolden(config));
  });

  it('Icarus agrees with Verilator on an fp16 engine', async () => {
    const config = FP_ICARUS_CONFIG;
    const operands = randomFloatOperands(seededRandom(5), { M: 3, K: 13, N: 5 }, { format: floatFormat('fp16'), wbits: 2, specials: true });
    await expectSimulatorsAgree(tensorCoreEngine, config, operands, { golden: lutGolden(config) });
  });
});
