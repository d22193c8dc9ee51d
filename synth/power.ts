// Power of a mapped netlist with OpenSTA's report_power, from per-net switching activity.
//
// Activity. For each net bit: `toggles`, the 0<->1 transitions per clock cycle (a net that flips
// every cycle has 1, the clock itself 2), and `duty`, the fraction of time at 1; nets without data
// take `activity.default`. This is OpenSTA's own unit: `set_power_activity -activity` is in
// transitions per clock period, divided by the period of the clock that reaches the pin to give
// transitions per second (read in OpenSTA 2.0.17's Power::findClkedActivity, and checked: 0.3 on
// a 10 ns clock is 3e7 /s). Clock pins always have 2 per period.
//
// Power, as OpenSTA 2.0.17 computes it (all in W, converted to mW here):
//   switching  1/2 C V^2 f per output pin: C the pin and wire load of its net, V the library's
//              voltage, f the transitions per second;
//   internal   per output pin, sum over its internal_power arcs of (E_rise + E_fall) w f, E read
//              from the tables at the related input pin's slew and the output load, w the arc's
//              share (its input's toggles over the output's, times the probability the rest of the
//              function lets it through; the shares sum to 1); per input pin with a table of its
//              own (a flip-flop's D and CLK), (E_rise + E_fall) d f with d = 1 on a clock pin, 1/2
//              otherwise. So an output transition is charged E_rise + E_fall, not their mean: twice
//              the textbook figure (OpenSTA has averaged the two since 2020; 2.0.17 predates that);
//   leakage    cell_leakage_power of each cell.
// tb/synth/power.test.ts checks this by hand on a DFFPOSX1 driving an INVX1, from the OSU tables
// (toggles 0.4 on D, 0.25 on Q, 100 MHz): 27.97 uW internal, 0.3776 uW switching, as OpenSTA says
// to 7 digits; the textbook mean of E_rise and E_fall would make the internal power 15.33 uW.
//
// What 2.0.17 does to the activities it is given, and what is done about it here. Its
// `set_power_activity -pins` is broken (it calls a Tcl procedure that does not exist), so pins are
// annotated with the command underneath, sta::set_power_pin_activity, on every pin of the net.
// Before it computes power it propagates activity from every vertex without a driver (input
// ports, undriven nets, constants, black-box pins) through the logic by each cell's function,
// overwriting what was set on the pins it reaches. So that the data stands, no net is left without
// a Liberty driver: black boxes are removed (they are priced elsewhere), input ports are cut from
// their nets, and each net without a driver gets one `lutforge_activity_source`, a flip-flop cell
// of a small library written here with zero delay, slew, capacitance and energy and a supply at
// 0 V, so it adds nothing to any figure; constant nets get activity 0. The clock is not annotated.

import { NETLIST_FILE, readDesignTcl, runSta, staNetlist, tclWord } from './opensta.js';

export interface NetActivity {
  /** 0<->1 transitions per clock cycle. */
  readonly toggles: number;
  /** Fraction of the time at 1, from 0 to 1. */
  readonly duty: number;
}

export interface PowerActivity {
  /** Per net bit, named as OpenSTA names the netlist's nets (`_123_`, `acc[3]`). */
  readonly nets: ReadonlyMap<string, NetActivity>;
  /** For nets `nets` does not name. */
  readonly default: NetActivity;
}

export interface PowerOptions {
  /** The mapped netlist (Verilog text). */
  readonly netlist: string;
  readonly top: string;
  /** Path of the cell library's Liberty file. */
  readonly liberty: string;
  readonly clockPort: string;
  readonly clockMhz: number;
  readonly activity: PowerActivity;
}

