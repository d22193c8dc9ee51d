// The synthesis targets: each is a Yosys script kept as a readable file under synth/scripts/, plus
// the rule that turns Yosys' `stat -json` cell counts into the target's figures.

import { readFileSync } from 'node:fs';
import type { EmittedDesign } from '../dsl/design.js';

export const SYNTH_TARGETS = ['cmos', 'osu018', 'xilinx', 'ice40'] as const;
export type SynthTarget = (typeof SYNTH_TARGETS)[number];

/** The figures of each target, in report order: the top-level keys other tools read. */
export interface FigureSets {
  /**
   * ASIC proxy: transistor estimate of the logic (`stat -tech cmos`), gate count, logic depth in
   * gates, and the bits of the memories, which stay SRAM macros and are not in the estimate.
   */
  readonly cmos: { readonly transistors: number; readonly cells: number; readonly depth: number; readonly memoryBits: number };
  /**
   * Standard cells (synth/standard-cells.ts): cell area in um^2 and cell count of the logic, the
   * memories' bits and their area as SRAM macros, and the static-timing critical path.
   */
  readonly osu018: {
    /** Standard-cell area of the logic, in um^2 (the sum of the cells' Liberty areas). */
    readonly areaUm2: number;
    readonly cells: number;
    readonly memoryBits: number;
    /** The memories as SRAM macros (synth/sram-model.ts), in um^2. */
    readonly memoryAreaUm2: number;
    /** The shortest clock period the logic meets, memories taken as ideal registered macros. */
    readonly criticalPathNs: number;
    readonly fmaxMhz: number;
  };
  /** UltraScale+. `bram` is in RAMB36 tiles, a RAMB18 counting half, as Vivado reports it. */
  readonly xilinx: {
    readonly lut: number;
    readonly ff: number;
    readonly carry: number;
    readonly lutram: number;
    readonly bram: number;
    readonly uram: number;
    readonly dsp: number;
  };
  /** iCE40 UltraPlus. `bram` counts SB_RAM40_4K (4 Kib each). */
  readonly ice40: { readonly lut: number; readonly ff: number; readonly bram: number; readonly dsp: number };
}

export const FIGURE_KEYS: { readonly [T in SynthTarget]: readonly (keyof FigureSets[T] & string)[] } = {
  cmos: ['transistors', 'cells', 'depth', 'memoryBits'],
  osu018: ['areaUm2', 'cells', 'memoryBits', 'memoryAreaUm2', 'criticalPathNs', 'fmaxMhz'],
  xilinx: ['lut', 'ff', 'carry', 'lutram', 'bram', 'uram', 'dsp'],
  ice40: ['lut', 'ff', 'bram', 'dsp'],
};

/** The targets whose figures come from Yosys alone (the standard-cell target also runs OpenSTA). */
export type GateTarget = Exclude<SynthTarget, 'osu018'>;

export function isSynthTarget(name: string): name is SynthTarget {
  return (SYNTH_TARGETS as readonly string[]).includes(name);
}

/** Each FPGA figure as a sum over cell types: a pattern and what one such cell weighs. */
const CELL_CLASSES: { readonly [T in 'xilinx' | 'ice40']: readonly (readonly [keyof FigureSets[T], RegExp, number])[] } = {
  xilinx: [
    // Yosys' INV is a LUT1 in all but name (Vivado reports it as one).
    ['lut', /^(LUT[1-6](_2)?|INV)$/, 1],
    ['ff', /^FD[RSCP]E(_1)?$/, 1],
    // Yosys (0.23 and 0.55) builds UltraScale+ carry chains from CARRY4 cells; CARRY8 counted too.
    ['carry', /^CARRY[48]$/, 1],
    // Distributed RAM and shift registers: both are "LUT as memory" in Vivado's utilization.
    ['lutram', /^(RAM\d+X\d+[SD](_1)?|RAM\d+M\d*|SRLC?(16|32)E)$/, 1],
    ['bram', /^RAMB36E[12]$/, 1],
    ['bram', /^RAMB18E[12]$/, 0.5],
    ['uram', /^URAM288(_BASE)?$/, 1],
    ['dsp', /^DSP48E[12]$/, 1],
  ],
  ice40: [
    ['lut', /^SB_LUT4$/, 1],
    ['ff', /^SB_DFF\w*$/, 1],
    ['bram', /^SB_RAM40_4K\w*$/, 1],
    ['dsp', /^SB_MAC16$/, 1],
  ],
};

const scripts = new Map<SynthTarget, string>();

/** The target's script template, as kept in synth/scripts/<target>.ys. */
export function targetScript(target: SynthTarget): string {
  let text = scripts.get(target);
  if (text === undefined) {
    text = readFileSync(new URL(`./scripts/${target}.ys`, import.meta.url), 'utf8');
    scripts.set(target, text);
  }
  return text;
}

export interface ScriptFill {
  /** Flatten for the top-level figures (default true); see below. */
  readonly flatten?: boolean;
  /** Whether this Yosys can Booth-encode multipliers (runner.ts yosysHasBooth); default true. */
  readonly booth?: boolean;
  /** The Liberty file's name in Yosys' folder (standard-cell targets). */
  readonly liberty?: string;
  /** The clock period ABC maps towards, in ps (standard-cell targets). */
  readonly periodPs?: number;
  /** The library's buffer as `CELL IN OUT` (standard-cell targets). */
  readonly buffer?: string;
}

/**
 * The script with its placeholders filled for one design. Without `flatten`, the script stops
 * before its flattened-totals section (from its `flatten` line on), and the totals come from the
 * hierarchy instead: for designs too large to flatten in the 4 GiB of the WebAssembly Yosys.
 */
