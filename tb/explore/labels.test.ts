// Point names for plots and progress lines: what varies is in the label, what every point (or
// every point of a group) shares is said once.

import { describe, expect, it } from 'vitest';
import { namePoints, omittedLines, type NamedPoint } from '../../explore/labels.js';

const tile = { act: 'int8', m: 1, n: 64, maxK: 16, wbits: 2 };

describe('namePoints', () => {
  it('labels a space that varies only k by k alone, and says the rest once', () => {
    const points: NamedPoint[] = [2, 3, 4, 5].map((k) => ({ group: 0, groupName: 'lut', generator: 'tensor-core', params: { ...tile, k } }));
    const names = namePoints(points);
    expect(names.labels).toEqual(['k=2', 'k=3', 'k=4', 'k=5']);
    expect(names.paramLabels).toEqual(names.labels);
    expect(names.severalGroups).toBe(false);
    expect(names.common).toEqual(['act=int8', 'm=1', 'maxK=16', 'n=64', 'wbits=2']);
    expect(names.perGroup).toEqual([]);
    // The group is common too when there is one: the subtitle does not repeat it, the title names the space.
    expect(omittedLines(names)).toEqual(['every point: act=int8 m=1 maxK=16 n=64 wbits=2']);
  });

  it('with several groups, names the group and leaves what a group fixes to the subtitle', () => {
    const points: NamedPoint[] = [
      ...[2, 4].map((k) => ({ group: 0, groupName: 'lut', generator: 'dot-product', params: { kind: 'lut', units: 64, k } })),
      ...[2, 4].map((k) => ({ group: 1, groupName: 'mac', generator: 'dot-product', params: { kind: 'mac', units: 64, k } })),
    ];
    const names = namePoints(points);
    expect(names.labels).toEqual(['lut k=2', 'lut k=4', 'mac k=2', 'mac k=4']);
    expect(names.paramLabels).toEqual(['k=2', 'k=4', 'k=2', 'k=4']);
    expect(names.groups).toEqual(['lut', 'lut', 'mac', 'mac']);
    expect(names.common).toEqual(['units=64']);
    expect(names.perGroup).toEqual(['lut: kind=lut', 'mac: kind=mac']);
    expect(omittedLines(names)).toEqual(['every point: units=64; lut: kind=lut; mac: kind=mac']);
  });

  it('keeps a parameter only some points have, and never gives two points one label', () => {
    const points: NamedPoint[] = [
      { group: 0, generator: 'tensor-core', params: { k: 4, wbits: 1 } },
      { group: 0, generator: 'tensor-core', params: { k: 4, wbits: 2 } },
      { group: 1, generator: 'tensor-core', params: { k: 4, wbits: 1, shared: true } },
      { group: 1, generator: 'tensor-core', params: { k: 4, wbits: 1 } },
    ];
    const names = namePoints(points);
    // Two unnamed groups of one generator are told apart by number.
    expect(names.groups).toEqual(['tensor-core (group 0)', 'tensor-core (group 0)', 'tensor-core (group 1)', 'tensor-core (group 1)']);
    expect(names.labels).toEqual(['tensor-core (group 0) wbits=1', 'tensor-core (group 0) wbits=2', 'tensor-core (group 1) shared=true wbits=1', 'tensor-core (group 1) wbits=1']);
    expect(names.common).toEqual(['k=4']);

    const twins = namePoints([
      { group: 0, generator: 'counter', params: { width: 8 } },
      { group: 0, generator: 'counter', params: { width: 8 } },
    ]);
    expect(twins.labels).toEqual(['counter #1', 'counter #2']);
  });

  it('falls back to the group when nothing varies', () => {
    const names = namePoints([{ group: 0, groupName: 'only', generator: 'mac', params: { k: 4 } }]);
    expect(names.labels).toEqual(['only']);
    expect(names.common).toEqual(['k=4']);
  });

  it('wraps the subtitle at word boundaries', () => {
    const params = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`parameter_${String.fromCharCode(97 + i)}`, i]));
    const lines = omittedLines(namePoints([{ group: 0, generator: 'g', params }]), 60);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines.join(' ')).toBe(`every point: ${Object.entries(params).map(([key, value]) => `${key}=${value}`).join(' ')}`);
  });
});
