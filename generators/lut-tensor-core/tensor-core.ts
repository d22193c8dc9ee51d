// The LUT Tensor Core's hardware parameters from its validated config.

import type { ModuleDef } from '../../api/index.js';
import { type TensorCoreConfig } from './config.js';
import { type EngineIo, serialEngine, type SerialEngineParams } from '../matmul-engine/serial-engine.js';
import { serialEngineParams } from '../matmul-engine/engine-params.js';
import type { TableKind } from '../../contracts/table-kind.js';

export const tensorCoreTop = serialEngine('lut_tensor_core');

export function tableKindOf(config: Pick<TensorCoreConfig, 'symmetric' | 'reinterpret'>): TableKind {
  if (!config.reinterpret) return 'unsigned';
  return config.symmetric ? 'symmetric' : 'naive';
}

export function tensorCoreParams(config: TensorCoreConfig): SerialEngineParams {
  return serialEngineParams(config, tableKindOf(config), config.precompute === 'shared' ? 'table' : 'local-table');
}

export function buildTensorCore(config: TensorCoreConfig): ModuleDef<EngineIo> {
  return tensorCoreTop(tensorCoreParams(config));
}
