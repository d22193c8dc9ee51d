// Static timing of a mapped netlist with OpenSTA: the worst path of each of the four groups a
// synchronous design has (register to register, input to register, register to output, input to
// output), and from them the shortest clock period the design meets.
//
// Conventions. The clock is ideal (no skew, no latency, no slew), every input arrives at the clock
// edge (`set_input_delay 0`) and every output is due at the next one (`set_output_delay 0`), with
// no load beyond what the netlist has. A group's `pathNs` is the period its worst path needs:
// arrival plus the capturing flip-flop's setup time for a register endpoint, the arrival alone for
// an output (`period - slack`, measured from the launching to the capturing edge, so the period
// analysed does not matter). `criticalPathNs` is the largest of them. This is exact for
// rising-edge flip-flops, which is what dfflibmap makes of `always @(posedge clk)`; a path
// between edges of opposite sense has half a period and is reported as if it had a whole one.
//
// Start and end points are named as the RTL named them: a register by the net on its output
// (yosys calls the flip-flop `_931_` but its Q net `acc[3]`), a port by its name. Instances of
// cells no Liberty file defines (memories left as black boxes) and memories Yosys wrote as
// behavioural Verilog are black boxes: paths into and out of them are not timed, and
// `blackBoxes` counts them.

import { NETLIST_FILE, readDesignTcl, runSta, staNetlist, tclWord } from './opensta.js';

export interface TimingPath {
  /** The clock period this path needs, in ns (see the file's header). */
  readonly pathNs: number;
  readonly startpoint: string;
  readonly endpoint: string;
  /** Slack at the analysed period (`clockNs`), in ns. */
  readonly slackNs: number;
}

export interface TimingGroups {
  readonly regToReg: TimingPath | null;
  readonly inToReg: TimingPath | null;
  readonly regToOut: TimingPath | null;
  readonly inToOut: TimingPath | null;
}

export type TimingGroupName = keyof TimingGroups;

export interface TimingReport {
  /** The shortest clock period the design meets, in ns; null when no path is timed at all. */
  readonly criticalPathNs: number | null;
  /** 1000 / criticalPathNs; null when no path is timed. */
  readonly fmaxMhz: number | null;
  /** The worst path of each group; null for a group without paths. */
  readonly groups: TimingGroups;
  /** Black boxes (cells missing from the Liberty files, behavioural memories): not timed. */
  readonly blackBoxes: number;
  /** The period analysed, in ns: the slacks are relative to it. */
  readonly clockNs: number;
}

export interface TimingOptions {
  /** The mapped netlist (Verilog text). */
  readonly netlist: string;
  readonly top: string;
  /** Path of the cell library's Liberty file. */
  readonly liberty: string;
  /** The clock port; undefined for a combinational design (its input-to-output paths are timed). */
  readonly clockPort: string | undefined;
  /** The period to report slacks at; the path figures do not depend on it. Default 1000 ns. */
  readonly clockNs?: number;
}

const DEFAULT_PERIOD_NS = 1000;
const GROUP_NAMES: readonly TimingGroupName[] = ['regToReg', 'inToReg', 'regToOut', 'inToOut'];

export async function analyseTiming(options: TimingOptions): Promise<TimingReport> {
  const clockNs = options.clockNs ?? DEFAULT_PERIOD_NS;
  if (!(clockNs > 0)) throw new RangeError(`clockNs must be positive, not ${clockNs}`);
  const netlist = staNetlist(options.netlist);
  const log = await runSta(timingTcl(options, clockNs), { [NETLIST_FILE]: netlist.text });
  const registers = registerNets(log);
  const group = (name: TimingGroupName): TimingPath | null => parsePath(section(log, name), registers);
  const groups: TimingGroups = { regToReg: group('regToReg'), inToReg: group('inToReg'), regToOut: group('regToOut'), inToOut: group('inToOut') };
  const needs = GROUP_NAMES.flatMap((name) => groups[name]?.pathNs ?? []);
  const criticalPathNs = needs.length === 0 ? null : Math.max(...needs);
  const boxes = /^lutforge-black-boxes (\d+)$/m.exec(log)?.[1];
  if (boxes === undefined) throw new Error(`OpenSTA's log does not say how many black boxes it made:\n${log.slice(-2000)}`);
  const blackBoxes = Number(boxes) + netlist.behaviouralBlocks;
  return { criticalPathNs, fmaxMhz: criticalPathNs === null ? null : 1000 / criticalPathNs, groups, blackBoxes, clockNs };
}

