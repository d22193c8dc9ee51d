// The progress bar every long-running command shows on stderr: on a terminal always, elsewhere
// (CI logs) only when asked with --progress, and then redrawn every two seconds, not per update.

import { SingleBar } from 'cli-progress';
import type { CommandContext } from './context.js';

/** A bar in cli-progress's `format` syntax ({bar}, {value}, {total}, {eta_formatted}, payload keys), or undefined when none is wanted. */
export function progressBar(context: CommandContext, format: string, forced: boolean): SingleBar | undefined {
  const isTerminal = (context.stderr as { isTTY?: boolean }).isTTY === true;
  if (!isTerminal && !forced) return undefined;
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
