// Fuzz targets of the counter and the adder tree: random stimulus in one script per configuration,
// every cycle's outputs checked against a TypeScript model of what the design must do (these
// examples have no golden kernel of their own; the model is their definition, a few lines each).

import type { ZodType } from 'zod';
import { adderTreeConfig, adderTreeGenerator, adderTreeLatencyOf, type AdderTreeConfig } from '../../generators/examples/adder-tree.js';
import { counterConfig, counterGenerator, type CounterConfig } from '../../generators/examples/counter.js';
import { windows } from './operands.js';
import { chance, pick, randomBits, smallInt, weighted, type Random } from './random.js';
import { runScriptVectors, ScriptBuilder, type ScriptVector } from './script-runner.js';
import { defineTarget } from './types.js';

// ---- counter ------------------------------------------------------------------------------------

/** One cycle's inputs as bits: 1 enable, 2 clear, 4 reset. */
export interface CounterVector {
  readonly cycles: readonly number[];
}

const ENABLE = 1;
const CLEAR = 2;
const RESET = 4;

/** From reset: per cycle the outputs before the edge, then the edge (reset wins, then clear, then enable). */
function counterScript(config: CounterConfig, vector: CounterVector): ScriptVector {
  const script = new ScriptBuilder().poke({ rst: 1, enable: 0, clear: 0 }).step();
  let value = 0;
  vector.cycles.forEach((bits, t) => {
    const enable = (bits & ENABLE) !== 0;
    script.poke({ enable: Number(enable), clear: Number((bits & CLEAR) !== 0), rst: Number((bits & RESET) !== 0) }).eval();
    script.expect('count', BigInt(value), `cycle ${t}`).expect('wrap', enable && value === config.modulo - 1 ? 1n : 0n, `cycle ${t}`).step();
    value = (bits & (RESET | CLEAR)) !== 0 ? 0 : enable ? (value + 1) % config.modulo : value;
  });
  return script.build();
}

function drawCounterVector(random: Random): CounterVector {
  const enable = pick(random, [50, 90, 100]);
  const length = smallInt(random, 1, 40, 300);
  return {
    cycles: Array.from({ length }, () => (chance(random, enable) ? ENABLE : 0) | (chance(random, 5) ? CLEAR : 0) | (chance(random, 2) ? RESET : 0)),
  };
}

export const counterTarget = defineTarget<CounterConfig, CounterVector>({
  name: 'counter',
  schema: counterConfig as unknown as ZodType<CounterConfig>,
  drawConfig: (random) => ({
    modulo: weighted(random, [[4, random(2, 20)], [2, 2 ** random(1, 12)], [2, 2 ** random(1, 12) + 1], [1, random(2, 2 ** 32)], [1, pick(random, [2 ** 32, 2 ** 32 - 1, 2 ** 31 + 1])]]),
  }),
  drawVectors: (_config, random, count) => Array.from({ length: count }, () => drawCounterVector(random)),
  run: async (config, vectors, options = {}) =>
    runScriptVectors(counterGenerator.generate(config), vectors.map((vector) => counterScript(config, vector)), vectors.map((vector) => options.perturb?.(vector) ?? false)),
  shrinkVector: (_config, { cycles }) => [
    ...windows(cycles.length).map(([a, b]) => ({ cycles: cycles.slice(a, b) })),
    ...[CLEAR, RESET, ENABLE].filter((bit) => cycles.some((c) => (c & bit) !== 0)).map((bit) => ({ cycles: cycles.map((c) => c & ~bit) })),
  ],
  fitVector: (_config, vector) => vector,
  simplest: { modulo: [2] },
  size: (vector) => vector.cycles.length,
  describe: (vector) => `${vector.cycles.length} cycles`,
});

// ---- adder tree ---------------------------------------------------------------------------------

/** Input tuples fed back to back, one per cycle (pipelined) or one per evaluation. */
export interface TreeVector {
  readonly tuples: readonly (readonly bigint[])[];
}

function range(config: AdderTreeConfig): [bigint, bigint] {
  const w = BigInt(config.width);
  return config.signed ? [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n] : [0n, (1n << w) - 1n];
}

