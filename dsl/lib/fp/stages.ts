// Pipeline registers for the operators. Each operator names the points where its datapath can be
// cut (with a rough position along its depth, 0 = operands, 1 = result) and hands the values live
// there to `cut`; the plan puts the requested number of register stages at the cuts nearest to an
// even split, and any stages beyond the available cuts on the result.

import type { Expr } from '../../expr.js';
import type { ModuleBuilder } from '../../builder.js';
import { fpLatency, type FpOptions } from './common.js';

export class Stager {
  private readonly registered: ReadonlySet<number>;
  private readonly outputStages: number;
  private stage = 0;

  constructor(
    private readonly m: ModuleBuilder,
    private readonly name: string,
    private readonly options: FpOptions,
    /** Positions of the operator's cuts in (0, 1), in datapath order. */
    cutPositions: readonly number[],
  ) {
    const stages = fpLatency(options);
    const chosen = new Set<number>();
    let next = 0;
    for (let k = 1; k <= stages; k++) {
      const target = k / (stages + 1);
      // The cut nearest the target among those still ahead, leaving one for each later stage if possible.
      const reserve = Math.max(0, Math.min(stages, cutPositions.length) - k);
      let best = -1;
      for (let i = next; i < cutPositions.length - reserve; i++) {
        if (best < 0 || Math.abs(cutPositions[i]! - target) < Math.abs(cutPositions[best]! - target)) best = i;
      }
      if (best < 0) break;
      chosen.add(best);
      next = best + 1;
    }
    this.registered = chosen;
    this.outputStages = stages - chosen.size;
  }

  /**
   * The values after cut `index`: registered when the plan puts a stage there, else unchanged.
   * Absent (undefined) values stay absent.
   */
  cut<T extends { readonly [key: string]: Expr | undefined }>(index: number, values: T): T {
    if (!this.registered.has(index)) return values;
    this.stage++;
    const staged = Object.entries(values).map(([key, value]) => [key, value === undefined ? undefined : this.register(`${key}_s${this.stage}`, value)]);
    return Object.fromEntries(staged) as T;
  }

  /** The result after the stages no cut took. */
  output(value: Expr): Expr {
    let current = value;
    for (let k = 0; k < this.outputStages; k++) {
      this.stage++;
      current = this.register(`out_s${this.stage}`, current);
    }
    return current;
  }

  private register(key: string, value: Expr): Expr {
    // A constant needs no register: it is the same in every cycle.
    if (value.op === 'const') return value;
    const r = this.m.reg(`${this.name}_${key}`, value.shape, this.options.enable ? { enable: this.options.enable } : {});
    r.assign(value);
    return r;
  }
}
