// Every matrix engine `lutforge run` can drive, by name.

import { addEngine } from './baseline/add.js';
import { macEngine } from './baseline/mac.js';
import { tensorCoreEngine } from './lut-tensor-core/index.js';
import type { MatmulEngine, MatmulEngineName } from './matmul-engine/interface.js';

export const matmulEngines: ReadonlyMap<MatmulEngineName, MatmulEngine> = new Map<MatmulEngineName, MatmulEngine>([
  ['tensor-core', tensorCoreEngine as MatmulEngine],
  ['mac', macEngine as MatmulEngine],
  ['add', addEngine as MatmulEngine],
]);