export interface PowerReport {
  readonly internalMw: number;
  readonly switchingMw: number;
  readonly leakageMw: number;
  readonly totalMw: number;
  /** Names in `activity.nets` found in the netlist, and not found. */
  readonly annotatedNets: number;
  readonly unknownNets: number;
  /** Nets that had no driver in the netlist (inputs, undriven, constants) and got a source. */
  readonly sourcedNets: number;
  /** Black boxes (cells missing from the Liberty file, behavioural memories): not priced here. */
  readonly blackBoxes: number;
  /**
   * Cell outputs whose activity OpenSTA derived from their inputs' instead of taking the data:
   * 0 unless a vertex without a driver escaped the sources (a cell input left unconnected).
   */
  readonly propagatedPins: number;
}

const SOURCES_FILE = 'lutforge-sources.lib';
const ACTIVITY_FILE = 'lutforge-activity.tsv';

export async function analysePower(options: PowerOptions): Promise<PowerReport> {
  if (!(options.clockMhz > 0)) throw new RangeError(`clockMhz must be positive, not ${options.clockMhz}`);
  checkActivity('the default activity', options.activity.default);
  const lines: string[] = [];
  for (const [name, activity] of options.activity.nets) {
    checkActivity(`the activity of net '${name}'`, activity);
    lines.push(`${staNetName(name)}\t${activity.toggles}\t${activity.duty}`);
  }
  const netlist = staNetlist(options.netlist);
  const log = await runSta(powerTcl(options), {
    [NETLIST_FILE]: netlist.text,
    [SOURCES_FILE]: SOURCES_LIBERTY,
    [ACTIVITY_FILE]: `${lines.join('\n')}\n`,
  });
  const total = /^Total\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(log);
  const counts = /^lutforge-counts (\d+) (\d+) (\d+) (\d+) (\d+)$/m.exec(log);
  if (total === null || counts === null) throw new Error(`cannot read OpenSTA's power report:\n${log.slice(-3000)}`);
  // report_power printed 7 significant digits; the conversion should not add binary noise to them.
  const milliwatts = (watts: string | undefined): number => Number((Number(watts) * 1e3).toPrecision(7));
  return {
    internalMw: milliwatts(total[1]),
    switchingMw: milliwatts(total[2]),
    leakageMw: milliwatts(total[3]),
    totalMw: milliwatts(total[4]),
    annotatedNets: Number(counts[1]),
    unknownNets: Number(counts[2]),
    sourcedNets: Number(counts[3]),
    blackBoxes: Number(counts[4]) + netlist.behaviouralBlocks,
    propagatedPins: Number(counts[5]),
  };
}

function checkActivity(what: string, activity: NetActivity): void {
  if (!(Number.isFinite(activity.toggles) && activity.toggles >= 0)) throw new RangeError(`${what}: toggles must be a number >= 0, not ${activity.toggles}`);
  if (!(activity.duty >= 0 && activity.duty <= 1)) throw new RangeError(`${what}: duty must be from 0 to 1, not ${activity.duty}`);
}

