// Balanced adder trees: the sum of many values with the fewest levels of logic. Widths grow one
// bit per level, so the sum never overflows.

import { ShapeError } from '../errors.js';
import type { Expr } from '../expr.js';
import type { ModuleBuilder } from '../builder.js';

/** The exact sum of `values` as a balanced tree of two-input adders (combinational). */
export function adderTree(values: readonly Expr[]): Expr {
  if (values.length === 0) throw new ShapeError('adderTree needs at least one value');
  let level = [...values];
  while (level.length > 1) level = pairwise(level);
  return level[0]!;
}

export interface PipelinedAdderTreeOptions {
  /** Insert a register level after every this many adder levels (default 1). */
  readonly levelsPerStage?: number;
  /** Registers advance only while this is high. */
  readonly enable?: Expr;
}

/**
 * The same sum with registers between levels: `latency(values.length, levelsPerStage)` cycles
 * from input to output. Registers are named `<name>_s<stage>_<index>`.
 */
export function pipelinedAdderTree(m: ModuleBuilder, name: string, values: readonly Expr[], options: PipelinedAdderTreeOptions = {}): Expr {
  if (values.length === 0) throw new ShapeError('pipelinedAdderTree needs at least one value');
  const levelsPerStage = options.levelsPerStage ?? 1;
  if (!Number.isInteger(levelsPerStage) || levelsPerStage < 1) {
    throw new ShapeError(`levelsPerStage must be a positive integer, got ${levelsPerStage}`);
  }
  let level = [...values];
  let stage = 0;
  while (level.length > 1) {
    for (let i = 0; i < levelsPerStage && level.length > 1; i++) level = pairwise(level);
    stage++;
    level = level.map((value, index) => {
      const r = m.reg(`${name}_s${stage}_${index}`, value.shape, options.enable ? { enable: options.enable } : {});
      r.assign(value);
      return r;
    });
  }
  return level[0]!;
}

/** Register stages a pipelined tree over `count` values has. */
export function adderTreeLatency(count: number, levelsPerStage = 1): number {
  const levels = Math.ceil(Math.log2(Math.max(1, count)));
  return Math.ceil(levels / levelsPerStage);
}

function pairwise(level: readonly Expr[]): Expr[] {
  const next: Expr[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) next.push(level[i]!.add(level[i + 1]!));
  if (level.length % 2 === 1) next.push(level[level.length - 1]!);
  return next;
}
