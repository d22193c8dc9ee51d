// Fuzz target of the dot-product arrays: every kind, table, weight width (1 to 8) and activation
// format the schema allows. A vector is one result: a one-row problem (K activations, K x units
// codes, a zero point per unit) driven through the array's ports in one script, group by group
// (plane by plane, then the correction planes of docs/design/lut-tensor-core.md, for the serial
// kinds) with junk stall cycles in between, then each unit's accumulator read. The serial beats are
// the engine packing's own (`packSerial` with n = units), and what a unit must hold comes from the
// golden kernels: 2Y for the {-1,+1} tables, Y for {0,1}, ADD and MAC; the FP32 models for floats.

import type { ZodType } from 'zod';
import type { FpFormat } from '../../contracts/fp-format.js';
import { dotProductConfig, type DotProductConfig } from '../../generators/dot-product/config.js';
import { dotProductGenerator } from '../../generators/dot-product/index.js';
import { ceilDiv, packSerial, type SerialPackConfig } from '../../contracts/serial-packing.js';
import { lutFpStreamModel, macFpMpgemm } from '../../golden/lut-mpgemm-fp.js';
import { mpgemmInt } from '../../golden/mpgemm.js';
import { fpFromInt } from '../../golden/softfloat.js';
import { describeOperands, dimensionShrinks, drawOperands, fitOperands, operandSize, subOperands, valueShrinks } from './operands.js';
import { chance, childSeed, pick, randomBits, seededRandom, smallInt, weighted, type Random } from './random.js';
import { runScriptVectors, ScriptBuilder, type ScriptVector } from './script-runner.js';
import { defineTarget } from './types.js';
import { TABLE_KINDS } from '../../contracts/table-kind.js';
import { actBits, ACT_FORMATS, floatFormatOf, isFloatAct, type ActFormat } from '../../contracts/engine-widths.js';
import type { MatmulOperands } from '../../contracts/matmul-operands.js';

export interface DotVector {
  /** M = 1, N = units. */
  readonly operands: MatmulOperands;
  readonly format: ActFormat;
  /** Seed of the junk stall cycles; 0: no stalls. */
  readonly stalls: number;
  readonly label: string;
}

function drawConfig(random: Random): Record<string, unknown> {
  const kind = pick(random, ['lut', 'lut-local', 'add', 'mac'] as const);
  const floats = (kind === 'lut' || kind === 'mac') && chance(random, 35);
  const act = floats ? pick(random, ACT_FORMATS.filter(isFloatAct)) : pick(random, ['int8', 'int16'] as const);
  const k = floats ? weighted(random, [[2, 1], [6, random(2, 4)]]) : weighted(random, [[2, 1], [7, random(2, 5)], [1, random(6, 8)]]);
  return {
    kind,
    k,
    wbits: weighted(random, [[2, 1], [5, random(2, 7)], [2, 8]]),
    act,
    ...(kind === 'lut' || kind === 'lut-local' ? { table: pick(random, TABLE_KINDS) } : {}),
    // Sometimes more units than fit a 64-bit `fields` word.
    units: floats || k > 5 ? random(1, 2) : smallInt(random, 1, 4, 24),
    maxK: weighted(random, [[2, k], [6, random(1, 64)], [2, random(65, 300)], [1, pick(random, [4096, 16384, 1 << 20])]]),
  };
}

function drawVector(config: DotProductConfig, random: Random): DotVector {
  const roll = random(0, 99);
  const K = roll < 15 ? Math.min(config.maxK, 64) : roll < 25 ? Math.min(config.k, config.maxK) : random(1, Math.min(config.maxK, 64));
  const { operands, label } = drawOperands(random, { M: 1, K, N: config.units }, config);
  return { operands, format: config.act, stalls: chance(random, 70) ? childSeed(random) || 1 : 0, label };
}

/** The serial kinds' packing: the table's reading of the bits and its offline inversion. */
function serialPacking(config: DotProductConfig): SerialPackConfig {
  const table = config.kind === 'add' ? 'unsigned' : config.table;
  return { m: 1, n: config.units, k: config.k, wbits: config.wbits, act: config.act, maxK: config.maxK, symmetric: table === 'symmetric', reinterpret: table !== 'unsigned' };
}

/** A cycle with step low and junk on every other input: nothing may change. */
function stall(script: ScriptBuilder, config: DotProductConfig, random: Random): void {
  const bits = actBits(config.act);
  const junkAct = (): number => (isFloatAct(config.act) ? random(0, 2 ** bits - 1) : random(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1));
  const pokes: Record<string, bigint | number> = { step: 0, first: random(0, 1) };
  for (let j = 0; j < config.k; j++) pokes[`act_${j}`] = junkAct();
  if (config.kind === 'mac') {
    for (let c = 0; c < config.units; c++) for (let j = 0; j < config.k; j++) pokes[`weights_${c}_${j}`] = isFloatAct(config.act) ? junkAct() : random(-(2 ** config.wbits) + 1, 2 ** config.wbits - 1);
  } else {
    Object.assign(pokes, { correct: random(0, 1), fields: randomBits(random, config.units * config.k) });
  }
  script.poke(pokes).step();
}

