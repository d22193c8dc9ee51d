// The standard-cell flow (target `osu018`, or any Liberty file): Yosys maps the design to the
// library's cells (synth/scripts/osu018.ys), OpenSTA times the mapped netlist, and each memory is
// priced as an SRAM macro by synth/sram-model.ts. Besides the figures it hands on the two
// netlists, for gate-level simulation and power (host/power.ts).

import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EmittedDesign } from '../dsl/design.js';
import { parseMemoryDump, type MemoryInstance } from './memory-dump.js';
import { readCacheEntry, storeCacheEntry } from './result-cache.js';
import { runScript, SynthInputError, type YosysFlavour } from './runner.js';
import { requireSuccess } from './script-failure.js';
import { estimateSram, SRAM_MODEL, type SramEstimate } from './sram-model.js';
import { fillScript, parseStat, targetScript, type FigureSets } from './targets.js';
import { analyseTiming, type TimingReport } from './timing.js';

/** Debian's qflow-tech-osu018: the OSU 0.18 um cells, typical corner, 1.8 V. */
export const OSU018_LIBERTY = '/usr/share/qflow/tech/osu018/osu018_stdcells.lib';
/** Environment variable naming another Liberty file when the caller does not. */
export const LIBERTY_ENV = 'LUTFORGE_LIBERTY';
/** The clock ABC maps towards unless told otherwise: 10 ns, which the default engines meet at 0.18 um. */
export const DEFAULT_CLOCK_MHZ = 100;

/** The name the Liberty file has inside Yosys' working folder. */
const LIBERTY_FILE = 'cells.lib';

export interface CellFlowOptions {
  readonly flavour: YosysFlavour;
  readonly yosysVersion: string;
  readonly booth: boolean;
  /** Cache folder, or undefined for none. */
  readonly cacheDir: string | undefined;
  /** Liberty file; default $LUTFORGE_LIBERTY, else the OSU 0.18 um library. */
  readonly liberty?: string;
  /** Clock ABC maps towards, in MHz (default 100). */
  readonly clockMhz?: number;
}

/** One memory as an SRAM macro: its shape and what the SRAM model says it costs. */
export type PricedMemory = Omit<MemoryInstance, 'readEnables' | 'writeEnables'> & SramEstimate;

/** What the standard-cell target reports beyond its figure keys. */
export interface CellExtras {
  /** The Liberty file, as given (absolute path). */
  readonly liberty: string;
  /** The clock ABC mapped towards, in MHz. */
  readonly clockMhz: number;
  /**
   * Static timing of the logic. The memories are cut out of the timing netlist (osu018.ys), their
   * read data timed as launched at the clock edge and the nets into them as due at the next: the
   * macros count as ideal registered SRAMs, since the published 180 nm macros of the SRAM model
   * (5 V periphery, 23.6 ns cycle) would hide every logic path behind their own cycle time.
   */
  readonly timing: TimingReport;
  readonly memories: readonly PricedMemory[];
  /** The clock the slowest memory macro allows by the SRAM model, or null without memories. */
  readonly memoryFmaxMhz: number | null;
}

/** The standard-cell figures (targets.ts FigureSets), the memories taken as ideal registered macros in timing. */
export type CellFigures = FigureSets['osu018'];

export interface CellMapping {
  readonly figures: CellFigures;
  readonly extras: CellExtras;
  readonly cellTypes: Readonly<Record<string, number>>;
  /** `sta`: memories cut out, for timing and power; `sim`: memories behavioural, with cell models. */
  readonly netlists: { readonly sta: string; readonly sim: string };
  /** The memories with their enables, for counting accesses in a simulation. */
  readonly memoryInstances: readonly MemoryInstance[];
  readonly cached: boolean;
}

/** The Liberty file to use: the one asked for, else $LUTFORGE_LIBERTY, else OSU 0.18 um. */
export function resolveLiberty(requested?: string): string {
  return resolve(requested ?? process.env[LIBERTY_ENV] ?? OSU018_LIBERTY);
}

/** Checks a clock given by the user: a positive, finite number of MHz. */
export function checkClockMhz(clockMhz: number, what = 'clock'): number {
  if (!Number.isFinite(clockMhz) || clockMhz <= 0) throw new SynthInputError(`the ${what} must be a positive number of MHz, got ${String(clockMhz)}`);
  return clockMhz;
}

