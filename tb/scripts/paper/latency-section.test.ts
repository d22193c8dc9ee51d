// docs/paper/latency.md and latency.csv are what scripts/paper/latency-section.ts computes now: a
// change of the engine's cycle formula, its layout or the latency model shows here until the files
// are regenerated (`node --import tsx scripts/paper/latency-section.ts`, or make paper).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { latencyFiles } from '../../../scripts/paper/latency-section.js';
import { REPO_ROOT } from '../../package/tarball.js';

describe('the latency report of docs/paper', () => {
  it('equals what the latency model gives now', async () => {
    const docs = path.join(REPO_ROOT, 'docs', 'paper');
    for (const file of await latencyFiles()) expect(await readFile(path.join(docs, file.name), 'utf8'), file.name).toBe(file.contents);
    const marker = await readFile(path.join(docs, 'files.f'), 'utf8');
    expect(marker.split('\n')).toEqual(expect.arrayContaining(['latency.md', 'latency.csv']));
  });

  it("puts Qwen3 1.7B's decode beside the paper's 5.1 ms and the release model's 2.796 ms", async () => {
    const [markdown, csv] = (await latencyFiles()).map((file) => file.contents);
    expect(markdown).toMatch(/\| the paper \(measured on the V80\) \| the whole model \| 5\.1 \| about 196 \|/);
    expect(markdown).toMatch(/\| release model, `setting_w_vq\.json`, result \| .* \| 2\.796 \| 358 \| 7,750 \|/);
    expect(markdown).toMatch(/\| lutforge's default engine \| 64 \| 8 \| 44\.083 \| 23 \(lookups\) \|/);
    expect(csv).toMatch(/^scenario,phase,tokens,lookupsPerCycle,/);
    expect(csv).toContain('\ndefault,decode,1,64,8,11020688,');
  });
});
