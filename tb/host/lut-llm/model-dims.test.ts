// Model dimensions for the latency model: the shipped Qwen3 1.7B, a Hugging Face config.json, and
// every bad file as one UsageError naming the file and the key.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../host/errors.js';
import { parseModelDims, readModelDims, shippedModels } from '../../../host/lut-llm/model-dims.js';
import { makeTempDir, removeTempDir } from '../../cli/cli-harness.js';

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

const QWEN = { hidden: 2048, intermediate: 6144, heads: 16, kvHeads: 8, headDim: 128, layers: 28 };

describe('readModelDims', () => {
  it("ships Qwen3 1.7B's dimensions under the name qwen3-1.7b", async () => {
    expect(shippedModels()).toContain('qwen3-1.7b');
    expect(await readModelDims('qwen3-1.7b', cwd)).toMatchObject({ name: 'Qwen3 1.7B', ...QWEN });
  });

  it('reads a file by path, named by the path when it has no name', async () => {
    await writeFile(join(cwd, 'tiny.json'), JSON.stringify({ hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16, layers: 2 }));
    expect(await readModelDims('tiny.json', cwd)).toEqual({ name: 'tiny.json', hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16, layers: 2 });
  });

  it("reads a Hugging Face config.json, with Hugging Face's defaults for the keys it may leave out", async () => {
    const hf = { architectures: ['Qwen3ForCausalLM'], hidden_size: 2048, intermediate_size: 6144, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 128, num_hidden_layers: 28, vocab_size: 151_936 };
    await writeFile(join(cwd, 'config.json'), JSON.stringify(hf));
    expect(await readModelDims('config.json', cwd)).toEqual({ name: 'config.json', ...QWEN });
    expect(parseModelDims({ hidden_size: 512, intermediate_size: 1024, num_attention_heads: 8, num_hidden_layers: 4 }, 'x')).toEqual({ hidden: 512, intermediate: 1024, heads: 8, kvHeads: 8, headDim: 64, layers: 4 });
  });

  it('says which file could not be read, and which models are shipped when it looks like a name', async () => {
    await expect(readModelDims('qwen3-17b', cwd)).rejects.toThrow(/^cannot read dims file 'qwen3-17b': no such file or directory \(ENOENT\) and no shipped model is named so \(shipped: .*qwen3-1\.7b.*\)$/);
    await expect(readModelDims('models/none.json', cwd)).rejects.toThrow(/^cannot read dims file 'models\/none\.json': no such file or directory \(ENOENT\)$/);
  });

  it('reports bad JSON with its line and column', async () => {
    await writeFile(join(cwd, 'bad.json'), '{ "hidden": 2048,\n  "layers": }');
    await expect(readModelDims('bad.json', cwd)).rejects.toThrow(/^dims file 'bad\.json' is not valid JSON: .* at line 2, column \d+$/);
  });
});

describe('parseModelDims', () => {
  const bad = (document: unknown): string => {
    try {
      parseModelDims(document, "dims file 'm.json'");
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('names the missing key, the bad value and the unknown key', () => {
    const { layers: _, ...withoutLayers } = QWEN;
    expect(bad(withoutLayers)).toBe("dims file 'm.json': layers: missing");
    expect(bad({ ...QWEN, heads: 0 })).toMatch(/^dims file 'm\.json': heads: Too small: expected number to be >=1 \(got 0\)$/);
    expect(bad({ ...QWEN, headDim: '128' })).toMatch(/^dims file 'm\.json': headDim: .*expected number.* \(got "128"\)$/);
    expect(bad({ ...QWEN, hidden: 2048.5 })).toMatch(/^dims file 'm\.json': hidden: .*expected int.* \(got 2048\.5\)$/);
    expect(bad({ ...QWEN, vocab: 151_936 })).toBe("dims file 'm.json': unknown key vocab (known: name, source, hidden, intermediate, heads, kvHeads, headDim, layers)");
    expect(bad({ hidden_size: 2048 })).toMatch(/^dims file 'm\.json': intermediate_size: missing; num_attention_heads: missing; num_hidden_layers: missing$/);
  });

  it('wants an object', () => {
    expect(bad([QWEN])).toBe("dims file 'm.json' must hold a JSON object with hidden, intermediate, heads, kvHeads, headDim and layers");
    expect(bad(null)).toMatch(/must hold a JSON object/);
  });
});
