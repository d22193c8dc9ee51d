// A schematic of one module of a design: Yosys turns the module into a word-level netlist (adders,
// multiplexers, flip-flops, comparators, each as wide as its operands; or single-bit gates), and
// netlistsvg lays it out (ELK) and draws it as SVG. Instances of other modules stay boxes labelled
// with the module's name unless the schematic is flattened.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { EmittedDesign } from '../dsl/design.js';
import { resolveFlavour, runScript, SynthInputError, yosysVersion, type YosysFlavour } from './runner.js';
import { problemLines } from './yosys.js';

export const SCHEMATIC_LEVELS = ['word', 'gates'] as const;
export type SchematicLevel = (typeof SCHEMATIC_LEVELS)[number];

export interface SchematicOptions {
  /** The module to draw; default the design's top. */
  readonly module?: string;
  /** `word` (default): multi-bit operators; `gates`: AND, OR, XOR, MUX, ... one bit each, after ABC. */
  readonly level?: SchematicLevel;
  /** Inline every submodule instead of drawing it as a box. */
  readonly flatten?: boolean;
  /** `embedded` (default, or $LUTFORGE_YOSYS) or `system`. */
  readonly flavour?: YosysFlavour;
  /** Told as each of the two long steps starts. */
  readonly onPhase?: (phase: string) => void;
}

export interface SchematicPort {
  readonly name: string;
  readonly direction: 'input' | 'output' | 'inout';
  readonly width: number;
}

export interface Schematic {
  /** The SVG document: the same bytes for the same design, options and Yosys build. */
  readonly svg: string;
  readonly module: string;
  readonly level: SchematicLevel;
  readonly flattened: boolean;
  /** Primitive cells drawn, by Yosys type (`$add`, `$mux`, `$dff`, ...), most numerous first. */
  readonly cells: Readonly<Record<string, number>>;
  /** Instances of other design modules drawn as boxes, by module name. */
  readonly instances: Readonly<Record<string, number>>;
  readonly ports: readonly SchematicPort[];
  /** The Yosys build that produced the netlist. */
  readonly yosys: string;
}

/** A layout that netlistsvg could not finish: the module is too large or too wide for it. */
export class SchematicRenderError extends Error {
  override readonly name = 'SchematicRenderError';
}

/** The module a schematic of `design` draws; an unknown name is bad input listing the design's modules. */
export function schematicModule(design: EmittedDesign, requested?: string): string {
  const name = requested ?? design.top;
  const names = design.modules.map((module) => module.name);
  if (!names.includes(name)) throw new SynthInputError(`design '${design.top}' has no module '${name}' (modules: ${names.join(', ')})`);
  return name;
}

/** Synthesizes one module of `design` to a readable netlist and draws it. */
export async function schematicSvg(design: EmittedDesign, options: SchematicOptions = {}): Promise<Schematic> {
  const module = schematicModule(design, options.module);
  const level = options.level ?? 'word';
  if (!(SCHEMATIC_LEVELS as readonly string[]).includes(level)) {
    throw new SynthInputError(`unknown schematic level '${String(level)}' (known: ${SCHEMATIC_LEVELS.join(', ')})`);
  }
  const flatten = options.flatten ?? false;
  const flavour = resolveFlavour(options.flavour);

  options.onPhase?.(`synthesizing ${module} with Yosys (${level} level${flatten ? ', flattened' : ''})`);
  const files = Object.fromEntries(design.modules.map((entry) => [entry.fileName, entry.text]));
  const [run, yosys] = await Promise.all([runScript(flavour, files, schematicScript(design, module, level, flatten), [NETLIST_FILE]), yosysVersion(flavour)]);
  // -1: the worker or process died without a Yosys exit code, which is lutforge's problem.
  if (run.exitCode === -1) throw new Error(`Yosys did not run to completion:\n${run.log.trimEnd().split('\n').slice(-20).join('\n')}`);
  if (run.exitCode !== 0) {
    const lines = run.log.split('\n');
    const failing = lines.filter((line) => line.startsWith('yosys> ')).at(-1)?.slice('yosys> '.length) ?? '';
    const problems = problemLines(lines);
    throw new SynthInputError(`Yosys rejected design '${design.top}' in \`${failing}\`:\n${(problems.length > 0 ? problems : lines.slice(-20)).join('\n')}`);
  }
  const text = run.outputs[NETLIST_FILE];
  if (text === undefined) throw new Error(`Yosys did not write ${NETLIST_FILE}`);
  const drawn = (JSON.parse(text) as YosysNetlist).modules[module];
  if (drawn === undefined) throw new Error(`Yosys wrote no module '${module}' to ${NETLIST_FILE}`);

  options.onPhase?.(`laying out ${module} with netlistsvg`);
  const designModules = new Set(design.modules.map((entry) => entry.name));
  const { cells, instances } = countCells(drawn, designModules);
  // Only the drawn module goes to netlistsvg: it would pick the one marked top anyway, and the
  // children's netlists are large and unused.
  const svg = await renderInWorker(JSON.stringify({ modules: { [module]: forDrawing(drawn) } }), module);
  const ports = Object.entries(drawn.ports).map(([name, port]) => ({ name, direction: port.direction, width: port.bits.length }));
  return { svg, module, level, flattened: flatten, cells, instances, ports, yosys };
}

// ---- Yosys ------------------------------------------------------------------------------------

const NETLIST_FILE = 'netlist.json';

/**
 * The script, kept readable like synth/scripts/: only what makes the netlist legible, nothing that
 * maps to a technology. Runs unchanged on Yosys 0.23 and 0.55.
 */
