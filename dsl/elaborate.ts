// Elaboration: running a module body, checking the result and freezing it into IR, and the cache
// that lets a parameterized module be built once per parameter set and elaboration.

import { ModuleBuilder, ModuleDef, insideModuleBody } from './builder.js';
import { checkModule } from './check.js';
import { ElaborationError } from './errors.js';
import { Expr } from './expr.js';
import { freezeModule } from './freeze.js';
import type { ModuleIR } from './ir.js';
import { checkName } from './names.js';
import { Signal, treeLeaves } from './signal.js';
import { captureLoc, formatLoc } from './source.js';
import { stableStringify } from './stable-json.js';

export interface ModuleOptions {
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * Elaborations so far: one starts whenever a module is defined outside every module body (a
 * design's top, or a part built before it), never for a child.
 */
let elaborations = 0;

/** Builds a module by running `body` once; checks it and returns its definition. */
export function defineModule<IO>(name: string, body: (m: ModuleBuilder) => IO, options: ModuleOptions = {}): ModuleDef<IO> {
  if (!insideModuleBody()) elaborations++;
  const loc = captureLoc();
  checkName(name, 'module');
  const builder = new ModuleBuilder(name, loc);
  const io = builder.build(() => body(builder));
  for (const leaf of treeLeaves(io)) {
    if (leaf === undefined) continue;
    if (!(leaf instanceof Signal)) {
      const what = leaf instanceof Expr ? leaf.label() : `a ${typeof leaf}`;
      throw new ElaborationError(`module '${name}' returns ${what} in its IO, which is not one of its ports`, loc);
    }
    if (!leaf.isPort || leaf.host !== builder) {
      throw new ElaborationError(`module '${name}' returns '${leaf.name}' in its IO, but it is not one of its ports`, loc);
    }
  }
  builder.finish();
  const unchecked = freezeModule(builder, options.params ?? {});
  const ir: ModuleIR = Object.freeze({ ...unchecked, combPaths: checkModule(unchecked) });
  return new ModuleDef(io, builder, ir);
}

/**
 * A parameterized module: `gen(params)` builds the module once per distinct parameter set and
 * returns the same definition for equal parameters (compared by value, key order ignored): within
 * one elaboration for calls inside a module body, and for calls outside every body from the same
 * line (a definition records that line in its header).
 *
 * A definition records the line that first asked for it (in its header, and for a dsl/lib module
 * in every signal's comment too), so a child definition kept from an earlier design would carry
 * that design's lines into this one: the same config would emit different bytes depending on
 * what the process had generated before (a tensor-core FP engine after a MAC FP engine, say).
 * Hence children are shared only within their elaboration. A top built outside every body is
 * built in an elaboration of its own, so building it again from the same line gives the same
 * bytes, and it is kept.
 *
 * `P` is any object type, not a Record: an interface has no index signature, and most users declare
 * their parameters as one.
 */
export function moduleGenerator<P extends object, IO>(
  name: string,
  body: (m: ModuleBuilder, params: P) => IO,
): (params: P) => ModuleDef<IO> {
  const children = new Map<string, ModuleDef<IO>>();
  let childrenOf = elaborations;
  const tops = new Map<string, ModuleDef<IO>>();
  const getOrBuild = (cache: Map<string, ModuleDef<IO>>, key: string, params: P): ModuleDef<IO> => {
    let def = cache.get(key);
    if (!def) {
      def = defineModule(name, (m) => body(m, params), { params: params as Readonly<Record<string, unknown>> });
      cache.set(key, def);
    }
    return def;
  };
  return (params: P) => {
    const key = stableStringify(params);
    if (!insideModuleBody()) return getOrBuild(tops, `${key} ${formatLoc(captureLoc())}`, params);
    if (childrenOf !== elaborations) {
      children.clear();
      childrenOf = elaborations;
    }
    return getOrBuild(children, key, params);
  };
}
