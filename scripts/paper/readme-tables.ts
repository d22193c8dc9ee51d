// The README's figure tables, made from the same measured results as the paper report: the CSV
// files `make paper` writes to docs/paper/ (and the space files for the workloads' sizes). Each
// table sits in the README between `<!-- make paper: ID -->` and `<!-- end make paper -->`;
// `make paper` rewrites those blocks, and tb/scripts/paper/readme-tables.test.ts fails when the
// README and docs/paper disagree, so a figure in a README table is never typed by hand.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { formatNumber, ratio, table } from './kit.js';

type Row = Readonly<Record<string, string>>;

/** What the tables read: docs/paper's CSV files by name (`tensor-core.csv`, ...) and the space files. */
export interface PaperData {
  readonly csv: Readonly<Record<string, readonly Row[]>>;
  readonly spaces: Readonly<Record<string, unknown>>;
}

const CSV_FILES = ['tensor-core.csv', 'precompute.csv', 'lut-llm.csv', 'physical-units.csv', 'power.csv'] as const;
const SPACES = ['precompute', 'lut-llm'] as const;

export async function readPaperData(docsDir: string, spacesDir: string): Promise<PaperData> {
  const csv: Record<string, Row[]> = {};
  for (const name of CSV_FILES) csv[name] = parseCsv(await readFile(join(docsDir, name), 'utf8'));
  const spaces: Record<string, unknown> = {};
  for (const name of SPACES) spaces[name] = JSON.parse(await readFile(join(spacesDir, `${name}.json`), 'utf8'));
  return { csv, spaces };
}

export function parseCsv(text: string): Row[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Row[];
}

function rowsOf(data: PaperData, file: string): readonly Row[] {
  const rows = data.csv[file];
  if (rows === undefined) throw new Error(`docs/paper/${file} was not read`);
  return rows;
}

/** The one row whose columns have the given values. */
function rowWith(data: PaperData, file: string, values: Readonly<Record<string, string>>): Row {
  const found = rowsOf(data, file).filter((row) => Object.entries(values).every(([key, value]) => row[key] === value));
  if (found.length !== 1) throw new Error(`docs/paper/${file}: expected one row with ${JSON.stringify(values)}, found ${found.length}`);
  return found[0]!;
}

function numberIn(row: Row, column: string): number {
  const text = row[column];
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(value)) throw new Error(`column '${column}' holds no number (${JSON.stringify(text)})`);
  return value;
}

/** A workload's sizes as its space file gives them. */
function workload(data: PaperData, space: string, name: string): Readonly<Record<string, number>> {
  const found = (data.spaces[space] as { workloads?: Record<string, Record<string, number>> } | undefined)?.workloads?.[name];
  if (found === undefined) throw new Error(`space '${space}' has no workload '${name}'`);
  return found;
}

const ACT_NAMES: Readonly<Record<string, string>> = { int8: 'INT8', int16: 'INT16', fp16: 'FP16', bf16: 'BF16', fp8e4m3: 'FP8 E4M3' };
const actName = (act: string): string => ACT_NAMES[act] ?? act;

function engineRow(data: PaperData, group: string, act: string, wbits: number): Row {
  return rowWith(data, 'tensor-core.csv', { group, 'param.act': act, 'param.wbits': String(wbits) });
}

const densityOf = (row: Row): number => numberIn(row, 'density.cmos');

function integerDensity(data: PaperData): string {
  const points = ['int8', 'int16'].flatMap((act) => [1, 2, 4].map((wbits) => ({ act, wbits })));
  const order = [...points].sort((a, b) => a.wbits - b.wbits || (a.act === 'int8' ? -1 : 1));
  return table(
    ['point', 'LUT transistors', 'MAC transistors', 'ADD transistors', 'LUT / MAC', 'ADD / MAC'],
    order.map(({ act, wbits }) => {
      const [lut, mac, add] = (['lut', 'mac', 'add'] as const).map((group) => engineRow(data, group, act, wbits)) as [Row, Row, Row];
      return [
        `W${wbits}A${act.slice(3)}`,
        numberIn(lut, 'cmos.transistors'),
        numberIn(mac, 'cmos.transistors'),
        numberIn(add, 'cmos.transistors'),
        ratio(densityOf(lut) / densityOf(mac)),
        ratio(densityOf(add) / densityOf(mac)),
      ];
    }),
  );
}

function activationDensity(data: PaperData): string {
  const acts = ['int8', 'int16', 'fp16', 'bf16', 'fp8e4m3'];
  const wbitsList = [1, 2, 4];
  return table(
    ['activations', ...wbitsList.map((w) => `W${w} LUT / MAC`), 'LUT transistors (W1 / W2 / W4)', 'MAC transistors (W1 / W2 / W4)'],
    acts.map((act) => {
      const pairs = wbitsList.map((wbits) => ({ lut: engineRow(data, 'lut', act, wbits), mac: engineRow(data, 'mac', act, wbits) }));
      const counts = (group: 'lut' | 'mac') => pairs.map((pair) => formatNumber(numberIn(pair[group], 'cmos.transistors'))).join(' / ');
      return [actName(act), ...pairs.map((pair) => ratio(densityOf(pair.lut) / densityOf(pair.mac))), counts('lut'), counts('mac')];
    }),
  );
}

