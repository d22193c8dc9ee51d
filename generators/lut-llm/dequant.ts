// The LUT-LLM engine's hardware dequantization (docs/design/lut-llm.md): y = float32(acc) * scale
// - offset in FP32, one (scale, offset) pair per scale group of columns.
//
// A run's S pairs arrive on the `scales` stream (one 64-bit beat each: scale in bits 31..0,
// offset in 63..32, as the release's scale_zero stream packs them) into a small memory while the
// lookups run. The command says how many column groups share a pair; an `out` beat's lanes all lie
// in one column group (lookupsPerCycle divides groupCols), so the hardware only counts beats
// (chunks, tokens, column groups) to know which pair a beat takes. The pair is read from the
// memory a cycle ahead, so the pipeline is as long as with one pair per layer.

import { bitsFor, Bool, type Expr, FP32, fpAdd, fpFromInt, fpMul, fpNeg, lit, type ModuleBuilder, mux, type Signal, UInt, delay } from '../../api/index.js';
import type { LutLlmConfig } from './config.js';
import { GROUP_COUNT_BITS, type LutLlmLayout } from './layout.js';

/** Register stages of the hardware dequantization (inside the FP32 multiplier and adder). */
const DEQUANT_MULTIPLY_STAGES = 1;
const DEQUANT_ADD_STAGES = 1;

/** Bits of one `scales` beat: an FP32 scale and an FP32 offset. */
export const SCALE_BEAT_BITS = 64;

interface StreamPorts<D> {
  readonly valid: Signal;
  readonly ready: Signal;
  readonly data: D;
}

/** The command fields of the dequantization: S pairs, and column groups per pair (G when S = 1). */
export function dequantCommandFields(config: LutLlmConfig): { scale_groups: ReturnType<typeof UInt>; groups_per_scale: ReturnType<typeof UInt> } {
  return { scale_groups: UInt(bitsFor(config.maxScaleGroups + 1)), groups_per_scale: UInt(GROUP_COUNT_BITS) };
}

/** Whether the hardware holds the run's pairs (else the run is dropped, like one it cannot hold). */
export function dequantFits(config: LutLlmConfig, fields: { readonly scale_groups?: Signal; readonly groups_per_scale?: Signal }): Expr {
  const scaleGroups = fields.scale_groups!;
  return scaleGroups.ne(0).and(scaleGroups.le(config.maxScaleGroups)).and(fields.groups_per_scale!.ne(0));
}

export interface DequantizeInputs {
  readonly config: LutLlmConfig;
  readonly layout: LutLlmLayout;
  readonly acc: StreamPorts<{ values: Signal[]; last: Signal }>;
  readonly out: StreamPorts<{ acc: Signal[]; y: Signal[] }>;
  readonly scales: StreamPorts<Signal>;
  /** The command beat's fields, taken when `start` is high. */
  readonly fields: { readonly scale_groups?: Signal; readonly groups_per_scale?: Signal };
  readonly start: Expr;
  readonly busy: Expr;
  /** The run's token count, held for the run. */
  readonly tokens: Expr;
}

/**
 * y = float32(acc) * scale - offset in FP32, one rounding per operation (acc is below 2^24, so
 * its conversion is exact): a pipeline that holds, as the lookups do, while an `out` beat waits,
 * and while the pair of the next beat has not arrived. Returns the condition that ends the run
 * (its last beat leaving).
 */