/** A Verilog escaped identifier (`\u.acc [3]`) as OpenSTA names its net (`u.acc[3]`). */
function staNetName(name: string): string {
  return name.startsWith('\\') ? name.slice(1).replace(/\s+(?=\[)/, '').trim() : name;
}

function powerTcl(options: PowerOptions): string {
  const periodNs = 1000 / options.clockMhz;
  const design = { liberty: [options.liberty, SOURCES_FILE], top: options.top, clockPort: options.clockPort, periodNs };
  const fallback = options.activity.default;
  return `${readDesignTcl(design)}
set_power_activity -input -activity ${fallback.toggles} -duty ${fallback.duty}
set black_boxes [llength [lutforge_black_boxes]]
foreach box [lutforge_black_boxes] { delete_instance [get_full_name $box] }
set clock_pin [sta::find_pin ${tclWord(options.clockPort)}]
set clock_net [[$clock_pin term] net]
if {$clock_net == "NULL"} { error ${tclWord(`the clock port '${options.clockPort}' drives nothing`)} }
set clock_net [$clock_net highest_connected_net]
foreach port [all_inputs] {
  set pin [sta::find_pin [get_full_name $port]]
  if {$pin != $clock_pin} { sta::disconnect_pin_cmd $pin }
}
# Every net with loads but no driver gets a source, so that no activity is propagated over the data.
set sourced 0
foreach net [get_nets -hierarchical *] {
  if {[$net highest_connected_net] != $net || $net == $clock_net} continue
  set driven 0
  set loads {}
  set pins [$net connected_pin_iterator]
  while {[$pins has_next]} {
    set pin [$pins next]
    if {![$pin is_leaf] || [$pin is_top_level_port]} continue
    if {[$pin is_driver]} { set driven 1 } elseif {[$pin is_load]} { lappend loads $pin }
  }
  $pins finish
  if {$driven || [llength $loads] == 0} continue
  set source [make_instance lutforge_source_$sourced lutforge_activity_source]
  connect_pin $net lutforge_source_$sourced/Q
  connect_pin $clock_net lutforge_source_$sourced/CLK
  incr sourced
  if {[$net is_power] || [$net is_ground]} {
    set duty [expr {[$net is_power] ? 1 : 0}]
    foreach pin [concat $loads [list [$source find_pin Q]]] { sta::set_power_pin_activity $pin 0 $duty }
  }
}
set annotated 0
set unknown 0
set data [open ${ACTIVITY_FILE}]
while {[gets $data line] >= 0} {
  if {$line == ""} continue
  lassign [split $line "\\t"] name toggles duty
  set net [sta::find_net $name]
  if {$net == "NULL"} { incr unknown; continue }
  incr annotated
  set pins [$net connected_pin_iterator]
  while {[$pins has_next]} {
    set pin [$pins next]
    if {[$pin is_leaf] && ![$pin is_top_level_port]} { sta::set_power_pin_activity $pin $toggles $duty }
  }
  $pins finish
}
close $data
report_power -digits 6
# What OpenSTA derived itself instead of taking the data: none, unless something above missed a root.
set propagated 0
foreach net [get_nets -hierarchical *] {
  set pins [$net connected_pin_iterator]
  while {[$pins has_next]} {
    set pin [$pins next]
    if {[$pin is_leaf] && [$pin is_driver] && [lindex [get_property $pin activity] 2] == "propagated"} { incr propagated }
  }
  $pins finish
}
puts "lutforge-counts $annotated $unknown $sourced $black_boxes $propagated"
`;
}

// A flip-flop that drives a net with whatever activity the net is given and costs nothing: no
// delay, slew, capacitance, internal energy or leakage, and its output powered from 0 V so that
// the switching power of the net it drives (an input's, a memory's output) is not counted either,
// as OpenSTA does not count an input port's.
const SOURCES_LIBERTY = `library (lutforge_sources) {
  delay_model : table_lookup;
  time_unit : "1ns";
  voltage_unit : "1V";
  current_unit : "1uA";
  capacitive_load_unit (1,pf);
  leakage_power_unit : "1nW";
  pulling_resistance_unit : "1kohm";
  input_threshold_pct_rise : 50;
  input_threshold_pct_fall : 50;
  output_threshold_pct_rise : 50;
  output_threshold_pct_fall : 50;
  slew_lower_threshold_pct_rise : 20;
  slew_lower_threshold_pct_fall : 20;
  slew_upper_threshold_pct_rise : 80;
  slew_upper_threshold_pct_fall : 80;
  voltage_map (LUTFORGE_ZERO, 0.0);
  cell (lutforge_activity_source) {
    pg_pin (VZ) { voltage_name : LUTFORGE_ZERO; pg_type : primary_power; }
    ff (IQ, IQN) { next_state : "D"; clocked_on : "CLK"; }
    pin (CLK) { direction : input; capacitance : 0; clock : true; }
    pin (D) { direction : input; capacitance : 0; }
    pin (Q) {
      direction : output;
      function : "IQ";
      related_power_pin : VZ;
      timing () {
        related_pin : "CLK";
        timing_type : rising_edge;
        cell_rise (scalar) { values ("0"); }
        cell_fall (scalar) { values ("0"); }
        rise_transition (scalar) { values ("0"); }
        fall_transition (scalar) { values ("0"); }
      }
    }
  }
}
`;
