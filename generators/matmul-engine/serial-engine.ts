// The bit-serial engine top: the streams of docs/design/lut-tensor-core.md around a serial tile.
// Per row block it takes a command, then for every n-tile the weight planes of every k-group
// followed by the zero-point correction planes. During the first n-tile it also takes one
// activation group per k-group, builds that group's table once (shared precompute) and keeps it in
// the table buffer, so the later n-tiles of the row block read the table back instead of
// recomputing it.
//
// Two stages: A accepts a weight beat (and an activation beat when one is due) and reads or
// writes the table buffer; B steps the tile with the fields, plane and row operands. A finished
// tile's accumulators are the `out` beat: the next tile may start in the cycle the beat leaves,
// so there is no output buffer and no bubble while the consumer is ready.
//
// With floating-point activations (`float`) the same sequencing drives FP32 arithmetic: the table
// precompute widens the activations and builds FP32 tables, row sums are FP32 sums, the plane shift
// is an exponent adjustment, and each unit accumulates with an FP32 adder
// (docs/design/lut-tensor-core.md).

import { adderTree, bitsFor, Bool, cat, connect, type Expr, fpAdd, type FpFormat, fpScale, type IntShape, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, type Signal, SInt, UInt } from '../../api/index.js';
import { fpTablePrecompute } from './fp-table-precompute.js';
import { FP32_NEGATIVE_ZERO } from './fp-serial-unit.js';
import { reinterprets, type SerialUnitParams } from './serial-unit.js';
import { tablePrecompute } from './table-precompute.js';
import { frontEnd } from './front-end.js';
import { serialTile } from './serial-tile.js';
import { ACCUMULATOR_FORMAT } from '../../contracts/engine-widths.js';

/** The engine's widths are of unshifted operands; the units get them shifted by the plane. */
export interface SerialEngineParams extends SerialUnitParams {
  readonly m: number;
  readonly n: number;
  readonly wbits: number;
  readonly outBits: number;
  /** Table groups the buffer holds: ceil(maxK / k). */
  readonly maxGroups: number;
  /** The activation format when it is floating point: tables, sums and results are then FP32. */
  readonly float?: FpFormat;
}

/** A serial engine generator whose top module is called `name` (one per engine family). */
export function serialEngine(name: string): (params: SerialEngineParams) => ModuleDef<EngineIo> {
  return moduleGenerator(name, buildEngine);
}

export interface EngineIo {
  readonly cmd: unknown;
  readonly act: unknown;
  readonly weight: unknown;
  readonly out: unknown;
}

