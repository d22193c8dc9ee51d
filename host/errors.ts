// The kinds of failure the host library reports, apart from DSL misuse (the DSL's own HdlError):
// bad input from the user, and a check that ran and did not pass. The command line maps them to
// exit codes 2 and 1 (cli/errors.ts); a library caller can branch on the class.

/** Bad input from the user: printed as one line and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A check that ran and did not pass: printed as one line (or a diff) and exit code 1. */
export class CheckFailedError extends Error {
  override readonly name = 'CheckFailedError';
}

/**
 * The OS's own wording for a failed file operation ("permission denied (EACCES)"), without
 * Node's "EACCES: ..., open '/path'" wrapping, so callers can name the path once themselves.
 */
export function describeOsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const wording = /^[A-Z0-9_]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
  return code && !wording.includes(code) ? `${wording} (${code})` : wording;
}
