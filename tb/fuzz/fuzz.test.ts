// The fuzzer itself: a bounded fixed-seed run over every generator in Verilator (it must pass),
// determinism and single-case replay, the drawers' configurations against the real schemas with
// their edge settings, and shrinking: a pure-TS fake runner whose failure depends on configuration
// and operands (many "builds" for free), and a real Verilator run with a deliberately wrong golden.

import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { tensorCoreConfig } from '../../generators/lut-tensor-core/config.js';
import { decodeJson, encodeJson } from './codec.js';
import { drawCase, evaluate, planCases, runCases, type Plan } from './driver.js';
import type { MatmulVector } from './matmul.js';
import { addTarget, tensorCoreTarget } from './matmul.js';
import { seededRandom } from './random.js';
import { readReplayFile, REPO_ROOT, writeReplayFile } from './report.js';
import { caseSize, settingAt, shrinkCase } from './shrink.js';
import { TARGET_NAMES, TARGETS, untargetedGenerators } from './targets.js';
import type { LlmVector } from './lut-llm.js';
import { lutLlmBlockTarget } from './lut-llm-block.js';
import { TINY_BLOCK_CONFIG } from '../fixtures/tiny-block.js';
import type { AnyTarget, Failure, FuzzCase } from './types.js';
import { FAST_TIER } from '../test-tiers.js';

// Chosen among seeds whose first configurations build quickly and cover every generator (the
// suite has a 10-minute budget; `make fuzz` runs longer ones). The decoder block's build alone
// costs about as much CPU as all the others' together, so it is not in the round-robin (where a
// seed draws it twice in 12 cases, in any configuration): its one case is the configuration that
// block.test.ts simulates, whose Verilator model `make test` then builds once for both, with 10
// vectors the target draws (prefills, decode steps, specials) over its own quantized model.
const SEED = 33;
const BLOCK = 'lut-llm-block';
const plan: Plan = { seed: SEED, configs: 12, vectors: 120, generators: TARGET_NAMES.filter((name) => name !== BLOCK) };
const BLOCK_SEED = 5;
function blockCase(): FuzzCase {
  const config = TINY_BLOCK_CONFIG as unknown as Record<string, unknown>;
  return { index: plan.configs, seed: BLOCK_SEED, generator: BLOCK, config, vectors: lutLlmBlockTarget.drawVectors(config, seededRandom(BLOCK_SEED), 10) };
}

