// `lutforge compare` in-process: bad input is refused in one line with exit 2 before any tool
// starts and nothing is written; on a small cmos tile every ratio is the quotient of the figures
// `lutforge synth` measures for each design on its own (the baseline configured by hand).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import type { Comparison, ComparedFigure } from '../../host/compare.js';
import type { PowerReport } from '../../host/power.js';
import { FAST_TIER } from '../test-tiers.js';
import { makeTempDir, removeTempDir, runIn } from './cli-harness.js';

/** `make regress`: the gate-level power runs too. */
const REGRESS = !['', '0', undefined].includes(process.env['LUTFORGE_REGRESS']);

let cwd: string;
beforeAll(async () => {
  cwd = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(cwd);
});

describe('lutforge compare: bad input', () => {
  const cases: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['an unknown baseline', ['tensor-core', '--baseline', 'dsp'], /^lutforge: unknown baseline 'dsp' \(known: mac, add\)$/],
    ['an unknown engine', ['lut-llm'], /^lutforge: unknown engine 'lut-llm' \(known: tensor-core, mac, add\)$/],
    ['the design as its own baseline', ['mac', '--baseline', 'mac'], /^lutforge: --baseline mac: that is the design's own engine/],
    ['ADD at floating-point activations', ['tensor-core', '--set', 'act=fp16', '--baseline', 'add'], /^lutforge: --baseline add: add: config\.act: the ADD baseline takes integer activations/],
    ['a baseline setting that changes the tile', ['tensor-core', '--baseline-set', 'wbits=1'], /^lutforge: --baseline-set wbits: the baseline takes the design's tile/],
    ['a malformed baseline setting', ['tensor-core', '--baseline-set', 'narrowWeights'], /^lutforge: --baseline-set narrowWeights: expected key=value$/],
    ['a bad baseline parameter', ['tensor-core', '--baseline-set', 'narrowWeights=3'], /^lutforge: --baseline mac: mac: config\.narrowWeights: /],
    ['a bad engine parameter', ['tensor-core', '--set', 'wbits=9'], /^lutforge: tensor-core: config\.wbits: /],
    ['an unknown target', ['tensor-core', '--target', 'asic'], /^lutforge: unknown synthesis target 'asic'/],
    ['--clock without osu018', ['tensor-core', '--clock', '50'], /^lutforge: --clock applies to the osu018 target; add --target osu018$/],
    ['--liberty without osu018', ['tensor-core', '--target', 'xilinx', '--liberty', 'cells.lib'], /^lutforge: --liberty applies to the osu018 target/],
    ['--workload with --no-power', ['tensor-core', '--target', 'osu018', '--no-power', '--workload', '2,64,8'], /^lutforge: --workload sets the power runs, which need --target osu018 and no --no-power$/],
    ['--seed without osu018', ['tensor-core', '--seed', '3'], /^lutforge: --seed sets the power runs/],
    ['a malformed workload', ['tensor-core', '--target', 'osu018', '--workload', '2,64'], /^lutforge: --workload must be three positive integers M,K,N, got '2,64'$/],
    ['a workload beyond maxK', ['tensor-core', '--set', 'maxK=64', '--target', 'osu018', '--workload', '2,128,8'], /^lutforge: --workload: K = 128 exceeds the engine's maxK = 64/],
    ['a bad clock', ['tensor-core', '--target', 'osu018', '--clock', '0'], /^lutforge: --clock must be a positive number of MHz, got '0'$/],
  ];
  it.each(cases)('%s: one line, exit 2, nothing written', async (_name, args, message) => {
    const run = await runIn(cwd, ['compare', ...args, '--out', 'comparison.json'], registry);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(join(cwd, 'comparison.json'))).toBe(false);
  });
});

describe('lutforge compare: the ratios', () => {
  // The smallest tile both engines build: one row, four columns, K up to 64, one weight bit.
  const TILE = ['--set', 'm=1', '--set', 'n=4', '--set', 'maxK=64', '--set', 'wbits=1'];

  it.skipIf(FAST_TIER)('equal the quotients of the figures `synth` measures for each design on its own', async () => {
    const compared = await runIn(cwd, ['compare', 'tensor-core', ...TILE, '--json'], registry);
    expect(compared.stderr).toBe('');
    expect(compared.code).toBe(0);
    const comparison = JSON.parse(compared.stdout) as Comparison;
    expect(comparison.targets.map((t) => t.target)).toEqual(['cmos']);
    const figures = comparison.targets[0]?.figures ?? [];
    const named = (name: string): ComparedFigure => figures.find((f) => f.figure === name) ?? expect.fail(`no figure '${name}'`);

    // The baseline configured by hand: the same tile keys given to `mac`, summed over the hierarchy as compare does.
    const measure = async (engine: string): Promise<{ transistors: number; memoryBits: number; throughput: { perCycle: number } }> => {
      const run = await runIn(cwd, ['synth', engine, ...TILE, '--no-flatten', '--json'], registry);
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout) as { transistors: number; memoryBits: number; throughput: { perCycle: number } };
    };
    const lut = await measure('tensor-core');
    const mac = await measure('mac');

    expect(named('throughput')).toMatchObject({ design: lut.throughput.perCycle, baseline: mac.throughput.perCycle, ratio: lut.throughput.perCycle / mac.throughput.perCycle });
    expect(lut.throughput.perCycle).toBe(16);
    expect(named('area')).toMatchObject({ design: lut.transistors, baseline: mac.transistors, ratio: lut.transistors / mac.transistors });
    expect(named('memory')).toMatchObject({ design: lut.memoryBits, baseline: mac.memoryBits, ratio: lut.memoryBits / mac.memoryBits });
    const density = (side: typeof lut): number => (1000 * side.throughput.perCycle) / side.transistors;
    expect(named('density').ratio).toBeCloseTo(density(lut) / density(mac), 12);
  }, 300_000);
});

