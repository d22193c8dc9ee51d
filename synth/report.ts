// Human-readable synthesis reports: a markdown table of the top's figures and each module's own.

import { FIGURE_KEYS } from './targets.js';
import { COMPARABILITY_NOTE, figuresOf, type SynthReport } from './synthesize.js';

/** The note under a report of a design the papers have no counterpart of (a user's own, an example). */
export const OWN_DESIGN_NOTE =
  'Figures of this flow (Yosys, generic cells or the named FPGA); compare them with designs synthesized by the same flow and target.';

export interface MarkdownReportOptions {
  /**
   * Whether the design is one of the papers' engines, so the note says how its figures compare
   * with the papers' (default true). A user's own design gets OWN_DESIGN_NOTE instead.
   */
  readonly comparedToPapers?: boolean;
}

/**
 * One section per report: a heading naming target and Yosys, a table with the top (flattened, or
 * summed over the hierarchy) and then each module's own logic, and the note on what compares.
 */
export function markdownReport(reports: readonly SynthReport[], options: MarkdownReportOptions = {}): string {
  const sections = reports.map((report) => {
    const keys = FIGURE_KEYS[report.target];
    const header = `| module | instances | ${keys.join(' | ')} |`;
    const rule = `|---|---|${keys.map(() => '---:').join('|')}|`;
    const row = (name: string, instances: string, entry: object): string => {
      const figures = figuresOf(report.target, entry);
      return `| ${name} | ${instances} | ${keys.map((key) => formatNumber(figures[key] ?? 0)).join(' | ')} |`;
    };
    const rows = [row(`**${report.top}** (total, ${report.flattened === false ? 'summed over the hierarchy' : 'flattened'})`, '1', report)];
    const moduleNames = Object.keys(report.modules);
    // A flat design's only module is the total already; the breakdown only helps hierarchies.
    if (moduleNames.length > 1) {
      const counts = instanceCounts(report);
      for (const name of moduleNames) {
        const entry = report.modules[name];
        if (entry !== undefined) rows.push(row(name, String(counts.get(name) ?? 1), entry));
      }
    }
    return [`### ${report.top} on \`${report.target}\` (${report.yosys})`, '', header, rule, ...rows].join('\n');
  });
  const perModule = reports.every((report) => report.flattened)
    ? 'Module rows count each module\'s own logic once; "instances" says how often it occurs in the flattened top.'
    : 'Module rows count each module\'s own logic once; "instances" says how often it occurs in the design, and the total sums each module\'s figures times its instances.';
  const note = options.comparedToPapers === false ? OWN_DESIGN_NOTE : COMPARABILITY_NOTE;
  return `${sections.join('\n\n')}\n\n${perModule}\n${note}\n`;
}

/** How many times each module occurs in the whole design, from the per-module instance lists. */
function instanceCounts(report: SynthReport): Map<string, number> {
  const counts = new Map<string, number>([[report.top, 1]]);
  // Modules are listed children first, so walking them backwards visits parents first.
  for (const name of Object.keys(report.modules).reverse()) {
    const entry = report.modules[name];
    const own = counts.get(name) ?? 0;
    for (const [child, count] of Object.entries(entry?.instances ?? {})) {
      counts.set(child, (counts.get(child) ?? 0) + own * count);
    }
  }
  return counts;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
}
