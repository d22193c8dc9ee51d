// Bulk connection of aggregates (Chisel's `<>`): leaves flow from `source` to `sink`, except
// flipped leaves (a stream's `ready`), which flow back.

import { ElaborationError } from './errors.js';
import { Expr } from './expr.js';
import { Signal } from './signal.js';

/** A tree of values shaped like a handle tree: what can be connected to one. */
export type ValueTree = Expr | readonly ValueTree[] | { readonly [name: string]: ValueTree };

/** A name for a tree in messages: its first signal's name, else its kind. */
function describeTree(tree: ValueTree): string {
  if (tree instanceof Signal) return tree.name;
  if (tree instanceof Expr) return tree.label();
  const first = Array.isArray(tree) ? tree[0] : Object.values(tree)[0];
  return first === undefined ? 'empty' : `${describeTree(first)}...`;
}

export function connect(sink: ValueTree, source: ValueTree, path = ''): void {
  if (sink instanceof Expr) {
    if (!(source instanceof Expr)) throw new ElaborationError(`connect: '${path || 'value'}' is a single value on one side and an aggregate on the other`);
    if (!(sink instanceof Signal)) throw new ElaborationError(`connect: the sink '${path || 'value'}' is an expression, not a signal`);
    if (!sink.flipped) {
      sink.assign(source);
      return;
    }
    if (!(source instanceof Signal)) {
      throw new ElaborationError(`connect: '${sink.name}' flows back to the source, so the source side must be a signal`);
    }
    source.assign(sink);
    return;
  }
  if (Array.isArray(sink)) {
    if (!Array.isArray(source) || source.length !== sink.length) {
      const sourceSize = Array.isArray(source) ? `${source.length} elements` : 'no elements (it is not a vector)';
      throw new ElaborationError(
        `connect: vector '${path || describeTree(sink)}' has ${sink.length} elements on the sink side but ${sourceSize} on the source side ('${describeTree(source)}')`,
      );
    }
    sink.forEach((element: ValueTree, i: number) => connect(element, (source as readonly ValueTree[])[i]!, `${path}[${i}]`));
    return;
  }
  if (source instanceof Expr || Array.isArray(source)) throw new ElaborationError(`connect: '${path || 'bundle'}' is a bundle on the sink side only`);
  const sinkFields = Object.keys(sink);
  const sourceFields = source as { readonly [name: string]: ValueTree };
  for (const field of sinkFields) {
    if (!(field in sourceFields)) throw new ElaborationError(`connect: the source has no field '${field}' (at '${path || 'bundle'}')`);
    connect((sink as { readonly [name: string]: ValueTree })[field]!, sourceFields[field]!, path ? `${path}.${field}` : field);
  }
}
