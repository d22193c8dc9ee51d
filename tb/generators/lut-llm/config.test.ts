// The search's size follows the lookups' rate (docs/design/lut-llm.md, search units): over a grid
// of positionsPerCycle P', chunks and Ca, the default searchUnits U and centroidsPerPe k produce
// indices at least as fast as the lookups consume them (U / k >= P' / chunks), and faster by less
// than one unit's worth (U / k - P' / chunks < 1 / k) except where the divisors of P' leave a gap,
// which the test names; and the rules on positionsPerCycle and searchUnits reject what does not fit.

import { describe, expect, it } from 'vitest';
import { lutLlmConfig, lutLlmShape } from '../../../generators/lut-llm/config.js';

interface Rates {
  readonly stages: number;
  readonly chunks: number;
  readonly ca: number;
  readonly units: number;
  readonly k: number;
}

function grid(): Rates[] {
  const rates: Rates[] = [];
  for (const stages of [1, 2, 3, 4, 6, 8, 12, 16, 32, 64]) {
    for (const chunks of [1, 2, 3, 4, 8, 16, 32]) {
      for (const ca of [4, 16, 64, 256]) {
        const shape = lutLlmShape(lutLlmConfig.parse({ ca, positionsPerCycle: stages, lookupsPerCycle: 4, groupCols: 4 * chunks, maxK: 2 * 64 }));
        rates.push({ stages, chunks, ca, units: shape.searchUnits, k: shape.centroidsPerPe });
      }
    }
  }
  return rates;
}

describe('lut-llm search units and centroids per PE', () => {
  const rates = grid();

  it('keep up with the lookups: U / k >= P\' / chunks, U a divisor of P\', k between 1 and Ca', () => {
    for (const { stages, chunks, ca, units, k } of rates) {
      const where = `P' ${stages}, chunks ${chunks}, Ca ${ca}`;
      expect(stages % units, where).toBe(0);
      expect(k, where).toBeGreaterThanOrEqual(1);
      expect(k, where).toBeLessThanOrEqual(ca);
      expect(units * chunks, where).toBeGreaterThanOrEqual(stages * k);
    }
  });

  it('exceed the consumption by less than one unit\'s worth, except at the divisor gaps of powers of two against 3 chunks', () => {
    const gaps: string[] = [];
    for (const { stages, chunks, ca, units, k } of rates) {
      // U / k - P' / chunks < 1 / k, in whole numbers: U * chunks - P' * k < chunks.
      if (units * chunks - stages * k < chunks) continue;
      gaps.push(`P' ${stages}, chunks ${chunks}, Ca ${ca}: U ${units}, k ${k}`);
    }
    // P' = 2^n against 3 chunks needs P' / 3 units; the divisors of P' are powers of two, the
    // smallest of them >= P' / 3 is P' / 2, and k = floor(1.5) = 1: the units make P' / 2 indices
    // per cycle where P' / 3 are used, P' / 6 too many, a unit's worth or more from P' = 8 on. A
    // unit count that is not a divisor (P' / 3 at P' 6 is one) would need banks with two readers.
    const expected = [8, 16, 32, 64].flatMap((stages) => [4, 16, 64, 256].map((ca) => `P' ${stages}, chunks 3, Ca ${ca}: U ${stages / 2}, k 1`));
    expect(gaps).toEqual(expected);
  });

  it('rejects a positionsPerCycle above maxP and a searchUnits that neither divides nor is a multiple of it', () => {
    const fails = (config: object, message: RegExp): void => {
      const result = lutLlmConfig.safeParse(config);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message).join('\n')).toMatch(message);
    };
    fails({ maxK: 8, v: 2, positionsPerCycle: 5 }, /positionsPerCycle must be at most maxP = maxK \/ v/);
    fails({ positionsPerCycle: 4, searchUnits: 3 }, /searchUnits must divide positionsPerCycle or be a multiple of it/);
    fails({ positionsPerCycle: 65 }, /64/);
    expect(lutLlmConfig.parse({ positionsPerCycle: 4, searchUnits: 8 }).searchUnits).toBe(8);
    expect(lutLlmConfig.parse({ positionsPerCycle: 4, searchUnits: 2 }).searchUnits).toBe(2);
  });

  it('sizes the default engine: one unit of 8 centroids per PE; the release\'s 16 stages at 512 columns in 8 chunks take 2 units', () => {
    expect(lutLlmShape(lutLlmConfig.parse({}))).toMatchObject({ searchUnits: 1, centroidsPerPe: 8, chunks: 8 });
    expect(lutLlmShape(lutLlmConfig.parse({ positionsPerCycle: 16, lookupsPerCycle: 64 }))).toMatchObject({ searchUnits: 2, centroidsPerPe: 1 });
    expect(lutLlmShape(lutLlmConfig.parse({ positionsPerCycle: 8, lookupsPerCycle: 256 }))).toMatchObject({ searchUnits: 4, centroidsPerPe: 1, chunks: 2 });
    // An explicit U above the need: each PE takes more centroids.
    expect(lutLlmShape(lutLlmConfig.parse({ positionsPerCycle: 2, searchUnits: 4 }))).toMatchObject({ searchUnits: 4, centroidsPerPe: 16 });
  });
});
