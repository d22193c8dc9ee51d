// The designs of the dot-product proofs, in two lemmas that are each within reach of Yosys' SAT
// solver, where the whole theorem at once is not (see README, "Proofs"):
// - one bit plane of one group, for all activations and weight bits at once: the generator's table
//   path against the plain dot product with {-1,+1} (or {0,1}) weights;
// - the bit-serial array beat by beat, for any sequence of beats: the real array against a plain
//   serial reference that accumulates those plane dot products shifted by 2^plane, and the
//   zero-point correction beats, as docs/design/lut-tensor-core.md defines them.
// The offline packing of the symmetric table (where the top bit of a field is 0, the low bits are
// inverted) is written here as hardware in front of the generator's parts, so it is proven too.

import { Bool, bitsFor, cat, lit, moduleGenerator, mux, SInt, UInt, Vec, type Expr, type ModuleDef } from '../dsl/index.js';
import { buildDotProduct, type SerialArrayIo } from '../generators/dot-product/array.js';
import { dotProductConfig, type DotProductKind } from '../generators/dot-product/config.js';
import { reinterprets, tableLookup } from '../generators/matmul-engine/serial-unit.js';
import { tablePrecompute } from '../generators/matmul-engine/table-precompute.js';
import { pickOf } from '../generators/matmul-engine/serial-tile.js';
import type { TableKind } from '../contracts/table-kind.js';
import { engineWidths, type ActFormat } from '../contracts/engine-widths.js';

export interface DotShape {
  readonly k: number;
  readonly wbits: number;
  readonly act: Extract<ActFormat, 'int8' | 'int16'>;
}

/** A plane's plain dot product: sum_j a_j * w_j with w_j = +-1 by bit j ({-1,+1} tables) or 0/1 ('unsigned'). */
export function planeDotProduct(act: readonly Expr[], bits: Expr, signedRead: boolean): Expr {
  const weighted = act.map((a, j) => (signedRead ? mux(bits.bit(j), a.sext(a.width + 1), a.neg()) : mux(bits.bit(j), a, lit(0, a.shape))));
  return weighted.reduce((sum, term) => sum.add(term));
}

/** A column field as the host packs it: for the symmetric table, low bits inverted where the top bit is 0. */
export function packedField(bits: Expr, table: TableKind): Expr {
  const k = bits.width;
  if (table !== 'symmetric' || k === 1) return bits;
  const top = bits.bit(k - 1);
  return cat(top, mux(top, bits.slice(k - 2, 0), bits.slice(k - 2, 0).not()));
}

export interface PlaneLookupParams extends DotShape {
  readonly table: TableKind;
  readonly side: 'gate' | 'gold';
  /** For the proof that a broken unit is caught: the lookup reads entry `j` one too high. */
  readonly brokenEntry?: number;
}

/**
 * One bit plane of one group, all inputs at once. Gate: the generator's table path (the precompute
 * module, the host's packing, the tile's one-hot decode, the unit's lookup and sign). Gold: the
 * plain dot product with the plane's weights. Both read the plane's bits as {-1,+1} unless the
 * table is 'unsigned'. Ports: `act` (k activations), `bits` (the k weight bits, unpacked), `y`.
 */
export const planeLookup = moduleGenerator('plane_lookup', (m, params: PlaneLookupParams) => {
  const { k, wbits, act: format, table, side, brokenEntry } = params;
  const act = m.input('act', Vec(k, SInt(format === 'int8' ? 8 : 16)));
  const bits = m.input('bits', UInt(k));
  const signedRead = reinterprets({ table, lookup: 'table' });
  const { actBits, entryBits } = engineWidths({ k, wbits, act: format, maxK: k });
  const y = m.output('y', SInt(entryBits + 1));
  if (side === 'gold') {
    y.assign(planeDotProduct(act, bits, signedRead).resize(y.width));
    return { act, bits, y };
  }
  const precompute = m.instance(tablePrecompute({ k, actBits, entryBits, kind: table }), 'precompute').io;
  act.forEach((a, j) => precompute.act[j]!.assign(a));
  const entries = precompute.entries.map((entry, j) => (j === brokenEntry ? entry.addWrap(1) : entry));
  const field = m.node('field', packedField(bits, table));
  const looked = tableLookup({ entryBits, table }, pickOf(field, { k, table }), field.bit(k - 1), entries);
  y.assign(mux(looked.negate, looked.value.neg(), looked.value.sext(looked.value.width + 1)).resize(y.width));
  return { act, bits, y };
});

