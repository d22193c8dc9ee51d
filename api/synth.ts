// `lutforge/synth`: synthesize emitted designs with Yosys (the embedded WebAssembly build by
// default, or a `yosys` on PATH) for four targets, with figures parsed into reports, budgets for
// CI gates, and the design rule check every test runs.

export {
  CELL_NOTE,
  COMPARABILITY_NOTE,
  synthesize,
  synthesizeAll,
  type ModuleReport,
  type SynthJob,
  type SynthOptions,
  type SynthReport,
  type SynthResult,
  type TargetReport,
} from '../synth/synthesize.js';
export { FIGURE_KEYS, SYNTH_TARGETS, type FigureSets, type SynthTarget } from '../synth/targets.js';
export { markdownReport, OWN_DESIGN_NOTE, type MarkdownReportOptions } from '../synth/report.js';
export { checkBudget, formatBudgetDiff, parseBudget, withBaseline, type Budget } from '../synth/budget.js';
export { resolveFlavour, SynthInputError, YOSYS_FLAVOURS, type YosysFlavour } from '../synth/runner.js';
export { runYosysScript, yosysCheck, type YosysRun } from '../synth/yosys.js';
export { SCHEMATIC_LEVELS, schematicSvg, SchematicRenderError, type Schematic, type SchematicLevel, type SchematicOptions, type SchematicPort } from '../synth/schematic.js';
// The standard-cell flow (`osu018` or any Liberty file): mapping, static timing, power from
// activity, the SRAM macro model of the memories and the 180 nm -> 28 nm scaling estimates.
export { DEFAULT_CLOCK_MHZ, LIBERTY_ENV, mapToCells, OSU018_LIBERTY, resolveLiberty, type CellExtras, type CellMapping, type PricedMemory } from '../synth/standard-cells.js';
export { analyseTiming, type TimingOptions, type TimingPath, type TimingReport } from '../synth/timing.js';
export { analysePower, type NetActivity, type PowerActivity, type PowerOptions as CellPowerOptions, type PowerReport as CellPowerReport } from '../synth/power.js';
export { StaInputError, StaMissingError, STA_BINARY_ENV } from '../synth/opensta.js';
export { estimateSram, SRAM_MODEL, type MemoryShape, type SramEstimate } from '../synth/sram-model.js';
export { scale180To28, SCALING_180_TO_28 } from '../synth/process-scaling.js';
