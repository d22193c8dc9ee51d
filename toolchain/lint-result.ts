// Shared result shape of every lint-like tool run (Verilator, Icarus, Yosys), so callers can
// treat the three tools uniformly. Here rather than in sim/ or synth/ so that neither has to
// import the other for it.

export interface LintResult {
  /** True only for a clean run: the tool succeeded and printed no warnings. */
  readonly ok: boolean;
  /** The tool's own warning and error text (empty when clean). */
  readonly messages: string;
}
