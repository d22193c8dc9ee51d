// The dot-product array's Verilog: clean under all three tools for every kind, integer and
// floating-point activations, k 2 and 5, wbits 1 and 6; and built as the paper's units are (one
// table broadcast to every unit, or a table beside each).

import { describe, expect, it } from 'vitest';
import type { EmittedDesign } from '../../../dsl/index.js';
import { registry } from '../../../generators/index.js';
import { formatLintReport, lintEverywhere } from '../../lint.js';

const configurations: readonly Record<string, unknown>[] = [
  {},
  { kind: 'lut', k: 2, wbits: 6, units: 3 },
  { kind: 'lut', k: 5, wbits: 1, units: 3, table: 'naive' },
  { kind: 'lut', k: 5, wbits: 6, units: 2, table: 'unsigned' },
  { kind: 'lut', k: 2, wbits: 1, units: 2, act: 'fp16' },
  { kind: 'lut', k: 5, wbits: 6, units: 2, act: 'fp16' },
  { kind: 'lut-local', k: 2, wbits: 6, units: 3 },
  { kind: 'lut-local', k: 5, wbits: 1, units: 3, table: 'naive' },
  { kind: 'add', k: 2, wbits: 1, units: 3 },
  { kind: 'add', k: 5, wbits: 6, units: 3, act: 'int16' },
  { kind: 'mac', k: 2, wbits: 1, units: 3 },
  { kind: 'mac', k: 5, wbits: 6, units: 3 },
  { kind: 'mac', k: 2, wbits: 1, units: 2, act: 'fp16' },
  { kind: 'mac', k: 5, wbits: 6, units: 2, act: 'fp16' },
  { kind: 'lut', k: 1, wbits: 1, units: 1, maxK: 1 },
];

function generate(config: Record<string, unknown>): EmittedDesign {
  const spec = registry.get('dot-product');
  if (!spec) throw new Error('no generator dot-product');
  return spec.generate(spec.schema.parse(config));
}

function moduleText(design: EmittedDesign, name: string): string {
  const found = design.modules.find((module) => module.name === name);
  if (!found) throw new Error(`no module ${name} in ${design.modules.map((module) => module.name).join(', ')}`);
  return found.text;
}

describe.concurrent('dot-product Verilog', () => {
  it.each(configurations)('%j is clean under verilator -Wall, iverilog and yosys check', async (config) => {
    const report = await lintEverywhere(generate(config));
    expect(report.ok, formatLintReport(report)).toBe(true);
  });

  it('shares one table precompute among the lut units, and puts none in the array for lut-local', () => {
    const shared = generate({ units: 8, wbits: 2 });
    expect(shared.top).toBe('dot_product_array');
    expect(moduleText(shared, 'dot_product_array').match(/lut_table_precompute precompute \(/g)).toHaveLength(1);
    expect(moduleText(shared, 'serial_tile').match(/serial_unit unit_r0_c\d+ \(/g)).toHaveLength(8);
    // Entries arrive shifted by the plane: 11 bits for int8 k = 4, one wider at W2.
    expect(moduleText(shared, 'serial_unit')).toMatch(/input\s+wire \[11:0\] entries_7,/);
    const local = generate({ kind: 'lut-local', units: 8, wbits: 2 });
    expect(local.modules.map((module) => module.name)).not.toContain('lut_table_precompute');
  });

  it('gives MAC units (wbits+1)-bit weights, and FP MAC units weights in the activation format', () => {
    const ports = (config: Record<string, unknown>) => generate(config).ports.filter((port) => port.name.startsWith('weights_'));
    expect(ports({ kind: 'mac', units: 2, k: 3, wbits: 6 }).map((port) => port.width)).toEqual(Array(6).fill(7));
    expect(ports({ kind: 'mac', units: 2, k: 3, act: 'bf16' }).map((port) => port.width)).toEqual(Array(6).fill(16));
  });

  it('has a plane port exactly where the operands are shifted or scaled', () => {
    const hasPlane = (config: Record<string, unknown>) => generate(config).ports.some((port) => port.name === 'plane');
    expect([hasPlane({ units: 2 }), hasPlane({ units: 2, wbits: 2 }), hasPlane({ units: 2, act: 'fp16' }), hasPlane({ kind: 'mac', units: 2, wbits: 4 })]).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});
