// The host side of the LUT-LLM engine without a simulator: the layout's promises (a table arrives
// within one token of lookups), the beat counts and bit positions of docs/design/lut-llm.md,
// unpacking, and the checks that name what a run cannot take.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lutLlmConfig, type LutLlmConfig } from '../../../generators/lut-llm/config.js';
import { lutLlmGenerator } from '../../../generators/lut-llm/index.js';
import { lutLlmLayout } from '../../../generators/lut-llm/layout.js';
import { fp32Bits, lutLlmIdealCycles, lutLlmLookups, lutLlmOutBeats, packLutLlm, unpackLutLlm, unpackLutLlmRun } from '../../../generators/lut-llm/pack.js';
import { randomLayer } from './random-layer.js';
import { OperandError } from '../../../contracts/matmul-operands.js';

const small = lutLlmConfig.parse({ v: 2, ca: 6, cw: 4, groupCols: 8, lookupsPerCycle: 4, maxK: 32, maxT: 4 });

function field(beat: bigint, at: number, bits: number): number {
  return Number((beat >> BigInt(at)) & ((1n << BigInt(bits)) - 1n));
}

describe('lut-llm layout', () => {
  it('sizes the default engine: 8 rows per table beat, 8 beats per table, 1024-bit table and 256-bit index beats', () => {
    const layout = lutLlmLayout(lutLlmConfig.parse({}));
    expect(layout).toMatchObject({ rowsPerTableBeat: 8, tableBeats: 8, tableBeatBits: 1024, windexBeatBits: 256, codebookBeatBits: 4096, units: 1, branchLength: 16, distanceBits: 32 });
    expect(layout.shape.chunks).toBe(8);
  });

  it('never needs more table beats than a token has lookup beats (no bubble at T = 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 256 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 16 }), (ca, lanes, chunks) => {
        const config = lutLlmConfig.parse({ ca, lookupsPerCycle: lanes, groupCols: lanes * chunks });
        const layout = lutLlmLayout(config);
        expect(layout.tableBeats).toBeLessThanOrEqual(chunks);
        expect(layout.tableBeats * layout.rowsPerTableBeat).toBeGreaterThanOrEqual(ca);
        expect(Number.isInteger(Math.log2(layout.rowsPerTableBeat))).toBe(true);
      }),
    );
  });

  it('counts ideal cycles and lookups, positionsPerCycle x lookupsPerCycle per cycle', () => {
    const config = lutLlmConfig.parse({});
    expect(lutLlmLookups(32, 1024, 2048)).toBe(32 * 1024 * 2048);
    expect(lutLlmIdealCycles(config, { T: 1, P: 1024, N: 2048 })).toBe(32768);
    expect(lutLlmIdealCycles(config, { T: 1, P: 3, N: 5 })).toBe(1);
    const parallel = lutLlmConfig.parse({ positionsPerCycle: 4 });
    expect(lutLlmIdealCycles(parallel, { T: 1, P: 1024, N: 2048 })).toBe(8192);
    expect(lutLlmGenerator.throughput?.(parallel)).toEqual({ perCycle: 256, unit: 'lookup' });
  });

  it('widens the table and weight-index beats by positionsPerCycle, and gives the banks max(U, P\')', () => {
    const layout = lutLlmLayout(lutLlmConfig.parse({ positionsPerCycle: 4 }));
    expect(layout).toMatchObject({ stages: 4, units: 1, centroidsPerPe: 2, indexBanks: 4, stageTableBits: 1024, tableBeatBits: 4096, windexBeatBits: 1024 });
    expect(lutLlmLayout(lutLlmConfig.parse({ positionsPerCycle: 2, searchUnits: 8 }))).toMatchObject({ indexBanks: 8, centroidsPerPe: 32 });
  });
});

