// Valid/ready streams: a beat moves when the producer's `valid` and the consumer's `ready` are
// both high in the same cycle. Handles are the bundles `Stream(shape)` declares.

import type { Expr } from '../expr.js';
import type { ModuleBuilder } from '../builder.js';
import { connect, type ValueTree } from '../connect.js';
import { hwLeaves, type Signal } from '../signal.js';

/** The handle of a stream, as `m.input(name, Stream(shape))` or `m.wire` returns it. */
export interface StreamHw {
  readonly valid: Signal;
  readonly ready: Signal;
  /** A Signal, or a tree of them for aggregate data. */
  readonly data: unknown;
}

/** High in the cycles where a beat moves. */
export function fire(stream: { valid: Expr; ready: Expr }): Expr {
  return stream.valid.and(stream.ready);
}

/**
 * A register slice: one pipeline stage between `input` and `output` that keeps full throughput
 * (a beat per cycle). `ready` passes through combinationally, so chains of slices cut the data
 * and valid paths but not the ready path.
 */
export function streamStage(m: ModuleBuilder, name: string, input: StreamHw, output: StreamHw): void {
  const full = m.reg(`${name}_valid`, { kind: 'int', width: 1, signed: false }, { init: 0 });
  const dataLeaves = hwLeaves(input.data);
  const held = dataLeaves.map((leaf, i) => m.reg(`${name}_data${dataLeaves.length > 1 ? `_${i}` : ''}`, leaf.shape));
  const load = input.valid.and(input.ready);
  input.ready.assign(full.not().or(output.ready));
  m.when(input.ready, () => full.assign(input.valid));
  m.when(load, () => held.forEach((r, i) => r.assign(dataLeaves[i]!)));
  output.valid.assign(full);
  const outLeaves = hwLeaves(output.data);
  outLeaves.forEach((leaf, i) => leaf.assign(held[i]!));
}

/** Connects a producer stream to a consumer stream (`valid`, `data` forward; `ready` back). */
export function connectStream(consumer: StreamHw, producer: StreamHw): void {
  connect(consumer as unknown as ValueTree, producer as unknown as ValueTree);
}
