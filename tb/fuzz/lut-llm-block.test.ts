// The decoder block's fuzz target without a simulator: its vectors share the KV cache as one
// sequence (the golden of a case equals the golden block over all its tokens at once), its draws
// fit maxSeq and maxT, its shrinks and fits stay valid, and the shrinker walks its nested `engine`
// keys to the tiny block (a fake runner: no builds).

import { describe, expect, it } from 'vitest';
import { lutLlmBlockConfig, lutLlmBlockShape, type LutLlmBlockConfig } from '../../generators/lut-llm-block/config.js';
import { goldenBlock } from '../../golden/lut-llm-block.js';
import { planCases } from './driver.js';
import { blockStreamVectors, fuzzBlockModel, lutLlmBlockTarget, TINY_BLOCK, type BlockVector } from './lut-llm-block.js';
import { seededRandom } from './random.js';
import { settingAt, shrinkCase, withSetting } from './shrink.js';
import type { AnyTarget } from './types.js';

const tiny = lutLlmBlockConfig.parse(TINY_BLOCK);
const tokensOf = (vector: BlockVector): number => vector.runs.reduce((a, b) => a + b, 0);

describe('the lut-llm-block fuzz target', () => {
  it('draws runs of 1 .. maxT tokens that fit maxSeq over the whole case, over one model, the tiny block dimensions most often', () => {
    const cases = planCases({ seed: 5, configs: 60, vectors: 600, generators: ['lut-llm-block'] });
    let specials = 0;
    for (const { config, vectors } of cases) {
      const { maxSeq, hidden } = config as unknown as LutLlmBlockConfig;
      const { maxT } = lutLlmBlockShape(config as unknown as LutLlmBlockConfig);
      const blocks = vectors as BlockVector[];
      expect(blocks.reduce((sum, vector) => sum + tokensOf(vector), 0)).toBeLessThanOrEqual(maxSeq);
      expect(new Set(blocks.map((vector) => vector.modelSeed)).size).toBe(1);
      for (const vector of blocks) {
        expect(vector.runs.every((tokens) => tokens >= 1 && tokens <= maxT)).toBe(true);
        expect(vector.x.length).toBe(tokensOf(vector) * hidden);
        if (vector.x.some((value) => !Number.isFinite(value))) specials++;
      }
    }
    expect(specials).toBeGreaterThan(10);
    const dims = (c: (typeof cases)[number]): string => ['hidden', 'intermediate', 'heads', 'kvHeads', 'headDim'].map((key) => c.config[key]).join(',');
    const counts = new Map<string, number>();
    for (const c of cases) counts.set(dims(c), (counts.get(dims(c)) ?? 0) + 1);
    const [mostCommon] = [...counts].sort((a, b) => b[1] - a[1]);
    expect(mostCommon![0]).toBe('32,32,2,1,8');
  });

  it('continues the cache from vector to vector: the case is one sequence through the golden block', () => {
    const config = lutLlmBlockConfig.parse({ ...TINY_BLOCK, maxSeq: 8 });
    const vectors = lutLlmBlockTarget.drawVectors(config, seededRandom(4), 3) as BlockVector[];
    const streams = blockStreamVectors(config, vectors);
    const all = new Float32Array(vectors.flatMap((vector) => [...vector.x]));
    const whole = new Uint32Array(goldenBlock(fuzzBlockModel(config, vectors[0]!.modelSeed), all).y.buffer);
    expect(streams.flatMap((stream) => stream.expected['y']!.map((beat) => Number(beat[0])))).toEqual([...whole]);
    // The norm weights go once; every run's profile beat is taken.
    expect(streams.map((stream) => stream.inputs['norms'] !== undefined)).toEqual([true, false, false]);
    expect(streams.map((stream) => stream.unchecked?.['profile'])).toEqual(vectors.map((vector) => vector.runs.length));
    expect(() => blockStreamVectors(config, [...vectors, ...vectors])).toThrow(/maxSeq = 8/);
  });

  it('shrinks to valid, smaller vectors and fits them to a smaller block', () => {
    const big = lutLlmBlockConfig.parse({ ...TINY_BLOCK, hidden: 48, maxSeq: 24, maxT: 6 });
    const [vector] = lutLlmBlockTarget.drawVectors(big, seededRandom(2), 1) as BlockVector[];
    expect(tokensOf(vector!)).toBeGreaterThan(4);
    for (const candidate of lutLlmBlockTarget.shrinkVector(big, vector) as BlockVector[]) {
      expect(candidate.x.length).toBe(tokensOf(candidate) * big.hidden);
      expect(tokensOf(candidate)).toBeLessThanOrEqual(tokensOf(vector!));
      expect(candidate.runs.every((tokens) => tokens >= 1)).toBe(true);
    }
    const fitted = lutLlmBlockTarget.fitVector(tiny, vector) as BlockVector;
    expect(fitted.runs.every((tokens) => tokens <= lutLlmBlockShape(tiny).maxT)).toBe(true);
    expect(tokensOf(fitted)).toBe(Math.min(tokensOf(vector!), tiny.maxSeq));
    expect(fitted.x.length).toBe(tokensOf(fitted) * tiny.hidden);
    expect([...fitted.x.subarray(0, 32)]).toEqual([...vector!.x.subarray(0, 32)]);
  });

  it('shrinks nested engine keys toward the tiny block (a fake runner, no builds)', async () => {
    const settings = withSetting(withSetting({ ...TINY_BLOCK, heads: 4, kvHeads: 2, hidden: 48 }, 'engine.distance', 'l2'), 'engine.ca', 8);
    expect(settingAt(settings, 'engine.distance')).toBe('l2');
    expect(settingAt(withSetting(settings, 'engine.ca', undefined), 'engine')).not.toHaveProperty('ca');
    const config = lutLlmBlockConfig.parse(settings);
    // Fails when the search uses a distance other than linf and a token has a NaN.
    const fails = (c: LutLlmBlockConfig, vector: BlockVector): boolean => c.engine.distance !== 'linf' && vector.x.some(Number.isNaN);
    const fake: AnyTarget = {
      ...lutLlmBlockTarget,
      run: async (c, vectors) => (vectors as BlockVector[]).map((vector) => (fails(c as LutLlmBlockConfig, vector) ? { ok: false, message: 'fake' } : { ok: true })),
    };
    const vectors = (lutLlmBlockTarget.drawVectors(config, seededRandom(8), 4) as BlockVector[]).map((vector, i) => {
      const x = vector.x.slice();
      if (i === 2) x[x.length - config.hidden + 3] = Number.NaN;
      return { ...vector, x };
    });
    const small = await shrinkCase(fake, config as unknown as Record<string, unknown>, vectors, { kind: 'mismatch', message: 'fake', vectors: [2] });
    expect(small.config).toEqual({ ...tiny, engine: { ...tiny.engine, distance: 'l2' } });
    const [only] = small.vectors as BlockVector[];
    expect(small.vectors).toHaveLength(1);
    expect(tokensOf(only!)).toBe(1);
    expect(only!.x.filter((value) => !Object.is(value, 0)).length).toBe(1);
  });
});
