// Fuzz target of the FIFO example: random valid/ready traffic (bursts that fill it, drains that
// empty it, both at once when full), one script per configuration, every cycle's handshake, count
// and head word checked against a queue model: first-word fall-through, ready while not full
// (whatever the consumer does), a word pushed into an empty queue visible from the next cycle.

import type { ZodType } from 'zod';
import { fifoConfig, fifoGenerator, type FifoConfig } from '../../generators/examples/fifo.js';
import { windows } from './operands.js';
import { chance, pick, randomBits, smallInt, weighted, type Random } from './random.js';
import { runScriptVectors, ScriptBuilder, type ScriptVector } from './script-runner.js';
import { defineTarget } from './types.js';

export interface FifoCycle {
  readonly valid: number;
  readonly ready: number;
  readonly data: bigint;
}

/** Cycles from reset. */
export interface FifoVector {
  readonly cycles: readonly FifoCycle[];
}

function fifoScript(config: FifoConfig, vector: FifoVector): ScriptVector {
  const script = new ScriptBuilder().poke({ rst: 1, in_valid: 0, out_ready: 0 }).step().poke({ rst: 0 });
  const queue: bigint[] = [];
  vector.cycles.forEach(({ valid, ready, data }, t) => {
    const label = `cycle ${t}`;
    script.poke({ in_valid: valid, in_data: data, out_ready: ready }).eval();
    const canPush = queue.length < config.depth;
    script
      .expect('in_ready', canPush ? 1n : 0n, label)
      .expect('out_valid', queue.length > 0 ? 1n : 0n, label)
      .expect('count', BigInt(queue.length), label)
      .expect('out_data', queue[0], label)
      .step();
    const pop = queue.length > 0 && ready === 1;
    if (pop) queue.shift();
    if (valid === 1 && canPush) queue.push(data);
  });
  return script.build();
}

function drawVector(config: FifoConfig, random: Random): FifoVector {
  const pushPercent = pick(random, [20, 50, 80, 100]);
  const popPercent = pick(random, [0, 20, 50, 80, 100]);
  const top = (1n << BigInt(config.width)) - 1n;
  const word = (): bigint => weighted(random, [[6, randomBits(random, config.width)], [1, 0n], [1, top]]);
  return {
    cycles: Array.from({ length: smallInt(random, 1, 40, 200) }, () => ({
      valid: chance(random, pushPercent) ? 1 : 0,
      ready: chance(random, popPercent) ? 1 : 0,
      data: word(),
    })),
  };
}

export const fifoTarget = defineTarget<FifoConfig, FifoVector>({
  name: 'fifo',
  schema: fifoConfig as unknown as ZodType<FifoConfig>,
  drawConfig: (random) => ({
    width: weighted(random, [[2, 1], [5, random(2, 40)], [2, pick(random, [31, 32, 33, 63, 64, 65])], [1, random(66, 1024)]]),
    depth: weighted(random, [[2, 1], [5, random(2, 8)], [2, pick(random, [15, 16, 17, 31, 32, 33])], [1, random(34, 64)]]),
  }),
  drawVectors: (config, random, count) => Array.from({ length: count }, () => drawVector(config, random)),
  run: async (config, vectors, options = {}) =>
    runScriptVectors(fifoGenerator.generate(config), vectors.map((vector) => fifoScript(config, vector)), vectors.map((vector) => options.perturb?.(vector) ?? false)),
  shrinkVector: (_config, { cycles }) => [
    ...windows(cycles.length).map(([a, b]) => ({ cycles: cycles.slice(a, b) })),
    ...(cycles.some((c) => c.data !== 0n) ? [{ cycles: cycles.map((c) => ({ ...c, data: 0n })) }] : []),
    ...(cycles.some((c) => c.ready === 1) ? [{ cycles: cycles.map((c) => ({ ...c, ready: 0 })) }] : []),
  ],
  fitVector: (config, vector) => ({ cycles: vector.cycles.map((c) => ({ ...c, data: BigInt.asUintN(config.width, c.data) })) }),
  simplest: { depth: [1], width: [1] },
  size: (vector) => vector.cycles.length,
  describe: (vector) => `${vector.cycles.length} cycles`,
});
