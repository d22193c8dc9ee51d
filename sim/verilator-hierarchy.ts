// Which modules Verilator should verilate once, as hierarchy blocks, instead of inlining every
// instance. Verilator flattens a design and emits code per instance even without inlining, so an
// engine with 128 FP16 MAC units becomes 68 MB of C++ that g++ needs over a quarter of an hour
// to compile; as a hierarchy block (`--hierarchical`), the unit is verilated and compiled once
// and every instance calls it. The RTL simulated is the same; what changes is that the block's
// internal signals are invisible to the harness and to tracing, so traced builds stay flat.

import type { EmittedDesign } from '../dsl/design.js';

/** When a module becomes a hierarchy block; BLOCK_LIMITS holds the measured defaults. */
export interface BlockLimits {
  /** Fewer instances than this are cheap enough to flatten; the block boundary costs each one a call. */
  readonly minInstances: number;
  /** Verilog per instance (its own and its children's) below which a unit compiles faster flattened. */
  readonly minChars: number;
  /** Flattened Verilog of the whole design below which it is built flat (see MIN_FLAT_CHARS_FOR_BLOCKS). */
  readonly minFlatChars: number;
}

/**
 * Blocks only for a design whose flattened Verilog (every instance counted) is at least this
 * large. A block costs simulation speed (2-4x slower on the FP16 tensor core and LUT-LLM: every
 * instance becomes a call across a library boundary) while the build it saves is cached, paid
 * once per configuration. Below this size the flat build takes under a minute on two cores (the
 * FP16 tensor core, 2.4 MB: 47 s; LUT-LLM, 1.6 MB: 46 s), so flat wins from the second run on;
 * the FP MAC engines (10-12 MB) took 4 minutes idle and 14 under load, and get blocks.
 */
const MIN_FLAT_CHARS_FOR_BLOCKS = 4_000_000;

/**
 * The defaults. Units: the small integer units of the int8 engines (2-3 kB) built slower as
 * blocks, the FP units (12-65 kB) several times faster.
 */
export const BLOCK_LIMITS: BlockLimits = { minInstances: 8, minChars: 8_000, minFlatChars: MIN_FLAT_CHARS_FOR_BLOCKS };

/** Instances of each child module in one module's text, as `dsl/emit.ts` writes them: `  child name (`. */
function childCounts(text: string, moduleNames: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^\s*([A-Za-z_]\w*)\s+[A-Za-z_]\w*\s*\(/gm)) {
    const child = match[1]!;
    if (moduleNames.has(child)) counts.set(child, (counts.get(child) ?? 0) + 1);
  }
  return counts;
}

/**
 * The modules to verilate as hierarchy blocks, in a design of at least `minFlatChars` flattened:
 * each one instantiated at least `minInstances` times outside other blocks, with at least
 * `minChars` of Verilog per instance. Outer repeated modules are chosen before inner ones, since
 * a block already holds its children once.
 * Deterministic: the same design always gives the same list, in the design's module order.
 */
export function hierarchyBlocks(design: EmittedDesign, limits: BlockLimits = BLOCK_LIMITS): string[] {
  const names = new Set(design.modules.map((module) => module.name));
  const children = new Map(design.modules.map((module) => [module.name, childCounts(module.text, names)]));
  // Modules come children first, so each subtree size is known before its parents need it.
  const subtreeChars = new Map<string, number>();
  for (const module of design.modules) {
    let chars = module.text.length;
    for (const [child, count] of children.get(module.name) ?? []) chars += count * (subtreeChars.get(child) ?? 0);
    subtreeChars.set(module.name, chars);
  }
  if ((subtreeChars.get(design.top) ?? 0) < limits.minFlatChars) return [];
  // Walking parents first (top last in the list, so reversed): instances reached without
  // passing through a chosen block.
  const flatInstances = new Map<string, number>([[design.top, 1]]);
  const blocks = new Set<string>();
  for (const module of [...design.modules].reverse()) {
    const instances = flatInstances.get(module.name) ?? 0;
    const isBlock =
      module.name !== design.top && instances >= limits.minInstances && (subtreeChars.get(module.name) ?? 0) >= limits.minChars;
    if (isBlock) blocks.add(module.name);
    // Inside a block, its children are verilated once with it; outside, each instance counts.
    const multiplier = isBlock ? 0 : instances;
    for (const [child, count] of children.get(module.name) ?? []) {
      flatInstances.set(child, (flatInstances.get(child) ?? 0) + multiplier * count);
    }
  }
  return design.modules.map((module) => module.name).filter((name) => blocks.has(name));
}

/** A Verilator configuration file marking the blocks (the `hier_block` metacomment, kept out of the RTL). */
export function hierarchyConfig(blocks: readonly string[]): string {
  return ['`verilator_config', ...blocks.map((name) => `hier_block -module "${name}"`), ''].join('\n');
}
