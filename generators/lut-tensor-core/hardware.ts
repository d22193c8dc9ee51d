// The LUT Tensor Core's hardware parameters from its validated config.

import type { ModuleDef } from '../../api/index.js';
import { type TensorCoreConfig } from './config.js';
import { type EngineIo, serialEngine, type SerialEngineParams } from './engine.js';
import type { LookupKind } from './lut-unit.js';
import type { TableKind } from '../../contracts/table-kind.js';
import { engineWidths, floatFormatOf, type WidthParams } from '../../contracts/engine-widths.js';

export const tensorCoreTop = serialEngine('lut_tensor_core');

export function tableKindOf(config: Pick<TensorCoreConfig, 'symmetric' | 'reinterpret'>): TableKind {
  if (!config.reinterpret) return 'unsigned';
  return config.symmetric ? 'symmetric' : 'naive';
}

export function tensorCoreParams(config: TensorCoreConfig): SerialEngineParams {
  return serialEngineParams(config, tableKindOf(config), config.precompute === 'shared' ? 'table' : 'local-table');
}

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

export function buildTensorCore(config: TensorCoreConfig): ModuleDef<EngineIo> {
  return tensorCoreTop(tensorCoreParams(config));
}
