// The text form of a comparison (host/compare.ts): one markdown table per target and one for
// power, every row a figure of both designs, their ratio and what the figure counts.

import { COMPARABILITY_NOTE } from '../synth/synthesize.js';
import { TILE_KEYS, type ComparedFigure, type Comparison } from './compare.js';

export function comparisonReport(comparison: Comparison): string {
  const ours = comparison.design.engine;
  const theirs = comparison.baseline.engine;
  const tile = TILE_KEYS.map((key) => `${key}=${String(comparison.design.config[key])}`).join(', ');
  const own = Object.entries(comparison.baseline.config).filter(([key]) => !(TILE_KEYS as readonly string[]).includes(key));
  const lines = [
    `## ${ours} against ${theirs} at the same tile (${tile})`,
    '',
    `Every ratio is ${ours} / ${theirs}${own.length === 0 ? '' : `; ${theirs} has ${own.map(([key, value]) => `${key}=${String(value)}`).join(', ')}`}.`,
  ];
  const header = `| figure | unit | ${ours} | ${theirs} | ${ours} / ${theirs} | includes |`;
  const table = (figures: readonly ComparedFigure[]): string[] => [
    header,
    '|---|---|---:|---:|---:|---|',
    ...figures.map((f) => `| ${f.figure} | ${f.unit} | ${formatValue(f.design)} | ${formatValue(f.baseline)} | ${formatRatio(f.ratio)} | ${f.includes} |`),
  ];
  for (const target of comparison.targets) {
    const how = target.target === 'osu018' ? 'standard cells, OpenSTA' : target.flattened ? 'flattened' : 'summed over the hierarchy';
    lines.push('', `### ${target.target} (${target.yosys}, ${how}${target.cached ? ', from the synthesis cache' : ''})`, '', ...table(target.figures));
  }
  const power = comparison.power;
  if (power !== undefined) {
    const { M, K, N, seed } = power.workload;
    lines.push('', `### power on osu018: a uniform ${M}x${K}x${N} workload (seed ${seed}) at ${power.clockMhz} MHz, simulated gate by gate${power.cached ? ' (from the cache)' : ''}`, '', ...table(power.figures));
    for (const [name, report] of [[ours, power.design], [theirs, power.baseline]] as const) {
      if (!report.meetsTiming) {
        lines.push('', `${name} does not meet ${power.clockMhz} MHz (fmax ${report.fmaxMhz.toFixed(1)} MHz): its figures are what it would draw at that clock if it met timing.`);
      }
    }
  }
  lines.push('', COMPARABILITY_NOTE);
  return `${lines.join('\n')}\n`;
}

/** Integers with thousands separators, other values to four significant digits. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(4)));
}

export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return 'n/a';
  return `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}x`;
}
