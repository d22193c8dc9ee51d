// Every generator the CLI knows, by name.

import { addGenerator } from './baseline/add.js';
import { macGenerator } from './baseline/mac.js';
import { dotProductGenerator } from './dot-product/index.js';
import { adderTreeGenerator } from './examples/adder-tree.js';
import { counterGenerator } from './examples/counter.js';
import { fifoGenerator } from './examples/fifo.js';
import { lutLlmGenerator } from './lut-llm/index.js';
import { lutLlmBlockGenerator } from './lut-llm-block/index.js';
import { tensorCoreGenerator } from './lut-tensor-core/index.js';
import { createRegistry } from './registry.js';

export const registry = createRegistry([tensorCoreGenerator, macGenerator, addGenerator, lutLlmGenerator, lutLlmBlockGenerator, dotProductGenerator, counterGenerator, adderTreeGenerator, fifoGenerator]);