function buildEngine(m: ModuleBuilder, params: SerialEngineParams): EngineIo {
  const { m: rows, n: columns, k, wbits, actBits, entryBits, rowSumBits, outBits, maxGroups, lookup, float } = params;
  const front = frontEnd(m, { rows, columns, k, actBits, outBits, weightBits: columns * k, maxGroups, float: float !== undefined });
  const { cmd, act, weight, out, busy, tile, group, start, advance } = front;

  // ---- stage A: sequencing (k-groups of bit planes, then the correction planes, per n-tile) ----
  const plane = m.reg('plane', UInt(bitsFor(wbits)), { init: 0 });
  const correcting = m.reg('correcting', Bool, { init: 0 });
  const lastPlane = plane.eq(wbits - 1);
  const needAct = m.node('need_act', busy.and(tile.eq(0)).and(correcting.not()).and(plane.eq(0)));
  weight.ready.assign(advance.and(busy).and(needAct.not().or(act.valid)));
  act.ready.assign(advance.and(needAct).and(weight.valid));
  const accept = m.node('accept', weight.valid.and(weight.ready));
  m.when(accept, () => {
    plane.assign(mux(lastPlane, plane.coerce(0).zext(plane.width), plane.addWrap(1)));
    m.when(lastPlane, () => {
      m.when(correcting.not(), () => {
        front.nextGroup();
        correcting.assign(front.lastGroup);
      }).otherwise(() => {
        correcting.assign(0);
        front.nextTile();
      });
    });
  });

  // ---- row operands: tables (or activations) built once per row block, kept per group ----
  const storesTables = lookup === 'table';
  const rowOperandShape = float !== undefined ? UInt(entryBits) : storesTables ? SInt(entryBits) : SInt(actBits);
  const sources = act.data.map((groupActs, r) => rowSource(m, params, groupActs, `precompute_r${r}`));
  const operandsNow = sources.map((source) => source.operands);
  const rowSumNow = sources.map((source) => source.groupSum);
  const rowSums = Array.from({ length: rows }, (_, r) => m.reg(`row_sum_r${r}`, float !== undefined ? UInt(rowSumBits) : SInt(rowSumBits)));
  const loadAct = m.node('load_act', accept.and(needAct));
  rowSums.forEach((sum, r) => {
    if (float !== undefined) {
      // FP32 sums of the group sums in group order, the first added to -0 (which returns it).
      const base = mux(group.eq(0), lit(FP32_NEGATIVE_ZERO, UInt(rowSumBits)), sum);
      const next = fpAdd(m, `row_sum_r${r}_next`, base, rowSumNow[r]!, ACCUMULATOR_FORMAT);
      m.when(loadAct, () => sum.assign(next));
      return;
    }
    m.when(start, () => sum.assign(sum.coerce(0).sext(rowSumBits)));
    m.when(loadAct, () => sum.assign(sum.addWrap(rowSumNow[r]!.resize(rowSumBits))));
  });

  const recall = m.node('recall', accept.and(tile.ne(0)).and(correcting.not()).and(plane.eq(0)));
  const rowBuffer = groupBuffer(m, { operands: operandsNow, shape: rowOperandShape, maxGroups, group, load: loadAct, recall });

  // ---- stage B: step the tile (its registers load only with a beat, so a stall holds them) ----
  const stepping = m.reg('b_valid', Bool, { init: 0, enable: advance });
  stepping.assign(accept);
  const fields = m.reg('b_fields', UInt(columns * k), { enable: accept });
  fields.assign(weight.data);
  const bPlane = m.reg('b_plane', UInt(bitsFor(wbits)), { enable: accept });
  bPlane.assign(plane);
  const bCorrect = m.reg('b_correct', Bool, { enable: accept });
  bCorrect.assign(correcting);
  const bFirst = m.reg('b_first', Bool, { enable: accept });
  bFirst.assign(correcting.not().and(group.eq(0)).and(plane.eq(0)));
  const bLast = m.reg('b_last', Bool, { enable: accept });
  bLast.assign(correcting.and(lastPlane));
  const bRecalled = m.reg('b_recalled', Bool, { enable: accept });
  bRecalled.assign(tile.ne(0));
  const step = m.node('step', stepping.and(advance));

  const signedRead = reinterprets(params);
  // The plane's weight, applied once per row to what is broadcast rather than in every unit.
  const shifted = planeShifter(m, params, bPlane);
  const array = m.instance(serialTileOf(params), 'array').io as TileIo;
  const rowOperands = rowBuffer.operands(bRecalled).map((row) => row.map(shifted));
  connect(storesTables ? array.entries! : array.act!, rowOperands);
  connect(array.rowSum, rowSums.map(shifted));
  connect(array.fields, fields);
  connect(array.correct, bCorrect);
  connect(array.first, bFirst);
  connect(array.step, step);

  // ---- output: the finished tile ----
  front.driveOut(step.and(bLast));
  const result = (value: Signal): Expr => (float !== undefined ? value : signedRead ? value.shr(1).resize(outBits) : value.resize(outBits));
  array.acc.forEach((row, r) => row.forEach((value, c) => out.data[r]![c]!.assign(result(value))));
  return { cmd, act, weight, out };
}

/** The serial tile's ports as its instantiator sees them (which of `entries`/`act` exist depends on the lookup). */
export interface TileIo {
  readonly entries?: Signal[][];
  readonly act?: Signal[][];
  readonly rowSum: Signal[];
  readonly fields: Signal;
  readonly correct: Signal;
  readonly first: Signal;
  readonly step: Signal;
  readonly acc: Signal[][];
}

export interface GroupBufferOptions {
  /** The row operands of the group arriving now: rows x values. */
  readonly operands: readonly (readonly Expr[])[];
  readonly shape: IntShape;
  readonly maxGroups: number;
  /** The group index: the buffer address. */
  readonly group: Expr;
  /** Keep the arriving operands (first n-tile of a row block). */
  readonly load: Expr;
  /** Read group `group` back (later n-tiles). */
  readonly recall: Expr;
}