describe('fuzz targets', () => {
  it('cover every registered generator, with the registry\'s own schemas', () => {
    expect(untargetedGenerators()).toEqual([]);
    for (const target of TARGETS) expect(target.schema, target.name).toBe(registry.get(target.name)!.schema);
  });

  it('draw only configurations the schemas accept, edge settings included', () => {
    const many: Plan = { seed: 7, configs: 50 * TARGET_NAMES.length, vectors: 50 * TARGET_NAMES.length, generators: TARGET_NAMES };
    const cases = planCases(many);
    const seen = (generator: string, key: string): Set<unknown> => new Set(cases.filter((c) => c.generator === generator).map((c) => settingAt(c.config, key)));
    for (const name of TARGET_NAMES) expect(cases.filter((c) => c.generator === name).length, name).toBe(50);
    for (const engine of ['tensor-core', 'mac', 'add']) {
      for (const k of [1, 3, 4, 5]) expect(seen(engine, 'k'), `${engine} k`).toContain(k);
      for (const wbits of [1, 4]) expect(seen(engine, 'wbits'), `${engine} wbits`).toContain(wbits);
    }
    for (const act of ['int8', 'int16', 'fp16', 'bf16', 'fp8e4m3']) for (const engine of ['tensor-core', 'mac']) expect(seen(engine, 'act'), engine).toContain(act);
    expect(seen('tensor-core', 'precompute')).toEqual(new Set(['shared', 'per-unit']));
    expect(seen('tensor-core', 'symmetric')).toEqual(new Set([true, false]));
    expect(seen('tensor-core', 'reinterpret')).toEqual(new Set([true, false]));
    expect(seen('mac', 'narrowWeights')).toEqual(new Set([true, false]));
    expect(seen('dot-product', 'table')).toEqual(new Set(['symmetric', 'naive', 'unsigned']));
    expect(seen('dot-product', 'kind')).toEqual(new Set(['lut', 'lut-local', 'add', 'mac']));
    for (const wbits of [1, 8]) expect(seen('dot-product', 'wbits')).toContain(wbits);
    for (const key of ['distance', 'act', 'tableBits', 'dequant', 'maxScaleGroups']) expect(seen('lut-llm', key).size, key).toBeGreaterThan(1);
    // Layers of several (scale, zero) pairs, with and without the hardware dequantization.
    const llm = planCases({ seed: 7, configs: 40, vectors: 400, generators: ['lut-llm'] });
    const grouped = llm.filter((c) => c.vectors.some((vector) => (vector as LlmVector).layer.scale.length > 1));
    expect(new Set(grouped.map((c) => c.config['dequant']))).toEqual(new Set([true, false]));
    expect(seen('lut-llm', 'searchUnits')).toContain(undefined);
    expect(seen('lut-llm', 'searchUnits').size).toBeGreaterThan(2);
    for (const stages of [1, 2, 3, 4]) expect(seen('lut-llm', 'positionsPerCycle'), 'positionsPerCycle').toContain(stages);
    for (const key of ['kvHeads', 'heads', 'headDim', 'hidden', 'intermediate', 'maxSeq', 'maxT', 'ropeTheta', 'rmsEps', 'engine.v', 'engine.distance', 'engine.groupCols', 'engine.lookupsPerCycle', 'engine.positionsPerCycle', 'engine.tableBits']) {
      expect(seen(BLOCK, key).size, key).toBeGreaterThan(1);
    }
  });

  it('draw the same cases from the same seed, and any case alone as in the whole run', () => {
    const first = planCases(plan);
    expect(planCases(plan)).toEqual(first);
    expect(drawCase(plan, 9)).toEqual(first[9]);
    expect(new Set([...first, blockCase()].map((c) => c.generator))).toEqual(new Set(TARGET_NAMES));
    expect(blockCase()).toEqual(blockCase());
    expect(first.reduce((sum, c) => sum + c.vectors.length, 0)).toBe(plan.vectors);
    expect(planCases({ ...plan, seed: SEED + 1 })[0]).not.toEqual(first[0]);
  });

  it('round-trips a case through its replay file (typed arrays, NaN payloads, -0, bigints)', async () => {
    // One lut-llm case (float and int16 typed arrays) and one fifo case (bigint words).
    const cases = planCases({ ...plan, generators: ['lut-llm', 'fifo'], configs: 2, vectors: 4 });
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'lutforge-fuzz-')), 'case.json');
    const vectors = [...cases[0]!.vectors, ...cases[1]!.vectors, new Float32Array([NaN, -0, Infinity, 1.5])];
    await writeReplayFile(file, { generator: cases[0]!.generator, config: cases[0]!.config, vectors });
    expect((await readReplayFile(file)).vectors).toEqual(vectors);
    expect(decodeJson(JSON.parse(JSON.stringify(encodeJson(-3n))))).toBe(-3n);
  });
});

