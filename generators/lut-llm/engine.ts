// The LUT-LLM linear-layer engine top (docs/design/lut-llm.md): the valid/ready streams around the
// centroid search units (search.ts) and the lookup stage (lookup.ts).
//
// A run is one `cmd` beat (T tokens, P positions, G column groups, chunks of the last group, and
// the dequantization constants when `dequant`). Everything of the run then flows at once, each
// part waiting only on what it needs:
// - `codebook` beats (one position group each) fill the PEs' centroid memories;
// - `act` beats (one sub-vector per search unit) enter the search as soon as their position
//   group's centroids are in, at most one every `centroidsPerPe` cycles (a PE takes that many
//   cycles per sub-vector); the indices go to the lookup stage's index banks;
// - `table` and `windex` beats fill the lookup stage's slot rings, which run ahead of the lookups;
// - the lookups of group 0 follow the search block by block (positionsPerCycle positions per
//   step); the later groups find every index in place;
// - the last block of each group sends its sums out: on `out` directly, or through the FP32
//   dequantization y = float32(acc) * scale - offset.
// The next command is taken when the run's last `out` beat has left.

import { bitsFor, Bool, Bundle, cat, delay, type Expr, FP32, fpAdd, fpFromInt, fpMul, fpNeg, type ModuleBuilder, type ModuleDef, moduleGenerator, type Signal, SInt, Stream, UInt, Vec } from '../../api/index.js';
import type { LutLlmConfig } from './config.js';
import { GROUP_COUNT_BITS, lutLlmLayout } from './layout.js';
import { lutLlmLookup } from './lookup.js';
import { centroidSearchUnit } from './search.js';

/** Register stages of the hardware dequantization (inside the FP32 multiplier and adder). */
const DEQUANT_MULTIPLY_STAGES = 1;
const DEQUANT_ADD_STAGES = 1;

interface StreamPorts<D> {
  readonly valid: Signal;
  readonly ready: Signal;
  readonly data: D;
}

/** The command's fields; `scale` and `offset` (FP32 patterns) only with `dequant`. */
export interface LutLlmCommandPorts {
  readonly tokens: Signal;
  readonly positions: Signal;
  readonly groups: Signal;
  readonly last_chunks: Signal;
  readonly scale?: Signal;
  readonly offset?: Signal;
}

export interface LutLlmEngineIo {
  readonly cmd: StreamPorts<LutLlmCommandPorts>;
  readonly codebook: StreamPorts<Signal>;
  readonly act: StreamPorts<Signal[][]>;
  readonly tables: StreamPorts<Signal>;
  readonly windex: StreamPorts<Signal>;
  readonly out: StreamPorts<{ acc: Signal[]; y?: Signal[] }>;
}

/** The engine for a validated configuration; its top module is `lut_llm_engine`. */
export function buildLutLlmEngine(config: LutLlmConfig): ModuleDef<LutLlmEngineIo> {
  return engineGenerator({ ...config });
}

