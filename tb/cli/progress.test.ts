// Counted progress off a terminal: one line per finished item, nothing while an item runs, so a
// log records what finished when instead of repeating a bar every two seconds.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext } from '../../cli/context.js';
import { countProgress } from '../../cli/progress.js';
import { fakeRegistry } from './cli-harness.js';

function contextWith(isTTY: boolean | undefined): { context: CommandContext; stderr: () => string } {
  let text = '';
  const stderr = { write: (chunk: string) => (text += chunk), ...(isTTY === undefined ? {} : { isTTY, columns: 100 }) };
  return { context: { registry: fakeRegistry, cwd: '/', stdout: { write: () => true }, stderr }, stderr: () => text };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('countProgress', () => {
  it('off a terminal, prints exactly one line per finished item and nothing while one runs', () => {
    const { context, stderr } = contextWith(undefined);
    const progress = countProgress(context, 'explore', 'explore [{bar}] {value}/{total} | {last}', true)!;
    progress.start(4);
    // A long first point: a bar would be redrawn here every two seconds.
    vi.advanceTimersByTime(60_000);
    expect(stderr()).toBe('');
    progress.finished('lut k=2 done (60.0 s)');
    progress.finished('lut k=3 done (cached)');
    vi.advanceTimersByTime(10_000);
    progress.finished('lut k=4 failed');
    progress.finished('mac k=2 done (1.5 s)');
    progress.stop();
    vi.advanceTimersByTime(10_000);
    expect(stderr().split('\n')).toEqual([
      'explore: 1/4 lut k=2 done (60.0 s)',
      'explore: 2/4 lut k=3 done (cached)',
      'explore: 3/4 lut k=4 failed',
      'explore: 4/4 mac k=2 done (1.5 s)',
      '',
    ]);
  });

  it('is silent unless on a terminal or forced, and draws a bar on a terminal', () => {
    expect(countProgress(contextWith(undefined).context, 'explore', '{bar}', false)).toBeUndefined();
    expect(countProgress(contextWith(false).context, 'explore', '{bar}', false)).toBeUndefined();
    const { context, stderr } = contextWith(true);
    const progress = countProgress(context, 'explore', 'explore [{bar}] {value}/{total} | {last}', false)!;
    progress.start(2);
    progress.finished('k=2 done (1.0 s)');
    progress.finished('k=3 done (1.0 s)');
    progress.stop();
    expect(stderr()).toMatch(/explore \[=+\] 2\/2 \| k=3 done/);
    expect(stderr()).not.toMatch(/^explore: /m);
  });
});
