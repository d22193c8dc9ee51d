// `lutforge/synth`: synthesize emitted designs with Yosys (the embedded WebAssembly build by
// default, or a `yosys` on PATH) for three targets, with figures parsed into reports, budgets for
// CI gates, and the design rule check every test runs.

export {
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
export { markdownReport } from '../synth/report.js';
export { checkBudget, formatBudgetDiff, parseBudget, withBaseline, type Budget } from '../synth/budget.js';
export { resolveFlavour, SynthInputError, YOSYS_FLAVOURS, type YosysFlavour } from '../synth/runner.js';
export { runYosysScript, yosysCheck, type YosysRun } from '../synth/yosys.js';
export { SCHEMATIC_LEVELS, schematicSvg, SchematicRenderError, type Schematic, type SchematicLevel, type SchematicOptions, type SchematicPort } from '../synth/schematic.js';
