// The example generators: each configuration emits Verilog that the three tools accept without a
// single warning, and emission is deterministic (same config, same bytes; key order irrelevant).

import { describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { formatLintReport, lintEverywhere } from '../lint.js';
import { exampleConfigurations as configurations } from './examples-cases.js';

function generate(name: string, config: Record<string, unknown>) {
  const spec = registry.get(name);
  if (!spec) throw new Error(`no generator ${name}`);
  return spec.generate(spec.schema.parse(config));
}

describe('example generators', () => {
  it('registers the engines and the examples', () => {
    expect([...registry.keys()].sort()).toEqual(['add', 'adder-tree', 'counter', 'dot-product', 'fifo', 'lut-llm', 'lut-llm-block', 'mac', 'tensor-core']);
  });

  for (const [name, config] of configurations) {
    it(`${name} ${JSON.stringify(config)} is clean under verilator -Wall, iverilog and yosys check`, async () => {
      const report = await lintEverywhere(generate(name, config));
      expect(report.ok, formatLintReport(report)).toBe(true);
    });
  }

  it('emits byte-identical Verilog for the same config, whatever the key order', () => {
    const first = generate('adder-tree', { inputs: 9, width: 6, signed: true, levelsPerStage: 1 });
    const second = generate('adder-tree', { levelsPerStage: 1, signed: true, width: 6, inputs: 9 });
    expect(second).toEqual(first);
    expect(second.modules.map((m) => m.text).join('')).toBe(first.modules.map((m) => m.text).join(''));
  });

  it('names the generator source line in comments, relative to the package root', () => {
    const text = generate('counter', {}).modules[0]!.text;
    expect(text).toMatch(/^\/\/ counter from generators\/examples\/counter\.ts:\d+ with \{"modulo":10\}$/m);
    expect(text).toMatch(/input {2}wire {7}enable, {2}\/\/ generators\/examples\/counter\.ts:\d+$/m);
    expect(text).not.toMatch(/\/work\/|\/home\//);
  });
});