const engineGenerator = moduleGenerator('lut_llm_engine', (m: ModuleBuilder, config: LutLlmConfig): LutLlmEngineIo => {
  const layout = lutLlmLayout(config);
  const { shape, units } = layout;
  // Rows of banks per unit: bank u + r*U takes unit u's positions with (position group mod W) = r.
  const writeRows = layout.indexBanks / units;
  const lanes = config.lookupsPerCycle;
  const cmd = m.input(
    'cmd',
    Stream(
      Bundle({
        tokens: UInt(layout.tokenCountBits),
        positions: UInt(layout.positionCountBits),
        groups: UInt(GROUP_COUNT_BITS),
        last_chunks: UInt(layout.chunkCountBits),
        ...(config.dequant ? { scale: UInt(32), offset: UInt(32) } : {}),
      }),
    ),
  );
  const codebook = m.input('codebook', Stream(UInt(layout.codebookBeatBits)));
  const actElement = config.act === 'int16' ? SInt(16) : UInt(layout.actBits);
  const act = m.input('act', Stream(Vec(units, Vec(config.v, actElement))));
  const tables = m.input('tables', Stream(UInt(layout.tableBeatBits)));
  const windex = m.input('windex', Stream(UInt(layout.windexBeatBits)));
  // The accumulators always; with `dequant` also their FP32 y, lane for lane.
  const out = m.output('out', Stream(Bundle({ acc: Vec(lanes, UInt(shape.accBits)), ...(config.dequant ? { y: Vec(lanes, UInt(32)) } : {}) })));

  // ---- the command: one run at a time ----
  const busy = m.reg('busy', Bool, { init: 0 });
  const tokens = m.reg('tokens', UInt(layout.tokenCountBits));
  const positions = m.reg('positions', UInt(layout.positionCountBits));
  const groups = m.reg('groups', UInt(GROUP_COUNT_BITS));
  const lastChunks = m.reg('last_chunks', UInt(layout.chunkCountBits));
  cmd.ready.assign(busy.not());
  const fields = cmd.data;
  // Runs the engine cannot hold are taken and dropped (nothing comes out), like empty ones.
  const fits = fields.tokens.ne(0).and(fields.tokens.le(config.maxT))
    .and(fields.positions.ne(0)).and(fields.positions.le(shape.maxP))
    .and(fields.groups.ne(0))
    .and(fields.last_chunks.ne(0)).and(fields.last_chunks.le(shape.chunks));
  const start = m.node('start', cmd.valid.and(busy.not()).and(fits));
  m.when(start, () => {
    busy.assign(1);
    tokens.assign(fields.tokens);
    positions.assign(fields.positions);
    groups.assign(fields.groups);
    lastChunks.assign(fields.last_chunks);
  });

  // ---- codebooks and activations into the search units ----
  // Position groups (units positions each) count up to ceil(P / units); `*_position` is the
  // group's first position, compared with P.
  const groupCountBits = bitsFor(layout.maxPositionGroups + 1);
  const positionBits = bitsFor(shape.maxP + units + 1);
  const codebookGroup = m.reg('codebook_group', UInt(groupCountBits), { init: 0 });
  const codebookPosition = m.reg('codebook_position', UInt(positionBits), { init: 0 });
  codebook.ready.assign(busy.and(codebookPosition.lt(positions)));
  const codebookTake = m.node('codebook_take', codebook.valid.and(codebook.ready));
  m.when(codebookTake, () => {
    codebookGroup.assign(codebookGroup.addWrap(1));
    codebookPosition.assign(codebookPosition.addWrap(units));
  });

  const actGroup = m.reg('act_group', UInt(groupCountBits), { init: 0 });
  const actPosition = m.reg('act_position', UInt(positionBits), { init: 0 });
  const actToken = m.reg('act_token', UInt(layout.tokenBits), { init: 0 });
  // Position group q's results go to bank row q mod W at bank address q div W (W = B / U).
  const actRow = writeRows > 1 ? m.reg('act_row', UInt(bitsFor(writeRows)), { init: 0 }) : undefined;
  const actBankAddress = writeRows > 1 ? m.reg('act_bank_address', UInt(layout.bankAddressBits), { init: 0 }) : undefined;
  // A search PE takes centroidsPerPe cycles per sub-vector: no unit may see a new one sooner.
  const k = layout.centroidsPerPe;
  const actWait = k > 1 ? m.reg('act_wait', UInt(bitsFor(k)), { init: 0 }) : undefined;
  // A position group is searched once its centroids are in.
  const actOpen = busy.and(actPosition.lt(positions)).and(codebookGroup.gt(actGroup));
  act.ready.assign(actWait === undefined ? actOpen : actOpen.and(actWait.eq(0)));
  const actTake = m.node('act_take', act.valid.and(act.ready));
  if (actWait !== undefined) m.when(actTake, () => actWait.assign(k - 1)).elseWhen(actWait.ne(0), () => actWait.assign(actWait.subWrap(1)));
  m.when(actTake, () => {
    m.when(actToken.zext(layout.tokenCountBits).eq(tokens.subWrap(1)), () => {
      actToken.assign(0);
      actGroup.assign(actGroup.addWrap(1));
      actPosition.assign(actPosition.addWrap(units));
      if (actRow !== undefined && actBankAddress !== undefined) {
        m.when(actRow.eq(writeRows - 1), () => {
          actRow.assign(0);
          actBankAddress.assign(actBankAddress.addWrap(1));
        }).otherwise(() => actRow.assign(actRow.addWrap(1)));
      }
    }).otherwise(() => actToken.assign(actToken.addWrap(1)));
  });
  m.when(start, () => {
    for (const counter of [codebookGroup, codebookPosition, actGroup, actPosition, actToken, ...(actRow === undefined ? [] : [actRow]), ...(actBankAddress === undefined ? [] : [actBankAddress])]) counter.assign(0);
  });

  const searchParams = {
    v: config.v,
    ca: config.ca,
    act: config.act,
    distance: config.distance,
    distanceBits: layout.distanceBits,
    depth: Math.max(2, layout.maxPositionGroups),
    addressBits: layout.positionGroupBits,
    tagBits: tagBits(layout.bankAddressBits, layout.tokenBits, writeRows),
    branchLength: layout.branchLength,
    centroidsPerPe: k,
  };
  const unitBits = config.ca * config.v * layout.centroidBits;
  const searchAddress = actGroup.resize(layout.positionGroupBits);
  const searches = Array.from({ length: units }, (_, u) => {
    const io = m.instance(centroidSearchUnit(searchParams), `search_${u}`).io;
    io.x.forEach((element, i) => element.assign(act.data[u]![i]!));
    io.q.assign(searchAddress);
    if (actRow === undefined || actBankAddress === undefined) io.tag.assign(cat(searchAddress, actToken));
    else {
      // These results complete a block's indices: the block's last position group, or the run's.
      const complete = actRow.eq(writeRows - 1).or(actPosition.addWrap(units).ge(positions.zext(positionBits)));
      io.tag.assign(cat(complete, actRow, actBankAddress, actToken));
    }
    io.valid.assign(actTake);
    io.cb_write.assign(codebookTake);
    io.cb_address.assign(codebookGroup.resize(layout.positionGroupBits));
    io.cb_data.assign(codebook.data.slice((u + 1) * unitBits - 1, u * unitBits));
    return io;
  });

  // ---- the lookup stage ----
  const lookup = m.instance(
    lutLlmLookup({
      units,
      stages: layout.stages,
      banks: layout.indexBanks,
      bankAddressBits: layout.bankAddressBits,
      maxT: config.maxT,
      tokenBits: layout.tokenBits,
      chunks: shape.chunks,
      lanes,
      ca: config.ca,
      cw: config.cw,
      tableBits: config.tableBits,
      accBits: shape.accBits,
      rowsPerTableBeat: layout.rowsPerTableBeat,
      tableBeats: layout.tableBeats,
      accWords: layout.accWords,
      tokenCountBits: layout.tokenCountBits,
      positionCountBits: layout.positionCountBits,
      chunkCountBits: layout.chunkCountBits,
    }),
    'lookup',
  ).io;
  lookup.start.assign(start);
  lookup.tokens.assign(tokens);
  lookup.positions.assign(positions);
  lookup.groups.assign(groups);
  lookup.last_chunks.assign(lastChunks);
  // Every unit sees the same sub-vector slots, so their results come out together.
  lookup.found_valid.assign(searches[0]!.found_valid);
  const foundTag = searches[0]!.found_tag;
  const addressBits = layout.bankAddressBits + layout.tokenBits;
  lookup.found_address.assign(foundTag.slice(addressBits - 1, 0));
  if (lookup.found_row !== undefined && lookup.found_complete !== undefined) {
    const rowBits = bitsFor(writeRows);
    lookup.found_row.assign(foundTag.slice(addressBits + rowBits - 1, addressBits));
    lookup.found_complete.assign(foundTag.bit(addressBits + rowBits));
  }
  searches.forEach((search, u) => lookup.found_indices[u]!.assign(search.found_index));
  lookup.tables.valid.assign(tables.valid);
  lookup.tables.data.assign(tables.data);
  tables.ready.assign(lookup.tables.ready);
  lookup.windex.valid.assign(windex.valid);
  lookup.windex.data.assign(windex.data);
  windex.ready.assign(lookup.windex.ready);

  // ---- results ----
  let runEnds: Expr;
  if (!config.dequant) {
    out.valid.assign(lookup.acc.valid);
    lookup.acc.data.values.forEach((value, j) => out.data.acc[j]!.assign(value));
    lookup.acc.ready.assign(out.ready);
    runEnds = out.valid.and(out.ready).and(lookup.acc.data.last);
  } else {
    runEnds = dequantize(m, lookup.acc, { ...out, data: { acc: out.data.acc, y: out.data.y! } }, fields.scale!, fields.offset!, start);
  }
  m.when(runEnds, () => busy.assign(0));
  return { cmd, codebook, act, tables, windex, out };
});