function maybeStall(script: ScriptBuilder, config: DotProductConfig, random: Random | undefined): void {
  if (random !== undefined && random(0, 3) === 0) stall(script, config, random);
}

function serialScript(config: DotProductConfig, vector: DotVector): ScriptVector {
  const packing = serialPacking(config);
  const { inputs } = packSerial(packing, vector.operands);
  const random = vector.stalls === 0 ? undefined : seededRandom(vector.stalls);
  const script = new ScriptBuilder();
  const hasPlane = config.wbits > 1 || isFloatAct(config.act);
  const plane = (b: number): Record<string, number> => (hasPlane ? { plane: b } : {});
  const weight = inputs['weight']!;
  inputs['act']!.forEach((group, g) => {
    for (let b = 0; b < config.wbits; b++) {
      maybeStall(script, config, random);
      const act = Object.fromEntries(group.map((a, j) => [`act_${j}`, a]));
      script.poke({ ...act, ...plane(b), fields: weight[g * config.wbits + b]![0]!, correct: 0, first: g === 0 && b === 0 ? 1 : 0, step: 1 }).step();
    }
  });
  const groups = inputs['act']!.length;
  for (let b = 0; b < config.wbits; b++) {
    maybeStall(script, config, random);
    script.poke({ ...plane(b), fields: weight[groups * config.wbits + b]![0]!, correct: 1, first: 0, step: 1 }).step();
  }
  const expected = isFloatAct(config.act)
    ? lutFpStreamModel(packing, inputs)[0]!
    : Array.from(mpgemmInt(vector.operands), (y) => (packing.reinterpret ? 2n * y : y));
  expected.forEach((value, c) => script.expect(`acc_${c}`, value, `unit ${c}`));
  return script.build();
}

function macScript(config: DotProductConfig, vector: DotVector): ScriptVector {
  const { K, N, act, codes, zeros } = vector.operands;
  const format: FpFormat | undefined = floatFormatOf(config.act);
  const random = vector.stalls === 0 ? undefined : seededRandom(vector.stalls);
  const script = new ScriptBuilder();
  for (let g = 0; g < ceilDiv(K, config.k); g++) {
    maybeStall(script, config, random);
    const pokes: Record<string, bigint | number> = { first: g === 0 ? 1 : 0, step: 1 };
    for (let j = 0; j < config.k; j++) {
      const kk = g * config.k + j;
      pokes[`act_${j}`] = kk < K ? act[kk]! : 0;
      // Integer units multiply by q - z itself; float units by q - z in the activation format.
      for (let c = 0; c < N; c++) {
        const w = (kk < K ? codes[kk * N + c]! : 0) - zeros[c]!;
        pokes[`weights_${c}_${j}`] = format === undefined ? w : fpFromInt(format, w);
      }
    }
    script.poke(pokes).step();
  }
  const expected = format === undefined ? mpgemmInt(vector.operands) : macFpMpgemm(vector.operands, { k: config.k, act: config.act });
  expected.forEach((value, c) => script.expect(`acc_${c}`, value, `unit ${c}`));
  return script.build();
}

/** The vector on `units` units: columns cut off, or new ones with codes and zero point 0. */
function withUnits(op: MatmulOperands, units: number): MatmulOperands {
  if (units <= op.N) return subOperands(op, [0, 1], [0, op.K], [0, units]);
  const codes = new Uint8Array(op.K * units);
  for (let k = 0; k < op.K; k++) codes.set(op.codes.subarray(k * op.N, (k + 1) * op.N), k * units);
  const zeros = new Int32Array(units);
  zeros.set(op.zeros);
  return { ...op, N: units, codes, zeros };
}

export const dotProductTarget = defineTarget<DotProductConfig, DotVector>({
  name: 'dot-product',
  schema: dotProductConfig as unknown as ZodType<DotProductConfig>,
  drawConfig,
  drawVectors: (config, random, count) => Array.from({ length: count }, () => drawVector(config, random)),
  run: async (config, vectors, options = {}) => {
    const scripts = vectors.map((vector) => (config.kind === 'mac' ? macScript(config, vector) : serialScript(config, vector)));
    return runScriptVectors(dotProductGenerator.generate(config), scripts, vectors.map((vector) => options.perturb?.(vector) ?? false));
  },
  shrinkVector: (_config, vector) => [
    ...(vector.stalls === 0 ? [] : [{ ...vector, stalls: 0 }]),
    ...[...dimensionShrinks(vector.operands, { M: true, N: true }), ...valueShrinks(vector.operands)].map((operands) => ({ ...vector, operands })),
  ],
  fitVector: (config, vector) => {
    const operands = fitOperands(withUnits(vector.operands, config.units), vector.format, config);
    return operands === undefined ? undefined : { ...vector, operands, format: config.act };
  },
  simplest: { units: [1], maxK: [1], k: [1], wbits: [1], act: ['int8'], kind: ['lut'], table: ['symmetric'] },
  size: (vector) => operandSize(vector.operands),
  describe: (vector) => `${describeOperands(vector.operands)} ${vector.label}${vector.stalls === 0 ? '' : ', stalls'}`,
});