export function dequantize(m: ModuleBuilder, inputs: DequantizeInputs): Expr {
  const { config, layout, acc, out, scales, fields, start, busy, tokens } = inputs;
  const countBits = bitsFor(config.maxScaleGroups + 1);
  const scaleGroups = m.reg('scale_groups', UInt(countBits), { enable: start });
  scaleGroups.assign(fields.scale_groups!);
  const groupsPerScale = m.reg('groups_per_scale', UInt(GROUP_COUNT_BITS), { enable: start });
  groupsPerScale.assign(fields.groups_per_scale!);

  // ---- the run's pairs into the scale memory ----
  const depth = Math.max(2, config.maxScaleGroups);
  const pairs = m.memory('scale_pairs', { shape: UInt(SCALE_BEAT_BITS), depth, style: 'distributed' });
  const addressBits = bitsFor(depth);
  const loaded = m.reg('scales_loaded', UInt(countBits), { init: 0 });
  scales.ready.assign(m.node('scales_open', busy.and(loaded.lt(scaleGroups))));
  const scalesTake = m.node('scales_take', scales.valid.and(scales.ready));
  pairs.write(loaded.resize(addressBits), scales.data, scalesTake);
  m.when(scalesTake, () => loaded.assign(loaded.addWrap(1)));
  m.when(start, () => loaded.assign(0));

  // ---- which pair the beat at the head of `acc` takes: beats come by (column group, token, chunk) ----
  // The counters assume whole column groups. A ragged last group (fewer chunks) makes them drift
  // only where no pair changes: with S > 1 every group is whole (N / S is a multiple of
  // groupCols), and with S = 1 the index never moves.
  const outValid = m.reg('out_full', Bool, { init: 0 });
  const advance = m.node('dequant_advance', outValid.and(out.ready.not()).not());
  const pairReady = m.reg('pair_ready', Bool, { init: 0 });
  acc.ready.assign(advance.and(pairReady));
  const take = m.node('dequant_take', acc.valid.and(advance).and(pairReady));
  const chunks = layout.shape.chunks;
  const chunk = m.reg('dequant_chunk', UInt(bitsFor(chunks)), { init: 0 });
  const token = m.reg('dequant_token', UInt(layout.tokenBits), { init: 0 });
  const groupInScale = m.reg('dequant_group', UInt(GROUP_COUNT_BITS), { init: 0 });
  const index = m.reg('scale_index', UInt(addressBits), { init: 0 });
  const wide = Math.max(countBits, addressBits);
  const lastChunk = chunk.eq(chunks - 1);
  const lastToken = token.zext(layout.tokenCountBits).eq(tokens.subWrap(1));
  const lastGroupOfScale = groupInScale.eq(groupsPerScale.subWrap(1));
  // The last pair stays: a host that sent too few pairs gets wrong numbers, never a hang.
  const lastScale = index.zext(wide).eq(scaleGroups.zext(wide).subWrap(1));
  const nextScale = m.node('next_scale', take.and(lastChunk).and(lastToken).and(lastGroupOfScale).and(lastScale.not()));
  m.when(take, () => {
    m.when(lastChunk.not(), () => chunk.assign(chunk.addWrap(1))).otherwise(() => {
      chunk.assign(0);
      m.when(lastToken.not(), () => token.assign(token.addWrap(1))).otherwise(() => {
        token.assign(0);
        groupInScale.assign(mux(lastGroupOfScale, lit(0, UInt(GROUP_COUNT_BITS)), groupInScale.addWrap(1)));
      });
    });
  });
  const indexNext = m.node('scale_index_next', mux(start, lit(0, UInt(addressBits)), mux(nextScale, index.addWrap(1), index)));
  index.assign(indexNext);
  m.when(start, () => {
    for (const counter of [chunk, token, groupInScale]) counter.assign(0);
  });
  // Read one cycle ahead: the word comes out in the cycle the beat is taken. A pair written in the
  // cycle it is read comes out old (read-first), hence `loaded` before this cycle's write.
  const pair = pairs.read(indexNext, { name: 'scale_pair' });
  pairReady.assign(mux(start, lit(0, Bool), loaded.zext(wide).gt(indexNext.zext(wide))));
  const scale = m.node('scale', pair.slice(31, 0));
  const offset = delay(m, 'offset', pair.slice(63, 32), DEQUANT_MULTIPLY_STAGES, { enable: advance });
  const negatedOffset = m.node('negated_offset', fpNeg(offset, FP32));

  // ---- the FP32 pipeline ----
  const options = (stages: number) => ({ stages, enable: advance });
  const results = acc.data.values.map((value, j) => {
    const product = fpMul(m, `scaled_${j}`, fpFromInt(m, `acc_float_${j}`, value, FP32), scale, { a: FP32, b: FP32, out: FP32 }, options(DEQUANT_MULTIPLY_STAGES));
    return fpAdd(m, `shifted_${j}`, product, negatedOffset, FP32, options(DEQUANT_ADD_STAGES));
  });
  const latency = DEQUANT_MULTIPLY_STAGES + DEQUANT_ADD_STAGES;
  const valid = delay(m, 'dequant_valid', acc.valid.and(pairReady), latency, { enable: advance, init: 0 });
  const last = delay(m, 'dequant_last', acc.data.last, latency, { enable: advance });
  m.when(advance, () => outValid.assign(valid));
  out.valid.assign(outValid);
  results.forEach((value, j) => {
    const held = m.reg(`out_y_${j}`, UInt(32), { enable: advance });
    held.assign(value);
    out.data.y[j]!.assign(held);
    // The accumulator travels beside its y.
    const accHeld = m.reg(`out_acc_${j}`, acc.data.values[j]!.shape, { enable: advance });
    accHeld.assign(delay(m, `dequant_acc_${j}`, acc.data.values[j]!, latency, { enable: advance }));
    out.data.acc[j]!.assign(accHeld);
  });
  const outLast = m.reg('out_last', Bool, { enable: advance });
  outLast.assign(last);
  return outValid.and(out.ready).and(outLast);
}
