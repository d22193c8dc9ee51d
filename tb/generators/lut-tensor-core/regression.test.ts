// Verilator regressions of the LUT Tensor Core against the golden kernel: wbits x act x table
// variant x precompute placement (a pairwise-covering 12 by default, all 48 under make regress),
// each on random shapes (M = 1, K not a multiple of k, N
// not a multiple of n), random zero points and the extreme values.

import { describe, expect, it } from 'vitest';
import { tensorCoreEngine } from '../../../generators/lut-tensor-core/index.js';
import { expectEngineMatchesGolden, expectSimulatorsAgree, randomOperands, regressEngine, seededRandom } from '../matmul-regression.js';
import { INT_BUSY_CONFIG, INT_ICARUS_CONFIG, intCases as cases, intCasesFor, intConfigOf as configOf } from './cases.js';

const REGRESS = process.env['LUTFORGE_REGRESS'] === '1';

describe.concurrent('tensor-core on Verilator equals the golden kernel', () => {
  it.each(intCasesFor(REGRESS))('wbits $wbits, $act, symmetric $symmetric, reinterpret $reinterpret, precompute $precompute', async (variant) => {
    const config = configOf(variant);
    await regressEngine(tensorCoreEngine, config, cases.indexOf(variant) + 1, { actBits: variant.act === 'int8' ? 8 : 16, wbits: variant.wbits });
  });

  it('Icarus agrees with Verilator (the second simulator)', async () => {
    const config = INT_ICARUS_CONFIG;
    const operands = randomOperands(seededRandom(99), { M: 3, K: 13, N: 5 }, { actBits: 8, wbits: 2 });
    await expectSimulatorsAgree(tensorCoreEngine, config, operands);
  });

  it('keeps the tile busy: a table per row block, one correction pass per n-tile', async () => {
    const config = INT_BUSY_CONFIG;
    const dims = { M: 4, K: 256, N: 16 };
    const { cycles } = await expectEngineMatchesGolden(tensorCoreEngine, config, randomOperands(seededRandom(7), dims, { actBits: 8, wbits: 2 }));
    const ideal = tensorCoreEngine.idealCycles(config, dims);
    // Per n-tile, wbits correction beats; per row block, one cycle to take the command; plus the pipeline.
    const overhead = 2 * 4 * config.wbits + 2 + 3;
    expect(ideal).toBe(2 * 4 * 64 * 2);
    expect(cycles).toBeLessThanOrEqual(ideal + overhead);
  });
});
