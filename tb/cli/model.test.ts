// `lutforge model lut-llm` in-process: the text tables, the --json document (the same estimate the
// host computes), the options that change it, and the exit codes of bad input. No simulator: the
// model is arithmetic over the engine's cycle formula.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { lutLlmConfig } from '../../generators/lut-llm/config.js';
import { lutLlmLatency, type LatencyEstimate } from '../../host/lut-llm/latency-model.js';
import { readModelDims } from '../../host/lut-llm/model-dims.js';
import { blockDecodeLatency } from '../../host/lut-llm-block/latency.js';
import { listTree, makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

const run = (...argv: string[]): Promise<CliRun> => runIn(cwd, argv, registry);

describe('lutforge model lut-llm', () => {
  it('prints per phase a row per projection with its bounds, the causes, the bytes and the totals', async () => {
    const result = await run('model', 'lut-llm', '--dims', 'qwen3-1.7b');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const text = result.stdout;
    expect(text).toMatch(/^Qwen3 1\.7B: 28 layers, hidden 2,048, intermediate 6,144, 16 heads, 8 KV heads, head dim 128\n/);
    expect(text).toContain('engine: 64 lookups per cycle (1 position x 64 columns), 8-bit tables, ca 64, cw 16, v 2');
    expect(text).toContain('clock 250 MHz, memory 820 GB/s (3280 bytes per cycle)');
    expect(text).toMatch(/\ndecode \(T = 1\), cycles of one layer:\n {2}projection +K +N +runs +lookups +streaming +search +search waits +cycles +bound\n/);
    // The O projection is the README's 2048 x 2048 benchmark: 32,844 cycles in Verilator; its 1,024
    // positions take 8,192 cycles of search (8 centroids per PE), hidden behind the lookups.
    expect(text).toMatch(/\n {2}o +2,048 +2,048 +1 +32,844 +1,758 +8,192 +0 +32,844 +lookups\n/);
    expect(text).toMatch(/\n {2}lookups by cause: ideal 393,216, idle lanes 0, fill 355, drain 25, table loading 0, search waits 0\n/);
    expect(text).toMatch(/\n {2}28 layers: 11,020,688 cycles = 44\.083 ms per token \(22\.7 tokens\/s\)\n/);
    expect(text).toMatch(/\nprefill \(T = 128\), cycles of one layer:\n/);
    expect(text).toMatch(/ ms for 128 tokens: [\d.]+ tokens\/s \([\d.]+ ms per token\)\n$/);
  });

  it('prints with --json the estimate the host computes, with the clock, bandwidth, prompt and config given', async () => {
    await writeFile(join(cwd, 'engine.json'), JSON.stringify({ lookupsPerCycle: 512, tableBits: 4 }));
    const result = await run('model', 'lut-llm', '--dims', 'qwen3-1.7b', '--config', 'engine.json', '--set', 'maxK=6144', '--set', 'maxT=64', '--clock', '200', '--bandwidth', '400', '--prefill-tokens', '96', '--json');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const estimate = JSON.parse(result.stdout) as LatencyEstimate;
    const config = lutLlmConfig.parse({ lookupsPerCycle: 512, tableBits: 4, maxK: 6144, maxT: 64 });
    const expected = lutLlmLatency(config, await readModelDims('qwen3-1.7b', cwd), { clockMhz: 200, bandwidthGBs: 400, prefillTokens: 96 });
    expect(estimate).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(Object.keys(estimate)).toEqual(['clockMhz', 'bandwidthGBs', 'prefillTokens', 'dims', 'config', 'engine', 'decode', 'prefill']);
    expect(estimate.decode.projections.map((p) => p.name)).toEqual(['qkv', 'o', 'up-gate', 'down']);
    expect(Object.keys(estimate.decode.projections[0]!)).toEqual(['name', 'K', 'N', 'kFrom', 'P', 'G', 'runs', 'lookups', 'streaming', 'search', 'cycles', 'bound']);
    expect(estimate.prefill.tokens).toBe(96);
    // 96 tokens at maxT = 64: two runs per projection.
    expect(estimate.prefill.projections[0]!.runs).toBe(2);
  });

  it('takes a dims file by path', async () => {
    await writeFile(join(cwd, 'tiny.json'), JSON.stringify({ name: 'tiny', hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16, layers: 2 }));
    const result = await run('model', 'lut-llm', '--dims', './tiny.json', '--json');
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect((JSON.parse(result.stdout) as LatencyEstimate).dims).toEqual({ name: 'tiny', hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16, layers: 2 });
  });

  it.each([
    [['model', 'lut-lm', '--dims', 'qwen3-1.7b'], /^lutforge: no latency model for 'lut-lm'; did you mean lut-llm\? \(known: lut-llm, lut-llm-block\)$/],
    [['model', 'lut-llm'], /^lutforge: required option '--dims <model>' not specified$/],
    [['model', 'lut-llm', '--dims', 'qwen3'], /^lutforge: cannot read dims file 'qwen3': no such file or directory \(ENOENT\) and no shipped model is named so \(shipped: .*qwen3-1\.7b.*\)$/],
    [['model', 'lut-llm', '--dims', 'qwen3-1.7b', '--clock', '0'], /^lutforge: --clock must be a positive number of MHz, got '0'$/],
    [['model', 'lut-llm', '--dims', 'qwen3-1.7b', '--bandwidth', 'fast'], /^lutforge: --bandwidth must be a positive number of GB\/s, got 'fast'$/],
    [['model', 'lut-llm', '--dims', 'qwen3-1.7b', '--prefill-tokens', '1.5'], /^lutforge: --prefill-tokens must be a whole number of tokens from 1 to 1048576, got '1\.5'$/],
    [['model', 'lut-llm', '--dims', 'qwen3-1.7b', '--set', 'lookupsPerCycle=3'], /^lutforge: lut-llm: config\.lookupsPerCycle: lookupsPerCycle must divide groupCols/],
    [['model', 'lut-llm', '--dims', 'qwen3-1.7b', '--set', 'v=3', '--set', 'maxK=4095'], /^lutforge: dims file 'qwen3-1\.7b': hidden = 2048 \(K of qkv\) is not a multiple of v = 3, the sub-vector length of the configuration$/],
  ])('%j: exit 2, one line, nothing written', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(message.source.replace(/\$$/, '\\n$')));
    expect(await listTree(cwd)).toEqual([]);
  });

  it('names the file and the key of a bad dims file', async () => {
    await writeFile(join(cwd, 'dims.json'), JSON.stringify({ hidden: 2048, intermediate: 6144, heads: 16, kvHeads: 8, headDim: -128, layers: 28 }));
    const result = await run('model', 'lut-llm', '--dims', 'dims.json');
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toBe("lutforge: dims file 'dims.json': headDim: Too small: expected number to be >=1 (got -128)\n");
  });
});

describe('lutforge model lut-llm-block', () => {
  it('prints with --json the block estimate the host computes, at the positions and decode length given', async () => {
    const result = await run('model', 'lut-llm-block', '--dims', 'qwen3-1.7b', '--set', 'lookupsPerCycle=128', '--set', 'groupCols=128', '--positions', '0,4095', '--decode-tokens', '8', '--json');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const dims = await readModelDims('qwen3-1.7b', cwd);
    const config = lutLlmConfig.parse({ lookupsPerCycle: 128, groupCols: 128 });
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(blockDecodeLatency(dims, config, { clockMhz: 250, bandwidthGBs: 820 }, [0, 4095], 8))));
  });
});