function schematicScript(design: EmittedDesign, module: string, level: SchematicLevel, flatten: boolean): string {
  return [
    // -defer: only parse; `hierarchy` then elaborates just the drawn module and what it
    // instantiates, not the engine around a unit (most of the time otherwise).
    ...design.modules.map((entry) => `read_verilog -defer ${entry.fileName}`),
    `hierarchy -check -top ${module}`,
    'proc',
    // Yosys 0.55 leaves a $scopeinfo marker per inlined instance: metadata, not logic.
    ...(flatten ? ['flatten', 'delete t:$scopeinfo'] : []),
    'opt_expr',
    'opt_clean',
    // -noff keeps registers plain $dff cells behind their enable and reset multiplexers: netlistsvg
    // draws $dff as a flip-flop, while the $sdff/$dffe cells opt_dff would merge them into are
    // anonymous boxes.
    'opt -noff',
    'wreduce',
    'memory_collect',
    ...(level === 'gates'
      ? ['memory_map', 'opt -noff -fast', 'techmap', 'opt -noff -fast', 'abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX']
      : []),
    'opt_clean -purge',
    `write_json ${NETLIST_FILE}`,
  ].join('\n');
}

type Bit = number | string;

interface YosysCell {
  readonly type: string;
  readonly port_directions?: Readonly<Record<string, 'input' | 'output' | 'inout'>>;
  readonly connections: Readonly<Record<string, readonly Bit[]>>;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

interface YosysModule {
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly ports: Readonly<Record<string, { readonly direction: 'input' | 'output' | 'inout'; readonly bits: readonly Bit[] }>>;
  readonly cells: Readonly<Record<string, YosysCell>>;
}

interface YosysNetlist {
  readonly modules: Readonly<Record<string, YosysModule>>;
}

function countCells(module: YosysModule, designModules: ReadonlySet<string>): { cells: Record<string, number>; instances: Record<string, number> } {
  const cells = new Map<string, number>();
  const instances = new Map<string, number>();
  for (const { type } of Object.values(module.cells)) {
    const name = type.replace(/^\\/, '');
    const counts = designModules.has(name) ? instances : cells;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const ordered = (counts: Map<string, number>): Record<string, number> =>
    Object.fromEntries([...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)));
  return { cells: ordered(cells), instances: ordered(instances) };
}

/**
 * The module as netlistsvg should see it. An input driven by one bit repeated across its width (a
 * select bit gating a word, `a & {12{pick[0]}}`; a sign applied to every bit) is drawn as that
 * single wire: netlistsvg would draw a bus join with one input per copy, 12 or 25 stubs from the
 * same wire, which buries the datapath.
 */
function forDrawing(module: YosysModule): YosysModule {
  const cells = Object.fromEntries(
    Object.entries(module.cells).map(([name, cell]) => {
      const connections = Object.fromEntries(
        Object.entries(cell.connections).map(([port, bits]) => {
          const first = bits[0];
          const broadcast = cell.port_directions?.[port] === 'input' && bits.length > 1 && typeof first === 'number' && bits.every((bit) => bit === first);
          return [port, broadcast ? [first] : bits];
        }),
      );
      return [name, { ...cell, connections }];
    }),
  );
  return { ...(module.attributes === undefined ? {} : { attributes: module.attributes }), ports: module.ports, cells };
}

// ---- netlistsvg -------------------------------------------------------------------------------

const require = createRequire(import.meta.url);

/**
 * Runs in a worker thread, for two reasons: netlistsvg splits and joins buses by recursion, one
 * level per bit, which overflows the main thread's stack on the wide buses of an engine's top (the
 * worker gets a large one); and ELK lays out synchronously, for seconds on a large module, which
 * would freeze the progress output. netlistsvg catches a failed layout, logs it with console.error
 * and resolves to nothing, so the log is captured to say why.
 */
const RENDER_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
let logged = '';
console.error = (...args) => { logged += args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ') + '\\n'; };
const reason = (error) => (error instanceof Error ? error.message : String(error));
try {
  const netlistsvg = require(workerData.netlistsvg);
  const skin = readFileSync(workerData.skin, 'utf8');
  netlistsvg.render(skin, JSON.parse(workerData.netlist)).then(
    (svg) => parentPort.postMessage(typeof svg === 'string' ? { svg } : { error: logged.trim() || 'netlistsvg drew nothing' }),
    (error) => parentPort.postMessage({ error: reason(error) }),
  );
} catch (error) {
  parentPort.postMessage({ error: reason(error) });
}
`;

/** Enough for the recursion on a few thousand bits of bus (the default 4 MiB is not). */
const RENDER_STACK_MB = 256;

interface RenderReply {
  readonly svg?: string;
  readonly error?: string;
}

function renderInWorker(netlist: string, module: string): Promise<string> {
  const workerData = {
    netlistsvg: require.resolve('netlistsvg'),
    // The default skin: symbols for Yosys' word-level and gate cells, a labelled box for the rest.
    skin: require.resolve('netlistsvg/lib/default.svg'),
    netlist,
  };
  return new Promise<string>((resolve, reject) => {
    const worker = new Worker(RENDER_WORKER, { eval: true, workerData, resourceLimits: { stackSizeMb: RENDER_STACK_MB } });
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      action();
    };
    const fail = (reason: string): void => {
      const hint = /Maximum call stack size exceeded/.test(reason) ? ' (its buses are too wide or too scattered for netlistsvg; draw a submodule or a smaller configuration)' : '';
      settle(() => reject(new SchematicRenderError(`netlistsvg could not draw module '${module}': ${reason}${hint}`)));
    };
    worker.on('message', (reply: RenderReply) => {
      if (reply.svg !== undefined) {
        const svg = reply.svg;
        settle(() => resolve(svg.endsWith('\n') ? svg : `${svg}\n`));
      } else {
        fail(reply.error ?? 'no reason given');
      }
    });
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`its worker exited with code ${code}`));
  });
}
