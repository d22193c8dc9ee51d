// What every matrix engine of docs/design/lut-tensor-core.md has in common around its array: the
// four streams, the row-block command, the n-tile and k-group counters, and the rule that a
// finished tile waiting on `out` holds everything (the array's accumulators are the output beat,
// with no buffer).

import { bitsFor, Bool, Bundle, type Expr, type ModuleBuilder, mux, type Signal, SInt, Stream, UInt, Vec } from '../../api/index.js';

/** Bits of the command's n-tile count: N up to 65535 * n. */
export const TILE_COUNT_BITS = 16;

export function groupCountBits(maxGroups: number): number {
  return bitsFor(maxGroups + 1);
}

export interface FrontEndParams {
  readonly rows: number;
  readonly columns: number;
  readonly k: number;
  readonly actBits: number;
  readonly outBits: number;
  /** Bits of one weight beat. */
  readonly weightBits: number;
  readonly maxGroups: number;
  /** Activations and results are floating-point bit patterns (UInt) rather than signed integers. */
  readonly float?: boolean;
}

interface StreamPorts {
  readonly valid: Signal;
  readonly ready: Signal;
}

export interface FrontEnd {
  readonly cmd: StreamPorts & { readonly data: { readonly tiles: Signal; readonly groups: Signal } };
  readonly act: StreamPorts & { readonly data: Signal[][] };
  readonly weight: StreamPorts & { readonly data: Signal };
  readonly out: StreamPorts & { readonly data: Signal[][] };
  /** A row block is in progress. */
  readonly busy: Signal;
  /** The current n-tile and k-group within the row block. */
  readonly tile: Signal;
  readonly group: Signal;
  /** A command was taken this cycle (the counters are at zero). */
  readonly start: Signal;
  /** Low while a finished tile waits on `out`: nothing may move. */
  readonly advance: Signal;
  readonly lastGroup: Expr;
  readonly lastTile: Expr;
  /** Moves to the next k-group, or to the next n-tile (ending the row block after the last). */
  readonly nextGroup: () => void;
  readonly nextTile: () => void;
  /** Drives `out.valid`: set when `finish` is high, cleared when the beat leaves. */
  readonly driveOut: (finish: Expr) => void;
}

export function frontEnd(m: ModuleBuilder, params: FrontEndParams): FrontEnd {
  const { rows, columns, k, actBits, outBits, weightBits, maxGroups, float = false } = params;
  const groupBits = groupCountBits(maxGroups);
  const value = (bits: number) => (float ? UInt(bits) : SInt(bits));
  const cmd = m.input('cmd', Stream(Bundle({ tiles: UInt(TILE_COUNT_BITS), groups: UInt(groupBits) })));
  const act = m.input('act', Stream(Vec(rows, Vec(k, value(actBits)))));
  const weight = m.input('weight', Stream(UInt(weightBits)));
  const out = m.output('out', Stream(Vec(rows, Vec(columns, value(outBits)))));

  const busy = m.reg('busy', Bool, { init: 0 });
  const tiles = m.reg('tiles', UInt(TILE_COUNT_BITS));
  const groups = m.reg('groups', UInt(groupBits));
  const tile = m.reg('tile', UInt(TILE_COUNT_BITS), { init: 0 });
  const group = m.reg('group', UInt(groupBits), { init: 0 });
  const outValid = m.reg('out_full', Bool, { init: 0 });
  const advance = m.node('advance', outValid.and(out.ready.not()).not());

  cmd.ready.assign(busy.not());
  const start = m.node('start', cmd.valid.and(busy.not()).and(cmd.data.tiles.ne(0)).and(cmd.data.groups.ne(0)));
  m.when(start, () => {
    busy.assign(1);
    tiles.assign(cmd.data.tiles);
    groups.assign(cmd.data.groups);
  });
  const lastGroup = group.eq(groups.subWrap(1));
  const lastTile = tile.eq(tiles.subWrap(1));
  return {
    cmd,
    act,
    weight,
    out,
    busy,
    tile,
    group,
    start,
    advance,
    lastGroup,
    lastTile,
    nextGroup: () => group.assign(mux(lastGroup, group.coerce(0).zext(groupBits), group.addWrap(1))),
    nextTile: () => {
      tile.assign(mux(lastTile, tile.coerce(0).zext(TILE_COUNT_BITS), tile.addWrap(1)));
      m.when(lastTile, () => busy.assign(0));
    },
    driveOut: (finish) => {
      const leaves = out.valid.and(out.ready);
      outValid.assign(mux(finish, 1, mux(leaves, 0, outValid)));
      out.valid.assign(outValid);
    },
  };
}