export function fillScript(template: string, design: EmittedDesign, fill: ScriptFill = {}): string {
  const reads = design.modules.map((module) => `read_verilog ${module.fileName}`).join('\n');
  const lines = template.split('\n');
  const cut = lines.findIndex((line) => line.trim() === 'flatten');
  const kept = fill.flatten !== false || cut < 0 ? template : lines.slice(0, cut).join('\n');
  return kept
    .replaceAll('{{read}}', reads)
    .replaceAll('{{top}}', design.top)
    .replaceAll('{{booth}}', fill.booth === false ? '' : '-booth')
    .replaceAll('{{liberty}}', fill.liberty ?? '')
    .replaceAll('{{period_ps}}', String(fill.periodPs ?? 0))
    .replaceAll('{{buffer}}', fill.buffer ?? '');
}

/** Files each target script writes with `tee -o`. */
export function scriptOutputs(target: GateTarget, flatten = true): string[] {
  const hierarchical = target === 'cmos' ? ['modules.json', 'modules_depth.txt', 'memories.txt'] : ['modules.json'];
  const flattened = target === 'cmos' ? ['top.json', 'top_depth.txt', 'top_memories.txt'] : ['top.json'];
  return flatten ? [...hierarchical, ...flattened] : hierarchical;
}

/** A line of Yosys 0.23's hierarchy listing: a module name and a count, no JSON punctuation. */
const HIERARCHY_LINE = /^\s*[^\s"{}[\],:]+\s+\d+\s*$/;

/** One module's entry in `stat -json`. */
export interface StatModule {
  readonly num_cells?: number;
  readonly num_cells_by_type?: Readonly<Record<string, number>>;
  /** A string: "288+" when the module also holds cells the tech table cannot price. */
  readonly estimated_num_transistors?: string | number;
  /** Cell area from the Liberty file (`stat -liberty`), in its area unit. */
  readonly area?: number;
}

/**
 * Parses `stat -json` output (after the `yosys> ...` echo `tee` also captures). Yosys 0.23 (Debian's
 * system Yosys) writes the hierarchy of a design with submodules into the JSON as bare text lines
 * (`   child_module   64`), which are dropped.
 */
export function parseStat(text: string): Record<string, StatModule> {
  const json = text
    .slice(text.indexOf('{'))
    .split('\n')
    .filter((line) => !HIERARCHY_LINE.test(line))
    .join('\n');
  const parsed: unknown = JSON.parse(json);
  const modules = (parsed as { modules?: Record<string, StatModule> }).modules ?? {};
  // Yosys keys modules by their RTLIL name, which carries a leading backslash.
  return Object.fromEntries(Object.entries(modules).map(([name, stat]) => [name.replace(/^\\/, ''), stat]));
}

/** `ltp` output: the longest topological path per module, in cells. */
export function parseDepths(text: string): Record<string, number> {
  const depths: Record<string, number> = {};
  for (const match of text.matchAll(/^Longest topological path in (\S+) \(length=(\d+)\)/gm)) {
    depths[(match[1] ?? '').replace(/^\\/, '')] = Number(match[2]);
  }
  return depths;
}

/** `dump -m t:$mem_v2` output: the bits (WIDTH x SIZE) of the memories of each module. */
export function parseMemoryBits(text: string): Record<string, number> {
  const bits: Record<string, number> = {};
  let module = '';
  let cell: { width: number; size: number } | undefined;
  for (const line of text.split('\n')) {
    const header = /^module \\?(\S+)/.exec(line);
    if (header) module = header[1] ?? '';
    if (/^\s+cell \$mem_v2 /.test(line)) cell = { width: 0, size: 0 };
    if (cell === undefined) continue;
    const parameter = /^\s+parameter \\(WIDTH|SIZE) (\d+)$/.exec(line);
    if (parameter?.[1] === 'WIDTH') cell.width = Number(parameter[2]);
    if (parameter?.[1] === 'SIZE') cell.size = Number(parameter[2]);
    if (/^\s+end$/.test(line)) {
      bits[module] = (bits[module] ?? 0) + cell.width * cell.size;
      cell = undefined;
    }
  }
  return bits;
}

/**
 * A module's figures from its own cells (instances of other design modules are not cells of it),
 * and its cell types split into primitive cells and instances of design modules.
 */
export function moduleFigures(
  target: GateTarget,
  stat: StatModule,
  designModules: ReadonlySet<string>,
  depth: number | undefined,
  memoryBits = 0,
): { figures: Record<string, number>; cellTypes: Record<string, number>; instances: Record<string, number> } {
  const cellTypes: Record<string, number> = {};
  const instances: Record<string, number> = {};
  for (const [type, count] of Object.entries(stat.num_cells_by_type ?? {})) {
    if (designModules.has(type.replace(/^\\/, ''))) instances[type.replace(/^\\/, '')] = count;
    else if (type !== '$scopeinfo') cellTypes[type] = count;
  }
  const figures: Record<string, number> = {};
  if (target === 'cmos') {
    figures.transistors = Number.parseInt(String(stat.estimated_num_transistors ?? '0'), 10) || 0;
    figures.cells = Object.values(cellTypes).reduce((sum, count) => sum + count, 0);
    figures.depth = depth ?? 0;
    figures.memoryBits = memoryBits;
  } else {
    for (const key of FIGURE_KEYS[target]) figures[key] = 0;
    const classes = CELL_CLASSES[target] as readonly (readonly [string, RegExp, number])[];
    for (const [type, count] of Object.entries(cellTypes)) {
      for (const [key, pattern, weight] of classes) {
        if (pattern.test(type)) figures[key] = (figures[key] ?? 0) + count * weight;
      }
    }
  }
  return { figures, cellTypes, instances };
}
