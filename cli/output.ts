// The output conventions every command shares, in one place so they cannot drift apart:
//
//   --json  stdout carries exactly one JSON document and nothing else; human text, progress and
//           hints go to stderr or are left out.
//   --wave  after the run, text mode prints one line on stdout saying where the VCD is and how
//           to open it, beside the command's other result lines ("report: ..."); with --json the
//           path is a field of the document instead.

import type { CommandContext } from './context.js';

/** Prints `value` as the command's one JSON document. */
export function writeJson(context: CommandContext, value: unknown, replacer?: (key: string, value: unknown) => unknown): void {
  context.stdout.write(`${JSON.stringify(value, replacer, 2)}\n`);
}

/** `path` as one shell word, so the printed command can be pasted as it is. */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** `waveform: out/Y.vcd (open with: gtkwave out/Y.vcd, or surfer out/Y.vcd)` */
export function waveHint(shownPath: string): string {
  const word = shellWord(shownPath);
  return `waveform: ${shownPath} (open with: gtkwave ${word}, or surfer ${word})`;
}

/** The --wave line of text mode (never with --json); nothing when no VCD was asked for. */
export function printWaveHint(context: CommandContext, shownPath: string | undefined): void {
  if (shownPath !== undefined) context.stdout.write(`${waveHint(shownPath)}\n`);
}
