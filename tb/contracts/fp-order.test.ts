// The summation orders the hardware and the golden models share (contracts/fp-order.ts), checked
// in exact arithmetic: with integers every order gives the definition, so a table entry that
// reads the wrong activations or the wrong sign, or a pairwise sum that drops a value, shows.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTable, pairwiseSum, type TableArithmetic } from '../../contracts/fp-order.js';
import { groupSumEntry, TABLE_KINDS, tableEntries, type TableKind } from '../../contracts/table-kind.js';

const exact: TableArithmetic<number> = { add: (a, b) => a + b, neg: (a) => -a, zero: 0 };

/** Entry i of a table by its definition: bit j of the index picks +a_j or -a_j (0 for the {0,1} table). */
function definition(act: readonly number[], kind: TableKind, index: number): number {
  const k = act.length;
  // The symmetric table is the upper half of the {-1,+1} one: the top activation always enters with +.
  const full = kind === 'symmetric' ? index + 2 ** (k - 1) : index;
  return act.reduce((sum, a, j) => sum + ((full >> j) & 1 ? a : kind === 'unsigned' ? 0 : -a), 0);
}

const activations = fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 1, maxLength: 6 });

describe('buildTable', () => {
  for (const kind of TABLE_KINDS) {
    it(`builds every ${kind} entry as its definition, in float64 and in bigint`, () => {
      fc.assert(
        fc.property(activations, (act) => {
          const table = buildTable(act, kind, exact);
          expect(table).toHaveLength(tableEntries(kind, act.length));
          // + 0: the negated half holds -0 where an entry sums to zero, which equals the definition's 0.
          table.forEach((entry, i) => expect(entry + 0).toBe(definition(act, kind, i) + 0));
          const wide = buildTable(act.map(BigInt), kind, { add: (a, b) => a + b, neg: (a) => -a, zero: 0n });
          expect(wide.map(Number)).toEqual(table.map((entry) => entry + 0));
        }),
        { examples: [[[-2, -2]], [[0]], [[-32768, 32767, 1]]] },
      );
    });
  }

  it('keeps the plain group sum at groupSumEntry', () => {
    fc.assert(
      fc.property(activations, (act) => {
        const sum = act.reduce((a, b) => a + b, 0);
        for (const kind of TABLE_KINDS) expect(buildTable(act, kind, exact)[groupSumEntry(kind, act.length)]).toBe(sum);
      }),
    );
  });

  it('adds in the stated order: the upper half as L + H, the lower half negated', () => {
    const calls: string[] = [];
    const traced: TableArithmetic<string> = {
      add: (a, b) => (calls.push(`${a}+${b}`), `(${a}+${b})`),
      neg: (a) => `-${a}`,
      zero: '0',
    };
    expect(buildTable(['a', 'b'], 'naive', traced)).toEqual(['-(a+b)', '-(-a+b)', '(-a+b)', '(a+b)']);
    expect(calls).toEqual(['-a+b', 'a+b']);
  });
});

describe('pairwiseSum', () => {
  it('sums every value exactly once', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 40 }), (values) => {
      expect(pairwiseSum(values, (a, b) => a + b)).toBe(values.reduce((a, b) => a + b, 0));
    }));
  });

  it('pairs neighbours level by level and moves an odd last value up', () => {
    expect(pairwiseSum(['a', 'b', 'c', 'd', 'e'], (x, y) => `(${x}+${y})`)).toBe('(((a+b)+(c+d))+e)');
  });

  it('refuses an empty list', () => {
    expect(() => pairwiseSum([], (a: number, b: number) => a + b)).toThrow(/at least one value/);
  });
});
