// Shared by tb/dsl/errors*.test.ts: provoke one misuse, then check the exact error class and that
// the error points at the offending line. Write `line = here(); offendingCall();` on one line.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { HdlError } from '../../dsl/index.js';

/** The line of the statement calling here(). */
export function here(): number {
  const frame = new Error().stack?.split('\n')[2] ?? '';
  const match = /:(\d+):\d+\)?$/.exec(frame);
  if (!match) throw new Error(`no line number in stack frame '${frame}'`);
  return Number(match[1]);
}

type HdlErrorClass<E extends HdlError> = new (...args: never[]) => E;

/** Runs `body`, which must throw exactly a `kind`; returns the error. */
export function expectHdlError<E extends HdlError>(kind: HdlErrorClass<E>, body: () => unknown): E {
  let caught: unknown;
  try {
    body();
  } catch (error) {
    caught = error;
  }
  expect(() => {
    if (caught !== undefined) throw caught;
  }, `expected to throw ${kind.name}`).toThrow(kind);
  expect(caught).toBeInstanceOf(HdlError);
  const error = caught as E;
  expect(error.constructor, `expected exactly a ${kind.name}`).toBe(kind);
  expect(error.name).toBe(kind.name);
  return error;
}

export interface ErrorReporter {
  /** Absolute path of the test file. */
  readonly thisFile: string;
  /** The test file's path as messages print it: relative to the package root, '/'-separated. */
  readonly relFile: string;
  /** The error points at `line` of the test file (in `loc` and as the message prefix) and mentions every text. */
  readonly expectReport: (error: HdlError, line: number, mentions: readonly string[]) => void;
}

export function errorReporter(testFileUrl: string): ErrorReporter {
  const thisFile = fileURLToPath(testFileUrl);
  const relFile = path.relative(path.resolve(path.dirname(thisFile), '../..'), thisFile).split(path.sep).join('/');
  const expectReport = (error: HdlError, line: number, mentions: readonly string[]): void => {
    expect(line, 'here() was not reached before the error').toBeGreaterThan(0);
    expect(error.loc?.file).toBe(thisFile);
    expect(error.loc?.line).toBe(line);
    expect(error.message).toBe(`${relFile}:${line}: ${error.detail}`);
    for (const text of mentions) expect(error.detail).toContain(text);
  };
  return { thisFile, relFile, expectReport };
}
