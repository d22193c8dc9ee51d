// The centroid search unit on its own: PEs of k centroids (centroidsPerPe) and the latency the
// engine's cycle budget counts on. Simulated against the golden model's first-minimum scan with
// FP32 values chosen to tie, to be NaN, infinite or subnormal, sub-vectors k cycles apart and with
// gaps, codebooks of two positions; `lutforge prove` proves the structure at int16 (prove/search.ts).

import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../../../dsl/index.js';
import { centroidSearchUnit, searchLatency, searchShape, type SearchUnitParams } from '../../../generators/lut-llm/search.js';
import { nearestCentroid } from '../../../golden/lut-llm.js';
import type { SimOp } from '../../../sim/script.js';
import { simulate } from '../../../sim/simulate.js';
import { FAST_TIER } from '../../test-tiers.js';
import { formatLintReport, lintEverywhere } from '../../lint.js';

const base = { v: 2, act: 'fp32', distance: 'linf', distanceBits: 32, depth: 2, addressBits: 1, tagBits: 3 } as const;

describe('searchLatency and the unit shape', () => {
  it('is 2 + chainLength * k + (1 for k > 1) + distance stages + tree levels, with ceil(Ca / k) PEs', () => {
    // k = 1 as before: Ca 64 in 4 chains of 16, linf (1 stage), a 2-level tree.
    expect(searchLatency({ ...base, ca: 64, branchLength: 16 })).toBe(21);
    expect(searchLatency({ ...base, ca: 64, branchLength: 16, centroidsPerPe: 1 })).toBe(21);
    // k = 2: 32 PEs, 2 chains of 16: 2 + 32 + 1 (select) + 1 + 1; k = 8: one chain of 8 PEs, no tree.
    expect(searchLatency({ ...base, ca: 64, branchLength: 16, centroidsPerPe: 2 })).toBe(37);
    expect(searchLatency({ ...base, ca: 64, branchLength: 16, centroidsPerPe: 8 })).toBe(68);
    expect(searchShape({ ca: 7, branchLength: 2, centroidsPerPe: 3 })).toEqual({ pes: 3, chainLength: 2, chains: 2 });
    // FP32 l2 at v = 2: subtract, square, one sum.
    expect(searchLatency({ ...base, distance: 'l2', ca: 6, branchLength: 2, centroidsPerPe: 4 })).toBe(2 + 2 * 4 + 1 + 3);
  });

  it('refuses a k that is not an integer from 1 to Ca', () => {
    for (const k of [0, 1.5, 65]) expect(() => searchLatency({ ...base, ca: 64, branchLength: 16, centroidsPerPe: k })).toThrow(/centroidsPerPe must be an integer from 1 to Ca = 64/);
  });
});

/** FP32 patterns that tie often, and the special values the order has to rank. */
const POOL = [0, 1, -1, 0.5, 2, -2, 3.5, 1e-40, -0, Infinity, -Infinity, NaN, 65504, -3.25].map((value) => new Uint32Array(new Float32Array([value]).buffer)[0]!);

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Sent {
  readonly cycle: number;
  readonly index: number;
  readonly tag: number;
}

/**
 * Two positions' codebooks written in cycles 0 and 1 (after a reset cycle), then `count`
 * sub-vectors, the gaps cycling through k, k + 1 and 2k + 3 cycles. `found_valid` is peeked every
 * cycle, the index and tag in the cycles they are due (before, the tag's delay line holds x).
 */
function scenario(params: SearchUnitParams, count: number, seed: number): { ops: SimOp[]; sent: Sent[]; cycles: number } {
  const { v, ca } = params;
  const k = params.centroidsPerPe ?? 1;
  const latency = searchLatency(params);
  const next = random(seed);
  const pick = () => POOL[Math.floor(next() * POOL.length)]!;
  const codebooks = [0, 1].map(() => Uint32Array.from({ length: ca * v }, pick));
  const gaps = [k, k + 1, 2 * k + 3];
  const sent: Sent[] = [];
  const pokes: Record<string, bigint | number>[] = [];
  const idle = { valid: 0, cb_write: 0, cb_address: 0, cb_data: 0, q: 0, tag: 0, ...Object.fromEntries(Array.from({ length: v }, (_, i) => [`x_${i}`, 0])) };
  codebooks.forEach((codebook, q) => {
    const data = Array.from(codebook).reduce((word, element, i) => word | (BigInt(element) << BigInt(32 * i)), 0n);
    pokes.push({ ...idle, cb_write: 1, cb_address: q, cb_data: data });
  });
  for (let n = 0; n < count; n++) {
    const q = Math.floor(next() * 2);
    const x = Uint32Array.from({ length: v }, pick);
    const tag = n % 8;
    sent.push({ cycle: pokes.length, index: nearestCentroid(x, codebooks[q]!, ca, v, 'linf', 'fp32'), tag });
    pokes.push({ ...idle, valid: 1, q, tag, ...Object.fromEntries(Array.from(x, (element, i) => [`x_${i}`, element])) });
    for (let gap = 1; gap < gaps[n % gaps.length]!; gap++) pokes.push(idle);
  }
  for (let tail = 0; tail < latency + 2; tail++) pokes.push(idle);
  const due = new Set(sent.map((s) => s.cycle + latency));
  const ops: SimOp[] = [{ poke: { ...idle, rst: 1 } }, { step: 1 }, { poke: { rst: 0 } }];
  pokes.forEach((poke, cycle) => ops.push({ poke }, { peek: due.has(cycle) ? ['found_valid', 'found_index', 'found_tag'] : ['found_valid'] }, { step: 1 }));
  return { ops, sent, cycles: pokes.length };
}

describe.skipIf(FAST_TIER)('the search unit against the first-minimum scan (Icarus)', () => {
  // Ca 7 at k = 2 (PEs of 2, 2, 2 and 1 centroids in 2 chains of 2) and k = 3 (3, 3 and 1 in a
  // chain of 2 and one of 1 that waits), and k = 1 (7 PEs, chains of 2, 2, 2 and 1).
  it.each([1, 2, 3])('k = %i: every index and tag comes out exactly searchLatency cycles after its sub-vector, and nothing else', async (k) => {
    const params: SearchUnitParams = { ...base, ca: 7, branchLength: 2, centroidsPerPe: k };
    const { ops, sent, cycles } = scenario(params, 24, 20 + k);
    const result = await simulate(emitVerilog(centroidSearchUnit(params)), ops, { simulator: 'icarus' });
    const latency = searchLatency(params);
    const found = new Set(sent.map((s) => s.cycle + latency));
    expect(result['found_valid']).toEqual(Array.from({ length: cycles }, (_, cycle) => (found.has(cycle) ? 1n : 0n)));
    expect(result['found_index']).toEqual(sent.map((s) => BigInt(s.index)));
    expect(result['found_tag']).toEqual(sent.map((s) => BigInt(s.tag)));
  }, 120_000);
});

describe.skipIf(FAST_TIER)('the search unit with k > 1 in Verilog', () => {
  it('is clean under verilator -Wall, iverilog and yosys check (fp16 widened, l2, a short last PE, a chain that waits)', async () => {
    const params: SearchUnitParams = { ...base, act: 'fp16', distance: 'l2', ca: 7, branchLength: 2, centroidsPerPe: 3 };
    const report = await lintEverywhere(emitVerilog(centroidSearchUnit(params)));
    expect(report.ok, formatLintReport(report)).toBe(true);
  }, 120_000);
});