/**
 * The per-group store of row operands (tables or activations) that lets the later n-tiles of a
 * row block reuse what the first computed: a synchronous-read memory, plus registers holding the
 * group just loaded, since its first use is the cycle after it arrives.
 */
export function groupBuffer(m: ModuleBuilder, options: GroupBufferOptions): { operands: (recalled: Expr) => Expr[][] } {
  const { operands, shape, maxGroups, group, load, recall } = options;
  const depth = Math.max(2, maxGroups);
  const perRow = operands[0]!.length;
  const buffer = m.memory('group_buffer', { shape: UInt(operands.length * perRow * shape.width), depth, style: 'block' });
  const address = group.resize(bitsFor(depth));
  const fresh = operands.flatMap((row) => row.map((value) => value.asUnsigned()));
  m.when(load, () => buffer.write(address, cat(...[...fresh].reverse())));
  const stored = buffer.read(address, { enable: recall, name: 'group_recalled' });
  const held = operands.map((row, r) =>
    row.map((value, i) => {
      const register = m.reg(`group_r${r}_${i}`, shape, { enable: load });
      register.assign(value);
      return register;
    }),
  );
  return {
    operands: (recalled) =>
      held.map((row, r) =>
        row.map((value, i) => {
          const lo = (r * perRow + i) * shape.width;
          const word = stored.slice(lo + shape.width - 1, lo);
          return mux(recalled, shape.signed ? word.asSigned() : word, value);
        }),
      ),
  };
}

/** What one row offers its units for one activation group. */
export interface RowSource {
  /** The table entries, or the k activations themselves for units that build their own. */
  readonly operands: Expr[];
  /** The group's activation sum (FP32 for floating-point activations). */
  readonly groupSum: Expr;
}

/**
 * A row's operands for one group: a table precompute unit named `name` (FP32 for floating-point
 * activations) when the units look up a shared table, else the activations and their adder tree.
 */
export function rowSource(m: ModuleBuilder, params: SerialEngineParams, acts: readonly Expr[], name: string): RowSource {
  const { k, actBits, entryBits, table, lookup, float } = params;
  if (float !== undefined || lookup === 'table') {
    const def = float !== undefined ? fpTablePrecompute({ k, format: float, kind: table }) : tablePrecompute({ k, actBits, entryBits, kind: table });
    const unit = m.instance(def, name);
    connect(unit.io.act, acts);
    return { operands: unit.io.entries, groupSum: unit.io.groupSum };
  }
  return { operands: [...acts], groupSum: adderTree(acts) };
}

/**
 * Applies the weight 2^b of bit plane `plane` to a row operand. FP32 operands are scaled by
 * exponent adjustment, by 2^(b-1) for {-1,+1} units, so the accumulator ends at Y rather than 2Y
 * (no halving of every result at the end).
 */
export function planeShifter(m: ModuleBuilder, params: SerialEngineParams, plane: Expr): (value: Expr) => Expr {
  const spread = params.wbits - 1;
  const float = params.float;
  const planeDelta = float === undefined ? undefined : m.node('plane_delta', plane.zext(plane.width + 1).asSigned().subWrap(reinterprets(params) ? 1 : 0));
  let scaled = 0;
  return (value) => {
    if (planeDelta !== undefined) return fpScale(m, `plane_scaled_${scaled++}`, value, planeDelta, ACCUMULATOR_FORMAT);
    return spread === 0 ? value : value.shl(plane).resize(value.width + spread);
  };
}

/** The m x n tile of the engine's units, which receive the row operands through `planeShifter`. */
export function serialTileOf(params: SerialEngineParams): ModuleDef<unknown> {
  return serialTile({ ...unitParamsOf(params), m: params.m, n: params.n, ...(params.float !== undefined ? { float: true } : {}) });
}

/** The unit widths behind a row shifter: FP32 operands keep their width, integers grow by the largest plane shift. */
function unitParamsOf(params: SerialEngineParams): SerialUnitParams {
  const { k, wbits, actBits, entryBits, rowSumBits, accBits, table, lookup, float } = params;
  const spread = float !== undefined ? 0 : wbits - 1;
  return { k, actBits: actBits + spread, entryBits: entryBits + spread, rowSumBits: rowSumBits + spread, accBits, table, lookup };
}
