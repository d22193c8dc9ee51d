// Synthesis smoke test of the dot-product array on the cmos target (hierarchical, as the
// explorer's unit sweeps run it): the default array is real logic, and at K4 W1 int8 the 64
// shared-table LUT units take fewer transistors than 64 MAC units with their 2-bit weights.

import { describe, expect, it } from 'vitest';
import { registry } from '../../../generators/index.js';
import { synthesizeAll } from '../../../synth/synthesize.js';

function design(config: Record<string, unknown>) {
  const spec = registry.get('dot-product');
  if (!spec) throw new Error('no generator dot-product');
  return spec.generate(spec.schema.parse(config));
}

describe('dot-product on cmos', () => {
  it('the default LUT array synthesizes, and takes fewer transistors than the MAC array at K4 W1 int8', async () => {
    const jobs = [{}, { kind: 'mac' }].map((config) => ({ design: design({ k: 4, wbits: 1, act: 'int8', ...config }), target: 'cmos' }));
    const [lut, mac] = (await synthesizeAll(jobs, { cacheDir: null, flatten: false })).map(({ report }) => (report.target === 'cmos' ? report.transistors : Number.NaN));
    expect(lut).toBeGreaterThan(0);
    expect(lut).toBeLessThan(mac!);
  });
});
