// Verilator regressions of the LUT Tensor Core with floating-point activations against its bit-exact
// model (tb/golden/lut-mpgemm-fp.ts): every activation format, 1- to 4-bit weights, the three table
// kinds, k from 1 to 5, ragged shapes, subnormals, zeros of both signs, and NaN, infinities and the
// largest values.

import { describe, expect, it } from 'vitest';
import { tensorCoreConfig, type TensorCoreConfig } from '../../../generators/lut-tensor-core/config.js';
import { tensorCoreEngine } from '../../../generators/lut-tensor-core/index.js';
import type { PackedRun } from '../../../generators/matmul.js';
import { lutFpStreamModel } from '../../golden/lut-mpgemm-fp.js';
import { expectEngineMatchesGolden, floatFormat, randomFloatOperands, regressFloatEngine, seededRandom } from '../matmul-regression.js';

const symmetric = { symmetric: true, reinterpret: true } as const;
const naive = { symmetric: false, reinterpret: true } as const;
const unsigned = { symmetric: false, reinterpret: false } as const;

// Each variant is a Verilator build of tens of seconds (an FP32 adder per unit): the default run
// covers every format, weight width and table kind once; make regress adds the rest.
const LUT_CASES: readonly Partial<TensorCoreConfig>[] = [
  { act: 'fp16', wbits: 2, k: 4, ...symmetric },
  { act: 'bf16', wbits: 4, k: 3, ...symmetric },
  { act: 'fp8e4m3', wbits: 1, k: 5, ...symmetric },
  { act: 'fp16', wbits: 1, k: 2, ...naive },
  { act: 'bf16', wbits: 3, k: 2, ...unsigned },
  ...(process.env['LUTFORGE_REGRESS'] === '1'
    ? [
        { act: 'fp16', wbits: 4, k: 4, ...symmetric },
        { act: 'fp8e4m3', wbits: 2, k: 4, ...symmetric },
        { act: 'bf16', wbits: 2, k: 4, ...naive },
        { act: 'fp8e4m3', wbits: 2, k: 1, ...symmetric },
        { act: 'fp16', wbits: 4, k: 3, ...unsigned },
      ] as const
    : []),
];

function lutGolden(config: TensorCoreConfig) {
  return (packed: PackedRun): bigint[][] => lutFpStreamModel(config, packed.inputs);
}

describe.concurrent('floating-point tensor-core on Verilator equals its bit-exact model', () => {
  it.each(LUT_CASES)('$act, wbits $wbits, k $k, symmetric $symmetric, reinterpret $reinterpret', async (variant) => {
    const config = tensorCoreConfig.parse({ m: 2, n: 3, maxK: 40, ...variant });
    await regressFloatEngine(tensorCoreEngine, config, 300 + LUT_CASES.indexOf(variant), lutGolden(config));
  });

  it('Icarus agrees with Verilator on an fp16 engine', async () => {
    const config = tensorCoreConfig.parse({ m: 2, n: 3, k: 4, maxK: 40, act: 'fp16' });
    const operands = randomFloatOperands(seededRandom(5), { M: 3, K: 13, N: 5 }, { format: floatFormat('fp16'), wbits: 2, specials: true });
    const verilator = await expectEngineMatchesGolden(tensorCoreEngine, config, operands, { golden: lutGolden(config) });
    const icarus = await expectEngineMatchesGolden(tensorCoreEngine, config, operands, { golden: lutGolden(config), simulator: 'icarus' });
    expect(icarus.cycles).toBe(verilator.cycles);
  });
});
