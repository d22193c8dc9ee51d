// The dot-product generator's config (defaults, strictness, the kind/act/table rules) and the
// throughput every matrix generator reports for density figures.

import { describe, expect, it } from 'vitest';
import { registry } from '../../../generators/index.js';
import { dotProductConfig } from '../../../generators/dot-product/config.js';

function issues(config: Record<string, unknown>): string[] {
  const parsed = dotProductConfig.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function throughputOf(name: string, config: Record<string, unknown>) {
  const spec = registry.get(name);
  if (spec?.throughput === undefined) throw new Error(`no throughput for ${name}`);
  return spec.throughput(spec.schema.parse(config));
}

describe('dot-product config', () => {
  it('defaults to 64 shared-table LUT units, K4, W1, int8', () => {
    expect(dotProductConfig.parse({})).toEqual({ kind: 'lut', k: 4, wbits: 1, act: 'int8', table: 'symmetric', units: 64, maxK: 16384 });
  });

  it('rejects unknown keys', () => {
    expect(issues({ m: 2 })).toEqual([': Unrecognized key: "m"']);
  });

  it('takes wbits 1..8 (integers)', () => {
    for (const wbits of [1, 8]) expect(issues({ wbits })).toEqual([]);
    for (const wbits of [0, 9, 2.5]) expect(issues({ wbits })[0]).toMatch(/^wbits: /);
  });

  it.each(['add', 'lut-local'])('rejects floating-point activations with kind %s', (kind) => {
    expect(issues({ kind, act: 'fp16' })).toEqual([
      "act: floating-point activations run on kind 'lut' (FP32 tables) or 'mac'; 'lut-local' and 'add' take int8 or int16",
    ]);
  });

  it('takes floating-point activations on lut (every table) and mac', () => {
    for (const table of ['symmetric', 'naive', 'unsigned']) expect(issues({ kind: 'lut', act: 'bf16', table })).toEqual([]);
    expect(issues({ kind: 'mac', act: 'fp8e4m3' })).toEqual([]);
  });

  it('takes a table kind only where there is a table', () => {
    expect(issues({ kind: 'lut-local', table: 'unsigned' })).toEqual([]);
    expect(issues({ kind: 'add', table: 'naive' })).toEqual([
      "table: table applies to kinds 'lut' and 'lut-local' only ('add' has no table, 'mac' multiplies): leave it at 'symmetric'",
    ]);
    expect(issues({ kind: 'mac', table: 'unsigned' })).toHaveLength(1);
  });

  it('bounds k and units', () => {
    expect(issues({ k: 9 })[0]).toMatch(/^k: /);
    expect(issues({ units: 0 })[0]).toMatch(/^units: /);
    expect(issues({ units: 257 })[0]).toMatch(/^units: /);
  });
});

describe('throughput', () => {
  it('counts a serial unit as k MACs per wbits cycles and a MAC unit as k per cycle', () => {
    expect(throughputOf('dot-product', {})).toEqual({ perCycle: 256, unit: 'MAC' });
    expect(throughputOf('dot-product', { kind: 'lut-local', units: 8, k: 5, wbits: 2 })).toEqual({ perCycle: 20, unit: 'MAC' });
    expect(throughputOf('dot-product', { kind: 'add', units: 3, k: 4, wbits: 6 })).toEqual({ perCycle: 2, unit: 'MAC' });
    expect(throughputOf('dot-product', { kind: 'mac', units: 3, k: 4, wbits: 6 })).toEqual({ perCycle: 12, unit: 'MAC' });
  });

  it('is m*n*k/wbits for the serial engines, m*n*k for the MAC engine, lookups for LUT-LLM', () => {
    expect(throughputOf('tensor-core', {})).toEqual({ perCycle: 256, unit: 'MAC' });
    expect(throughputOf('add', { wbits: 4 })).toEqual({ perCycle: 128, unit: 'MAC' });
    expect(throughputOf('mac', { wbits: 4 })).toEqual({ perCycle: 512, unit: 'MAC' });
    expect(throughputOf('lut-llm', { lookupsPerCycle: 32 })).toEqual({ perCycle: 32, unit: 'lookup' });
  });

  it('is absent for the examples', () => {
    for (const name of ['counter', 'adder-tree', 'fifo']) expect(registry.get(name)?.throughput).toBeUndefined();
  });
});
