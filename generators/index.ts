// Every generator the CLI knows, by name.

import { adderTreeGenerator } from './examples/adder-tree.js';
import { counterGenerator } from './examples/counter.js';
import { fifoGenerator } from './examples/fifo.js';
import { createRegistry } from './registry.js';

export const registry = createRegistry([counterGenerator, adderTreeGenerator, fifoGenerator]);
