import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { defineModule, emitVerilog, UInt, type Expr } from '../../dsl/index.js';
import { simulate } from '../../sim/simulate.js';
import { buildModel, runModel, verilatorLint } from '../../sim/verilator.js';
import { BLOCK_LIMITS } from '../../sim/verilator-hierarchy.js';
import {
  counter,
  negator,
  syntaxError,
  unusedInput,
  wideAdder,
} from '../fixtures/designs.js';

// Every fixture below is built once (into the repo's .cache) and then reused by later tests,
// so most tests here cost milliseconds; only the first run of the file compiles anything.

describe('verilatorLint', () => {
  it('passes clean designs', async () => {
    for (const design of [counter, wideAdder, negator]) {
      expect(await verilatorLint(design)).toEqual({ ok: true, messages: '' });
    }
  });

  it('flags an unused input under -Wall', async () => {
    const result = await verilatorLint(unusedInput);
    expect(result.ok).toBe(false);
    expect(result.messages).toMatch(/%Warning-UNUSEDSIGNAL: unused_input\.v:3:\d+: .*'b'/);
  });
});

describe('buildModel', () => {
  it('reuses the cached executable for an unchanged design', async () => {
    const first = await buildModel(counter);
    const builtAt = (await stat(first.executable)).mtimeMs;
    const second = await buildModel(counter);
    expect(second.cacheHit).toBe(true);
    expect(second.executable).toBe(first.executable);
    expect(second.hash).toBe(first.hash);
    expect((await stat(second.executable)).mtimeMs).toBe(builtAt);
  });

  it('reports Verilator compile errors with Verilator’s own message', async () => {
    await expect(buildModel(syntaxError)).rejects.toThrow(
      /Verilator build of 'broken' failed[\s\S]*%Error: broken\.v:5:\d+: syntax error/,
    );
  });

  it('keeps the entry another worker renamed into place while it was building', async () => {
    const finished = await buildModel(negator);
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'lutforge-cache-test-'));
    try {
      const building = buildModel(negator, { cacheDir });
      // Once our build has its private directory, play the faster worker: publish the entry.
      while (!(await readdir(cacheDir)).some((name) => name.startsWith('.tmp-'))) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const finishedEntry = path.dirname(path.dirname(finished.executable));
      await cp(finishedEntry, path.join(cacheDir, finished.hash), { recursive: true });

      const model = await building;
      expect(model.cacheHit).toBe(false);
      expect(model.executable).toBe(path.join(cacheDir, finished.hash, 'obj', 'Vnegate'));
      // Only the published entry remains: the losing build directory is gone.
      expect(await readdir(cacheDir)).toEqual([finished.hash]);
      expect(await runModel(model, [{ poke: { x: 3 } }, { eval: true }, { peek: ['y'] }])).toEqual({
        y: [-3n],
      });
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('simulate', () => {
  it('counts enabled clock cycles, holds when disabled, wraps and resets', async () => {
    const result = await simulate(counter, [
      { peek: ['count'] },
      { poke: { rst: 1 } },
      { step: 1 },
      { poke: { rst: 0, en: 1 } },
      { step: 5 },
      { peek: ['count'] },
      { poke: { en: 0 } },
      { step: 3 },
      { peek: ['count'] },
      { poke: { en: 1 } },
      { step: 251 },
      { peek: ['count'] },
      { step: 2 },
      { peek: ['count', 'en'] },
      { poke: { rst: 1 } },
      { step: 1 },
      { peek: ['count'] },
    ]);
    // The first peek reads the register's power-up value, which Verilator zeroes.
    expect(result).toEqual({ count: [0n, 5n, 5n, 0n, 2n, 0n], en: [1n] });
  });

  it('adds 100-bit values exactly, modulo 2^100', async () => {
    const big = 1n << 99n;
    const a = 0x9_1234_5678_9abc_def0_1234_5678n;
    const b = 0xf_ffff_ffff_0000_0000_ffff_ffffn;
    const result = await simulate(wideAdder, [
      { poke: { a: big + 5n, b: big + 7n, c: 0xff_ffff_ffffn } },
      { eval: true },
      { peek: ['sum', 'c_plus_one'] },
      { poke: { a, b, c: 0x7f_ffff_ffffn } },
      { eval: true },
      { peek: ['sum', 'a', 'c_plus_one'] },
    ]);
    expect(result.sum).toEqual([12n, (a + b) % (1n << 100n)]);
    expect(result.a).toEqual([a]);
    expect(result.c_plus_one).toEqual([0n, 0x80_0000_0000n]);
  });

  it('reads and writes signed ports as two’s complement', async () => {
    const result = await simulate(negator, [
      { poke: { x: -128, wide_x: -(1n << 39n) } },
      { eval: true },
      { peek: ['y', 'wide_y'] },
      { poke: { x: 127, wide_x: 123_456_789_012 } },
      { eval: true },
      { peek: ['y', 'wide_y', 'x'] },
    ]);
    expect(result).toEqual({
      y: [-128n, -127n],
      wide_y: [-(1n << 39n), -123_456_789_012n],
      x: [127n],
    });
  });

  it('rejects bad scripts before running, naming the port', async () => {
    await expect(simulate(counter, [{ poke: { count: 1 } }])).rejects.toThrow(
      /Cannot poke output port 'count'/,
    );
    await expect(simulate(counter, [{ poke: { en: 2 } }])).rejects.toThrow(
      /does not fit unsigned 1-bit port 'en'/,
    );
    await expect(simulate(negator, [{ poke: { x: 128 } }])).rejects.toThrow(
      /does not fit signed 8-bit port 'x' \(range -128\.\.127\)/,
    );
    await expect(simulate(negator, [{ poke: { x: -129 } }])).rejects.toThrow(/8-bit port 'x'/);
    await expect(simulate(counter, [{ peek: ['nope'] }])).rejects.toThrow(
      /'counter' has no port 'nope' \(ports: clk, rst, en, count\)/,
    );
    await expect(simulate(wideAdder, [{ step: 1 }])).rejects.toThrow(/exactly one clock port/);
    await expect(simulate(wideAdder, [{ poke: { a: 2 ** 60 } }])).rejects.toThrow(/safe integer/);
  });
});

describe('the harness executable', () => {
  async function runHarness(input: string) {
    const model = await buildModel(wideAdder);
    return execa(model.executable, [], { input, reject: false, timeout: 10_000 });
  }

  it('masks poked values to the port width', async () => {
    const run = await runHarness(`poke c ${'f'.repeat(20)}\npoke a ${'f'.repeat(30)}\npeek c\npeek a\nquit\n`);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`peek c ${'f'.repeat(10)}\npeek a ${'f'.repeat(25)}`);
  });

  it('exits non-zero with a message on an unknown command or port', async () => {
    const badCommand = await runHarness('eval\nfrobnicate\n');
    expect(badCommand.exitCode).toBe(2);
    expect(badCommand.stderr).toContain("harness: line 2: unknown command 'frobnicate'");
    const badPort = await runHarness('peek zz\n');
    expect(badPort.exitCode).toBe(2);
    expect(badPort.stderr).toContain("unknown port 'zz'");
    const noClock = await runHarness('step 1\n');
    expect(noClock.exitCode).toBe(2);
    expect(noClock.stderr).toContain('step needs exactly one clock port');
  });
});

describe('hierarchical builds', () => {
  // A registered 16-bit mixing chain long enough (~90 named stages) to be worth a hierarchy block,
  // instantiated eight times: the smallest design verilator-hierarchy.ts verilates hierarchically.
  const STAGES = 90;
  const UNITS = 8;
  const constant = (i: number): number => (i * 40_503 + 12_345) % 65_536;
  const mixer = defineModule('mixer', (m) => {
    const a = m.input('a', UInt(16));
    const y = m.output('y', UInt(16));
    let value: Expr = a;
    for (let i = 0; i < STAGES; i++) value = m.node(`s${i}`, value.addWrap(constant(i)).xor(value.slice(7, 0)));
    const held = m.reg('held', UInt(16), { init: 0 });
    held.assign(value);
    y.assign(held);
    return { a, y };
  });
  const mixers = emitVerilog(
    defineModule('mixers', (m) => {
      const a = m.input('a', UInt(16));
      const ys = Array.from({ length: UNITS }, (_, j) => {
        const unit = m.instance(mixer, `u${j}`);
        unit.port('a').assign(a.addWrap(j));
        const y = m.output(`y${j}`, UInt(16));
        y.assign(unit.port('y'));
        return y;
      });
      return { a, ys };
    }),
  );
  const model = (a: number): number => {
    let value = a;
    for (let i = 0; i < STAGES; i++) value = ((value + constant(i)) % 65_536) ^ (value & 0xff);
    return value;
  };

  it('verilates a repeated unit once as a block, and the model computes what the Verilog says', async () => {
    // Far smaller than an engine that needs blocks: the whole-design threshold is lifted.
    const built = await buildModel(mixers, { blockLimits: { ...BLOCK_LIMITS, minFlatChars: 0 } });
    expect(built.hierarchyBlocks).toEqual(['mixer']);
    const a = 0xbeef;
    const names = Array.from({ length: UNITS }, (_, j) => `y${j}`);
    const result = await runModel(built, [{ poke: { a } }, { step: 1 }, { peek: names }]);
    expect(names.map((name) => result[name]?.[0])).toEqual(names.map((_, j) => BigInt(model((a + j) % 65_536))));
  });
});
