// The fast tier's guard (tb/fast-tier-guard.ts) at work: in `make check` a test that starts a tool
// fails with the tool's name, and other processes still start. Under `make test` there is no guard
// and nothing here runs.

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { FAST_TIER } from './test-tiers.js';

describe.skipIf(!FAST_TIER)('the fast-tier guard', () => {
  it('refuses to start Verilator, Icarus or the system Yosys', async () => {
    for (const tool of ['verilator', 'iverilog', 'yosys']) {
      await expect(execa(tool, ['-V'])).rejects.toThrow(new RegExp(`the fast tier .* started ${tool}`));
    }
  });

  it('lets other processes start', async () => {
    expect((await execa(process.execPath, ['-e', 'console.log(6 * 7)'])).stdout).toBe('42');
  });
});