function treeScript(config: AdderTreeConfig, vector: TreeVector): ScriptVector {
  const latency = adderTreeLatencyOf(config);
  const script = new ScriptBuilder();
  const poke = (tuple: readonly bigint[] | undefined): Record<string, bigint> =>
    Object.fromEntries(Array.from({ length: config.inputs }, (_, i) => [`values_${i}`, tuple?.[i] ?? 0n]));
  const sum = (tuple: readonly bigint[]): bigint => tuple.reduce((total, value) => total + value, 0n);
  if (latency === 0) {
    vector.tuples.forEach((tuple, t) => script.poke(poke(tuple)).eval().expect('sum', sum(tuple), `tuple ${t}`));
    return script.build();
  }
  // Tuple t enters before edge t + 1; its sum is out after edge t + latency.
  for (let edge = 0; edge < vector.tuples.length + latency - 1; edge++) {
    script.poke(poke(vector.tuples[edge])).step();
    const t = edge + 1 - latency;
    if (t >= 0) script.expect('sum', sum(vector.tuples[t]!), `tuple ${t}`);
  }
  return script.build();
}

function drawTreeVector(config: AdderTreeConfig, random: Random): TreeVector {
  const [lo, hi] = range(config);
  const style = pick(random, ['random', 'random', 'random', 'min', 'max', 'mixed']);
  const value = (): bigint => {
    if (style === 'min' || (style === 'mixed' && chance(random, 30))) return lo;
    if (style === 'max' || (style === 'mixed' && chance(random, 30))) return hi;
    const bits = randomBits(random, config.width);
    return config.signed ? BigInt.asIntN(config.width, bits) : bits;
  };
  return { tuples: Array.from({ length: smallInt(random, 1, 6, 20) }, () => Array.from({ length: config.inputs }, value)) };
}

function fitTuple(config: AdderTreeConfig, tuple: readonly bigint[]): bigint[] {
  const [lo, hi] = range(config);
  return Array.from({ length: config.inputs }, (_, i) => {
    const value = tuple[i] ?? 0n;
    return value < lo ? lo : value > hi ? hi : value;
  });
}

export const adderTreeTarget = defineTarget<AdderTreeConfig, TreeVector>({
  name: 'adder-tree',
  schema: adderTreeConfig as unknown as ZodType<AdderTreeConfig>,
  drawConfig: (random) => ({
    inputs: weighted(random, [[6, random(1, 9)], [3, random(10, 40)], [1, random(41, 600)]]),
    width: weighted(random, [[2, 1], [5, random(2, 16)], [2, random(17, 63)], [1, 64]]),
    signed: chance(random, 50),
    levelsPerStage: weighted(random, [[4, 0], [4, random(1, 3)], [1, random(4, 16)]]),
  }),
  drawVectors: (config, random, count) => Array.from({ length: count }, () => drawTreeVector(config, random)),
  run: async (config, vectors, options = {}) =>
    runScriptVectors(adderTreeGenerator.generate(config), vectors.map((vector) => treeScript(config, vector)), vectors.map((vector) => options.perturb?.(vector) ?? false)),
  shrinkVector: (_config, { tuples }) => [
    ...windows(tuples.length).map(([a, b]) => ({ tuples: tuples.slice(a, b) })),
    ...tuples.flatMap((tuple, t) => (tuple.some((v) => v !== 0n) ? [{ tuples: tuples.map((other, u) => (u === t ? other.map(() => 0n) : other)) }] : [])),
    ...(tuples.length === 1 && tuples[0]!.length <= 24
      ? tuples[0]!.flatMap((v, i) => (v === 0n ? [] : [{ tuples: [tuples[0]!.map((w, j) => (j === i ? 0n : w))] }]))
      : []),
  ],
  fitVector: (config, vector) => ({ tuples: vector.tuples.map((tuple) => fitTuple(config, tuple)) }),
  simplest: { inputs: [1], width: [1], levelsPerStage: [0], signed: [false] },
  size: (vector) => vector.tuples.reduce((sum, tuple) => sum + tuple.length, 0),
  describe: (vector) => `${vector.tuples.length} x ${vector.tuples[0]?.length ?? 0} values`,
});
