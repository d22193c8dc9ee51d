// The errors a caller of the simulators tells apart from a failing design: the CLI maps bad
// input to exit code 2, and a missing tool to the set-up script's advice.

/** Bad input from the user (port names, beat files, values): the CLI maps it to exit code 2. */
export class SimInputError extends Error {
  override readonly name = 'SimInputError';
}

/** A simulator or tool binary that is not installed: the fix is the set-up script. */
export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';
  constructor(readonly tool: string) {
    super(`'${tool}' was not found on PATH; run \`bash scripts/setup.sh\` to install it`);
  }
}
