// The dot-product array: `units` dot-product units fed by one activation group, built from the
// very parts the engines use (table precompute, row shifter, serial tile, MAC tile) so a unit's
// area here is the area it has in an engine, without the engine's streams, sequencing and table
// buffer around it. It is the unit-level comparison of the LUT Tensor Core paper: one table
// precompute broadcast to every unit ('lut') against a table per unit ('lut-local'), add-or-skip
// units ('add') and multipliers ('mac').
//
// Serial kinds take one weight bit plane per cycle; the row operands (table or activations, and the
// row sum) are shifted by the plane once for the array, so units receive them pre-shifted and wbits
// - 1 bits wider, as in the engine. The zero-point correction beats of
// docs/design/lut-tensor-core.md need the activation sum over all groups of a result, so the array
// keeps it in one register (the engine's row sum) beside the units.

import { bitsFor, Bool, connect, fpAdd, type IntShape, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, type Signal, SInt, UInt, Vec } from '../../api/index.js';
import { macTile } from '../matmul-engine/mac-array.js';
import { planeShifter, rowSource, type SerialEngineParams, serialTileOf, type TileIo } from '../matmul-engine/serial-engine.js';
import { FP32_NEGATIVE_ZERO } from '../matmul-engine/fp-serial-unit.js';
import type { DotProductConfig } from './config.js';
import { ACCUMULATOR_FORMAT, isFloatAct } from '../../contracts/engine-widths.js';
import { macEngineParams, serialEngineParams } from '../matmul-engine/engine-params.js';

/**
 * Serial kinds. In: `act` (the k activations of the group), `plane` (the bit plane b; absent for
 * integer W1, which never shifts), `fields` (unit c's k weight bits of this plane in bits [c*k, c*k
 * + k), packed as docs/design/lut-tensor-core.md says for the table kind), `correct`, `first`,
 * `step`. Out: `acc` per unit (2Y for the {-1,+1} tables, Y for 'unsigned' and 'add'; FP32 Y for
 * FP).
 */
export interface SerialArrayIo {
  readonly act: Signal[];
  readonly plane?: Signal;
  readonly fields: Signal;
  readonly correct: Signal;
  readonly first: Signal;
  readonly step: Signal;
  readonly acc: Signal[];
}

/** MAC. In: `act`, `weights` (unit c's k weights q - z: wbits+1 signed bits, or bit patterns of the FP activation format), `first`, `step`. Out: `acc` per unit (Y). */
export interface MacArrayIo {
  readonly act: Signal[];
  readonly weights: Signal[][];
  readonly first: Signal;
  readonly step: Signal;
  readonly acc: Signal[];
}

export type DotProductIo = SerialArrayIo | MacArrayIo;

export const dotProductArray = moduleGenerator('dot_product_array', (m, config: DotProductConfig): DotProductIo =>
  config.kind === 'mac' ? buildMacArray(m, config) : buildSerialArray(m, config),
);

export function buildDotProduct(config: DotProductConfig): ModuleDef<DotProductIo> {
  return dotProductArray(config);
}

/** The serial engine's parameters for one row of `units` units of a serial kind. */
export function serialArrayParams(config: DotProductConfig): SerialEngineParams {
  const shape = { m: 1, n: config.units, k: config.k, wbits: config.wbits, act: config.act, maxK: config.maxK };
  if (config.kind === 'add') return serialEngineParams(shape, 'unsigned', 'gated-add');
  return serialEngineParams(shape, config.table, config.kind === 'lut' ? 'table' : 'local-table');
}

function buildSerialArray(m: ModuleBuilder, config: DotProductConfig): SerialArrayIo {
  const params = serialArrayParams(config);
  const { k, wbits, actBits, rowSumBits, accBits, lookup, float } = params;
  const word = (bits: number): IntShape => (float === undefined ? SInt(bits) : UInt(bits));
  const act = m.input('act', Vec(k, word(actBits)));
  // An integer W1 array never shifts, so it has no plane port (it would go unread).
  const plane = wbits > 1 || float !== undefined ? m.input('plane', UInt(bitsFor(wbits))) : undefined;
  const fields = m.input('fields', UInt(config.units * k));
  const correct = m.input('correct', Bool);
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', Vec(config.units, word(accBits)));

  const source = rowSource(m, params, act, 'precompute');
  // A group's sum enters the row sum once, on its first plane; `first` starts a new result.
  const rowSum = m.reg('row_sum', word(rowSumBits));
  const groupBeat = step.and(correct.not());
  const load = m.node('load_group', plane === undefined ? groupBeat : groupBeat.and(plane.eq(0)));
  const next =
    float === undefined
      ? mux(first, rowSum.coerce(0).sext(rowSumBits), rowSum).addWrap(source.groupSum.resize(rowSumBits))
      : fpAdd(m, 'row_sum_next', mux(first, lit(FP32_NEGATIVE_ZERO, UInt(rowSumBits)), rowSum), source.groupSum, ACCUMULATOR_FORMAT);
  m.when(load, () => rowSum.assign(next));

  const shifted = planeShifter(m, params, plane ?? lit(0, UInt(1)));
  const tile = m.instance(serialTileOf(params), 'units').io as TileIo;
  connect(lookup === 'table' ? tile.entries! : tile.act!, [source.operands.map(shifted)]);
  connect(tile.rowSum, [shifted(rowSum)]);
  connect(tile.fields, fields);
  connect(tile.correct, correct);
  connect(tile.first, first);
  connect(tile.step, step);
  tile.acc[0]!.forEach((value, c) => acc[c]!.assign(value));
  return { act, ...(plane === undefined ? {} : { plane }), fields, correct, first, step, acc };
}

function buildMacArray(m: ModuleBuilder, config: DotProductConfig): MacArrayIo {
  // Integer units multiply by the dequantized code q - z in wbits+1 bits (the narrow-weight best
  // case for MAC); floating-point units by weights in the activation format.
  const params = macEngineParams({ m: 1, n: config.units, k: config.k, wbits: config.wbits, act: config.act, maxK: config.maxK, narrowWeights: !isFloatAct(config.act) });
  const { k, actBits, weightBits, accBits, float } = params;
  const word = (bits: number): IntShape => (float === undefined ? SInt(bits) : UInt(bits));
  const act = m.input('act', Vec(k, word(actBits)));
  const weights = m.input('weights', Vec(config.units, Vec(k, word(weightBits))));
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', Vec(config.units, word(accBits)));

  const tile = m.instance(macTile(params), 'units').io;
  connect(tile.act, [act]);
  connect(tile.weights, weights);
  connect(tile.first, first);
  connect(tile.step, step);
  tile.acc[0]!.forEach((value, c) => acc[c]!.assign(value));
  return { act, weights, first, step, acc };
}
