// The block's buffer reader: one word per cycle out of a block RAM into the phase's consumer, with
// the word held (in the memory's output register) until the consumer takes it.
//
// Words go in the order (outer group q, token t, word j of the row): address
// t * rowStride + q * outerStride + column(j). Engine rounds use q for the engine's position
// groups (each of units * v words, zero past the reduction length K); the other phases have one
// group. column(j) is j, except in QK (the row rotated so that k and v come before q) and in SiLU
// (gate j and up j alternate).

import { Bool, type Expr, lit, type ModuleBuilder, mux, type Signal, UInt } from '../../api/index.js';

export interface ReaderParams {
  readonly phase: Expr;
  readonly restart: Expr;
  readonly tokens: Expr;
  readonly addressBits: number;
  readonly rowLength: Expr;
  readonly rowStride: Expr;
  readonly outerCount: Expr;
  readonly outerStride: number;
  /** Words past this many in a row read as zero (engine order only). */
  readonly reduction: Expr;
  readonly reading: Expr;
  readonly engineOrder: Expr;
  /** Column j reads word (j + offset) mod length. */
  readonly rotateBy: { readonly when: Expr; readonly offset: number; readonly length: number };
  /** Column j reads word j/2, plus `half` for odd j. */
  readonly pairsOf: { readonly when: Expr; readonly half: number };
  /** With rotateBy: kind 0 below the first bound, 1 below the second, else 2. Otherwise kind = j mod 2. */
  readonly kindBounds: readonly [number, number];
}

export interface BlockReader {
  readonly address: Expr;
  /** High when a word is read this cycle (the memory's read enable). */
  readonly issue: Expr;
  /** A word is held for the consumer. */
  readonly valid: Signal;
  readonly zero: Signal;
  readonly kind: Signal;
  readonly token: Signal;
  /** Driven by the block: the phase's consumer takes the held word. */
  readonly consumerReady: Signal;
  /** Every word read and taken. */
  readonly finished: Expr;
}

export function blockReader(m: ModuleBuilder, p: ReaderParams): BlockReader {
  const address = UInt(p.addressBits);
  const j = m.reg('read_index', address, { init: 0 });
  const token = m.reg('read_token', UInt(p.tokens.width), { init: 0 });
  const outer = m.reg('read_group', address, { init: 0 });
  const rowBase = m.reg('read_row_base', address, { init: 0 });
  const outerBase = m.reg('read_group_base', address, { init: 0 });
  const issuedAll = m.reg('read_issued_all', Bool, { init: 0 });
  const valid = m.reg('read_valid', Bool, { init: 0 });
  const heldZero = m.reg('read_zero', Bool, { init: 0 });
  const heldKind = m.reg('read_kind', UInt(2), { init: 0 });
  const heldToken = m.reg('read_held_token', UInt(p.tokens.width), { init: 0 });
  const consumerReady = m.wire('read_consumer_ready', Bool);

  const taken = m.node('read_taken', valid.and(consumerReady));
  const issue = m.node('read_issue', p.reading.and(issuedAll.not()).and(valid.not().or(taken)).and(p.restart.not()));

  const { offset, length } = p.rotateBy;
  const rotated = mux(j.lt(length - offset), j.addWrap(offset), j.subWrap(length - offset));
  const paired = j.shr(1).addWrap(mux(j.bit(0), lit(p.pairsOf.half, address), lit(0, address)));
  const column = mux(p.rotateBy.when, rotated, mux(p.pairsOf.when, paired, j));
  const [firstBound, secondBound] = p.kindBounds;
  const kind = mux(p.rotateBy.when, mux(j.lt(firstBound), lit(0, UInt(2)), mux(j.lt(secondBound), lit(1, UInt(2)), lit(2, UInt(2)))), j.bit(0).zext(2));
  const inReduction = outerBase.addWrap(j).lt(p.reduction);

  const lastWord = j.addWrap(1).eq(p.rowLength);
  const lastToken = token.addWrap(1).eq(p.tokens);
  const lastOuter = outer.addWrap(1).ge(p.outerCount);
  m.when(p.restart, () => {
    for (const r of [j, token, outer, rowBase, outerBase, issuedAll, valid]) r.assign(0);
  }).otherwise(() => {
    m.when(issue, () => {
      valid.assign(1);
      heldZero.assign(p.engineOrder.and(inReduction.not()));
      heldKind.assign(kind);
      heldToken.assign(token);
      m.when(lastWord.not(), () => j.assign(j.addWrap(1))).otherwise(() => {
        j.assign(0);
        m.when(lastToken.not(), () => {
          token.assign(token.addWrap(1));
          rowBase.assign(rowBase.addWrap(p.rowStride));
        }).otherwise(() => {
          token.assign(0);
          rowBase.assign(0);
          outer.assign(outer.addWrap(1));
          outerBase.assign(outerBase.addWrap(p.outerStride));
          m.when(lastOuter, () => issuedAll.assign(1));
        });
      });
    }).elseWhen(taken, () => valid.assign(0));
  });
  return {
    address: m.node('read_address', rowBase.addWrap(outerBase).addWrap(column)),
    issue,
    valid,
    zero: heldZero,
    kind: heldKind,
    token: heldToken,
    consumerReady,
    finished: m.node('read_finished', issuedAll.and(valid.not())),
  };
}
