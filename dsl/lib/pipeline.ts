// Delay lines: a value registered `stages` times, for matching the latency of parallel paths.

import { ShapeError } from '../errors.js';
import type { Expr } from '../expr.js';
import type { ModuleBuilder } from '../builder.js';

export interface DelayOptions {
  /** Registers advance only while this is high (a stalled pipeline keeps its contents). */
  readonly enable?: Expr;
  /** Reset value; without it the registers have no reset (cheaper, fine for data paths). */
  readonly init?: number | bigint;
}

/** `value` delayed by `stages` clock cycles through registers `<name>_d1 .. <name>_d<stages>`. */
export function delay(m: ModuleBuilder, name: string, value: Expr, stages: number, options: DelayOptions = {}): Expr {
  if (!Number.isInteger(stages) || stages < 0) throw new ShapeError(`delay stages must be a non-negative integer, got ${stages}`);
  let current = value;
  for (let stage = 1; stage <= stages; stage++) {
    const r = m.reg(`${name}_d${stage}`, value.shape, {
      ...(options.enable ? { enable: options.enable } : {}),
      ...(options.init !== undefined ? { init: options.init } : {}),
    });
    r.assign(current);
    current = r;
  }
  return current;
}