async function readLiberty(path: string): Promise<string> {
  try {
    await access(path);
  } catch {
    const hint = path === OSU018_LIBERTY ? " (install Debian's qflow-tech-osu018, or give another with --liberty FILE)" : '';
    throw new SynthInputError(`Liberty file '${path}' not found${hint}`);
  }
  const text = await readFile(path, 'utf8');
  if (!/^\s*library\s*\(/m.test(text)) throw new SynthInputError(`Liberty file '${path}' does not parse: no library group`);
  return text;
}

interface LibertyCell {
  readonly name: string;
  readonly area: number;
  readonly pins: readonly { readonly name: string; readonly direction?: string; readonly function?: string }[];
}

/** The cells of a Liberty file with their area and pins, read as far as this flow needs them. */
export function libertyCells(libertyText: string): LibertyCell[] {
  const cells: LibertyCell[] = [];
  const chunks = libertyText.split(/^\s*cell\s*\(\s*"?([\w$]+)"?\s*\)\s*\{/m);
  for (let i = 1; i + 1 < chunks.length; i += 2) {
    const body = chunks[i + 1] ?? '';
    // Each pin's own attributes come before its nested timing and power groups.
    const pins = body
      .split(/\bpin\s*\(/)
      .slice(1)
      .map((chunk) => ({
        name: /^\s*"?(\w+)"?\s*\)/.exec(chunk)?.[1] ?? '',
        direction: /direction\s*:\s*"?(\w+)/.exec(chunk)?.[1],
        function: /function\s*:\s*"\s*([^"]*?)\s*"/.exec(chunk)?.[1],
      }));
    cells.push({ name: chunks[i] ?? '', area: Number(/\barea\s*:\s*([\d.eE+-]+)/.exec(body)?.[1] ?? Number.NaN), pins });
  }
  return cells;
}

/**
 * The library's smallest buffer, as `CELL IN OUT` for Yosys' insbuf: a cell with one input and one
 * output whose function is that input.
 */
export function bufferCell(cells: readonly LibertyCell[], path: string): string {
  const buffers = cells.flatMap((cell) => {
    const inputs = cell.pins.filter((pin) => pin.direction === 'input');
    const outputs = cell.pins.filter((pin) => pin.direction === 'output');
    const [input] = inputs;
    const [output] = outputs;
    if (inputs.length !== 1 || outputs.length !== 1 || input === undefined || output === undefined || output.function !== input.name) return [];
    return [{ text: `${cell.name} ${input.name} ${output.name}`, area: Number.isFinite(cell.area) ? cell.area : Infinity }];
  });
  const best = buffers.sort((a, b) => a.area - b.area)[0];
  if (best === undefined) throw new SynthInputError(`Liberty file '${path}' has no buffer cell (one input, one output, function = the input)`);
  return best.text;
}

/** Cell area of a mapped design from its cell counts and the Liberty areas, the same on every Yosys. */
function cellArea(cellTypes: Readonly<Record<string, number>>, cells: readonly LibertyCell[]): number {
  const areas = new Map(cells.map((cell) => [cell.name, cell.area]));
  let total = 0;
  for (const [type, count] of Object.entries(cellTypes)) {
    const area = areas.get(type);
    if (area === undefined || !Number.isFinite(area)) throw new Error(`the mapped netlist uses cell '${type}', which has no area in the Liberty file`);
    total += count * area;
  }
  return total;
}

/** ABC's constraint file: every input driven by the library's buffer, every output loading 10 fF. */
const CONSTRAINT_FILE = 'abc.constr';

function abcConstraints(buffer: string): string {
  return `set_driving_cell ${buffer.split(' ')[0] ?? ''}\nset_load 0.01\n`;
}

const SIM_FILE = 'sim.v';
const STA_FILE = 'sta.v';
const MAPPING_FILE = 'mapping.json';

