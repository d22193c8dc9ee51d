// Area and resource budgets for CI: each figure of a report is checked against an absolute limit
// and/or a stored baseline plus an allowed growth, so a project can fail its build when a change
// makes its hardware bigger than it agreed to. The budget is one JSON file:
//
//   {
//     "growthPercent": 5,                                   // allowed growth over the baseline
//     "limits":   { "xilinx": { "lut": 2000, "bram": 4 } }, // absolute ceilings, per target
//     "baseline": { "cmos": { "transistors": 4012, "cells": 812, "depth": 14 } }
//   }
//
// `--write-baseline` fills "baseline" from the current reports and keeps the rest of the file.

import { z } from 'zod';
import { SynthInputError } from './runner.js';
import { figuresOf, type SynthReport } from './synthesize.js';
import { FIGURE_KEYS, isSynthTarget, SYNTH_TARGETS } from './targets.js';
import { formatNumber } from './report.js';

const figureTable = z.record(z.string(), z.record(z.string(), z.number().nonnegative()));

const budgetSchema = z.strictObject({
  growthPercent: z.number().nonnegative().optional(),
  limits: figureTable.optional(),
  baseline: figureTable.optional(),
});

export type Budget = z.output<typeof budgetSchema>;

/** Validates a parsed budget file; `source` names it in errors. Unknown targets or figures are errors. */
export function parseBudget(value: unknown, source: string): Budget {
  const parsed = budgetSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new SynthInputError(`invalid budget '${source}'${where}: ${issue?.message ?? 'not a budget'}`);
  }
  for (const section of ['limits', 'baseline'] as const) {
    for (const [target, figures] of Object.entries(parsed.data[section] ?? {})) {
      if (!isSynthTarget(target)) {
        throw new SynthInputError(`invalid budget '${source}': unknown target '${target}' in ${section} (known: ${SYNTH_TARGETS.join(', ')})`);
      }
      const known: readonly string[] = FIGURE_KEYS[target];
      // A misspelt figure would otherwise never be checked: the budget would pass silently.
      for (const figure of Object.keys(figures)) {
        if (!known.includes(figure)) {
          throw new SynthInputError(`invalid budget '${source}': unknown figure '${figure}' for ${target} in ${section} (known: ${known.join(', ')})`);
        }
      }
    }
  }
  return parsed.data;
}

export interface BudgetViolation {
  readonly target: string;
  readonly figure: string;
  readonly actual: number;
  /** The ceiling that was exceeded. */
  readonly allowed: number;
  /** Where the ceiling came from: `limit`, or `baseline <value> +<growth>%`. */
  readonly source: string;
}

export interface BudgetCheck {
  /** Figures compared against something. */
  readonly checked: number;
  readonly violations: readonly BudgetViolation[];
}

export function checkBudget(budget: Budget, reports: readonly SynthReport[]): BudgetCheck {
  const growth = budget.growthPercent ?? 0;
  const violations: BudgetViolation[] = [];
  let checked = 0;
  for (const report of reports) {
    const figures = figuresOf(report.target, report);
    const limits = budget.limits?.[report.target] ?? {};
    const baseline = budget.baseline?.[report.target] ?? {};
    for (const [figure, actual] of Object.entries(figures)) {
      const limit = limits[figure];
      if (limit !== undefined) {
        checked += 1;
        if (actual > limit) violations.push({ target: report.target, figure, actual, allowed: limit, source: 'limit' });
      }
      const base = baseline[figure];
      if (base !== undefined) {
        checked += 1;
        // Rounded down to whole cells: half a LUT of headroom is no headroom.
        const allowed = Math.floor(base * (1 + growth / 100) + 1e-9);
        if (actual > allowed) {
          violations.push({ target: report.target, figure, actual, allowed, source: `baseline ${formatNumber(base)} +${growth}%` });
        }
      }
    }
  }
  return { checked, violations };
}

/** The violations as an aligned table, one row per exceeded figure. */
export function formatBudgetDiff(violations: readonly BudgetViolation[]): string {
  const rows = [
    ['target', 'figure', 'allowed', 'actual', 'over', 'budget'],
    ...violations.map((v) => {
      const over = v.actual - v.allowed;
      const percent = v.allowed > 0 ? ` (+${((over / v.allowed) * 100).toFixed(1)}%)` : '';
      return [v.target, v.figure, formatNumber(v.allowed), formatNumber(v.actual), `+${formatNumber(over)}${percent}`, v.source];
    }),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}`).join('\n');
}

/** The budget with its baseline replaced by the figures of `reports` (other targets kept). */
export function withBaseline(budget: Budget, reports: readonly SynthReport[]): Budget {
  const baseline: Record<string, Record<string, number>> = { ...(budget.baseline ?? {}) };
  for (const report of reports) baseline[report.target] = figuresOf(report.target, report);
  return { ...budget, baseline };
}
