// Progress on stderr for every long-running command: on a terminal always, elsewhere (CI logs)
// only when asked with --progress. Counted work (synthesis jobs, points, proofs, codebooks) gets
// a bar on a terminal; off one, each item gets a line as it finishes (countProgress), except the
// quantizer's codebooks, too many and too quick for a line each, whose bar is redrawn every two
// seconds. Work that is one long step after
// another (a Verilator build, then a simulation) gets one line per phase, so a silent minute is
// explained. Nothing here ever writes to stdout: that belongs to the result, and to --json.

import { performance } from 'node:perf_hooks';
import { SingleBar } from 'cli-progress';
import type { PhaseListener } from '../host/run-matmul.js';
import type { CommandContext } from './context.js';

/** Whether progress goes to stderr: on a terminal, or when --progress forces it. */
export function showsProgress(context: CommandContext, forced: boolean): boolean {
  return forced || (context.stderr as { isTTY?: boolean }).isTTY === true;
}

/** A bar in cli-progress's `format` syntax ({bar}, {value}, {total}, {eta_formatted}, payload keys), or undefined when none is wanted. */
export function progressBar(context: CommandContext, format: string, forced: boolean): SingleBar | undefined {
  if (!showsProgress(context, forced)) return undefined;
  const isTerminal = (context.stderr as { isTTY?: boolean }).isTTY === true;
  return new SingleBar({
    // cli-progress only calls write() (and isTTY/columns when present) on its stream; the injected
    // stderr sink provides what it needs.
    stream: context.stderr as unknown as NodeJS.WritableStream,
    format,
    noTTYOutput: true,
    notTTYSchedule: 2000,
    hideCursor: isTerminal,
    clearOnComplete: false,
  });
}

/** Progress over items that finish one at a time, in any order (explore's points). */
export interface CountProgress {
  start(total: number): void;
  /** One more item is finished; `text` says which and how, e.g. `lut k=4 done (12.3 s)`. */
  finished(text: string): void;
  stop(): void;
}

/**
 * On a terminal, a bar in cli-progress's `barFormat` (with `{last}` for the latest item's text),
 * redrawn in place. Elsewhere, one line per finished item, `explore: 3/4 lut k=4 done (12.3 s)`:
 * a log then reads as a record of what finished when, where a bar redrawn every two seconds
 * repeats itself while a long item runs. Undefined when progress is not shown.
 */
export function countProgress(context: CommandContext, command: string, barFormat: string, forced: boolean): CountProgress | undefined {
  if (!showsProgress(context, forced)) return undefined;
  if ((context.stderr as { isTTY?: boolean }).isTTY === true) {
    const bar = progressBar(context, barFormat, forced)!;
    return {
      start: (total) => bar.start(total, 0, { last: '' }),
      finished: (text) => bar.increment({ last: text }),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  let total = 0;
  return {
    start: (count) => {
      total = count;
    },
    finished: (text) => {
      done += 1;
      context.stderr.write(`${command}: ${done}/${total} ${text}\n`);
    },
    stop: () => undefined,
  };
}

export interface PhaseReporter {
  /** Announces the phase that starts now. */
  readonly phase: PhaseListener;
  /** Says the command's work is over, with the total time. */
  done(): void;
}

const silent: PhaseReporter = { phase: () => undefined, done: () => undefined };

/**
 * One stderr line per phase, `[sim +1.2 s] simulating...`, the time since the command started:
 * a line rather than a bar because a build or a simulation has no count to show, and lines stay
 * readable in CI logs. Silent (a no-op) when progress is not shown.
 */
export function phaseReporter(context: CommandContext, command: string, forced: boolean): PhaseReporter {
  if (!showsProgress(context, forced)) return silent;
  const started = performance.now();
  const line = (text: string): void => {
    context.stderr.write(`[${command} +${((performance.now() - started) / 1000).toFixed(1)} s] ${text}\n`);
  };
  return { phase: (phase) => line(`${phase}...`), done: () => line('done') };
}
