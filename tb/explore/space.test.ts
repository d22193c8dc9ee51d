import { describe, expect, it } from 'vitest';
import { canonicalJson, parseShard, parseSpace, shardPoints, spaceDigest } from '../../explore/space.js';
import { registry } from '../../generators/index.js';
import { UsageError } from '../../host/errors.js';

const space = (groups: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'test', groups, ...extra });
const parse = (value: unknown) => parseSpace(value, 'space.json', registry);

function usageError(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseSpace', () => {
  it('crosses list entries with the product over the fixed settings, product keys in sorted order', () => {
    const { points } = parse(
      space([
        {
          generator: 'tensor-core',
          set: { m: 1, n: 4 },
          list: [{ act: 'int8' }, { act: 'int16' }],
          product: { wbits: [1, 2], k: [2, 4] },
        },
      ]),
    );
    expect(points.map((point) => point.params)).toEqual([
      { act: 'int8', k: 2, m: 1, n: 4, wbits: 1 },
      { act: 'int8', k: 2, m: 1, n: 4, wbits: 2 },
      { act: 'int8', k: 4, m: 1, n: 4, wbits: 1 },
      { act: 'int8', k: 4, m: 1, n: 4, wbits: 2 },
      { act: 'int16', k: 2, m: 1, n: 4, wbits: 1 },
      { act: 'int16', k: 2, m: 1, n: 4, wbits: 2 },
      { act: 'int16', k: 4, m: 1, n: 4, wbits: 1 },
      { act: 'int16', k: 4, m: 1, n: 4, wbits: 2 },
    ]);
    expect(points.map((point) => point.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The validated config has the defaults filled in.
    expect(points[0]!.config).toMatchObject({ m: 1, n: 4, k: 2, wbits: 1, maxK: 16384, symmetric: true });
  });

  it('numbers the points across groups and takes group targets over the space targets', () => {
    const { points } = parse(
      space([{ generator: 'counter', product: { modulo: [4, 8] } }, { generator: 'adder-tree', targets: ['xilinx'] }], { targets: ['cmos', 'ice40'] }),
    );
    expect(points.map((point) => [point.index, point.group, point.generator, point.targets])).toEqual([
      [0, 0, 'counter', ['cmos', 'ice40']],
      [1, 0, 'counter', ['cmos', 'ice40']],
      [2, 1, 'adder-tree', ['xilinx']],
    ]);
  });

  it('does not depend on the key order of the file', () => {
    const a = parse(space([{ generator: 'tensor-core', product: { k: [2, 4], wbits: [1, 2] }, set: { m: 1 } }]));
    const b = parse({ groups: [{ set: { m: 1 }, product: { wbits: [1, 2], k: [2, 4] }, generator: 'tensor-core' }], name: 'test' });
    expect(b.points.map((point) => point.params)).toEqual(a.points.map((point) => point.params));
    expect(spaceDigest(b.space)).toBe(spaceDigest(a.space));
  });

  it('names the file, the group and the problem for bad spaces', () => {
    expect(usageError(() => parse(space([{ generator: 'tensor-cor' }])))).toMatch(/space 'space\.json': groups\[0\]: unknown generator 'tensor-cor' \(known: .*tensor-core/);
    expect(usageError(() => parse(space([{ generator: 'tensor-core', product: { kk: [2] } }])))).toMatch(/groups\[0\]: tensor-core: config\.kk: unknown parameter/);
    expect(usageError(() => parse(space([{ generator: 'tensor-core', product: { k: [] } }])))).toMatch(/groups\[0\]\.product\.k: an empty value list makes the product empty/);
    expect(usageError(() => parse(space([{ generator: 'tensor-core', list: [] }])))).toMatch(/an empty list has no points/);
    expect(usageError(() => parse(space([])))).toMatch(/a space needs at least one group/);
    expect(usageError(() => parse(space([{ generator: 'tensor-core', product: { k: [4, 99] } }])))).toMatch(/config\.k: Too big.*\(got 99\)/);
    expect(usageError(() => parse({ groups: [{ generator: 'counter' }] }))).toMatch(/name: /);
    expect(usageError(() => parse(space([{ generator: 'counter' }], { colour: 'red' })))).toMatch(/unknown key colour/);
    expect(usageError(() => parse(space([{ generator: 'counter', workloads: ['gemv'] }])))).toMatch(/unknown workload 'gemv' \(the space defines none\)/);
    const gemv = { workloads: { gemv: { M: 1, K: 64, N: 8 } } };
    expect(usageError(() => parse(space([{ generator: 'counter', workloads: ['gemv'] }], gemv)))).toMatch(/generator 'counter' has no workload runner/);
    expect(usageError(() => parse(space([{ generator: 'tensor-core', set: { maxK: 32 }, workloads: ['gemv'] }], gemv)))).toMatch(/K = 64 exceeds the point's maxK = 32/);
    expect(usageError(() => parse(space([{ generator: 'lut-llm', workloads: ['gemv'] }], gemv)))).toMatch(/lut-llm needs T/);
  });
});

describe('shards', () => {
  it('parses i/n, 1-based, and rejects indices out of range', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(usageError(() => parseShard('0/4'))).toMatch(/--shard 0\/4: the shard index must lie in 1\.\.4/);
    expect(usageError(() => parseShard('5/4'))).toMatch(/must lie in 1\.\.4/);
    expect(usageError(() => parseShard('1/0'))).toMatch(/at least 1/);
    expect(usageError(() => parseShard('two'))).toMatch(/expected i\/n/);
  });

  it('deals the points round robin, so the shards partition the space', () => {
    const points = Array.from({ length: 10 }, (_, index) => ({ index }));
    const slices = [1, 2, 3].map((index) => shardPoints(points, { index, count: 3 }).map((point) => point.index));
    expect(slices).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
  });
});

it('canonicalJson sorts keys at every level', () => {
  expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[{"x":2,"y":1}]},"b":1}');
});
