// Dead logic the user built and nothing observes: a register, wire, memory or instance of a module
// whose value reaches none of the module's outputs. The emitter keeps such bits lint-clean (they go
// into its `_unused` sink), so without this report a forgotten tap register would pass silently.
//
// The rule, per module: a value is live when it reaches an output port, through assignments (and
// the conditions they sit under), register enables, memories, and instances. An instance counts as
// observed when one of its outputs is live (then all its inputs are), or when it has no outputs.
// Reported: every wire, register, memory, memory read port and instance that is not live. Input
// ports are not reported, on any module: a port is an interface (a Stream's `ready`, a clock
// enable a configuration ignores), fixed by a protocol or by the parent, and ignoring one is a
// decision, not a slip; the bits an input drops still show in the emitted `_unused` sink.

import type { DesignWarning } from './design.js';
import type { Expr } from './expr.js';
import { childBlocks, isSignalRef, type InstanceIR, type MemoryIR, type ModuleIR, type SignalIR, type StmtIR } from './ir.js';
import { formatLoc, type SourceLoc } from './source.js';

type Node = SignalIR | MemoryIR | InstanceIR;

/** Dead logic of one module, in declaration order. */
export function unusedLogicWarnings(m: ModuleIR): DesignWarning[] {
  const deps = dependencies(m);
  const live = new Set<Node>();
  const seenExprs = new Set<Expr>();
  const stack: Node[] = m.ports.filter((p) => p.kind === 'output');
  const instanceOf = new Map<SignalIR, InstanceIR>();
  for (const instance of m.instances) {
    for (const { signal } of instance.connections) instanceOf.set(signal, instance);
    if (!instance.connections.some(({ signal }) => signal.kind === 'instout')) stack.push(instance);
  }
  const visitExpr = (root: Expr): void => visitSignalRefs([root], seenExprs, (signal) => stack.push(signal));
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (live.has(node)) continue;
    live.add(node);
    for (const e of deps.exprs.get(node) ?? []) visitExpr(e);
    for (const other of deps.nodes.get(node) ?? []) stack.push(other);
    if ('kind' in node && node.kind === 'instout') stack.push(instanceOf.get(node)!);
  }

  const readers = readNodes(deps);
  const findings: Array<{ what: string; name: string; loc: SourceLoc | undefined; read: boolean }> = [];
  for (const s of m.signals) {
    if (live.has(s) || !reportedKinds.has(s.kind)) continue;
    findings.push({ what: kindNames[s.kind]!, name: s.name, loc: s.loc, read: readers.has(s) });
  }
  for (const memory of m.memories) {
    if (!live.has(memory)) findings.push({ what: 'memory', name: memory.name, loc: memory.loc, read: memory.readPorts.length > 0 });
  }
  for (const instance of m.instances) {
    if (!live.has(instance)) findings.push({ what: 'instance', name: instance.name, loc: instance.loc, read: false });
  }
  return groupByDeclaration(m.name, findings);
}

const reportedKinds = new Set<SignalIR['kind']>(['wire', 'reg', 'memread']);
const kindNames: Partial<Record<SignalIR['kind'], string>> = { wire: 'wire', reg: 'register', memread: 'memory read data' };

interface Dependencies {
  /** What each node reads: assigned values and the conditions they sit under, enables, addresses. */
  readonly exprs: Map<Node, Expr[]>;
  /** Other nodes each node depends on without an expression between (memory read data -> memory). */
  readonly nodes: Map<Node, Node[]>;
}

function dependencies(m: ModuleIR): Dependencies {
  const exprs = new Map<Node, Expr[]>();
  const nodes = new Map<Node, Node[]>();
  const add = <T>(map: Map<Node, T[]>, node: Node, ...items: T[]): void => {
    let list = map.get(node);
    if (!list) map.set(node, (list = []));
    list.push(...items);
  };
  const walk = (block: readonly StmtIR[], conds: readonly Expr[]): void => {
    for (const stmt of block) {
      if (stmt.kind === 'connect') add(exprs, stmt.target, stmt.value, ...conds);
      else if (stmt.kind === 'memwrite') add(exprs, stmt.memory, stmt.address, stmt.data, ...conds);
      else if (stmt.kind === 'when') {
        const seen: Expr[] = [];
        for (const branch of stmt.branches) {
          if (branch.cond) seen.push(branch.cond);
          walk(branch.body, [...conds, ...seen]);
        }
      } else {
        for (const body of childBlocks(stmt)) walk(body, [...conds, stmt.selector]);
      }
    }
  };
  walk(m.body, []);
  for (const s of m.signals) if (s.register?.enable) add(exprs, s, s.register.enable);
  for (const memory of m.memories) {
    for (const port of memory.readPorts) {
      add(nodes, port.data, memory);
      add(exprs, port.data, port.address, ...(port.enable ? [port.enable] : []));
    }
  }
  for (const instance of m.instances) {
    const inputs = instance.connections.filter(({ signal }) => signal.kind === 'instin').map(({ signal }) => signal);
    add(nodes, instance, ...inputs);
  }
  return { exprs, nodes };
}

/** Calls `onSignal` for every signal the expressions read, each expression visited once across calls sharing `seen`. */
function visitSignalRefs(roots: readonly Expr[], seen: Set<Expr>, onSignal: (signal: SignalIR) => void): void {
  const exprs = [...roots];
  while (exprs.length > 0) {
    const e = exprs.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    if (isSignalRef(e)) onSignal(e);
    else exprs.push(...e.args);
  }
}

/** Nodes that something reads at all (live or not): tells "never read" from "feeds nothing". */
function readNodes(deps: Dependencies): Set<Node> {
  const read = new Set<Node>();
  const seen = new Set<Expr>();
  for (const list of deps.exprs.values()) visitSignalRefs(list, seen, (signal) => read.add(signal));
  return read;
}

/** The leaves of one aggregate declaration (a Vec of registers, say) share one warning. */
function groupByDeclaration(
  module: string,
  findings: ReadonlyArray<{ what: string; name: string; loc: SourceLoc | undefined; read: boolean }>,
): DesignWarning[] {
  const groups = new Map<string, { what: string; names: string[]; loc: SourceLoc | undefined; read: boolean }>();
  for (const f of findings) {
    const key = `${f.what}\0${f.read}\0${formatLoc(f.loc)}`;
    const group = groups.get(key);
    if (group) group.names.push(f.name);
    else groups.set(key, { what: f.what, names: [f.name], loc: f.loc, read: f.read });
  }
  return [...groups.values()].map(({ what, names, loc, read }) => {
    const shown = names.length <= 4 ? names.map((n) => `'${n}'`).join(', ') : `${names.slice(0, 3).map((n) => `'${n}'`).join(', ')} and ${names.length - 3} more`;
    const subject = names.length === 1 ? `${what} ${shown}` : `${what}s ${shown}`;
    const verb = names.length === 1 ? 'is' : 'are';
    const why = what === 'instance' ? `${verb} never used: none of ${names.length === 1 ? 'its' : 'their'} outputs is read` : read ? `${verb} read only by logic that reaches no output` : `${verb} never read`;
    const detail = `${subject} of module '${module}' ${why}`;
    return { module, names, loc, detail, message: `${formatLoc(loc)}: ${detail}` };
  });
}
