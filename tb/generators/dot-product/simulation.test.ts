// The dot-product arrays on Verilator compute exact dot products: random int8 activations and
// weight codes with random zero points, driven plane by plane (then the correction beats of
// docs/design/lut-tensor-core.md) for the serial kinds and group by group for MAC, with stalled
// cycles in between, two results in a row so that `first` is seen to restart the accumulators and
// the row sum. Each unit's accumulator is checked against sum a * (q - z) computed here (doubled
// where the table reads bits as {-1,+1}).

import { describe, expect, it } from 'vitest';
import type { DotProductConfig } from '../../../generators/dot-product/config.js';
import { dotProductGenerator } from '../../../generators/dot-product/index.js';
import { Simulation } from '../../../sim/simulation.js';
import { invertLowBits } from '../../../golden/lut-mpgemm.js';
import { seededRandom } from '../matmul-regression.js';
import { CASES, dotProductConfigOf } from './cases.js';

type Random = ReturnType<typeof seededRandom>;

/** One result's operands: groups x k activations, groups x k x units codes, a zero point per unit. */
interface Problem {
  readonly act: number[][];
  readonly codes: number[][][];
  readonly zeros: number[];
}

const GROUPS = 5;

function randomProblem(config: DotProductConfig, random: Random): Problem {
  const top = 2 ** config.wbits - 1;
  return {
    act: Array.from({ length: GROUPS }, () => Array.from({ length: config.k }, () => random(-128, 127))),
    codes: Array.from({ length: GROUPS }, () => Array.from({ length: config.k }, () => Array.from({ length: config.units }, () => random(0, top)))),
    zeros: Array.from({ length: config.units }, () => random(0, top)),
  };
}

/** Y per unit: the plain integer dot product sum a * (q - z). */
function dotProducts({ act, codes, zeros }: Problem): bigint[] {
  return zeros.map((z, c) => BigInt(act.reduce((sum, group, g) => sum + group.reduce((part, a, j) => part + a * (codes[g]![j]![c]! - z), 0), 0)));
}

/** The {-1,+1} readings leave 2Y in the accumulator (docs/design/lut-tensor-core.md); {0,1} and MAC leave Y. */
function accumulatorScale(config: DotProductConfig): bigint {
  return config.kind === 'mac' || config.kind === 'add' || config.table === 'unsigned' ? 1n : 2n;
}

function pokeAct(sim: Simulation, act: readonly number[]): void {
  sim.poke(Object.fromEntries(act.map((a, j) => [`act_${j}`, a])));
}

/** A cycle with step low and junk operands: nothing may change. */
function stall(sim: Simulation, config: DotProductConfig, random: Random): void {
  pokeAct(sim, Array.from({ length: config.k }, () => random(-128, 127)));
  if (config.kind === 'mac') sim.poke({ step: 0, first: random(0, 1) });
  else sim.poke({ step: 0, first: random(0, 1), correct: random(0, 1), fields: random(0, 2 ** (config.units * config.k) - 1) });
  sim.step();
}

function driveSerial(sim: Simulation, config: DotProductConfig, problem: Problem, random: Random): void {
  const { k, wbits, units } = config;
  const signedRead = accumulatorScale(config) === 2n;
  const plane = (b: number): Record<string, number> => (wbits > 1 ? { plane: b } : {});
  const pack = (field: (c: number) => number) => Array.from({ length: units }, (_, c) => BigInt(field(c)) << BigInt(c * k)).reduce((all, next) => all | next, 0n);
  problem.act.forEach((group, g) => {
    for (let b = 0; b < wbits; b++) {
      if (random(0, 3) === 0) stall(sim, config, random);
      const field = (c: number) => {
        const bits = group.reduce((all, _, j) => all | (((problem.codes[g]![j]![c]! >> b) & 1) << j), 0);
        return config.kind === 'lut' && config.table === 'symmetric' ? invertLowBits(bits, k) : bits;
      };
      pokeAct(sim, group);
      sim.poke({ ...plane(b), fields: pack(field), correct: 0, first: g === 0 && b === 0 ? 1 : 0, step: 1 });
      sim.step();
    }
  });
  // Correction beats: only the top bit of each field counts, the bits of (2^wbits - 1) - z or of z.
  for (let b = 0; b < wbits; b++) {
    const bit = (c: number) => ((signedRead ? 2 ** wbits - 1 - problem.zeros[c]! : problem.zeros[c]!) >> b) & 1;
    sim.poke({ ...plane(b), fields: pack((c) => bit(c) << (k - 1)), correct: 1, first: 0, step: 1 });
    sim.step();
  }
}

function driveMac(sim: Simulation, config: DotProductConfig, problem: Problem, random: Random): void {
  problem.act.forEach((group, g) => {
    if (random(0, 3) === 0) stall(sim, config, random);
    pokeAct(sim, group);
    const weights = Array.from({ length: config.units }, (_, c) => group.map((_, j) => [`weights_${c}_${j}`, problem.codes[g]![j]![c]! - problem.zeros[c]!] as const));
    sim.poke({ ...Object.fromEntries(weights.flat()), first: g === 0 ? 1 : 0, step: 1 });
    sim.step();
  });
}

describe.concurrent('dot-product arrays on Verilator', () => {
  it.each(CASES)('%j accumulates sum a * (q - z) in every unit', async (overrides) => {
    const config = dotProductConfigOf(overrides);
    const random = seededRandom(CASES.indexOf(overrides) + 11);
    const sim = await Simulation.start(dotProductGenerator.generate(config));
    try {
      for (let result = 0; result < 2; result++) {
        const problem = randomProblem(config, random);
        if (config.kind === 'mac') driveMac(sim, config, problem, random);
        else driveSerial(sim, config, problem, random);
        const accs: bigint[] = [];
        for (let c = 0; c < config.units; c++) accs.push(await sim.peek(`acc_${c}`));
        expect(accs, `result ${result}`).toEqual(dotProducts(problem).map((y) => y * accumulatorScale(config)));
      }
    } finally {
      await sim.close();
    }
  });
});
