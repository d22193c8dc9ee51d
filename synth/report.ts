// Human-readable synthesis reports: a markdown table of the top's figures and each module's own.

import { FIGURE_KEYS } from './targets.js';
import { COMPARABILITY_NOTE, figuresOf, type SynthReport } from './synthesize.js';

/**
 * One section per report: a heading naming target and Yosys, a table with the flattened top
 * (every instance counted) and then each module's own logic, and the comparability note.
 */
export function markdownReport(reports: readonly SynthReport[]): string {
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
  const perModule =
    'Module rows count each module\'s own logic once; "instances" says how often it occurs in the flattened top.';
  return `${sections.join('\n\n')}\n\n${perModule}\n${COMPARABILITY_NOTE}\n`;
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
