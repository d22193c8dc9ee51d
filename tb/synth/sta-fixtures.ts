// What the OpenSTA tests share: the OSU 0.18 um library, Verilog mapped onto it by the embedded
// Yosys, and the Liberty table look-ups the hand checks make, done as OpenSTA 2.0.17 does them.

import { readFileSync } from 'node:fs';
import { runScript } from '../../synth/runner.js';

/** Debian's qflow ships it; time unit 1 ns, capacitance 1 pF, leakage 1 nW, 1.8 V. */
export const OSU018_LIBERTY = '/usr/share/qflow/tech/osu018/osu018_stdcells.lib';

let libertyText: string | undefined;
export function osu018(): string {
  libertyText ??= readFileSync(OSU018_LIBERTY, 'utf8');
  return libertyText;
}

/**
 * `verilog` mapped to the OSU cells the way the standard-cell target maps it (dfflibmap, abc with
 * the Liberty file, opt_clean -purge). `prepare` replaces plain `synth`, e.g. to keep memories.
 */
export async function mapWithYosys(verilog: string, top: string, prepare = `synth -top ${top} -flatten`): Promise<string> {
  const script = [
    'read_verilog design.v',
    prepare,
    'dfflibmap -liberty osu018.lib',
    'abc -liberty osu018.lib -D 10000',
    'opt_clean -purge',
    'write_verilog -noattr -noexpr mapped.v',
  ].join('\n');
  const run = await runScript('embedded', { 'design.v': verilog, 'osu018.lib': osu018() }, script, ['mapped.v']);
  const mapped = run.outputs['mapped.v'];
  if (run.exitCode !== 0 || mapped === undefined) throw new Error(`Yosys failed:\n${run.log.slice(-3000)}`);
  return mapped;
}

/** The cell instances of a mapped netlist, by cell name. */
export function cellCounts(netlist: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of netlist.matchAll(/^\s+([A-Z][A-Z0-9]*) \S+ \($/gm)) counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
  return counts;
}

export interface LibertyTable {
  readonly index1: readonly number[];
  /** Absent in a one-dimensional table. */
  readonly index2?: readonly number[];
  /** values[i][j] at index1[i], index2[j]. */
  readonly values: readonly (readonly number[])[];
}

/** A number attribute of a pin, e.g. `rise_capacitance`. */
export function pinAttribute(cell: string, pin: string, attribute: string): number {
  const found = new RegExp(String.raw`\b${attribute}\s*:\s*([-\d.eE]+)\s*;`).exec(pinText(cell, pin))?.[1];
  if (found === undefined) throw new Error(`no ${attribute} on ${cell}/${pin}`);
  return Number(found);
}

/** A cell's attribute, e.g. `cell_leakage_power`. */
export function cellAttribute(cell: string, attribute: string): number {
  const found = new RegExp(String.raw`\b${attribute}\s*:\s*([-\d.eE]+)\s*;`).exec(cellText(cell))?.[1];
  if (found === undefined) throw new Error(`no ${attribute} on ${cell}`);
  return Number(found);
}

/**
 * A table of a pin's `timing()` or `internal_power()` group, e.g. (`DFFPOSX1`, `Q`, `timing`,
 * `cell_rise`); `timingType` picks among several timing groups (`setup_rising`).
 */
export function libertyTable(cell: string, pin: string, group: 'timing' | 'internal_power', table: string, timingType?: string): LibertyTable {
  const groups = pinText(cell, pin)
    .split(/(?=\b(?:timing|internal_power)\s*\(\s*\))/)
    .filter((text) => text.startsWith(group) && (timingType === undefined || new RegExp(String.raw`timing_type\s*:\s*${timingType}\s*;`).test(text)));
  if (groups.length !== 1) throw new Error(`${groups.length} ${group} groups on ${cell}/${pin}`);
  const body = new RegExp(String.raw`\b${table}\s*\([^)]*\)\s*\{([^}]*)\}`).exec(groups[0]!)?.[1];
  if (body === undefined) throw new Error(`no ${table} in ${cell}/${pin}`);
  const numbers = (text: string): number[] => text.split(',').map(Number);
  const quoted = (name: string): string[] => [...(new RegExp(String.raw`${name}\s*\(([^)]*)\)`).exec(body)?.[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const index2 = quoted('index_2')[0];
  return {
    index1: numbers(quoted('index_1')[0] ?? ''),
    ...(index2 === undefined ? {} : { index2: numbers(index2) }),
    values: quoted('values').map(numbers),
  };
}

/**
 * OpenSTA's look-up: linear in each index between the two nearest points, extrapolated from the
 * first or last two beyond the table (TableModel.cc, TableAxis::findAxisIndex).
 */
export function lookUp(table: LibertyTable, x1: number, x2 = 0): number {
  const [i, dx1] = position(table.index1, x1);
  if (table.index2 === undefined) return (1 - dx1) * table.values[0]![i]! + dx1 * table.values[0]![i + 1]!;
  const [j, dx2] = position(table.index2, x2);
  const at = (a: number, b: number): number => table.values[a]![b]!;
  return (1 - dx1) * (1 - dx2) * at(i, j) + dx1 * (1 - dx2) * at(i + 1, j) + dx1 * dx2 * at(i + 1, j + 1) + (1 - dx1) * dx2 * at(i, j + 1);
}

function position(axis: readonly number[], x: number): [number, number] {
  const last = axis.length - 1;
  let i = 0;
  if (x >= axis[last]!) i = last - 1;
  else if (x > axis[0]!) while (axis[i + 1]! <= x) i += 1;
  return [i, (x - axis[i]!) / (axis[i + 1]! - axis[i]!)];
}

function cellText(cell: string): string {
  const text = osu018();
  const start = text.search(new RegExp(String.raw`\bcell\s*\(\s*${cell}\s*\)`));
  if (start < 0) throw new Error(`no cell ${cell}`);
  const next = text.slice(start + 1).search(/\bcell\s*\(/);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

function pinText(cell: string, pin: string): string {
  const text = cellText(cell);
  const start = text.search(new RegExp(String.raw`\bpin\s*\(\s*${pin}\s*\)`));
  if (start < 0) throw new Error(`no pin ${cell}/${pin}`);
  const next = text.slice(start + 1).search(/\bpin\s*\(/);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

/** An 8 x 8 multiply-accumulate with registered operands. */
export const MAC = `module mac(input clk, input rst, input signed [7:0] a, input signed [7:0] b, output reg signed [19:0] acc);
  reg signed [7:0] ar, br;
  always @(posedge clk) begin
    ar <= a; br <= b;
    if (rst) acc <= 0; else acc <= acc + ar * br;
  end
endmodule
`;

// Read and registered output of a memory Yosys leaves unmapped: written as behavioural Verilog.
export const MEMORY = `module memd(input clk, input we, input [3:0] wa, input [3:0] ra, input [7:0] wd, output [7:0] sum);
  reg [7:0] mem [0:15];
  reg [7:0] rd, acc;
  always @(posedge clk) begin
    if (we) mem[wa] <= wd;
    rd <= mem[ra];
    acc <= acc + rd;
  end
  assign sum = acc;
endmodule
`;