describe('packLutLlm', () => {
  it('sends the beats of docs/design/lut-llm.md in the right numbers and places', () => {
    const config: LutLlmConfig = { ...small, dequant: true };
    const { layer, x } = randomLayer(config, { T: 3, K: 10, N: 21, seed: 5 });
    const { inputs, expect: expected } = packLutLlm(config, layer, x);
    const { P, G } = layer;
    // G = 3 groups of 8 columns, the last with 5: 2 chunks of 4.
    // One scale group (S = 1) of all G = 3 column groups; its pair on `scales`, offset above scale.
    expect(inputs['cmd']).toEqual([[3n, 5n, 3n, 2n, 1n, 3n]]);
    const offset = Math.fround(Math.fround(layer.zero[0]! * layer.scale[0]!) * P);
    expect(inputs['scales']).toEqual([[(BigInt(fp32Bits(offset)) << 32n) | BigInt(fp32Bits(layer.scale[0]!))]]);
    expect(inputs['codebook']).toHaveLength(P);
    expect(inputs['act']).toHaveLength(P * 3);
    expect(inputs['tables']).toHaveLength(P * G * 2);
    expect(inputs['windex']).toHaveLength(P * (2 + 2 + 2));
    expect(expected).toEqual({ out: 3 * 6 });
    expect(lutLlmOutBeats(config, { T: 3, N: 21, G })).toBe(18);

    // Activation beat (q = 2, t = 1) holds X[1][4], X[1][5] as FP32 patterns.
    const data = x.data as Float32Array;
    expect(inputs['act']![2 * 3 + 1]).toEqual([BigInt(fp32Bits(data[10 + 4]!)), BigInt(fp32Bits(data[10 + 5]!))]);
    // Codebook beat 3: centroid 5, element 1 at bit (5*2 + 1) * 32.
    expect(field(inputs['codebook']![3]![0]!, 11 * 32, 32)).toBe(fp32Bits(layer.actCodebook[(3 * 6 + 5) * 2 + 1]!));
    // Table (g = 1, p = 4), beat 1 holds rows 4 and 5 (rows 6 and 7 are padding): row 5, entry 3.
    const tableBeat = inputs['tables']![(1 * P + 4) * 2 + 1]![0]!;
    expect(field(tableBeat, (1 * 4 + 3) * 8, 8)).toBe(layer.table[(((4 * G + 1) * 6 + 5) * 4) + 3]);
    expect(field(tableBeat, 2 * 4 * 8, 2 * 4 * 8)).toBe(0);
    // Weight indices (g = 2, p = 1, chunk 1): lane 0 is column 20, lanes 1..3 are padding (0).
    const indexBeat = inputs['windex']![2 * P * 2 + 1 * 2 + 1]![0]!;
    expect(field(indexBeat, 0, 2)).toBe(layer.weightIndex[1 * 21 + 20]);
    expect(field(indexBeat, 2, 6)).toBe(0);
  });

  it('puts stage s of a block at its place in the table and weight-index beats, zeros past position P - 1', () => {
    const config: LutLlmConfig = { ...small, positionsPerCycle: 3 };
    const { layer, x } = randomLayer(config, { T: 2, K: 10, N: 11, seed: 7 });
    const { inputs } = packLutLlm(config, layer, x);
    const { P, G } = layer;
    // P = 5 in blocks of 3: 2 blocks per group, the second with positions 3 and 4 and an empty stage.
    expect(inputs['tables']).toHaveLength(2 * G * 2);
    expect(inputs['windex']).toHaveLength(2 * (2 + 1));
    const stageBits = 4 * 4 * 8; // 4 rows of 4 entries per beat
    // Group 1, block 1, beat 0: stage 1 is position 4, row 1, entry 2.
    const tableBeat = inputs['tables']![(1 * 2 + 1) * 2]![0]!;
    expect(field(tableBeat, stageBits + (1 * 4 + 2) * 8, 8)).toBe(layer.table[((4 * G + 1) * 6 + 1) * 4 + 2]);
    expect(field(tableBeat, 2 * stageBits, stageBits)).toBe(0);
    // Group 0, block 1, chunk 1: stage 0 (position 3) lane 2 is column 6; stage 2 is empty.
    const indexBeat = inputs['windex']![1 * 2 + 1]![0]!;
    expect(field(indexBeat, 2 * 2, 2)).toBe(layer.weightIndex[3 * 11 + 6]);
    expect(field(indexBeat, 2 * 4 * 2, 4 * 2)).toBe(0);
    expect(P).toBe(5);
  });

  it('reads ACC and y back, dropping the padding lanes', () => {
    const config: LutLlmConfig = { ...small, dequant: true };
    const dims = { T: 2, P: 1, N: 6, G: 1 };
    const beats = Array.from({ length: 4 }, (_, b) => [
      ...Array.from({ length: 4 }, (_, j) => BigInt(100 * b + j)),
      ...Array.from({ length: 4 }, (_, j) => BigInt(fp32Bits(b + j / 4))),
    ]);
    const { acc, y } = unpackLutLlmRun(config, dims, beats);
    expect(Array.from(acc)).toEqual([0, 1, 2, 3, 100, 101, 200, 201, 202, 203, 300, 301]);
    expect(Array.from(y!)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 2, 2.25, 2.5, 2.75, 3, 3.25]);
    expect(unpackLutLlm(config, dims, beats)).toEqual(y);
    expect(unpackLutLlm(small, dims, beats.map((beat) => beat.slice(0, 4)))).toEqual(acc);
    expect(() => unpackLutLlm(small, dims, beats.slice(1))).toThrow(/3 out beats.*take 4/);
  });

  it('names what the engine cannot take', () => {
    const { layer, x } = randomLayer(small, { T: 2, K: 8, N: 9, seed: 6 });
    const fails = (config: LutLlmConfig, patch: object, xPatch: object, message: RegExp): void => {
      expect(() => packLutLlm(config, { ...layer, ...patch }, { ...x, ...xPatch })).toThrow(OperandError);
      expect(() => packLutLlm(config, { ...layer, ...patch }, { ...x, ...xPatch })).toThrow(message);
    };
    fails({ ...small, cw: 8 }, {}, {}, /cw = 4, the engine configuration cw = 8/);
    fails({ ...small, maxT: 1 }, {}, {}, /T = 2 tokens exceed maxT = 1/);
    fails({ ...small, maxK: 6 }, {}, {}, /K = P\*v = 8 exceeds maxK = 6/);
    fails({ ...small, tableBits: 4 }, { tableBits: 4, table: layer.table.map(() => 16) }, {}, /table entry 0 = 16 does not fit 4 bits/);
    fails(small, { weightIndex: layer.weightIndex.map((w, i) => (i === 10 ? 4 : w)) }, {}, /weight index \[1, 1\] = 4 is not below Cw = 4/);
    fails(small, { G: 1 }, {}, /G = 1 column groups; N = 9 in groups of 8 needs 2/);
    fails(small, {}, { act: 'fp16' }, /activations are fp16, the engine takes fp32/);
    fails(small, {}, { data: new Float32Array(3) }, /hold 3 values, T\*K = 16/);
    fails(small, { zero: new Float32Array(2) }, {}, /1 scales and 2 zero points; one of each per scale group/);
    fails(small, { scale: new Float32Array(2), zero: new Float32Array(2) }, {}, /^S = 2 scale groups do not divide N = 9 columns$/);
  });

  it('sends one `scales` beat per scale group and the column groups of each in the command', () => {
    const config: LutLlmConfig = { ...small, dequant: true, maxScaleGroups: 4 };
    // N = 32: G = 4 column groups of 8, S = 2 pairs of 2 groups each.
    const { layer, x } = randomLayer(config, { T: 2, K: 6, N: 32, seed: 8, scaleGroups: 2 });
    const { inputs } = packLutLlm(config, layer, x);
    expect(inputs['cmd']).toEqual([[2n, 3n, 4n, 2n, 2n, 2n]]);
    expect(inputs['scales']).toHaveLength(2);
    const beat = inputs['scales']![1]![0]!;
    expect(field(beat, 0, 32)).toBe(fp32Bits(layer.scale[1]!));
    expect(field(beat, 32, 32)).toBe(fp32Bits(Math.fround(Math.fround(layer.zero[1]! * layer.scale[1]!) * 3)));
    expect(packLutLlm({ ...config, dequant: false }, layer, x).inputs['scales']).toBeUndefined();
    // More pairs than the hardware holds: only with dequant.
    expect(() => packLutLlm({ ...config, maxScaleGroups: 1 }, layer, x)).toThrow(/S = 2 scale groups; the engine's hardware dequantization holds maxScaleGroups = 1/);
    expect(() => packLutLlm({ ...config, maxScaleGroups: 1, dequant: false }, layer, x)).not.toThrow();
    // Scale groups of half a column group.
    const halves = randomLayer(config, { T: 1, K: 6, N: 16, seed: 9, scaleGroups: 4 });
    expect(() => packLutLlm(config, halves.layer, halves.x)).toThrow(/S = 4 scale groups of N \/ S = 4 columns are not whole column groups of groupCols = 8/);
  });
});
