// Name rules. User names become Verilog identifiers as they are, so they must be valid in
// Verilog-2005 and in SystemVerilog (Verilator parses .v files with SystemVerilog keywords).
// Names starting with an underscore are left to the emitter for its own wires.

import { InvalidNameError } from './errors.js';

const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;

const reserved = new Set(
  (
    'always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign default ' +
    'defparam design disable edge else end endcase endconfig endfunction endgenerate endmodule endprimitive ' +
    'endspecify endtable endtask event for force forever fork function generate genvar highz0 highz1 if ifnone ' +
    'incdir include initial inout input instance integer join large liblist library localparam macromodule ' +
    'medium module nand negedge nmos nor noshowcancelled not notif0 notif1 or output parameter pmos posedge ' +
    'primitive pull0 pull1 pulldown pullup pulsestyle_onevent pulsestyle_ondetect rcmos real realtime reg ' +
    'release repeat rnmos rpmos rtran rtranif0 rtranif1 scalared showcancelled signed small specify specparam ' +
    'strong0 strong1 supply0 supply1 table task time tran tranif0 tranif1 tri tri0 tri1 triand trior trireg ' +
    'unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor ' +
    // SystemVerilog additions
    'alias always_comb always_ff always_latch assert assume before bind bins binsof bit break byte chandle ' +
    'checker class clocking const constraint context continue cover covergroup coverpoint cross dist do ' +
    'endchecker endclass endclocking endgroup endinterface endpackage endprogram endproperty endsequence enum ' +
    'eventually expect export extends extern final first_match foreach forkjoin global iff ignore_bins ' +
    'illegal_bins implements implies import inside int interconnect interface intersect join_any join_none ' +
    'let local logic longint matches modport nettype new null package packed priority program property ' +
    'protected pure rand randc randcase randsequence ref restrict return s_always s_eventually s_nexttime ' +
    's_until s_until_with sequence shortint shortreal soft solve static string strong struct super sync_accept_on ' +
    'sync_reject_on tagged this throughout timeprecision timeunit type typedef union unique unique0 until ' +
    'until_with untyped var virtual void wait_order weak wildcard with within accept_on reject_on nexttime ' +
    'eventually'
  ).split(' '),
);

// Verilator turns names into C++ identifiers and refuses these (SYMRSVDWORD), so a design using
// them lints but cannot be simulated; catching them here names the user's line instead.
const reservedByVerilator = new Set(
  (
    'NULL abort alignas alignof and_eq asm auto bit_vector bitand bitor bool break catch cdecl char char16_t ' +
    'char32_t class compl complex concept const_cast const_iterator constexpr decltype delete deque double ' +
    'dynamic_cast explicit far float friend goto huge inline interrupt iterator list long map mutable namespace ' +
    'near noexcept not_eq nullptr operator or_eq override pascal private public queue reference register ' +
    'requires set short sizeof stack static_assert static_cast switch template thread_local throw true false ' +
    'try type_info typedef typeid typename uint16_t uint32_t uint8_t using vector volatile wchar_t xor_eq ' +
    'sc_clock sc_in sc_inout sc_out sc_signal sensitive sensitive_neg sensitive_pos'
  ).split(' '),
);

export function checkName(name: string, what: string): void {
  if (!identifier.test(name)) {
    throw new InvalidNameError(
      `${what} name '${name}' is not usable: start with a letter, then letters, digits or '_' (a leading '_' is reserved for generated names)`,
    );
  }
  if (reserved.has(name)) throw new InvalidNameError(`${what} name '${name}' is a Verilog keyword`);
  if (reservedByVerilator.has(name)) {
    throw new InvalidNameError(`${what} name '${name}' is a C++ word that Verilator cannot use as a name`);
  }
}