// ---- the serial array against a serial reference, beat by beat -------------------------------

export interface SerialBeatParams extends DotShape {
  readonly table: TableKind;
  readonly kind: Extract<DotProductKind, 'lut' | 'lut-local' | 'add'>;
  readonly side: 'gate' | 'gold';
  /** The array's maxK: at least k times the beats proven, so no sum can outgrow its register. */
  readonly maxK: number;
}

/**
 * The ports of the dot-product array with the weight bits of a plane unpacked (`bits`): the gate
 * packs them as the host does and feeds the real array; the gold accumulates, per
 * docs/design/lut-tensor-core.md, the plane's plain dot product with {-1,+1} (or {0,1}) weights
 * shifted by 2^plane, or on a correction beat +-S (or -S) by the top bit.
 */
export const serialBeatCheck = moduleGenerator('serial_beat_check', (m, params: SerialBeatParams) => {
  const { k, wbits, act: format, table, kind, side, maxK } = params;
  const bits = format === 'int8' ? 8 : 16;
  const act = m.input('act', Vec(k, SInt(bits)));
  const plane = m.input('plane', UInt(bitsFor(wbits)));
  const weightBits = m.input('bits', UInt(k));
  const correct = m.input('correct', Bool);
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const effectiveTable: TableKind = kind === 'add' ? 'unsigned' : table;
  const config = dotProductConfig.parse({ kind, k, wbits, act: format, table: kind === 'add' ? 'symmetric' : table, units: 1, maxK });
  const array = buildDotProduct(config) as ModuleDef<SerialArrayIo>;
  const accBits = array.io.acc[0]!.width;
  const acc = m.output('acc', SInt(accBits));
  // Planes past wbits - 1 are outside the protocol: both sides see them clamped to the last.
  const planeUsed = m.node('plane_used', mux(plane.gt(wbits - 1), lit(wbits - 1, plane.shape), plane));
  if (side === 'gate') {
    const io = m.instance(array, 'array').io;
    act.forEach((a, j) => io.act[j]!.assign(a));
    if (io.plane) io.plane.assign(planeUsed);
    io.fields.assign(mux(correct, weightBits, packedField(weightBits, effectiveTable)));
    io.correct.assign(correct);
    io.first.assign(first);
    io.step.assign(step);
    acc.assign(io.acc[0]!);
    return { act, plane, bits: weightBits, correct, first, step, acc };
  }
  const signedRead = reinterprets({ table: effectiveTable, lookup: kind === 'add' ? 'gated-add' : 'table' });
  const groupSum = act.reduce<Expr>((sum, a) => sum.add(a), lit(0, SInt(1)));
  const rowSum = m.reg('row_sum', SInt(groupSum.width));
  m.when(step.and(correct.not()).and(planeUsed.eq(0)), () => rowSum.assign(mux(first, groupSum, rowSum.add(groupSum).resize(groupSum.width))));
  const planeSum = planeDotProduct(act, weightBits, signedRead);
  const top = weightBits.bit(k - 1);
  const correction = signedRead ? mux(top, rowSum.sext(rowSum.width + 1), rowSum.neg()) : mux(top, rowSum.neg(), lit(0, SInt(rowSum.width + 1)));
  const term = mux(correct, correction.resize(accBits), planeSum.resize(accBits)).shl(planeUsed).resize(accBits);
  const sum = m.reg('sum', SInt(accBits));
  m.when(step, () => sum.assign(mux(first, term, sum.addWrap(term))));
  acc.assign(sum);
  return { act, plane, bits: weightBits, correct, first, step, acc };
});
