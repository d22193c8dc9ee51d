// A first-in first-out queue between two valid/ready streams, built from registers so the head
// word is readable in the same cycle (first-word fall-through). Sized for the shallow queues
// between pipeline stages; a block-RAM queue belongs beside it when deep buffers are needed.

import { mux } from '../expr.js';
import type { Expr } from '../expr.js';
import { moduleGenerator } from '../elaborate.js';
import { select } from '../select.js';
import { bitsFor, Stream, UInt } from '../shape.js';
import type { Signal } from '../signal.js';

export interface FifoParams {
  /** Bits per word. */
  readonly width: number;
  /** Words it holds (at least 1). */
  readonly depth: number;
}

/** Ports: `in` (a stream consumed), `out` (a stream produced), `count` (words held). */
export const fifo = moduleGenerator('fifo', (m, { width, depth }: FifoParams) => {
  const input = m.input('in', Stream(UInt(width)));
  const output = m.output('out', Stream(UInt(width)));
  const count = m.output('count', UInt(bitsFor(depth + 1)));

  const slots = Array.from({ length: depth }, (_, i) => m.reg(`slot_${i}`, UInt(width)));
  const pointerWidth = bitsFor(depth);
  const head = m.reg('head', UInt(pointerWidth), { init: 0 });
  const tail = m.reg('tail', UInt(pointerWidth), { init: 0 });
  const used = m.reg('used', UInt(bitsFor(depth + 1)), { init: 0 });

  const push = m.node('push', input.valid.and(input.ready));
  const pop = m.node('pop', output.valid.and(output.ready));
  const advance = (pointer: Signal): Expr =>
    depth === 2 ** pointerWidth ? pointer.addWrap(1) : mux(pointer.eq(depth - 1), 0, pointer.addWrap(1));

  input.ready.assign(used.ne(depth));
  output.valid.assign(used.ne(0));
  output.data.assign(select(head, slots));
  count.assign(used);

  m.when(push, () => {
    const write = m.switch(tail);
    slots.forEach((slot, i) => write.is(i, () => slot.assign(input.data)));
    tail.assign(advance(tail));
  });
  m.when(pop, () => head.assign(advance(head)));
  m.when(push.and(pop.not()), () => used.assign(used.addWrap(1))).elseWhen(pop.and(push.not()), () => used.assign(used.subWrap(1)));

  return { in: input, out: output, count };
});
