// How the emitted Verilog reads (issue 20, item 17): no mux between equal arms, instance ports
// connected without a wire each where the value is plain, temp wires declared beside their first
// use with the user's line, and the tensor core's tile a size proportional to its instances.

import { describe, expect, it } from 'vitest';
import { Bool, defineModule, emitVerilog, mux, UInt } from '../../dsl/index.js';
import { registry } from '../../generators/index.js';
import { formatLintReport, lintEverywhere } from '../lint.js';
import { FAST_TIER } from '../test-tiers.js';

const thisFile = 'tb/dsl/emit-layout.test.ts';

function lineHere(): number {
  const frame = new Error().stack?.split('\n')[2] ?? '';
  return Number(/:(\d+):\d+\)?$/.exec(frame)?.[1]);
}

const child = defineModule('child', (m) => {
  const a = m.input('a', UInt(4));
  const b = m.input('b', Bool);
  const y = m.output('y', UInt(4));
  y.assign(mux(b, a, a.not()));
  return { a, b, y };
});

describe('emitted Verilog layout', () => {
  it('emits a mux whose arms are the same expression as that expression', () => {
    const top = defineModule('same_arms', (m) => {
      const c = m.input('c', Bool);
      const t = m.input('t', UInt(4));
      const u = m.input('u', UInt(4));
      const y = m.output('y', UInt(4));
      const z = m.output('z', UInt(5));
      y.assign(mux(c, t.not(), t.not()).and(u));
      z.assign(mux(c, t.add(u), t.add(u)));
      return { c, t, u, y, z };
    });
    const text = emitVerilog(top).modules[0]!.text;
    expect(text).not.toContain('?');
    expect(text).toContain('assign y = (~t) & u;');
    expect(text).toContain("assign z = {1'b0, t} + {1'b0, u};");
  });

  it("leaves no such mux in the tensor core's serial unit", () => {
    const spec = registry.get('tensor-core')!;
    const unit = spec.generate(spec.schema.parse({})).modules.find((module) => module.name === 'serial_unit')!.text;
    expect(unit).not.toMatch(/\? \(~top\) : \(~top\)/);
    expect(unit).toContain('assign negate = (~top) & step;');
  });

  it('connects instance ports to plain signals, constants and part-selects without a wire each', () => {
    const top = defineModule('wiring', (m) => {
      const a = m.input('a', UInt(8));
      const y = m.output('y', UInt(4));
      const z = m.output('z', UInt(4));
      const w = m.output('w', UInt(4));
      const plain = m.instance(child, 'plain');
      plain.io.a.assign(a.slice(3, 0));
      plain.io.b.assign(1);
      y.assign(plain.io.y);
      const computed = m.instance(child, 'computed');
      computed.io.a.assign(a.slice(7, 4).xor(a.slice(3, 0)));
      computed.io.b.assign(a.bit(0));
      z.assign(computed.io.y);
      w.assign(computed.io.y.not());
      return { a, y, z, w };
    });
    const design = emitVerilog(top);
    const text = design.modules.find((module) => module.name === 'wiring')!.text;
    // Plain values go straight into the port; the output drives the top's output directly.
    expect(text).toMatch(/child plain \( {2}\/\/ [^\n]+\n {4}\.a\(a\[3:0\]\),\n {4}\.b\(1'b1\),\n {4}\.y\(y\)\n {2}\);/);
    expect(text).not.toMatch(/plain_(a|b|y)\b/);
    // A computed value keeps its named wire, and an output read twice keeps its own.
    expect(text).toContain('assign computed_a = a[7:4] ^ a[3:0];');
    expect(text).toContain('.a(computed_a)');
    expect(text).toContain('.b(a[0])');
    expect(text).toContain('.y(computed_y)');
    expect(text).toContain('assign z = computed_y;');
    expect(design.warnings).toEqual([]);
  });

  it.skipIf(FAST_TIER)('keeps direct port connections lint-clean in all three tools', async () => {
    const top = defineModule('wiring_lint', (m) => {
      const a = m.input('a', UInt(8));
      const y = m.output('y', UInt(4));
      const unit = m.instance(child, 'unit');
      unit.io.a.assign(a.slice(7, 4));
      unit.io.b.assign(0);
      y.assign(unit.io.y);
      return { a, y };
    });
    const report = await lintEverywhere(emitVerilog(top));
    expect(report.ok, formatLintReport(report)).toBe(true);
  });

  it('declares each temp just before its first use, in order, with the line of the statement that reads it', () => {
    const lines: number[] = [];
    const top = defineModule('temps', (m) => {
      const a = m.input('a', UInt(8));
      const b = m.input('b', UInt(8));
      const p = m.output('p', UInt(17));
      const q = m.output('q', UInt(17));
      const r = m.output('r', UInt(11));
      const s = m.output('s', UInt(11));
      const product = a.mul(b);
      const sum = a.add(b).add(3);
      lines.push(lineHere() + 1);
      p.assign(product.add(1));
      q.assign(product.add(2));
      lines.push(lineHere() + 1);
      r.assign(sum.add(1));
      s.assign(sum.add(2));
      return { a, b, p, q, r, s };
    });
    const text = emitVerilog(top).modules[0]!.text.split('\n');
    const mul = text.findIndex((line) => /^ {2}wire \[15:0\] _mul_1 = /.test(line));
    const add = text.findIndex((line) => /^ {2}wire \[9:0\] _add_2 = /.test(line));
    expect(mul).toBeGreaterThan(0);
    expect(text[mul]).toMatch(new RegExp(`// ${thisFile}:${lines[0]}$`));
    expect(text[mul + 1]).toMatch(/^ {2}assign p = .*_mul_1/);
    expect(add).toBeGreaterThan(mul);
    expect(text[add]).toMatch(new RegExp(`// ${thisFile}:${lines[1]}$`));
    expect(text[add + 1]).toMatch(/^ {2}assign r = .*_add_2/);
    // Every temp is declared before any line that reads it.
    for (const [index, line] of text.entries()) {
      for (const name of line.match(/_\w+_\d+/g) ?? []) {
        expect(text.findIndex((l) => l.startsWith(`  wire`) && l.includes(` ${name} = `)), `${name} in line ${index}`).toBeLessThanOrEqual(index);
      }
    }
  });

  it("keeps the tensor core's 2 x 64 tile to about one line per unit port", () => {
    const spec = registry.get('tensor-core')!;
    const design = spec.generate(spec.schema.parse({}));
    const tile = design.modules.find((module) => module.name === 'serial_tile')!.text;
    const unit = design.modules.find((module) => module.name === 'serial_unit')!.text;
    const instances = tile.match(/^ {2}serial_unit \w+ \(/gm)!.length;
    const unitPorts = unit.match(/^ {2}(input|output) /gm)!.length;
    const tilePorts = tile.match(/^ {2}(input|output) /gm)!.length;
    const columns = tile.match(/^ {2}assign pick_c\d+ = /gm)!.length;
    expect(instances).toBe(128);
    // Per instance its port lines plus head, tail and a blank; per column a pick wire and its
    // assign; the ports; a header and footer. (It was 7,142 lines with a wire per port.)
    const bound = instances * (unitPorts + 3) + 2 * columns + tilePorts + 30;
    expect(tile.split('\n').length).toBeLessThanOrEqual(bound);
  });
});
