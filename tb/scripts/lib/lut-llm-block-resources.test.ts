// bench-lut-llm-block without synthesis: the presets and overrides it builds configs from, the
// split of a hierarchical report into the block's parts, and the docs/paper section's ratios.

import { describe, expect, it } from 'vitest';
import { blockConfigs, blockMarkdown, perLookup, splitBlock, type BlockResources } from '../../../scripts/lib/lut-llm-block-resources.js';
import { UsageError } from '../../../host/errors.js';
import { ZERO, type XilinxModules } from '../../../scripts/lib/lut-llm-resources.js';

const figures = (lut: number, bram = 0) => ({ lut, ff: lut / 2, bram, uram: 0, dsp: 0 });

describe('bench-lut-llm-block configs', () => {
  it('sizes the tiny block and a model preset, with --max-seq, --max-t and --set on top', async () => {
    const [tiny] = await blockConfigs({ dims: 'tiny', set: [] });
    expect(tiny!.config).toMatchObject({ hidden: 64, heads: 4, kvHeads: 2, headDim: 16, maxSeq: 64, maxT: 16, engine: { lookupsPerCycle: 8, groupCols: 16 } });
    const [qwen] = await blockConfigs({ dims: 'qwen3-1.7b', maxSeq: 64, maxT: 1, set: ['engine.lookupsPerCycle=128'] });
    expect(qwen!.label).toBe('qwen3-1.7b dimensions');
    expect(qwen!.config).toMatchObject({ hidden: 2048, intermediate: 6144, heads: 16, kvHeads: 8, headDim: 128, maxSeq: 64, maxT: 1, engine: { groupCols: 128, lookupsPerCycle: 128, ca: 64 } });
  });

  it('rejects a bad preset or setting in one line before any synthesis', async () => {
    await expect(blockConfigs({ dims: 'tiny,', set: [] })).rejects.toThrow(UsageError);
    await expect(blockConfigs({ dims: 'qwen9', set: [] })).rejects.toThrow(/dims file 'qwen9'.*shipped/);
    await expect(blockConfigs({ dims: 'tiny', set: ['heads=3'] })).rejects.toThrow(/heads must be a multiple of kvHeads/);
  });
});

describe('the block split by part', () => {
  const modules: XilinxModules = {
    lut_llm_engine_1: { ...figures(1000), instances: { centroid_pe_2: 4 } },
    centroid_pe_2: { ...figures(100), instances: {} },
    lut_llm_rmsnorm_3: { ...figures(50, 1), instances: {} },
    lut_llm_rmsnorm_4: { ...figures(40, 0.5), instances: {} },
    lut_llm_attention_5: { ...figures(300, 4), instances: {} },
    lut_llm_rope_6: { ...figures(70, 2), instances: {} },
    lut_llm_silu_mul: { ...figures(60), instances: {} },
    lut_llm_block: { ...figures(20, 3), instances: { lut_llm_engine_1: 1, lut_llm_rmsnorm_3: 2, lut_llm_rmsnorm_4: 2, lut_llm_attention_5: 1, lut_llm_rope_6: 1, lut_llm_silu_mul: 1 } },
  };

  it('counts each child per instance under its part and keeps the top its own logic', () => {
    const parts = splitBlock(modules, 'lut_llm_block');
    expect(parts.engine.lut).toBe(1400);
    expect(parts.norms).toEqual({ lut: 180, ff: 90, bram: 3, uram: 0, dsp: 0 });
    expect(parts.top).toEqual(figures(20, 3));
    expect(parts.other).toEqual(ZERO);
  });

  it('gives the whole block per lookup per cycle, with and without the subtractors, beside the release', () => {
    const parts = splitBlock(modules, 'lut_llm_block');
    const whole = Object.values(parts).reduce((sum, part) => sum + part.lut, 0);
    const result: BlockResources = {
      label: 'tiny block', config: { hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16, ropeTheta: 1e6, rmsEps: 1e-6, maxSeq: 64, maxT: 16, engine: { ca: 16, cw: 16, groupCols: 16, lookupsPerCycle: 8 } } as BlockResources['config'],
      lookups: 8, whole: { ...ZERO, lut: whole }, parts, engineParts: { lookup: figures(0), search: figures(400) }, kvCache: figures(0, 2), kvCacheWords: 2048, ropeRomWords: 512,
      subtractors: 8, seconds: 1, cached: false, peakMemoryMb: undefined, yosys: 'Yosys 0.23',
    };
    const subtractor = { lut: 10, carry: 0, seconds: 0 };
    expect(perLookup(result, subtractor)).toEqual({ whole: 2030 / 8, withoutSubtractors: 1950 / 8 });
    const markdown = blockMarkdown([result], subtractor, 'bench');
    expect(markdown).toContain('| tiny block | 8 | 2,030 | 253.8 | 243.8 | 154.8 |');
    expect(markdown).toContain('| of which KV cache (alone) | 0 | 0 | 2.0 | 0 | 0.0 |');
    expect(markdown).toContain('KV cache 2 x 2,048 words, RoPE ROMs 2 x 512 words');
    expect(markdown).toContain('| of which search FP32 subtractors (8) | 80 |');
  });
});
