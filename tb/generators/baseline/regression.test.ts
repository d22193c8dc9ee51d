// The MAC and ADD baselines pass the same Verilator regressions as the tensor core: every wbits x
// act for ADD, a pairwise-covering 8 of wbits x act x narrowWeights for MAC (all 16 under make
// regress), random shapes with M = 1 and ragged K and N, the extreme values.

import { describe, expect, it } from 'vitest';
import { addEngine } from '../../../generators/baseline/add.js';
import { macEngine } from '../../../generators/baseline/mac.js';
import { expectEngineMatchesGolden, expectSimulatorsAgree, randomOperands, regressEngine, seededRandom } from '../matmul-regression.js';
import { ADD_ICARUS_CONFIG, addCases, addConfigOf, MAC_BUSY_CONFIG, macCases, macCasesFor, macConfigOf } from './cases.js';

const REGRESS = process.env['LUTFORGE_REGRESS'] === '1';

describe.concurrent('mac on Verilator equals the golden kernel', () => {
  it.each(macCasesFor(REGRESS))('wbits $wbits, $act, narrowWeights $narrowWeights', async (variant) => {
    const config = macConfigOf(variant);
    await regressEngine(macEngine, config, 100 + macCases.indexOf(variant), { actBits: variant.act === 'int8' ? 8 : 16, wbits: variant.wbits });
  });

  it('takes a whole k-group per cycle: one zero-point beat per n-tile on top of the ideal', async () => {
    const config = MAC_BUSY_CONFIG;
    const dims = { M: 4, K: 256, N: 16 };
    const { cycles } = await expectEngineMatchesGolden(macEngine, config, randomOperands(seededRandom(8), dims, { actBits: 8, wbits: 2 }));
    expect(macEngine.idealCycles(config, dims)).toBe(2 * 4 * 64);
    expect(cycles).toBeLessThanOrEqual(2 * 4 * 64 + 2 * 4 + 2 + 3);
  });
});

describe.concurrent('add on Verilator equals the golden kernel', () => {
  it.each(addCases)('wbits $wbits, $act', async (variant) => {
    const config = addConfigOf(variant);
    await regressEngine(addEngine, config, 200 + addCases.indexOf(variant), { actBits: variant.act === 'int8' ? 8 : 16, wbits: variant.wbits });
  });

  it('Icarus agrees with Verilator', async () => {
    const config = ADD_ICARUS_CONFIG;
    const operands = randomOperands(seededRandom(77), { M: 3, K: 13, N: 5 }, { actBits: 8, wbits: 2 });
    await expectSimulatorsAgree(addEngine, config, operands);
  });
});
