// The MAC array's parameters from a tile configuration: the widths the contract derives, and the
// weight width (activation-wide, or wbits + 1 bits for the narrow-weight best case).

import { engineWidths, floatFormatOf, type WidthParams } from '../../contracts/engine-widths.js';
import type { MacEngineParams } from './mac-array.js';

/** The MAC array's parameters for a tile configuration (shared by the engine and the dot-product array). */
export function macEngineParams(config: WidthParams & { readonly m: number; readonly n: number; readonly narrowWeights: boolean }): MacEngineParams {
  const widths = engineWidths(config);
  const float = floatFormatOf(config.act);
  return {
    m: config.m,
    n: config.n,
    k: config.k,
    wbits: config.wbits,
    actBits: widths.actBits,
    weightBits: config.narrowWeights ? config.wbits + 1 : widths.actBits,
    // Every partial sum is bounded by the largest result: no doubling as in the serial engines.
    accBits: widths.outBits,
    outBits: widths.outBits,
    maxGroups: widths.maxGroups,
    ...(float === undefined ? {} : { float }),
  };
}
