// How the CLI reports failure. Scripts and CI branch on the exit code, so the mapping is fixed:
//
//   0  success (also `--help` and `--version`)
//   1  a check ran and did not pass: results that differ from the golden model (explore), a
//      failed or unfinished proof (prove), a synthesis budget exceeded (synth --budget), a
//      simulation at its cycle limit (sim, run), shards missing from a merge (explore merge);
//      and any unexpected internal error: a bug in lutforge itself, never the user's doing,
//      reported with a hint to rerun with --debug for the stack trace
//   2  bad input: an unknown command, option or generator, a missing or malformed config file,
//      an invalid parameter, an output path that cannot be written, or DSL misuse reported by a
//      generator (an HdlError, printed as `file:line: <kind>: <detail>`), and a design file that
//      does not parse or whose own code throws (printed at the user's `file:line`)
//
// Internal errors share code 1 with failed checks on purpose: both mean "the inputs were fine
// but the result is not"; the message tells them apart.

import { CommanderError } from 'commander';
import { HdlError } from '../dsl/errors.js';
import { CheckFailedError, UsageError } from '../host/errors.js';

export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  internalError: 1,
  badInput: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  if (error instanceof UsageError || error instanceof HdlError) return ExitCode.badInput;
  if (error instanceof CheckFailedError) return ExitCode.checkFailed;
  return ExitCode.internalError;
}

/** Commander codes whose message is only a placeholder: the help or version text is already out. */
const SILENT_COMMANDER_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * The text to print on stderr for an error, without the trailing newline, or undefined when
 * nothing should be printed. Expected errors are one line; the stack only comes with --debug.
 */
export function describeError(error: unknown, options: { debug: boolean }): string | undefined {
  if (error instanceof CommanderError) {
    if (SILENT_COMMANDER_CODES.has(error.code)) return undefined;
    // Commander's messages start with "error: " and put "(Did you mean ...?)" on a second line.
    const oneLine = error.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
    return `lutforge: ${oneLine}`;
  }
  const internal = !(error instanceof UsageError || error instanceof CheckFailedError || error instanceof HdlError);
  const message =
    error instanceof HdlError
      ? `${error.message.slice(0, error.message.length - error.detail.length)}${error.name}: ${error.detail}`
      : error instanceof Error
        ? error.message
        : String(error);
  const headline = internal
    ? `lutforge: internal error: ${message}${options.debug ? '' : ' (rerun with --debug for the stack trace)'}`
    : `lutforge: ${message}`;
  if (options.debug && error instanceof Error && error.stack) {
    // An exception of the user's own code, reported as bad input: its stack is the one that helps.
    const cause = error.cause instanceof Error && error.cause.stack ? `\nCaused by: ${error.cause.stack}` : '';
    return `${headline}\n${error.stack}${cause}`;
  }
  return headline;
}
