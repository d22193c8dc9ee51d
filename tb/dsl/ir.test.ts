// The IR that elaboration ends in: frozen, free of the builder, enough for the emitter on its own;
// select's mux tree; and the DSL's files importing each other without cycles.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineModule, emitVerilog, lit, select, UInt } from '../../dsl/index.js';

const DSL_DIR = fileURLToPath(new URL('../../dsl/', import.meta.url));

function pipelineWithMemory() {
  const child = defineModule('ir_child', (m) => {
    const a = m.input('a', UInt(4));
    const y = m.output('y', UInt(4));
    y.assign(a.not());
    return { a, y };
  });
  return defineModule('ir_parent', (m) => {
    const x = m.input('x', UInt(4));
    const y = m.output('y', UInt(4));
    const inner = m.instance(child, 'inner');
    inner.io.a.assign(x);
    const r = m.reg('r', UInt(4), { init: 0 });
    const memory = m.memory('store', { shape: UInt(4), depth: 4 });
    memory.write(x.slice(1, 0), inner.io.y);
    const word = memory.read(x.slice(3, 2));
    m.when(x.eq(0), () => r.assign(word)).otherwise(() => r.assign(inner.io.y));
    y.assign(r);
    return { x, y };
  });
}

describe('module IR', () => {
  it('is frozen, all the way down to the statements, memories and instances', () => {
    const { ir } = pipelineWithMemory();
    const plain = [ir, ir.ports, ir.signals, ir.body, ir.memories, ir.instances, ...ir.body, ...ir.memories, ...ir.instances];
    for (const part of plain) expect(Object.isFrozen(part)).toBe(true);
    const when = ir.body.find((stmt) => stmt.kind === 'when');
    if (when?.kind !== 'when') throw new Error('the module has a when statement');
    for (const branch of when.branches) expect([Object.isFrozen(branch), Object.isFrozen(branch.body), Object.isFrozen(branch.body[0])]).toEqual([true, true, true]);
    expect(Object.isFrozen(ir.memories[0]!.readPorts)).toBe(true);
    expect(Object.isFrozen(ir.signals[0])).toBe(true);
  });

  it('is plain data apart from its expressions: no builder, Memory or Instance objects', () => {
    const { ir } = pipelineWithMemory();
    const memory = ir.memories[0]!;
    const instance = ir.instances[0]!;
    const plain = [ir, memory, memory.shape, ...memory.readPorts, instance, ...instance.connections, ...ir.body];
    for (const part of plain) expect(Object.getPrototypeOf(part)).toBe(Object.prototype);
    const write = ir.body.find((stmt) => stmt.kind === 'memwrite');
    expect(write?.kind === 'memwrite' && write.memory).toBe(memory);
  });

  it('describes instances by their child IR and port connections', () => {
    const def = pipelineWithMemory();
    const [instance] = def.ir.instances;
    expect(instance!.module.name).toBe('ir_child');
    expect(instance!.connections.map(({ port, signal }) => [port, signal.name])).toEqual([
      ['a', 'inner_a'],
      ['y', 'inner_y'],
    ]);
    expect([...def.ir.combPaths.get('y')!]).toEqual([]);
    expect([...instance!.module.combPaths.get('y')!]).toEqual(['a']);
  });

  it('is all the emitter needs', () => {
    const def = pipelineWithMemory();
    expect(emitVerilog({ ir: def.ir })).toEqual(emitVerilog(def));
  });
});

describe('select', () => {
  const emitSelect = (count: number, indexInRange: boolean): string =>
    emitVerilog(
      defineModule(`select_${count}_${indexInRange ? 'in_range' : 'any'}`, (m) => {
        const s = m.input('s', UInt(2));
        const values = Array.from({ length: count }, (_, i) => m.input(`v${i}`, UInt(4)));
        const y = m.output('y', UInt(4));
        y.assign(select(s, values, { indexInRange }));
        return { s, values, y };
      }),
    ).modules[0]!.text;

  it('emits a balanced tree of 2:1 muxes, one level per index bit from the LSB', () => {
    expect(emitSelect(4, false)).toContain('assign y = s[1] ? (s[0] ? v3 : v2) : (s[0] ? v1 : v0);');
  });

  it('reads zero past the end, unless the caller rules such an index out', () => {
    expect(emitSelect(3, false)).toContain("assign y = s[1] ? (s[0] ? 4'd0 : v2) : (s[0] ? v1 : v0);");
    expect(emitSelect(3, true)).toContain('assign y = s[1] ? v2 : (s[0] ? v1 : v0);');
  });

  it('picks the value itself for a constant index, and zero past the end', () => {
    defineModule('select_constant', (m) => {
      const a = m.input('a', UInt(4));
      expect(select(lit(1, UInt(2)), [lit(3, UInt(4)), a])).toBe(a);
      expect(select(lit(3, UInt(2)), [a, a, a]).value).toBe(0n);
      return { a };
    });
  });
});

describe('dsl/ imports', () => {
  it('form no cycle, type-only imports included', () => {
    const files = readdirSync(DSL_DIR, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const imports = new Map<string, string[]>();
    for (const file of files) {
      const text = readFileSync(path.join(DSL_DIR, file), 'utf8');
      const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gm)].map((match) =>
        path.join(path.dirname(file), match[1]!.replace(/\.js$/, '.ts')),
      );
      imports.set(path.normalize(file), targets.map((target) => path.normalize(target)));
    }
    expect(imports.get('elaborate.ts')).toContain('builder.ts');
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of imports.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of imports.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
