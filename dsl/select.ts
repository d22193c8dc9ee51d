// A multiplexer indexed by a value, as the balanced tree of 2:1 multiplexers that synthesis maps
// best: a chain of compares takes about three times the LUTs for a wide one.

import { ShapeError, SignMismatchError } from './errors.js';
import { checkSameSign, Expr, lit, mergeOwner, mux, type Operand } from './expr.js';

export interface SelectOptions {
  /**
   * The caller guarantees the index never goes past the last value, so the tree spends no logic
   * on reading zero there (what such an index reads is then unspecified).
   */
  readonly indexInRange?: boolean;
}

/**
 * `values[index]`: a multiplexer indexed by a value, built as a balanced tree of 2:1 multiplexers
 * (one level per index bit, least significant first), which maps to far fewer LUTs than a chain
 * of compares. An index past the end reads zero (possible only when the number of values is not
 * a power of two), unless `indexInRange` rules such an index out.
 */
export function select(index: Expr, values: readonly Operand[], options: SelectOptions = {}): Expr {
  if (values.length === 0) throw new ShapeError('select needs at least one value');
  if (index.signed) throw new SignMismatchError(`select index must be unsigned, got ${index.label()}`);
  if (values.length > 2 ** index.width) {
    throw new ShapeError(`a ${index.width}-bit index cannot reach ${values.length} values (it needs ${Math.ceil(Math.log2(values.length))} bits)`);
  }
  const first = values.find((v): v is Expr => v instanceof Expr);
  if (!first) throw new ShapeError('select needs at least one hardware value among its choices');
  const exprs = values.map((v) => first.coerce(v));
  let owner = mergeOwner(null, index);
  let width = 0;
  for (const e of exprs) {
    checkSameSign(first, e, 'select');
    owner = mergeOwner(owner, e);
    width = Math.max(width, e.width);
  }
  if (index.op === 'const') {
    const chosen = exprs[Number(index.value)];
    return chosen ? chosen.extend(width) : lit(0n, { kind: 'int', width, signed: first.signed });
  }
  // An element left without a partner at some level is the last one: its partner would be past
  // the end, so it reads zero (or the element itself when the index cannot get there).
  const pastEnd = options.indexInRange === true ? undefined : first.coerce(0);
  let level = exprs;
  for (let bit = 0; bit < index.width && (level.length > 1 || pastEnd !== undefined); bit++) {
    const next: Expr[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const upper = level[i + 1] ?? pastEnd;
      next.push(upper === undefined ? level[i]! : mux(index.bit(bit), upper, level[i]!));
    }
    level = next;
  }
  return level[0]!.extend(width);
}
