// Shared by tb/dsl/errors*.test.ts: provoke one misuse, then check the exact error class and that
// the error points at the offending line. Write `line = here(); offendingCall();` on one line.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { defineModule, HdlError, UInt, type Memory, type ModuleBuilder, type Signal } from '../../dsl/index.js';

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

/** A finished module whose insides leak to the test, to provoke misuse across modules. */
export interface Leaked {
  /** An internal wire of module 'leaky' (w = a). */
  wire: Signal;
  /** The input port of module 'leaky' itself (not an instance's end of it). */
  port: Signal;
  /** A memory of module 'leaky'. */
  memory: Memory;
  /** The builder of 'leaky', kept after its body returned. */
  builder: ModuleBuilder;
}

export function leakyModule(): Leaked {
  let leaked: Leaked | undefined;
  defineModule('leaky', (m) => {
    const a = m.input('a', UInt(8));
    const y = m.output('y', UInt(8));
    const w = m.wire('w', UInt(8));
    const memory = m.memory('mem', { shape: UInt(8), depth: 256 });
    w.assign(a);
    y.assign(memory.read(w));
    leaked = { wire: w, port: a, memory, builder: m };
    return { a, y };
  });
  return leaked!;
}
