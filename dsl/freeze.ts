// The step from a finished builder to its IR: copies the declarations, statement blocks, memories
// and instances into frozen plain objects, so nothing the back ends read can change afterwards.

import type { ModuleBuilder } from './builder.js';
import type { InstanceIR, MemoryIR, MemWriteIR, StmtIR, UncheckedModuleIR } from './ir.js';
import type { Memory } from './memory.js';
import type { Stmt } from './stmt.js';

export function freezeModule(builder: ModuleBuilder, params: Readonly<Record<string, unknown>>): UncheckedModuleIR {
  for (const signal of builder.signals) Object.freeze(signal);
  const memories = new Map<Memory, MemoryIR>(builder.memories.map((memory) => [memory, freezeMemory(memory)]));
  const instances = builder.instances.map(
    (instance): InstanceIR =>
      Object.freeze({
        name: instance.name,
        module: instance.def.ir,
        connections: Object.freeze([...instance.portMap].map(([port, signal]) => Object.freeze({ port, signal }))),
        loc: instance.loc,
      }),
  );
  return Object.freeze({
    name: builder.moduleName,
    loc: builder.loc,
    params: Object.freeze({ ...params }),
    ports: Object.freeze([...builder.ports]),
    signals: Object.freeze([...builder.signals]),
    body: freezeBlock(builder.body, memories),
    memories: Object.freeze([...memories.values()]),
    instances: Object.freeze(instances),
  });
}

function freezeMemory(memory: Memory): MemoryIR {
  return Object.freeze({
    name: memory.name,
    shape: Object.freeze({ ...memory.shape }),
    depth: memory.depth,
    init: memory.init === null ? null : Object.freeze([...memory.init]),
    clock: memory.clock,
    readPorts: Object.freeze(memory.readPorts.map((port) => Object.freeze({ ...port }))),
    style: memory.style,
    loc: memory.loc,
  });
}

function freezeBlock(block: readonly Stmt[], memories: ReadonlyMap<Memory, MemoryIR>): readonly StmtIR[] {
  return Object.freeze(block.map((stmt) => freezeStmt(stmt, memories)));
}

function freezeStmt(stmt: Stmt, memories: ReadonlyMap<Memory, MemoryIR>): StmtIR {
  switch (stmt.kind) {
    case 'connect':
      return Object.freeze({ ...stmt });
    case 'when':
      return Object.freeze({
        kind: 'when',
        branches: Object.freeze(stmt.branches.map((branch) => Object.freeze({ ...branch, body: freezeBlock(branch.body, memories) }))),
      });
    case 'switch':
      return Object.freeze({
        ...stmt,
        cases: Object.freeze(
          stmt.cases.map((entry) =>
            Object.freeze({ ...entry, values: entry.values && Object.freeze([...entry.values]), body: freezeBlock(entry.body, memories) }),
          ),
        ),
      });
    case 'memwrite': {
      const write: MemWriteIR = { ...stmt, memory: memories.get(stmt.memory)! };
      return Object.freeze(write);
    }
  }
}
