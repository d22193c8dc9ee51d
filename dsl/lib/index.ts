// Reusable hardware built with the DSL only.

export { adderTree, adderTreeLatency, pipelinedAdderTree, type PipelinedAdderTreeOptions } from './adder-tree.js';
export { counter, type Counter, type CounterOptions } from './counter.js';
export { delay, type DelayOptions } from './pipeline.js';
export { connectStream, fire, streamStage, type StreamHw } from './stream.js';
export { fifo, type FifoParams } from './fifo.js';
export * from './fp/index.js';
