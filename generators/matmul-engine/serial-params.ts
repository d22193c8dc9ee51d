// The bit-serial engine's parameters from a tile configuration: the widths the contract derives,
// the kind of table, and the kind of unit (LUT Tensor Core, its per-unit-table ablation, or ADD).

import { engineWidths, floatFormatOf, type WidthParams } from '../../contracts/engine-widths.js';
import type { TableKind } from '../../contracts/table-kind.js';
import type { SerialEngineParams } from './serial-engine.js';
import type { LookupKind } from './serial-unit.js';

/** The serial engine's parameters for a tile configuration and a kind of unit (tensor core or ADD). */
export function serialEngineParams(config: WidthParams & { m: number; n: number }, table: TableKind, lookup: LookupKind): SerialEngineParams {
  const widths = engineWidths(config);
  const float = floatFormatOf(config.act);
  return {
    m: config.m,
    n: config.n,
    k: config.k,
    wbits: config.wbits,
    actBits: widths.actBits,
    entryBits: widths.entryBits,
    rowSumBits: widths.rowSumBits,
    accBits: widths.accBits,
    outBits: widths.outBits,
    maxGroups: widths.maxGroups,
    table,
    lookup,
    ...(float === undefined ? {} : { float }),
  };
}
