import { describe, expect, it } from 'vitest';
import type { EmittedDesign, EmittedModule } from '../../dsl/design.js';
import { macConfig, macGenerator } from '../../generators/baseline/mac.js';
import { registry } from '../../generators/index.js';
import { tensorCoreConfig } from '../../generators/lut-tensor-core/config.js';
import { tensorCoreGenerator } from '../../generators/lut-tensor-core/index.js';
import { BLOCK_LIMITS, hierarchyBlocks, hierarchyConfig } from '../../sim/verilator-hierarchy.js';

const { minChars: MIN_BLOCK_CHARS, minInstances: MIN_BLOCK_INSTANCES } = BLOCK_LIMITS;
/** The per-unit rule alone, on designs far smaller than a real one: any flattened size qualifies. */
const byUnitRule = (design: EmittedDesign): string[] => hierarchyBlocks(design, { ...BLOCK_LIMITS, minFlatChars: 0 });

/** A module of about `chars` characters instantiating `children` (name, count) the way dsl/emit.ts does. */
function module(name: string, chars: number, children: readonly (readonly [string, number])[] = []): EmittedModule {
  const instances = children.flatMap(([child, count]) => Array.from({ length: count }, (_, i) => `  ${child} u_${child}_${i} (  // here.ts:1\n    .a(a)\n  );\n`));
  const head = `module ${name} (\n  input wire a\n);\n${instances.join('')}`;
  return { name, fileName: `${name}.v`, text: `${head}${' '.repeat(Math.max(0, chars - head.length))}endmodule\n` };
}

const design = (...modules: EmittedModule[]): EmittedDesign => ({ top: modules[modules.length - 1]!.name, modules, ports: [] });

describe('hierarchyBlocks', () => {
  it('makes a large unit repeated many times a block, and nothing else', () => {
    const blocks = byUnitRule(design(module('unit', MIN_BLOCK_CHARS), module('tile', 100, [['unit', MIN_BLOCK_INSTANCES]]), module('top', 100, [['tile', 1]])));
    expect(blocks).toEqual(['unit']);
  });

  it('leaves small units and rare ones flat: their builds were no faster as blocks', () => {
    expect(byUnitRule(design(module('small', 2_000), module('top', 100, [['small', 128]])))).toEqual([]);
    expect(byUnitRule(design(module('rare', 50_000), module('top', 100, [['rare', MIN_BLOCK_INSTANCES - 1]])))).toEqual([]);
  });

  it('counts the instances of every parent, and sizes a unit with its children', () => {
    // 4 pairs of 2 leaves: 8 pairs' worth of leaves through a parent of 4 instances.
    const leaf = module('leaf', 3_000);
    const pair = module('pair', 3_000, [['leaf', 2]]);
    expect(byUnitRule(design(leaf, pair, module('mid', 100, [['pair', 4]]), module('top', 100, [['mid', 2]])))).toEqual(['pair']);
  });

  it('chooses the outer repeated module, not the units already inside it', () => {
    const blocks = byUnitRule(design(module('adder', 9_000), module('mac', 5_000, [['adder', 4]]), module('top', 100, [['mac', 64]])));
    expect(blocks).toEqual(['mac']);
  });

  it('still makes a block of a unit that is also repeated outside the chosen blocks', () => {
    // The tensor core's FP adders: one in each of 128 serial units, 14 in each of 2 table precomputes.
    const blocks = byUnitRule(
      design(module('adder', 9_000), module('precompute', 20_000, [['adder', 14]]), module('unit', 2_700, [['adder', 1]]), module('top', 100, [['precompute', 2], ['unit', 128]])),
    );
    expect(blocks).toEqual(['adder', 'unit']);
  });

  it('never makes the top a block, however it is sized', () => {
    expect(byUnitRule(design(module('top', 1_000_000)))).toEqual([]);
  });

  it('blocks only the engines whose flat build is prohibitive: the FP MACs, not the FP16 tensor core or LUT-LLM', () => {
    // The MAC FP16 engine flattened took over 4 minutes to compile idle; the others under one,
    // and a block costs them 2-4x in simulation speed on every run.
    expect(hierarchyBlocks(macGenerator.generate(macConfig.parse({ act: 'fp16' })))).toEqual(['fp_mac_unit']);
    expect(hierarchyBlocks(macGenerator.generate(macConfig.parse({ act: 'bf16' })))).toEqual(['fp_mac_unit']);
    expect(hierarchyBlocks(tensorCoreGenerator.generate(tensorCoreConfig.parse({ act: 'fp16' })))).toEqual([]);
    expect(hierarchyBlocks(macGenerator.generate(macConfig.parse({})))).toEqual([]);
    const lutLlm = registry.get('lut-llm')!;
    expect(hierarchyBlocks(lutLlm.generate(lutLlm.schema.parse({})))).toEqual([]);
  });

  it('would find the FP16 tensor core\'s units by the per-unit rule alone', () => {
    expect(byUnitRule(tensorCoreGenerator.generate(tensorCoreConfig.parse({ act: 'fp16' })))).toEqual(['fp_add_fp32', 'fp_serial_unit']);
  });
});

describe('hierarchyConfig', () => {
  it('marks each block in a Verilator configuration file', () => {
    expect(hierarchyConfig(['a', 'b'])).toBe('`verilator_config\nhier_block -module "a"\nhier_block -module "b"\n');
  });
});
