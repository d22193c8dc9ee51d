// The backend registry: every simulator name finds a backend of that name, each builds once and
// then reuses its build, lints, and runs the same script to the same answers.

import { describe, expect, it } from 'vitest';
import type { SimulatorName } from '../../sim/backend.js';
import { SimInputError } from '../../sim/errors.js';
import { SIMULATORS, simulatorBackend } from '../../sim/simulators.js';
import { counter } from '../fixtures/designs.js';

describe('simulatorBackend', () => {
  it('finds a backend for every simulator name, Verilator by default', () => {
    expect(SIMULATORS.map((name) => simulatorBackend(name).name)).toEqual(['verilator', 'icarus']);
    expect(simulatorBackend().name).toBe('verilator');
  });

  it('refuses a name it does not know', () => {
    expect(() => simulatorBackend('modelsim' as SimulatorName)).toThrow(SimInputError);
    expect(() => simulatorBackend('modelsim' as SimulatorName)).toThrow(/unknown simulator 'modelsim' \(simulators: verilator, icarus\)/);
  });

  it.each(SIMULATORS)('%s builds once, then reuses the build', async (name) => {
    const backend = simulatorBackend(name);
    const first = await backend.build(counter);
    const second = await backend.build(counter);
    expect(second).toEqual({ path: first.path, cacheHit: true });
  });

  it.each(SIMULATORS)('%s lints the counter clean and runs a script on it', async (name) => {
    const backend = simulatorBackend(name);
    expect(await backend.lint(counter)).toEqual({ ok: true, messages: '' });
    const ops = [{ poke: { rst: 1 } }, { step: 1 }, { poke: { rst: 0, en: 1 } }, { step: 3 }, { peek: ['count'] }] as const;
    expect(await backend.runScript(counter, ops)).toEqual({ count: [3n] });
  });
});