describe('lutforge compare: power on osu018', () => {
  const TILE = ['--set', 'n=8', '--set', 'maxK=256', '--set', 'wbits=1'];

  // Four gate-level runs (compare's two, then power's two on their own): minutes, so regress only.
  it.skipIf(FAST_TIER || !REGRESS)('sets the figures of `synth --target osu018` and `power` of each engine side by side, and a repeat is read back', async () => {
    const args = ['compare', 'tensor-core', ...TILE, '--target', 'osu018', '--workload', '2,64,8', '--json'];
    const first = await runIn(cwd, args, registry);
    expect(first.code).toBe(0);
    const comparison = JSON.parse(first.stdout) as Comparison;
    const again = JSON.parse((await runIn(cwd, args, registry)).stdout) as Comparison;
    expect(again.power?.cached).toBe(true);
    expect(again.power?.figures).toEqual(comparison.power?.figures);

    const alone = async (command: string, engine: string, extra: readonly string[]): Promise<Record<string, number> & PowerReport> => {
      const run = await runIn(cwd, [command, engine, ...TILE, ...extra, '--json'], registry);
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout) as Record<string, number> & PowerReport;
    };
    const named = (figures: readonly ComparedFigure[] | undefined, name: string): ComparedFigure => figures?.find((f) => f.figure === name) ?? expect.fail(`no figure '${name}'`);
    const cells = comparison.targets[0]?.figures;
    for (const [engine, key] of [['tensor-core', 'design'], ['mac', 'baseline']] as const) {
      const synth = await alone('synth', engine, ['--target', 'osu018']);
      const power = await alone('power', engine, ['--workload', '2,64,8']);
      expect(named(cells, 'area: logic')[key]).toBeCloseTo(synth.areaUm2 / 1e6, 12);
      expect(named(cells, 'area: logic + memories')[key]).toBeCloseTo((synth.areaUm2 + synth.memoryAreaUm2) / 1e6, 12);
      expect(named(cells, 'fmax')[key]).toBe(synth.fmaxMhz);
      expect(named(comparison.power?.figures, 'power: logic + memories')[key]).toBeCloseTo(power.powerMw, 9);
      expect(named(comparison.power?.figures, 'energy per MAC: logic + memories')[key]).toBeCloseTo(power.energyPerOpPj, 9);
    }
    for (const f of [...(cells ?? []), ...(comparison.power?.figures ?? [])]) expect(f.ratio).toBeCloseTo(f.design / f.baseline, 12);
  }, 1_800_000);
});
