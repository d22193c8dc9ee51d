// A counter from 0 to `modulo - 1` that wraps: the loop index of every sequencer.

import { ShapeError } from '../errors.js';
import type { Expr } from '../expr.js';
import type { ModuleBuilder } from '../builder.js';
import { bitsFor, UInt } from '../shape.js';
import type { Signal } from '../signal.js';

export interface CounterOptions {
  /** Count only while this is high. */
  readonly enable?: Expr;
  /** Synchronously return to zero (takes priority over counting). */
  readonly clear?: Expr;
}

export interface Counter {
  /** The current count, reset to 0. */
  readonly value: Signal;
  /** `enable && value == modulo - 1`: the cycle the count wraps to 0 (whatever `clear` does). */
  readonly wrap: Expr;
}

export function counter(m: ModuleBuilder, name: string, modulo: number, options: CounterOptions = {}): Counter {
  if (!Number.isSafeInteger(modulo) || modulo < 2) throw new ShapeError(`counter modulo must be an integer of at least 2, got ${modulo}`);
  const width = bitsFor(modulo);
  const value = m.reg(name, UInt(width), { init: 0 });
  const step = options.enable ?? null;
  const atLast = value.eq(modulo - 1);
  const wrap = step ? step.and(atLast) : atLast;
  const advance = (): void => {
    if (modulo === 2 ** width) value.assign(value.addWrap(1));
    else {
      m.when(atLast, () => value.assign(0)).otherwise(() => value.assign(value.addWrap(1)));
    }
  };
  const counting = (): void => {
    if (step) m.when(step, advance);
    else advance();
  };
  if (options.clear) m.when(options.clear, () => value.assign(0)).otherwise(counting);
  else counting();
  return { value, wrap };
}
