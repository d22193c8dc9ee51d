// Whole-module checks run when a module body returns: every signal driven (on every path, for
// combinational ones), no assignment that a later one always overrides, no combinational loop.
// Also computes which inputs each output reaches combinationally, for the parent's loop check.

import { CombinationalLoopError, MultipleDriverError, UndrivenError } from './errors.js';
import type { Expr } from './expr.js';
import { childBlocks, isSignalRef, switchIsFull, type CombPaths, type SignalIR, type StmtIR, type UncheckedModuleIR } from './ir.js';
import { formatLoc, type SourceLoc } from './source.js';

export function checkModule(m: UncheckedModuleIR): CombPaths {
  checkDrivers(m);
  const deps = combinationalDeps(m);
  findLoop(m, deps);
  return outputPaths(m, deps);
}

// ---- drivers ----------------------------------------------------------------------------------------

interface DriverScan {
  /** The first assignment of every target anywhere in a block (nested included). */
  readonly firstAssignment: Map<SignalIR, SourceLoc | undefined>;
  /** Targets assigned on every path through the block. */
  readonly complete: Set<SignalIR>;
}

function scanBlock(block: readonly StmtIR[]): DriverScan {
  const firstAssignment = new Map<SignalIR, SourceLoc | undefined>();
  const complete = new Set<SignalIR>();
  for (const stmt of block) {
    if (stmt.kind === 'connect') {
      const earlier = firstAssignment.get(stmt.target);
      if (firstAssignment.has(stmt.target)) {
        throw new MultipleDriverError(
          `'${stmt.target.name}' is assigned again here, which always overrides its assignment at ${formatLoc(earlier)}; ` +
            'a signal has one driver: put the first assignment in a when/otherwise branch, or remove it',
          stmt.loc,
        );
      }
      firstAssignment.set(stmt.target, stmt.loc);
      complete.add(stmt.target);
      continue;
    }
    const blocks = childBlocks(stmt);
    if (blocks.length === 0) continue;
    const scans = blocks.map(scanBlock);
    for (const scan of scans) {
      for (const [target, loc] of scan.firstAssignment) if (!firstAssignment.has(target)) firstAssignment.set(target, loc);
    }
    const exhaustive =
      stmt.kind === 'when' ? stmt.branches[stmt.branches.length - 1]!.cond === null : stmt.kind === 'switch' && switchIsFull(stmt);
    if (!exhaustive) continue;
    for (const target of scans[0]!.complete) {
      if (scans.every((scan) => scan.complete.has(target))) complete.add(target);
    }
  }
  return { firstAssignment, complete };
}

function checkDrivers(m: UncheckedModuleIR): void {
  const { firstAssignment, complete } = scanBlock(m.body);
  for (const signal of m.signals) {
    const assigned = firstAssignment.has(signal);
    switch (signal.kind) {
      case 'output':
      case 'wire':
      case 'instin': {
        const what = signal.kind === 'instin' ? 'instance input' : signal.kind;
        if (!assigned) throw new UndrivenError(`${what} '${signal.name}' (${signal.describe()}) is never driven`, signal.loc);
        if (!complete.has(signal)) {
          throw new UndrivenError(
            `${what} '${signal.name}' is not driven on every path (it would hold its value like a latch); ` +
              `assign a default before the first conditional assignment at ${formatLoc(firstAssignment.get(signal))}, or add an otherwise/default branch`,
            signal.loc,
          );
        }
        break;
      }
      case 'reg':
        if (!assigned) throw new UndrivenError(`register '${signal.name}' (${signal.describe()}) is never assigned`, signal.loc);
        break;
      default:
        break;
    }
  }
}

// ---- combinational dependencies ------------------------------------------------------------------------

/** A node of the dependency graph: a signal or an expression. */
type Node = Expr;

