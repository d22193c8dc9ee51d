// The engines' Verilog: clean under all three tools in every variant and at the edges of the
// config space, deterministic, and structured as the paper describes (tables built once per row
// and broadcast, or beside every unit in the ablation).

import { describe, expect, it } from 'vitest';
import type { EmittedDesign } from '../../../dsl/index.js';
import { registry } from '../../../generators/index.js';
import { formatLintReport, lintEverywhere } from '../../lint.js';

const configurations: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['tensor-core', {}],
  ['tensor-core', { symmetric: false }],
  ['tensor-core', { symmetric: false, reinterpret: false }],
  ['tensor-core', { precompute: 'per-unit', n: 8 }],
  ['tensor-core', { m: 1, n: 1, k: 1, wbits: 1, maxK: 1 }],
  ['tensor-core', { k: 5, wbits: 3, act: 'int16', maxK: 100 }],
  ['mac', {}],
  ['mac', { narrowWeights: true, wbits: 1, m: 1, n: 1, k: 1, maxK: 1 }],
  ['add', {}],
  ['add', { act: 'int16', wbits: 4, k: 2, n: 5 }],
];

function generate(name: string, config: Record<string, unknown>): EmittedDesign {
  const spec = registry.get(name);
  if (!spec) throw new Error(`no generator ${name}`);
  return spec.generate(spec.schema.parse(config));
}

function moduleText(design: EmittedDesign, name: string): string {
  const found = design.modules.find((module) => module.name === name);
  if (!found) throw new Error(`no module ${name} in ${design.modules.map((module) => module.name).join(', ')}`);
  return found.text;
}

describe('engine Verilog', () => {
  it.each(configurations)('%s %j is clean under verilator -Wall, iverilog and yosys check', async (name, config) => {
    const report = await lintEverywhere(generate(name, config));
    expect(report.ok, formatLintReport(report)).toBe(true);
  });

  it('is the same bytes for the same config', () => {
    const first = generate('tensor-core', { n: 8, wbits: 3 });
    const second = generate('tensor-core', { wbits: 3, n: 8 });
    expect(second.modules.map((module) => module.text)).toEqual(first.modules.map((module) => module.text));
  });

  it('builds each table once per activation row and broadcasts it to the row of units', () => {
    const design = generate('tensor-core', { m: 2, n: 8 });
    const top = moduleText(design, 'lut_tensor_core');
    expect(top.match(/lut_table_precompute precompute_r\d+ \(/g)).toHaveLength(2);
    expect(moduleText(design, 'serial_tile').match(/serial_unit unit_r\d+_c\d+ \(/g)).toHaveLength(16);
    // The symmetric table has 2^(k-1) entries of 11 bits for int8 and k = 4, broadcast one bit
    // wider at W2 because the row source applies the plane shift.
    expect(moduleText(design, 'serial_unit')).toMatch(/input\s+wire \[11:0\] entries_7,/);
    expect(moduleText(generate('tensor-core', { m: 2, n: 8, wbits: 1 }), 'serial_unit')).toMatch(/input\s+wire \[10:0\] entries_7,/);
    expect(moduleText(design, 'serial_unit')).not.toMatch(/entries_8/);
  });

  it('moves the table beside every unit when precompute is per-unit', () => {
    const design = generate('tensor-core', { precompute: 'per-unit', n: 8 });
    expect(design.modules.map((module) => module.name)).not.toContain('lut_table_precompute');
    expect(moduleText(design, 'serial_unit')).toMatch(/input\s+wire \[8:0\]\s+act_3,/);
  });

  it('sizes accumulators for maxK: int8 x W2 over 16384 needs 24 bits of result, 25 of accumulator (it holds 2Y)', () => {
    // |Y| <= 16384 * 128 * 3 = 6,291,456 < 2^23.
    const design = generate('tensor-core', {});
    expect(design.ports.find((port) => port.name === 'out_data_0_0')?.width).toBe(24);
    expect(moduleText(design, 'serial_unit')).toMatch(/output\s+wire \[24:0\] acc/);
  });
});
