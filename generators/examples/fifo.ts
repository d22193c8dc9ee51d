// Example: the DSL library's register FIFO between two valid/ready streams.

import { z } from 'zod';
import { emitVerilog, fifo, type ModuleDef } from '../../api/index.js';
import { defineGenerator } from '../registry.js';

export const fifoConfig = z.strictObject({
  width: z.number().int().min(1).max(1024).default(8).describe('bits per word'),
  depth: z.number().int().min(1).max(64).default(4).describe('words held'),
});
export type FifoConfig = z.output<typeof fifoConfig>;

export function buildFifo(config: FifoConfig): ModuleDef {
  return fifo({ width: config.width, depth: config.depth });
}

export const fifoGenerator = defineGenerator({
  name: 'fifo',
  description: 'first-word fall-through register FIFO between valid/ready streams (example)',
  schema: fifoConfig,
  generate: (config) => emitVerilog(buildFifo(config)),
});