/** For each combinationally driven signal: the expressions it reads (values and the conditions over them). */
function combinationalDeps(m: UncheckedModuleIR): Map<SignalIR, Expr[]> {
  const deps = new Map<SignalIR, Expr[]>();
  const add = (target: SignalIR, e: Expr): void => {
    let list = deps.get(target);
    if (!list) deps.set(target, (list = []));
    list.push(e);
  };
  const walk = (block: readonly StmtIR[], conds: readonly Expr[]): void => {
    for (const stmt of block) {
      switch (stmt.kind) {
        case 'connect':
          if (stmt.target.kind === 'reg') break;
          add(stmt.target, stmt.value);
          for (const c of conds) add(stmt.target, c);
          break;
        case 'when': {
          const seen: Expr[] = [];
          for (const branch of stmt.branches) {
            if (branch.cond) seen.push(branch.cond);
            walk(branch.body, [...conds, ...seen]);
          }
          break;
        }
        case 'switch':
          for (const c of stmt.cases) walk(c.body, [...conds, stmt.selector]);
          break;
        case 'memwrite':
          break;
      }
    }
  };
  walk(m.body, []);
  // A submodule output follows the submodule inputs it reaches without a register.
  for (const instance of m.instances) {
    const parentSide = new Map(instance.connections.map(({ port, signal }) => [port, signal]));
    for (const [outputName, inputNames] of instance.module.combPaths) {
      const out = parentSide.get(outputName)!;
      for (const inputName of inputNames) add(out, parentSide.get(inputName)!);
    }
  }
  return deps;
}

function successors(node: Node, deps: Map<SignalIR, Expr[]>): readonly Expr[] {
  if (isSignalRef(node)) return deps.get(node) ?? [];
  return node.args;
}

/** Iterative depth-first search (designs can nest expressions far deeper than the JS stack). */
function findLoop(m: UncheckedModuleIR, deps: Map<SignalIR, Expr[]>): void {
  const state = new Map<Node, 1 | 2>(); // 1: on the current path, 2: finished
  for (const root of deps.keys()) {
    if (state.has(root)) continue;
    const path: Node[] = [root];
    const cursor: number[] = [0];
    state.set(root, 1);
    while (path.length > 0) {
      const node = path[path.length - 1]!;
      const next = successors(node, deps);
      const i = cursor[cursor.length - 1]!;
      if (i >= next.length) {
        state.set(node, 2);
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[cursor.length - 1] = i + 1;
      const child = next[i]!;
      const seen = state.get(child);
      if (seen === 2) continue;
      if (seen === 1) reportLoop(m, path.slice(path.indexOf(child)));
      state.set(child, 1);
      path.push(child);
      cursor.push(0);
    }
  }
}

function reportLoop(m: UncheckedModuleIR, cycle: Node[]): never {
  const signals = cycle.filter(isSignalRef).reverse();
  const names = signals.map((s) => `'${s.name}' (${formatLoc(s.loc)})`);
  names.push(`'${signals[0]!.name}'`);
  throw new CombinationalLoopError(
    `combinational loop in module '${m.name}': ${names.join(' -> ')}; break it with a register`,
    signals[0]!.loc,
  );
}

/** Which inputs each output reaches; the graph is acyclic by now, so memoized DFS terminates. */
function outputPaths(m: UncheckedModuleIR, deps: Map<SignalIR, Expr[]>): CombPaths {
  const memo = new Map<SignalIR, Set<string>>();
  const reach = (start: SignalIR): Set<string> => {
    const cached = memo.get(start);
    if (cached) return cached;
    const found = new Set<string>();
    const stack: Expr[] = [...(deps.get(start) ?? [])];
    const visited = new Set<Expr>();
    while (stack.length > 0) {
      const e = stack.pop()!;
      if (visited.has(e)) continue;
      visited.add(e);
      if (isSignalRef(e)) {
        if (e.kind === 'input') found.add(e.name);
        else if (deps.has(e)) for (const name of reach(e)) found.add(name);
        continue;
      }
      for (const arg of e.args) stack.push(arg);
    }
    memo.set(start, found);
    return found;
  };
  const paths = new Map<string, ReadonlySet<string>>();
  for (const port of m.ports) if (port.kind === 'output') paths.set(port.name, reach(port));
  return paths;
}
