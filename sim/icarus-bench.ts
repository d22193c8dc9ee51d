// The Icarus Verilog testbench generated from a top module's port list: the second simulator,
// with the same two modes as the Verilator harness and the same semantics, cycle for cycle.
//
//   script mode (+cmds=<file>): numeric commands, one per line, `<op> <port index> <hex>` with
//     op 0 poke, 1 peek (prints `peek <port> <hex>`), 2 step <hex cycles>, 3 eval, 4 quit; the TS
//     side translates the Verilator harness protocol into them (Verilog reads numbers far more
//     easily than words).
//   stream mode (+stream): input beats from `+in_<name>=<hex file>` (one packed beat per line,
//     leaf 0 in the low bits), output beats to `+out_<name>=<file>` as `<hex> <cycle>` lines,
//     `+expect_<name>=<n>`, `+max_cycles=<n>`; reset, cycle and end rules as in verilator-stream-harness.ts.
//   `+interactive` flushes stdout after each peek, for a session over a pipe (+cmds=-).
//   `+wave=<file>` dumps a VCD, `+wave_from`/`+wave_to` limit it to a window of stream cycles.
//
// Internal names start with `_tb_`, which DSL names (never starting with `_`) cannot collide with.

import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import { clockPorts, findStreams, packedWidth, type StreamInfo } from './stream-protocol.js';

export const BENCH_MODULE = '_tb_lutforge';
/** The design's instance in the bench, and so its scope in a VCD: `_tb_lutforge._tb_dut`. */
export const DUT_INSTANCE = '_tb_dut';
export const ICARUS_OP = { poke: 0, peek: 1, step: 2, eval: 3, quit: 4 } as const;

const range = (width: number): string => (width === 1 ? '' : `[${width - 1}:0] `);

/** `{leaf_n-1, ..., leaf_0}`: a stream's data leaves as one packed vector. */
function packed(stream: StreamInfo): string {
  return stream.data.length === 0 ? "1'b0" : `{${[...stream.data].reverse().map((p) => p.name).join(', ')}}`;
}

function streamDeclarations(s: StreamInfo, i: number): string {
  const width = Math.max(1, packedWidth(s));
  return s.direction === 'input'
    ? `  reg ${range(width)}_tb_beat_${i};\n  integer _tb_fd_${i}, _tb_taken_${i};\n  reg _tb_has_${i}, _tb_fire_${i};`
    : `  integer _tb_fd_${i}, _tb_count_${i};\n  reg [63:0] _tb_expect_${i};`;
}

function streamOpen(s: StreamInfo, i: number): string {
  if (s.direction === 'input') {
    return `    _tb_fd_${i} = 0; _tb_taken_${i} = 0; _tb_has_${i} = 1'b0;
    if ($value$plusargs("in_${s.name}=%s", _tb_path)) begin
      _tb_fd_${i} = $fopen(_tb_path, "r");
      _tb_has_${i} = ($fscanf(_tb_fd_${i}, "%h\\n", _tb_beat_${i}) == 1);
    end`;
  }
  return `    _tb_fd_${i} = 0; _tb_count_${i} = 0; _tb_expect_${i} = 0;
    if ($value$plusargs("out_${s.name}=%s", _tb_path)) _tb_fd_${i} = $fopen(_tb_path, "w");
    if (!$value$plusargs("expect_${s.name}=%d", _tb_expect_${i})) _tb_expect_${i} = 0;`;
}

function streamDrive(s: StreamInfo, i: number): string {
  if (s.direction === 'input') {
    const data = s.data.length === 0 ? '' : ` if (_tb_has_${i}) ${packed(s)} = _tb_beat_${i};`;
    return `        ${s.valid.name} = _tb_has_${i};${data}`;
  }
  return `        ${s.ready.name} = (_tb_fd_${i} != 0);`;
}

function streamSample(s: StreamInfo, i: number): string {
  if (s.direction === 'input') return `        _tb_fire_${i} = _tb_has_${i} && ${s.ready.name};`;
  return `        if (_tb_fd_${i} != 0 && ${s.valid.name}) begin
          $fwrite(_tb_fd_${i}, "%h %0d\\n", ${packed(s)}, _tb_cycle);
          _tb_count_${i} = _tb_count_${i} + 1;
        end`;
}

function streamAdvance(s: StreamInfo, i: number): string {
  if (s.direction !== 'input') return '';
  return `        if (_tb_fire_${i}) begin
          _tb_taken_${i} = _tb_taken_${i} + 1;
          _tb_has_${i} = ($fscanf(_tb_fd_${i}, "%h\\n", _tb_beat_${i}) == 1);
        end`;
}

function caseArms(ports: readonly PortInfo[], arm: (port: PortInfo) => string): string {
  return ports.map((port, index) => `        ${index}: ${arm(port)}`).join('\n');
}