/** Maps the design to standard cells, times it and prices its memories; cached by content. */
export async function mapToCells(design: EmittedDesign, options: CellFlowOptions): Promise<CellMapping> {
  const liberty = resolveLiberty(options.liberty);
  const clockMhz = checkClockMhz(options.clockMhz ?? DEFAULT_CLOCK_MHZ, 'target clock');
  const libertyText = await readLiberty(liberty);
  const periodPs = Math.round(1e6 / clockMhz);
  const cells = libertyCells(libertyText);
  const buffer = bufferCell(cells, liberty);
  const script = fillScript(targetScript('osu018'), design, { booth: options.booth, liberty: LIBERTY_FILE, periodPs, buffer });
  const files = Object.fromEntries(design.modules.map((module) => [module.fileName, module.text]));
  const constraints = abcConstraints(buffer);
  // The SRAM model is in the key too: a change of its figures must re-price the memories.
  const key = createHash('sha256')
    .update(JSON.stringify({ format: 1, flavour: options.flavour, version: options.yosysVersion, script, files, constraints, sram: SRAM_MODEL }))
    .update(libertyText)
    .digest('hex');

  if (options.cacheDir !== undefined) {
    const hit = await readCacheEntry(options.cacheDir, key, [MAPPING_FILE, STA_FILE, SIM_FILE]);
    if (hit !== undefined) {
      const stored = JSON.parse(hit[MAPPING_FILE] ?? '{}') as Omit<CellMapping, 'netlists' | 'cached'>;
      return { ...stored, netlists: { sta: hit[STA_FILE] ?? '', sim: hit[SIM_FILE] ?? '' }, cached: true };
    }
  }

  const run = await runScript(options.flavour, { ...files, [LIBERTY_FILE]: libertyText, [CONSTRAINT_FILE]: constraints }, script, ['top.json', 'memories.txt', STA_FILE, SIM_FILE]);
  if (run.exitCode > 0 && /(dfflibmap|abc|read_liberty|stat)/.test(lastCommand(run.log)) && /ERROR/.test(run.log)) {
    throw new SynthInputError(`Liberty file '${liberty}' was rejected by Yosys: ${/ERROR: (.*)/.exec(run.log)?.[1] ?? 'see its log'}`);
  }
  requireSuccess(design, run);
  const output = (name: string): string => {
    const text = run.outputs[name];
    if (text === undefined) throw new Error(`Yosys did not write ${name}`);
    return text;
  };
  const stat = parseStat(output('top.json'))[design.top];
  if (stat === undefined) throw new Error(`Yosys reported no figures for the top module '${design.top}'`);
  const cellTypes: Record<string, number> = {};
  for (const [type, count] of Object.entries(stat.num_cells_by_type ?? {})) if (type !== '$mem_v2') cellTypes[type] = count;

  const memoryInstances = parseMemoryDump(output('memories.txt'));
  const memories: PricedMemory[] = memoryInstances.map(({ readEnables: _read, writeEnables: _write, ...shape }) => ({ ...shape, ...estimateSram(shape) }));
  const netlists = { sta: output(STA_FILE), sim: output(SIM_FILE) };
  const timing = await analyseTiming({
    netlist: netlists.sta,
    top: design.top,
    liberty,
    clockPort: clockPortOf(design),
    clockNs: 1000 / clockMhz,
  });
  // No timed path at all (no register, no input-to-output path): 0, and fmax 0 with it.
  const criticalPathNs = timing.criticalPathNs ?? 0;
  const slowestMemoryNs = Math.max(0, ...memories.map((memory) => memory.cycleNs));
  const figures: CellFigures = {
    // Summed here rather than read from `stat -liberty`, whose JSON has no area on Debian's Yosys 0.23.
    areaUm2: cellArea(cellTypes, cells),
    cells: Object.values(cellTypes).reduce((sum, count) => sum + count, 0),
    memoryBits: memories.reduce((sum, memory) => sum + memory.bits, 0),
    memoryAreaUm2: memories.reduce((sum, memory) => sum + memory.areaUm2, 0),
    criticalPathNs,
    fmaxMhz: criticalPathNs > 0 ? 1000 / criticalPathNs : 0,
  };
  const memoryFmaxMhz = slowestMemoryNs > 0 ? 1000 / slowestMemoryNs : null;
  const mapping = { figures, extras: { liberty, clockMhz, timing, memories, memoryFmaxMhz }, cellTypes, memoryInstances };
  if (options.cacheDir !== undefined) {
    await storeCacheEntry(options.cacheDir, key, { [MAPPING_FILE]: `${JSON.stringify(mapping, null, 2)}\n`, [STA_FILE]: netlists.sta, [SIM_FILE]: netlists.sim });
  }
  return { ...mapping, netlists, cached: false };
}

function clockPortOf(design: EmittedDesign): string | undefined {
  return design.ports.find((port) => port.role === 'clock')?.name;
}

function lastCommand(log: string): string {
  const commands = log.split('\n').filter((line) => line.startsWith('yosys> '));
  return commands[commands.length - 1] ?? '';
}
