import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CheckFailedError, UsageError, describeError, exitCodeFor, isDslError } from '../../cli/errors.js';
import { HdlError } from './fake-registry.js';

class WidthMismatchError extends HdlError {}

describe('exit codes', () => {
  it.each([
    ['a UsageError', new UsageError('x'), 2],
    ['a DSL error subclass', new WidthMismatchError('x', { file: 'a.ts', line: 1 }), 2],
    ['a failed check', new CheckFailedError('x'), 1],
    ['an internal error', new TypeError('x'), 1],
    ['a thrown non-error', 'boom', 1],
    ['commander help', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 0],
    ['a commander usage error', new CommanderError(1, 'commander.unknownOption', "error: unknown option '-x'"), 2],
  ])('%s', (_title, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe('isDslError', () => {
  it('recognises the shape even when the location is unknown', () => {
    const error = new HdlError('no user frame', { file: '', line: 0 });
    Object.defineProperty(error, 'loc', { value: undefined });
    expect(isDslError(error)).toBe(true);
  });

  it('needs both the loc property and an ...Error class name', () => {
    class Oops extends Error {
      readonly loc = 1;
    }
    expect(isDslError(new Oops('x'))).toBe(false);
    expect(isDslError(new RangeError('x'))).toBe(false);
  });
});

describe('describeError', () => {
  it('prints DSL errors as they are, with the stack only under --debug', () => {
    const error = new HdlError('gen.ts:3: width mismatch', { file: 'gen.ts', line: 3 });
    expect(describeError(error, { debug: false })).toBe('lutforge: gen.ts:3: width mismatch');
    expect(describeError(error, { debug: true })).toMatch(/^lutforge: gen\.ts:3: width mismatch\n.*\n\s+at /);
  });

  it('says nothing more for help and version, which commander has already printed', () => {
    expect(describeError(new CommanderError(0, 'commander.version', '1.0.0'), { debug: false })).toBeUndefined();
  });
});