describe(`a bounded fuzz run (${plan.configs} configurations, ${plan.vectors} vectors)`, () => {
  it.skipIf(FAST_TIER)('passes on every generator in Verilator against golden', async () => {
    const results = await runCases([...planCases(plan), blockCase], { jobs: 2 });
    const failures = results.flatMap(({ fuzzCase, outcome }) => (outcome.ok ? [] : [`case ${fuzzCase.index} ${fuzzCase.generator} ${JSON.stringify(fuzzCase.config)}: ${JSON.stringify(outcome.failure)}`]));
    expect(failures).toEqual([]);
  });

  it('replays one case from the command line (--case), and refuses bad arguments with exit 2', async () => {
    const script = ['--import', 'tsx', 'scripts/fuzz.ts'];
    const run = await execa('node', [...script, '--seed', String(SEED), '--configs', String(plan.configs), '--vectors', String(plan.vectors), '--generators', plan.generators.join(','), '--case', '5', '--json'], { cwd: REPO_ROOT, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe(`seed: ${SEED}`);
    const report = JSON.parse(run.stdout) as { cases: { index: number; generator: string; config: unknown; ok: boolean }[] };
    const expected = planCases(plan)[5]!;
    expect(report.cases).toEqual([expect.objectContaining({ index: 5, generator: expected.generator, config: expected.config, ok: true })]);
    for (const bad of [['--configs', '0'], ['--generators', 'nope'], ['--case', '20']]) {
      const refused = await execa('node', [...script, '--seed', '1', ...bad], { cwd: REPO_ROOT, reject: false });
      expect(refused.exitCode, bad.join(' ')).toBe(2);
    }
  });
});

describe('shrinking', () => {
  // Fails when the engine has at least 2 rows and 3-bit weights and the problem an activation <= -100.
  const fails = (config: Record<string, unknown>, vector: MatmulVector): boolean =>
    (config['m'] as number) >= 2 && (config['wbits'] as number) >= 3 && vector.operands.act.some((a) => a <= -100);
  const fake: AnyTarget = {
    ...tensorCoreTarget,
    run: async (config, vectors) => vectors.map((vector) => (fails(config as Record<string, unknown>, vector as MatmulVector) ? { ok: false, message: 'fake' } : { ok: true })),
  };

  it('finds the smallest configuration and vector that still fail (fake runner, no builds)', async () => {
    const config = tensorCoreConfig.parse({ m: 5, n: 7, k: 5, wbits: 4, act: 'int16', maxK: 200, symmetric: false, reinterpret: false, precompute: 'per-unit' });
    const vectors = fake.drawVectors(config, seededRandom(3), 10);
    const outcome = await evaluate(fake, config, vectors);
    expect(outcome.ok).toBe(false);
    const failure = (outcome as { failure: Failure }).failure;
    const small = await shrinkCase(fake, config, vectors, failure);
    expect(small.config).toEqual(tensorCoreConfig.parse({ m: 2, n: 1, k: 1, wbits: 3, act: 'int8', maxK: 1 }));
    const [vector] = small.vectors as MatmulVector[];
    expect(small.vectors).toHaveLength(1);
    expect({ M: vector!.operands.M, K: vector!.operands.K, N: vector!.operands.N, codes: [...vector!.operands.codes], zeros: [...vector!.operands.zeros] }).toEqual({ M: 1, K: 1, N: 1, codes: [0], zeros: [0] });
    expect(vector!.operands.act[0]).toBeLessThanOrEqual(-100);
    expect(caseSize(fake, small.vectors).elements).toBeLessThan(caseSize(fake, vectors).elements);
    expect((await evaluate(fake, small.config, small.vectors)).ok).toBe(false);
    expect(small.builds).toBeLessThanOrEqual(30);
  });

  it.skipIf(FAST_TIER)('shrinks a real Verilator case whose golden is wrong for some vectors to one tiny vector', async () => {
    const config = addTarget.schema.parse({ m: 2, n: 2, k: 3, wbits: 2, maxK: 24 }) as Record<string, unknown>;
    const perturb = (vector: unknown): boolean => (vector as MatmulVector).operands.act.some((a) => a >= 100);
    const runOptions = { perturb };
    const vectors = addTarget.drawVectors(config, seededRandom(11), 6);
    const outcome = await evaluate(addTarget, config, vectors, runOptions);
    expect(outcome.ok).toBe(false);
    const failure = (outcome as { failure: Failure }).failure;
    expect(failure.kind).toBe('mismatch');
    const small = await shrinkCase(addTarget, config, vectors, failure, { maxBuilds: 0, runOptions });
    expect(small.config).toEqual(config);
    expect(small.vectors).toHaveLength(1);
    const { operands } = small.vectors[0] as MatmulVector;
    expect([operands.M, operands.K, operands.N]).toEqual([1, 1, 1]);
    expect(operands.act[0]).toBeGreaterThanOrEqual(100);
    // Unperturbed, the same vector passes: the hardware was right all along.
    expect(await evaluate(addTarget, config, small.vectors)).toEqual({ ok: true });
  });
});