/** The search tag: {complete, bank row, bank address, token}, the first two only when B > U. */
function tagBits(bankAddressBits: number, tokenBits: number, writeRows: number): number {
  return bankAddressBits + tokenBits + (writeRows > 1 ? bitsFor(writeRows) + 1 : 0);
}

/**
 * y = float32(acc) * scale - offset in FP32, one rounding per operation (acc is below 2^24, so
 * its conversion is exact): a pipeline that holds, as the lookups do, while an `out` beat waits.
 * Returns the condition that ends the run (its last beat leaving).
 */
function dequantize(
  m: ModuleBuilder,
  acc: StreamPorts<{ values: Signal[]; last: Signal }>,
  out: StreamPorts<{ acc: Signal[]; y: Signal[] }>,
  scaleField: Signal,
  offsetField: Signal,
  start: Expr,
): Expr {
  const scale = m.reg('scale', UInt(32), { enable: start });
  scale.assign(scaleField);
  const offset = m.reg('offset', UInt(32), { enable: start });
  offset.assign(offsetField);
  const negatedOffset = m.node('negated_offset', fpNeg(offset, FP32));

  const outValid = m.reg('out_full', Bool, { init: 0 });
  const advance = m.node('dequant_advance', outValid.and(out.ready.not()).not());
  acc.ready.assign(advance);
  const options = (stages: number) => ({ stages, enable: advance });
  const results = acc.data.values.map((value, j) => {
    const product = fpMul(m, `scaled_${j}`, fpFromInt(m, `acc_float_${j}`, value, FP32), scale, { a: FP32, b: FP32, out: FP32 }, options(DEQUANT_MULTIPLY_STAGES));
    return fpAdd(m, `shifted_${j}`, product, negatedOffset, FP32, options(DEQUANT_ADD_STAGES));
  });
  const latency = DEQUANT_MULTIPLY_STAGES + DEQUANT_ADD_STAGES;
  const valid = delay(m, 'dequant_valid', acc.valid, latency, { enable: advance, init: 0 });
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
