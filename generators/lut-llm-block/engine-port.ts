// The block's side of the shared linear engine (docs/design/lut-llm-block.md): activations leave
// the activation buffer one FP32 word per cycle and are gathered into the engine's `act` beats;
// the engine's `out` beats (lookupsPerCycle results each) are taken apart again, one result per
// cycle, into the result buffer, or added to the residual as they are written.

import { Bool, type Expr, lit, type ModuleBuilder, mux, type Signal, UInt } from '../../api/index.js';
import { bitsFor, FP32, fpAdd } from '../../api/index.js';
import type { StreamPorts } from './common.js';


/**
 * Shifts `units * v` words into one `act` beat (the first word lands in unit 0, element 0) and
 * offers it to the engine. Returns whether the gather takes a word this cycle.
 */
export function gatherActivations(m: ModuleBuilder, act: StreamPorts<Signal[][]>, word: { valid: Expr; data: Expr }, units: number, v: number): Expr {
  const words = units * v;
  const beat = m.reg('act_beat', UInt(words * 32));
  const count = m.reg('act_words', UInt(bitsFor(words + 1)), { init: 0 });
  const full = m.node('act_full', count.eq(words));
  const takeWord = m.node('act_gather', word.valid.and(full.not()));
  act.valid.assign(full);
  const sent = m.node('act_sent', full.and(act.ready));
  m.when(takeWord, () => {
    beat.assign(words === 1 ? word.data : word.data.concat(beat.slice(words * 32 - 1, 32)));
    count.assign(count.addWrap(1));
  }).elseWhen(sent, () => count.assign(0));
  act.data.forEach((unit, u) => unit.forEach((element, e) => element.assign(beat.slice((u * v + e) * 32 + 31, (u * v + e) * 32))));
  return full.not();
}

/** The round being collected: constants of its projection, selected by the phase. */
export interface CollectRound {
  /** Output columns N of the projection (the destination's row length). */
  readonly columns: Expr;
  /** Chunks of lookupsPerCycle columns in its last column group. */
  readonly lastChunks: Expr;
  /** Column groups G. */
  readonly groups: Expr;
  /** Add the word read from the residual buffer to each result. */
  readonly residual: Expr;
}

export interface CollectPorts {
  /** The residual's read address (the same address as the write, one cycle earlier). */
  readonly readAddress: Expr;
  readonly readEnable: Expr;
  readonly writeAddress: Expr;
  readonly writeData: Expr;
  readonly writeEnable: Expr;
  /** High once every `out` beat of the round is written. */
  readonly done: Expr;
}

/**
 * Takes the engine's `out` beats of one round, ordered (column group, token, chunk), and writes
 * result t*N + column for each of the beat's lanes in turn. With `residual`, lane j's residual is
 * read in the cycle lane j is selected and added in the next, when it is written.
 */
export function collectResults(
  m: ModuleBuilder,
  out: StreamPorts<{ y?: Signal[] }>,
  params: { lanes: number; chunks: number; groupCols: number; addressBits: number; tokens: Expr; start: Expr; active: Expr; round: CollectRound; residualData: Expr },
): CollectPorts {
  const { lanes, chunks, groupCols, addressBits, tokens, start, active, round } = params;
  const y = out.data.y;
  if (y === undefined) throw new Error('the block engine must dequantize (FP32 y)');
  const address = UInt(addressBits);
  const lanesHeld = m.reg('collect_lanes', UInt(lanes * 32));
  const laneLeft = m.reg('collect_left', UInt(bitsFor(lanes + 1)), { init: 0 });
  const chunk = m.reg('collect_chunk', UInt(bitsFor(chunks)), { init: 0 });
  const token = m.reg('collect_token', UInt(tokens.width), { init: 0 });
  const group = m.reg('collect_group', UInt(round.groups.width), { init: 0 });
  const rowBase = m.reg('collect_row_base', address, { init: 0 });
  const column = m.reg('collect_column', address, { init: 0 });
  const finished = m.reg('collect_finished', Bool, { init: 0 });

  const take = m.node('collect_take', active.and(out.valid).and(laneLeft.eq(0)).and(finished.not()));
  out.ready.assign(active.and(laneLeft.eq(0)).and(finished.not()));
  const emitting = m.node('collect_emit', laneLeft.ne(0));
  const lastGroup = group.addWrap(1).eq(round.groups);
  const lastChunk = mux(lastGroup, chunk.zext(round.lastChunks.width).addWrap(1).eq(round.lastChunks), chunk.eq(chunks - 1));
  const lastToken = token.addWrap(1).eq(tokens);
  m.when(start, () => {
    for (const r of [laneLeft, chunk, token, group, rowBase, column, finished]) r.assign(0);
  }).elseWhen(take, () => {
    const values = y.map((value) => value as Expr);
    lanesHeld.assign(values.length === 1 ? values[0]! : values.reverse().reduce((acc, value) => acc.concat(value)));
    laneLeft.assign(lanes);
  }).elseWhen(emitting, () => {
    lanesHeld.assign(lanes === 1 ? lanesHeld : lit(0, UInt(32)).concat(lanesHeld.slice(lanes * 32 - 1, 32)));
    laneLeft.assign(laneLeft.subWrap(1));
    column.assign(column.addWrap(1));
    m.when(laneLeft.eq(1), () => {
      // The beat's last lane: step (chunk, token, group) and place the next beat.
      m.when(lastChunk.not(), () => {
        chunk.assign(chunk.addWrap(1));
        column.assign(column.addWrap(1));
      }).otherwise(() => {
        chunk.assign(0);
        m.when(lastToken.not(), () => {
          token.assign(token.addWrap(1));
          rowBase.assign(rowBase.addWrap(round.columns.resize(addressBits)));
          column.assign(group.resize(addressBits).mul(groupCols).resize(addressBits));
        }).otherwise(() => {
          token.assign(0);
          rowBase.assign(0);
          group.assign(group.addWrap(1));
          column.assign(group.addWrap(1).resize(addressBits).mul(groupCols).resize(addressBits));
          m.when(lastGroup, () => finished.assign(1));
        });
      });
    });
  });
  // Within a chunk the column advances with each lane; `column` already points at the lane.
  const inRange = m.node('collect_in_range', column.lt(round.columns.resize(addressBits)));
  const laneAddress = m.node('collect_address', rowBase.addWrap(column));
  const pendingWrite = m.reg('collect_write', Bool, { init: 0 });
  const pendingAddress = m.reg('collect_write_address', address);
  const pendingValue = m.reg('collect_write_value', UInt(32));
  pendingWrite.assign(emitting.and(inRange));
  pendingAddress.assign(laneAddress);
  pendingValue.assign(lanesHeld.slice(31, 0));
  const sum = fpAdd(m, 'residual_add', params.residualData, pendingValue, FP32);
  return {
    readAddress: laneAddress,
    readEnable: emitting.and(round.residual),
    writeAddress: pendingAddress,
    writeData: mux(round.residual, sum, pendingValue),
    writeEnable: pendingWrite,
    done: m.node('collect_done', finished.and(pendingWrite.not())),
  };
}