/** The Verilog testbench for `design` (both modes). */
export function generateIcarusBench(design: EmittedDesign): string {
  const clocks = clockPorts(design);
  const clock = clocks.length === 1 ? clocks[0]!.name : undefined;
  const inputs = design.ports.filter((port) => port.direction === 'input');
  const outputs = design.ports.filter((port) => port.direction === 'output');
  const resets = inputs.filter((port) => port.role === 'reset');
  const streams = findStreams(design);
  const valueWidth = Math.max(64, ...design.ports.map((port) => port.width));
  const half = (level: 0 | 1): string => (clock === undefined ? '#1;' : `${clock} = 1'b${level}; #1;`);
  const ports = design.ports;
  const setResets = (level: 0 | 1): string => resets.map((port) => `${port.name} = 1'b${level};`).join(' ');
  const each = (part: (s: StreamInfo, i: number) => string): string =>
    streams.map((s, i) => part(s, i)).filter((text) => text !== '').join('\n');
  const outstanding = streams
    .map((s, i) => (s.direction === 'output' ? `(_tb_fd_${i} != 0 && _tb_count_${i} < _tb_expect_${i})` : ''))
    .filter((text) => text !== '');
  const reports = streams.map((s, i) =>
    s.direction === 'input'
      ? `    $display("in ${s.name} %0d", _tb_taken_${i});`
      : `    if (_tb_fd_${i} != 0) begin $display("out ${s.name} %0d", _tb_count_${i}); $fclose(_tb_fd_${i}); end`,
  );
  return `// Generated by lutforge: Icarus testbench for '${design.top}'; do not edit.
module ${BENCH_MODULE};
${inputs.map((port) => `  reg ${range(port.width)}${port.name} = 0;`).join('\n')}
${outputs.map((port) => `  wire ${range(port.width)}${port.name};`).join('\n')}
  ${design.top} ${DUT_INSTANCE} (${ports.map((port) => `.${port.name}(${port.name})`).join(', ')});

  reg [8*4096-1:0] _tb_path;
  reg [${valueWidth - 1}:0] _tb_value;
  reg [63:0] _tb_cycle, _tb_max, _tb_from, _tb_to, _tb_n;
  integer _tb_fd, _tb_op, _tb_index, _tb_status, _tb_go, _tb_wave, _tb_live;
${each(streamDeclarations)}

  initial begin
    _tb_wave = 0; _tb_from = 0; _tb_to = 64'hffffffffffffffff;
    if ($value$plusargs("wave=%s", _tb_path)) begin
      _tb_wave = 1;
      $dumpfile(_tb_path);
      $dumpvars(0, ${DUT_INSTANCE});
      if ($value$plusargs("wave_from=%d", _tb_from) && _tb_from > 0) $dumpoff;
      if (!$value$plusargs("wave_to=%d", _tb_to)) _tb_to = 64'hffffffffffffffff;
    end
    #1;
    if ($test$plusargs("stream")) begin
      if (!$value$plusargs("max_cycles=%d", _tb_max)) _tb_max = 100000;
${each(streamOpen)}
      ${setResets(1)}
      repeat (2) begin ${half(0)} ${half(1)} end
      ${setResets(0)}
      _tb_cycle = 0; _tb_go = 1; _tb_status = 0;
      while (_tb_go) begin
        if (${outstanding.length === 0 ? '1' : `!(${outstanding.join(' || ')})`}) begin
          _tb_go = 0;
        end else if (_tb_cycle >= _tb_max) begin
          _tb_go = 0; _tb_status = 1;
        end else begin
          if (_tb_wave && _tb_from > 0 && _tb_cycle == _tb_from) $dumpon;
          // _tb_to is all ones without a window end: _tb_to + 1 would wrap to cycle 0.
          if (_tb_wave && _tb_to != 64'hffffffffffffffff && _tb_cycle == _tb_to + 1) $dumpoff;
${each(streamDrive)}
          ${half(0)}
${each(streamSample)}
          ${half(1)}
${each(streamAdvance)}
          _tb_cycle = _tb_cycle + 1;
        end
      end
      $display("stream %0s %0d", _tb_status == 0 ? "done" : "limit", _tb_cycle);
${reports.join('\n')}
    end else if ($value$plusargs("cmds=%s", _tb_path)) begin
      // +cmds=- reads standard input (Icarus's fixed descriptor): node's pipes are sockets,
      // which /dev/stdin cannot reopen.
      _tb_fd = _tb_path == "-" ? 32'h8000_0000 : $fopen(_tb_path, "r");
      _tb_live = $test$plusargs("interactive");
      _tb_go = 1;
      while (_tb_go) begin
        if ($fscanf(_tb_fd, "%d %d %h", _tb_op, _tb_index, _tb_value) != 3) _tb_go = 0;
        else case (_tb_op)
          ${ICARUS_OP.poke}: case (_tb_index)
${caseArms(ports, (port) => (port.direction === 'input' ? `${port.name} = _tb_value[${port.width - 1}:0];` : ';'))}
            default: ;
          endcase
          ${ICARUS_OP.peek}: begin
            case (_tb_index)
${caseArms(ports, (port) => `  $display("peek ${port.name} %h", ${port.name});`)}
              default: ;
            endcase
            // A live session (+interactive, commands on a pipe) waits for each answer.
            if (_tb_live) $fflush;
          end
          ${ICARUS_OP.step}: begin
            for (_tb_n = 0; _tb_n < _tb_value; _tb_n = _tb_n + 1) begin ${half(0)} ${half(1)} end
          end
          ${ICARUS_OP.eval}: #1;
          default: _tb_go = 0;
        endcase
      end
    end
    $finish;
  end
endmodule
`;
}