function timingTcl(options: TimingOptions, clockNs: number): string {
  const design = { liberty: [options.liberty], top: options.top, clockPort: options.clockPort, periodNs: clockNs };
  return `${readDesignTcl(design)}
set lutforge_inputs ${options.clockPort === undefined ? '[all_inputs]' : `[delete_from_list [all_inputs] [get_ports ${tclWord(options.clockPort)}]]`}
if {[llength $lutforge_inputs] > 0} { set_input_delay 0 -clock lutforge_clock $lutforge_inputs }
if {[llength [all_outputs]] > 0} { set_output_delay 0 -clock lutforge_clock [all_outputs] }
proc lutforge_group {name from to} {
  puts "lutforge-group $name"
  if {[llength $from] == 0 || [llength $to] == 0} {
    puts "No paths found."
  } else {
    report_checks -path_delay max -from $from -to $to -digits 4 -fields {} -format full
  }
}
lutforge_group regToReg [all_registers -clock_pins] [all_registers -data_pins]
lutforge_group inToReg $lutforge_inputs [all_registers -data_pins]
lutforge_group regToOut [all_registers -clock_pins] [all_outputs]
lutforge_group inToOut $lutforge_inputs [all_outputs]
puts "lutforge-group end"
foreach reg [all_registers -cells] {
  set pins [$reg pin_iterator]
  while {[$pins has_next]} {
    set pin [$pins next]
    if {[$pin is_driver] && [$pin net] != "NULL"} {
      puts "lutforge-register\\t[get_full_name $reg]\\t[get_full_name [$pin net]]"
      break
    }
  }
  $pins finish
}
puts "lutforge-black-boxes [llength [lutforge_black_boxes]]"
`;
}

/** Each register instance's output net, from the `lutforge-register` lines. */
function registerNets(log: string): Map<string, string> {
  const nets = new Map<string, string>();
  for (const match of log.matchAll(/^lutforge-register\t(.*)\t(.*)$/gm)) nets.set(match[1]!, match[2]!);
  return nets;
}

/** The report of one group: from its marker to the next. */
function section(log: string, name: TimingGroupName): string {
  const start = log.indexOf(`lutforge-group ${name}\n`);
  if (start < 0) throw new Error(`OpenSTA's log has no report for the group ${name}:\n${log.slice(-2000)}`);
  const end = log.indexOf('lutforge-group ', start + 1);
  return log.slice(start, end < 0 ? undefined : end);
}

const NUMBER = String.raw`(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)`;

/**
 * One path of `report_checks -format full -fields {}`: the start and end points, the launching
 * and capturing clock edges (the `clock ... edge` lines), the first `data arrival time` and `data
 * required time` lines (the second of each is the summary, with a sign) and the slack.
 */
export function parsePath(report: string, registers: ReadonlyMap<string, string>): TimingPath | null {
  if (/^No paths found\./m.test(report)) return null;
  const field = (pattern: RegExp, what: string): string => {
    const found = pattern.exec(report)?.[1];
    if (found === undefined) throw new Error(`cannot read the ${what} from OpenSTA's report:\n${report}`);
    return found;
  };
  const startpoint = field(/^Startpoint: (\S+)/m, 'startpoint');
  const endpoint = field(/^Endpoint: (\S+)/m, 'endpoint');
  const edges = [...report.matchAll(new RegExp(String.raw`^\s*${NUMBER}\s+${NUMBER}\s+clock \S+ \((?:rise|fall) edge\)`, 'gm'))];
  if (edges.length !== 2) throw new Error(`cannot read the clock edges from OpenSTA's report:\n${report}`);
  const launch = Number(edges[0]![2]);
  const capture = Number(edges[1]![2]);
  const arrival = Number(field(new RegExp(String.raw`^\s*${NUMBER}\s+data arrival time`, 'm'), 'data arrival time'));
  const required = Number(field(new RegExp(String.raw`^\s*${NUMBER}\s+data required time`, 'm'), 'data required time'));
  const slackNs = Number(field(new RegExp(String.raw`^\s*${NUMBER}\s+slack \(`, 'm'), 'slack'));
  return {
    pathNs: round(arrival - launch + (capture - required)),
    startpoint: registers.get(startpoint) ?? startpoint,
    endpoint: registers.get(endpoint) ?? endpoint,
    slackNs,
  };
}

/** OpenSTA printed 4 decimals; the sums above should not show binary noise beyond them. */
function round(ns: number): number {
  return Math.round(ns * 1e4) / 1e4;
}
