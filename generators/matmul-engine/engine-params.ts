// The hardware parameters of the matrix arrays from a tile configuration: the widths the contract
// derives (contracts/engine-widths.ts), plus what each kind of array adds: the serial engine its
// table and unit kinds, the MAC array its weight width.

import { engineWidths, floatFormatOf, type WidthParams } from '../../contracts/engine-widths.js';
import type { TableKind } from '../../contracts/table-kind.js';
import type { MacEngineParams } from './mac-array.js';
import type { SerialEngineParams } from './serial-engine.js';
import type { LookupKind } from './serial-unit.js';

type TileWidthParams = WidthParams & { readonly m: number; readonly n: number };

/** The fields every array takes: the tile, the widths, and the FP format of float activations. */
function tileParams(config: TileWidthParams) {
  const widths = engineWidths(config);
  const float = floatFormatOf(config.act);
  return {
    widths,
    common: {
      m: config.m,
      n: config.n,
      k: config.k,
      wbits: config.wbits,
      actBits: widths.actBits,
      outBits: widths.outBits,
      maxGroups: widths.maxGroups,
      ...(float === undefined ? {} : { float }),
    },
  };
}

/** The serial engine's parameters for a tile configuration and a kind of unit (tensor core or ADD). */
export function serialEngineParams(config: TileWidthParams, table: TableKind, lookup: LookupKind): SerialEngineParams {
  const { widths, common } = tileParams(config);
  return { ...common, entryBits: widths.entryBits, rowSumBits: widths.rowSumBits, accBits: widths.accBits, table, lookup };
}

/** The MAC array's parameters (the engine's and the dot-product array's): activation-wide weights, or wbits + 1 bits. */
export function macEngineParams(config: TileWidthParams & { readonly narrowWeights: boolean }): MacEngineParams {
  const { widths, common } = tileParams(config);
  // Every partial sum is bounded by the largest result: no doubling as in the serial engines.
  return { ...common, weightBits: config.narrowWeights ? config.wbits + 1 : widths.actBits, accBits: widths.outBits };
}
