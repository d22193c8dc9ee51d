// The m x n x k tile: m rows (one table or activation group each), n weight columns (k bits of
// one plane each), m*n serial units. Row operands are broadcast along a row to n units, a column's
// weight bits down the column to m units: the wiring the elongated M2N64K4 tile is chosen for.

import { Bool, cat, connect, type Expr, type IntShape, lit, type ModuleDef, moduleGenerator, type Signal, SInt, UInt, Vec } from '../../api/index.js';
import { fpSerialUnit } from './fp-serial-unit.js';
import { pickWidth, serialUnit, type SerialUnitParams } from './serial-unit.js';
import { tableEntries } from '../../contracts/table-kind.js';

export interface SerialTileParams extends SerialUnitParams {
  readonly m: number;
  readonly n: number;
  /** FP32 units (floating-point activations): operands and accumulators are FP32 bit patterns. */
  readonly float?: boolean;
}

/**
 * Ports: `entries` (m tables) or `act` (m activation groups), `rowSum` (m), `fields` (n columns of
 * k bits, column c in bits [c*k, c*k + k)), `correct`, `first`, `step`; `acc` (m x n) out.
 */
export const serialTile = moduleGenerator('serial_tile', (m, params: SerialTileParams) => {
  const { m: rows, n: columns, k, actBits, entryBits, rowSumBits, accBits, table, lookup, float = false } = params;
  const unitParams: SerialUnitParams = { k, actBits, entryBits, rowSumBits, accBits, table, lookup };
  if (float && lookup !== 'table') throw new Error(`floating-point units need a shared table, not lookup '${lookup}'`);
  const word = (bits: number): IntShape => (float ? UInt(bits) : SInt(bits));
  const entries = lookup === 'table' ? m.input('entries', Vec(rows, Vec(tableEntries(table, k), word(entryBits)))) : undefined;
  const act = lookup === 'table' ? undefined : m.input('act', Vec(rows, Vec(k, SInt(actBits))));
  const rowSum = m.input('rowSum', Vec(rows, word(rowSumBits)));
  const fields = m.input('fields', UInt(columns * k));
  const correct = m.input('correct', Bool);
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', Vec(rows, Vec(columns, word(accBits))));

  const unit: ModuleDef<unknown> = float ? fpSerialUnit({ k, table }) : serialUnit(unitParams);
  const usesTable = lookup !== 'gated-add';
  // Per column, once for its m units: the top bit, and the entry the other bits pick, one-hot.
  const columnField = (c: number): Expr => fields.slice(c * k + k - 1, c * k);
  const picks = Array.from({ length: usesTable ? columns : 0 }, (_, c) => m.node(`pick_c${c}`, pickOf(columnField(c), unitParams)));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      // The unit's optional ports follow the same params as ours, so they exist exactly when ours do.
      const io = m.instance(unit, `unit_r${r}_c${c}`).io as UnitIo;
      if (entries) connect(io.entries!, entries[r]!);
      if (act) connect(io.act!, act[r]!);
      io.rowSum.assign(rowSum[r]!);
      if (usesTable) {
        io.pick!.assign(picks[c]!);
        io.top!.assign(columnField(c).bit(k - 1));
      } else {
        io.field!.assign(columnField(c));
      }
      io.correct.assign(correct);
      io.first.assign(first);
      io.step.assign(step);
      acc[r]![c]!.assign(io.acc);
    }
  }
  return { ...(entries ? { entries } : { act: act! }), rowSum, fields, correct, first, step, acc };
});

/**
 * The one-hot `pick` a table unit receives for a column's k-bit field (as packed): the entry the
 * low bits select, all of them for the symmetric table (its top bit is the sign, `top`).
 */
export function pickOf(field: Expr, params: Pick<SerialUnitParams, 'k' | 'table'>): Expr {
  const { k, table } = params;
  const index = table === 'symmetric' ? (k === 1 ? undefined : field.slice(k - 2, 0)) : field;
  const lines = Array.from({ length: pickWidth(params) }, (_, j) => (index === undefined ? lit(1, Bool) : index.eq(j)));
  return cat(...lines.reverse());
}

/** A unit's ports seen from the tile (which of `entries`/`act`/`plane` exist depends on the params). */
interface UnitIo {
  readonly entries?: Signal[];
  readonly act?: Signal[];
  readonly rowSum: Signal;
  readonly pick?: Signal;
  readonly top?: Signal;
  readonly field?: Signal;
  readonly correct: Signal;
  readonly first: Signal;
  readonly step: Signal;
  readonly acc: Signal;
}
