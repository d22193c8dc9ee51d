// Schematics on real Yosys and netlistsvg: the default tensor core's LUT unit and table precompute
// module, drawn twice for byte-identical output; submodules as boxes or flattened; the gate level;
// a broadcast bit drawn as one wire; a bus too scattered for a default stack; bad input. Every render starts at once in beforeAll, so the
// Yosys runs and the layout workers share the two cores.

import { beforeAll, describe, expect, it } from 'vitest';
import type { EmittedDesign } from '../../dsl/design.js';
import { registry } from '../../generators/index.js';
import { SynthInputError } from '../../synth/runner.js';
import { schematicModule, schematicSvg, type Schematic } from '../../synth/schematic.js';
import { counter, syntaxError } from '../fixtures/designs.js';

function tensorCore(): EmittedDesign {
  const spec = registry.get('tensor-core');
  if (spec === undefined) throw new Error('tensor-core is not registered');
  return spec.generate(spec.schema.parse({}));
}

/** A word gated by one select bit: `a & {8{s}}`. */
const gate: EmittedDesign = {
  top: 'gate',
  modules: [{ name: 'gate', fileName: 'gate.v', text: 'module gate (input wire [7:0] a, input wire s, output wire [7:0] y);\n  assign y = a & {8{s}};\nendmodule\n' }],
  ports: [],
};

/**
 * 256 bits gathered one by one in reverse order: netlistsvg's bus joining recurses per bit and
 * overflows a default thread stack on it (the tensor core's top does too), not the render worker's.
 */
const reversed: EmittedDesign = {
  top: 'reversed',
  modules: [
    {
      name: 'reversed',
      fileName: 'reversed.v',
      text: `module reversed (input wire [255:0] a, output wire [255:0] y);\n  assign y = ~{${Array.from({ length: 256 }, (_, i) => `a[${i}]`).join(', ')}};\nendmodule\n`,
    },
  ],
  ports: [],
};

const design = tensorCore();
let unit: Schematic;
let unitAgain: Schematic;
let precompute: Schematic;
let boxed: Schematic;
let flattened: Schematic;
let gates: Schematic;
let gated: Schematic;
let wide: Schematic;

beforeAll(async () => {
  [unit, unitAgain, precompute, boxed, flattened, gates, gated, wide] = await Promise.all([
    schematicSvg(design, { module: 'serial_unit' }),
    schematicSvg(design, { module: 'serial_unit' }),
    schematicSvg(design, { module: 'lut_table_precompute' }),
    schematicSvg(counter),
    schematicSvg(counter, { flatten: true }),
    schematicSvg(counter, { module: 'increment8', level: 'gates' }),
    schematicSvg(gate),
    schematicSvg(reversed),
  ]);
});

/** The labels netlistsvg writes beside the module's port symbols. */
function portLabels(svg: string): string[] {
  return [...svg.matchAll(/s:type="(?:inputExt|outputExt)"[^>]*>\s*<text[^>]*>([^<]+)<\/text>/g)].map((match) => match[1] ?? '').sort();
}

function expectSvgDocument(svg: string): void {
  expect(svg.startsWith('<svg ')).toBe(true);
  expect(svg.endsWith('</svg>\n')).toBe(true);
  expect(svg).toMatch(/^<svg [^>]*width="\d+(\.\d+)?" height="\d+(\.\d+)?"/);
}

describe('schematicSvg', () => {
  it("draws the tensor core's LUT unit: the one-hot AND-OR lookup, the correction mux, sign flip, adder and accumulator", () => {
    expect(unit.module).toBe('serial_unit');
    expect(unit.level).toBe('word');
    expectSvgDocument(unit.svg);
    expect(unit.cells).toMatchObject({ $and: expect.any(Number), $or: expect.any(Number), $mux: expect.any(Number), $xor: 1, $add: 1, $dff: 1 });
    expect(unit.instances).toEqual({});
    for (const kind of ['add', 'mux', 'dff', 'and', 'or']) expect(unit.svg).toContain(`s:type="${kind}"`);
    const names = ['acc', 'clk', 'correct', ...Array.from({ length: 8 }, (_, i) => `entries_${i}`), 'first', 'pick', 'rowSum', 'step', 'top'];
    expect(unit.ports.map((port) => port.name).sort()).toEqual(names.sort());
    expect(portLabels(unit.svg)).toEqual(names.sort());
    expect(unit.ports.find((port) => port.name === 'acc')).toEqual({ name: 'acc', direction: 'output', width: 25 });
  });

  it('draws the table precompute module: negations and the adders of the table entries', () => {
    expectSvgDocument(precompute.svg);
    expect(precompute.cells.$add).toBeGreaterThan(8);
    expect(precompute.cells.$neg).toBeGreaterThan(0);
    expect(precompute.svg).toContain('s:type="add"');
    const names = ['groupSum', ...Array.from({ length: 4 }, (_, i) => `act_${i}`), ...Array.from({ length: 8 }, (_, i) => `entries_${i}`)];
    expect(portLabels(precompute.svg)).toEqual(names.sort());
  });

  it('is deterministic: the same design gives the same bytes', () => {
    expect(unitAgain.svg).toBe(unit.svg);
    expect(unitAgain.cells).toEqual(unit.cells);
  });

  it('draws submodules as boxes named after the module, or inlines them with flatten', () => {
    expect(boxed.instances).toEqual({ increment8: 1 });
    expect(boxed.cells.$add).toBeUndefined();
    expect(boxed.svg).toMatch(/s:type="generic"[^>]*>\s*<text[^>]*>increment8<\/text>/);
    expect(flattened.flattened).toBe(true);
    expect(flattened.instances).toEqual({});
    expect(flattened.cells.$add).toBe(1);
    expect(flattened.svg).not.toContain('s:type="generic"');
  });

  it('the gate level has only one-bit gates', () => {
    expect(Object.keys(gates.cells).length).toBeGreaterThan(1);
    for (const type of Object.keys(gates.cells)) expect(type).toMatch(/^\$_(AND|NAND|OR|NOR|XOR|XNOR|MUX|NOT)_$/);
    expectSvgDocument(gates.svg);
  });

  it('draws a bit repeated across an operand as one wire, not a bus join of copies', () => {
    expect(gated.cells).toEqual({ $and: 1 });
    expect(gated.svg).not.toContain('s:type="join"');
  });

  it('draws a bus that overflows netlistsvg on a default stack', () => {
    expect(wide.cells).toEqual({ $not: 1 });
    expectSvgDocument(wide.svg);
  });
});

describe('schematicSvg: bad input', () => {
  it('an unknown module names the modules of the design', async () => {
    const message = "design 'lut_tensor_core' has no module 'lut_unit' (modules: lut_table_precompute, serial_unit, serial_tile, lut_tensor_core)";
    expect(() => schematicModule(design, 'lut_unit')).toThrow(new SynthInputError(message));
    await expect(schematicSvg(design, { module: 'lut_unit' })).rejects.toThrow(message);
    expect(schematicModule(design)).toBe('lut_tensor_core');
  });

  it('Verilog that Yosys rejects is bad input, quoting Yosys', async () => {
    const failure = schematicSvg(syntaxError);
    await expect(failure).rejects.toBeInstanceOf(SynthInputError);
    await expect(failure).rejects.toThrow(/^Yosys rejected design 'broken' in `read_verilog -defer broken\.v`:\nbroken\.v:5: ERROR: syntax error/);
  });
});