function tensorCoreCycles(data: PaperData): string {
  const shared = rowWith(data, 'precompute.csv', { 'param.precompute': 'shared' });
  const runs = [
    { name: 'decode', label: 'GEMV' },
    { name: 'prefill', label: 'GEMM' },
  ];
  return table(
    ['run', 'cycles', 'ideal', 'efficiency', 'mismatches'],
    runs.map(({ name, label }) => {
      const { M, K, N } = workload(data, 'precompute', name);
      const column = (figure: string): number => numberIn(shared, `${name}.${figure}`);
      return [`${name}: ${label} ${M} x ${K} x ${N}`, column('cycles'), column('idealCycles'), column('efficiency').toFixed(4), column('mismatches')];
    }),
  );
}

function lutLlmCycles(data: PaperData): string {
  const run = rowWith(data, 'lut-llm.csv', { group: 'run' });
  const { T, K, N } = workload(data, 'lut-llm', 'layer');
  const layer = (figure: string): number => numberIn(run, `layer.${figure}`);
  return table(
    ['layer (K x N)', 'T', 'lookups per cycle', 'cycles', 'ideal', 'efficiency', 'mismatches'],
    [[`${K} x ${N}`, T!, numberIn(run, 'param.lookupsPerCycle'), layer('cycles'), layer('idealCycles'), layer('efficiency').toFixed(4), layer('mismatches')]],
  );
}

function lutLlmXilinx(data: PaperData): string {
  const engines = rowsOf(data, 'lut-llm.csv').filter((row) => row['group'] === 'engine');
  return table(
    ['lookups per cycle', 'LUT6', 'FF', 'BRAM (RAMB36)', 'DSP', 'LUT6 per lookup/cycle', 'FF per lookup/cycle'],
    engines.map((row) => {
      const rate = numberIn(row, 'param.lookupsPerCycle');
      return [rate, numberIn(row, 'xilinx.lut'), numberIn(row, 'xilinx.ff'), numberIn(row, 'xilinx.bram'), numberIn(row, 'xilinx.dsp'), Math.round(numberIn(row, 'xilinx.lut') / rate), Math.round(numberIn(row, 'xilinx.ff') / rate)];
    }),
  );
}

const ENGINE_LABELS: Readonly<Record<string, string>> = { 'tensor-core': 'LUT', mac: 'MAC', add: 'ADD' };

function physicalFigures(data: PaperData): string {
  return table(
    ['engine (W1 x INT8)', 'MACs / cycle', 'logic mm^2', 'SRAM mm^2 (model)', 'fmax MHz', 'mW at 100 MHz (of it SRAM)', 'pJ / MAC'],
    rowsOf(data, 'power.csv').map((power) => {
      const engine = power['engine'] ?? '';
      const area = rowWith(data, 'physical-units.csv', { generator: engine, 'param.act': power['act'] ?? '', 'param.wbits': power['wbits'] ?? '' });
      return [
        ENGINE_LABELS[engine] ?? engine,
        numberIn(area, 'throughput'),
        (numberIn(area, 'osu018.areaUm2') / 1e6).toFixed(3),
        (numberIn(area, 'osu018.memoryAreaUm2') / 1e6).toFixed(3),
        numberIn(area, 'osu018.fmaxMhz').toFixed(1),
        `${numberIn(power, 'powerMw').toFixed(1)} (${numberIn(power, 'memoryMw').toFixed(1)})`,
        numberIn(power, 'energyPerOpPj').toFixed(2),
      ];
    }),
  );
}

/** Every generated table, by the id its README markers carry. */
export const README_TABLES: Readonly<Record<string, (data: PaperData) => string>> = {
  'integer-density': integerDensity,
  'activation-density': activationDensity,
  'tensor-core-cycles': tensorCoreCycles,
  'lut-llm-cycles': lutLlmCycles,
  'lut-llm-xilinx': lutLlmXilinx,
  'physical-figures': physicalFigures,
};

const BLOCK = /(<!-- make paper: ([\w-]+) -->)\n(?:[\s\S]*?\n)??(<!-- end make paper -->)/g;

/** The README with every marked block rendered anew; an unknown id, or an id missing from the README, is an error. */
export function renderReadmeTables(readme: string, data: PaperData): string {
  const seen = new Set<string>();
  const rendered = readme.replace(BLOCK, (_match, open: string, id: string, close: string) => {
    const render = README_TABLES[id];
    if (render === undefined) throw new Error(`README: unknown generated table '${id}' (known: ${Object.keys(README_TABLES).join(', ')})`);
    seen.add(id);
    return `${open}\n${render(data)}\n${close}`;
  });
  const missing = Object.keys(README_TABLES).filter((id) => !seen.has(id));
  if (missing.length > 0) throw new Error(`README: no block for the generated table(s) ${missing.join(', ')}`);
  return rendered;
}
