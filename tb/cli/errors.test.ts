import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { describeError, exitCodeFor } from '../../cli/errors.js';
import { WidthMismatchError } from '../../dsl/errors.js';
import { CheckFailedError, UsageError } from '../../host/errors.js';

// No package.json above /project, so messages print the path relative to the filesystem root.
const loc = { file: '/project/gen.ts', line: 3, column: 1 };

describe('exit codes', () => {
  it.each([
    ['a UsageError', new UsageError('x'), 2],
    ['a DSL error subclass', new WidthMismatchError('x', loc), 2],
    ['a failed check', new CheckFailedError('x'), 1],
    ['an internal error', new TypeError('x'), 1],
    ['a thrown non-error', 'boom', 1],
    ['commander help', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 0],
    ['a commander usage error', new CommanderError(1, 'commander.unknownOption', "error: unknown option '-x'"), 2],
  ])('%s', (_title, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe('describeError', () => {
  it('prints DSL errors as file:line, kind and detail, with the stack only under --debug', () => {
    const error = new WidthMismatchError('width mismatch', loc);
    expect(describeError(error, { debug: false })).toBe('lutforge: project/gen.ts:3: WidthMismatchError: width mismatch');
    expect(describeError(error, { debug: true })).toMatch(/^lutforge: project\/gen\.ts:3: WidthMismatchError: width mismatch\n.*\n\s+at /);
  });

  it('says nothing more for help and version, which commander has already printed', () => {
    expect(describeError(new CommanderError(0, 'commander.version', '1.0.0'), { debug: false })).toBeUndefined();
  });
});
