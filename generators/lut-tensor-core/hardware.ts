// The LUT Tensor Core's hardware parameters from its validated config.

import type { ModuleDef } from '../../dsl/index.js';
import { engineWidths, type TensorCoreConfig } from './config.js';
import { serialEngine, type EngineIo, type SerialEngineParams } from './engine.js';
import type { TableKind } from './precompute.js';

export const tensorCoreTop = serialEngine('lut_tensor_core');

export function tableKindOf(config: Pick<TensorCoreConfig, 'symmetric' | 'reinterpret'>): TableKind {
  if (!config.reinterpret) return 'unsigned';
  return config.symmetric ? 'symmetric' : 'naive';
}

export function tensorCoreParams(config: TensorCoreConfig): SerialEngineParams {
  const widths = engineWidths(config);
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
    table: tableKindOf(config),
    lookup: config.precompute === 'shared' ? 'table' : 'local-table',
  };
}

export function buildTensorCore(config: TensorCoreConfig): ModuleDef<EngineIo> {
  return tensorCoreTop(tensorCoreParams(config));
}
