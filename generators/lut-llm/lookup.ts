// The 2D lookup stage (docs/design/lut-llm.md) with its buffers and accumulators, as one module:
//
// - Positions in parallel: P' stages (positionsPerCycle). A step looks up positions b*P' + s of a
//   position block b, stage s each, with its own index read, table memory, registered row and Cw:1
//   muxes; the P' entries of a lane are summed (an adder tree) and added into the accumulator.
//   A stage past the last position (P not a multiple of P') has its row register cleared, so it
//   adds exactly 0 whatever its index and table words hold.
// - Activation indices: B = max(U, P') block-RAM banks; bank b holds positions p with p mod B = b
//   at address {p div B, token}, written by search unit b mod U and read by stage b mod P'. In
//   column group 0 a step waits until its P' indices have been written (`found_complete` marks
//   the search result that completes a block's indices for a token), so the search of the later
//   positions overlaps the lookups of the first ones.
// - Tables and weight-index sets arrive on their streams in (group, block) order into rings of
//   BUFFER_SLOTS slots in block RAM: the loaders fill the next slots while the lookups use the
//   current one, so changing (block, group) costs no cycle. (Two slots would cost one or two
//   cycles per table at T = 1, since a slot is free only once the lookups have read its last row
//   (stage S1) and last indices (S2); the extra slots cost no block RAM, which the beat width sizes.)
//   A beat carries all P' stages' data: each stage has its own table memory (its own read
//   address), the weight indices share one wide memory (one address).
// - Loop: for each group g, block b, token t and chunk c of lookupsPerCycle columns, one step
//   per cycle: read the token's activation indices, read each stage's table row
//   T[p][g][a_idx][*] (cw entries), register it, pick each column's entry with a Cw:1 mux by the
//   column's weight index, sum the stages and add into the accumulator word of (t, c).
// - Accumulators: a block-RAM word of lookupsPerCycle sums per (t, c), read-modify-write. The
//   first block writes the entry alone (no clearing pass); when the same word is updated in
//   consecutive steps (T * chunks = 1), the sum just written is forwarded around the memory.
// - The last block's sums are the group's results: they leave on `acc` as they are computed,
//   so there is no drain pass. While an `acc` beat waits, every pipeline register, memory read
//   and write holds (`advance` low); the loaders keep loading.
//
// Pipeline, one step per stage: S0 issue (index reads), S1 table reads, S2 row select and weight-
// index read, S3 column muxes, the stages' sum and accumulator read, S4 add and write, then the
// `acc` register.

import { adderTree, bitsFor, Bool, Bundle, cat, type Expr, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, select, type Signal, Stream, UInt, Vec } from '../../api/index.js';
import { BUFFER_SLOTS, GROUP_COUNT_BITS } from './layout.js';

export interface LookupParams {
  readonly units: number;
  /** Lookup stages P' (positions per step). */
  readonly stages: number;
  /** Activation-index banks B = max(units, stages). */
  readonly banks: number;
  /** Bits of a bank's position address (p div B). */
  readonly bankAddressBits: number;
  readonly maxT: number;
  readonly tokenBits: number;
  readonly chunks: number;
  readonly lanes: number;
  readonly ca: number;
  readonly cw: number;
  readonly tableBits: number;
  readonly accBits: number;
  readonly rowsPerTableBeat: number;
  readonly tableBeats: number;
  readonly accWords: number;
  readonly tokenCountBits: number;
  readonly positionCountBits: number;
  readonly chunkCountBits: number;
}

interface StreamPorts<D> {
  readonly valid: Signal;
  readonly ready: Signal;
  readonly data: D;
}

export interface LookupIo {
  readonly start: Signal;
  readonly tokens: Signal;
  readonly positions: Signal;
  readonly groups: Signal;
  readonly last_chunks: Signal;
  readonly found_valid: Signal;
  /** {p div B, token} of the search results. */
  readonly found_address: Signal;
  /** With B > U: which of unit u's B / U banks (banks u + r*U) the results go to. */
  readonly found_row?: Signal;
  /** With B > U: these results complete the indices of a block (for their token). */
  readonly found_complete?: Signal;
  readonly found_indices: Signal[];
  readonly tables: StreamPorts<Signal>;
  readonly windex: StreamPorts<Signal>;
  readonly acc: StreamPorts<{ values: Signal[]; last: Signal }>;
}

export const lutLlmLookup = (params: LookupParams): ModuleDef<LookupIo> => lookupGenerator(params);

const SLOT_BITS = bitsFor(BUFFER_SLOTS);

/** Bits of a sum of `count` entries below 2^tableBits. */
function sumBits(count: number, tableBits: number): number {
  return bitsFor(count * (2 ** tableBits - 1) + 1);
}

const lookupGenerator = moduleGenerator('lut_llm_lookup', (m: ModuleBuilder, p: LookupParams): LookupIo => {
  const indexBits = bitsFor(p.ca);
  const weightBits = bitsFor(p.cw);
  const rowBits = p.cw * p.tableBits;
  const stageTableBits = p.rowsPerTableBeat * rowBits;
  const stageWindexBits = p.lanes * weightBits;
  const writeRows = p.banks / p.units;
  const readRows = p.banks / p.stages;
  // The first position of a block, and that plus P' (compared with P).
  const positionBits = bitsFor(2 ** p.positionCountBits + p.stages);
  // The run, held by the top from the command beat; `start` is high in the cycle it is taken.
  const start = m.input('start', Bool);
  const tokens = m.input('tokens', UInt(p.tokenCountBits));
  const positions = m.input('positions', UInt(p.positionCountBits));
  const groups = m.input('groups', UInt(GROUP_COUNT_BITS));
  const lastChunks = m.input('last_chunks', UInt(p.chunkCountBits));
  const foundValid = m.input('found_valid', Bool);
  const foundAddress = m.input('found_address', UInt(p.bankAddressBits + p.tokenBits));
  const foundRow = writeRows > 1 ? m.input('found_row', UInt(bitsFor(writeRows))) : undefined;
  const foundComplete = writeRows > 1 ? m.input('found_complete', Bool) : undefined;
  const foundIndices = m.input('found_indices', Vec(p.units, UInt(indexBits)));
  const tables = m.input('tables', Stream(UInt(p.stages * stageTableBits)));
  const windex = m.input('windex', Stream(UInt(p.stages * stageWindexBits)));
  const acc = m.output('acc', Stream(Bundle({ values: Vec(p.lanes, UInt(p.accBits)), last: Bool })));

  const accValid = m.reg('acc_full', Bool, { init: 0 });
  const advance = m.node('advance', accValid.and(acc.ready.not()).not());

  // ---- activation indices: B banks, bank b written by unit b mod U, address {p div B, token} ----
  // Counts the results that complete a block's indices for a token: (block, token) in order.
  const foundCount = m.reg('found_count', UInt(bitsFor((2 ** p.bankAddressBits) * p.maxT + 1)), { init: 0 });
  const indexBanks = Array.from({ length: p.banks }, (_, b) => {
    const bank = m.memory(`activation_index_${b}`, { shape: UInt(indexBits), depth: 2 ** (p.bankAddressBits + p.tokenBits), style: 'block' });
    const row = Math.floor(b / p.units);
    bank.write(foundAddress, foundIndices[b % p.units]!, foundRow === undefined ? foundValid : foundValid.and(foundRow.eq(row)));
    return bank;
  });
  m.when(foundComplete === undefined ? foundValid : foundValid.and(foundComplete), () => foundCount.assign(foundCount.addWrap(1)));

  // ---- loaders: tables and weight-index sets into their slot rings ----
  const chunksOf = (group: Expr): Expr => mux(group.eq(groups.subWrap(1)), lastChunks, lit(p.chunks, UInt(p.chunkCountBits)));
  const tableAddressBits = SLOT_BITS + bitsFor(p.tableBeats);
  const tableMemories = Array.from({ length: p.stages }, (_, s) =>
    m.memory(`tables_${s}`, { shape: UInt(stageTableBits), depth: BUFFER_SLOTS * 2 ** bitsFor(p.tableBeats), style: 'block' }),
  );
  const tableRing = slotLoader(m, 'table', p, {
    stream: tables,
    store: (address, data, enable) => tableMemories.forEach((memory, s) => memory.write(address.resize(tableAddressBits), data.slice((s + 1) * stageTableBits - 1, s * stageTableBits), enable)),
    beatBits: bitsFor(p.tableBeats),
    beats: () => lit(p.tableBeats, UInt(bitsFor(p.tableBeats + 1))),
    start,
    positions,
    groups,
  });
  const windexMemory = m.memory('weight_indices', { shape: UInt(p.stages * stageWindexBits), depth: BUFFER_SLOTS * 2 ** bitsFor(p.chunks), style: 'block' });
  const windexRing = slotLoader(m, 'windex', p, {
    stream: windex,
    store: (address, data, enable) => windexMemory.write(address, data, enable),
    beatBits: bitsFor(p.chunks),
    beats: chunksOf,
    start,
    positions,
    groups,
  });
  const accumulators = m.memory('accumulators', { shape: UInt(p.lanes * p.accBits), depth: p.accWords, style: 'block' });

  // ---- S0: the loop over (group, block, token, chunk) ----
  const issuing = m.reg('issuing', Bool, { init: 0 });
  const group = m.reg('group', UInt(GROUP_COUNT_BITS), { init: 0 });
  // The block's first position b*P'.
  const position = m.reg('position', UInt(positionBits), { init: 0 });
  // With U > P': which of stage s's U / P' banks (s + r*P') holds the block; else always 0.
  const readRow = readRows > 1 ? m.reg('read_row', UInt(bitsFor(readRows)), { init: 0 }) : undefined;
  const bankAddress = m.reg('bank_address', UInt(p.bankAddressBits), { init: 0 });
  // (block's bank address) * tokens: the found count that covers token 0 of this block.
  const blockBase = m.reg('block_base', UInt(foundCount.width), { init: 0 });
  const token = m.reg('token', UInt(p.tokenBits), { init: 0 });
  const chunk = m.reg('chunk', UInt(bitsFor(p.chunks)), { init: 0 });
  const accAddress = m.reg('acc_address', UInt(bitsFor(p.accWords)), { init: 0 });
  const slot = m.reg('slot', UInt(SLOT_BITS), { init: 0 });

  const lastChunk = chunk.zext(p.chunkCountBits).eq(chunksOf(group).subWrap(1));
  const lastToken = token.zext(p.tokenCountBits).eq(tokens.subWrap(1));
  const lastPosition = lastBlock(position, p.stages, positions);
  const lastGroup = group.eq(groups.subWrap(1));
  const setDone = m.node('set_done', lastChunk.and(lastToken));
  const searched = group.ne(0).or(foundCount.gt(blockBase.addWrap(token.zext(blockBase.width))));
  const issue = m.node('issue', issuing.and(select(slot, tableRing.full)).and(select(slot, windexRing.full)).and(searched).and(advance));

  m.when(issue, () => {
    m.when(lastChunk.not(), () => {
      chunk.assign(chunk.addWrap(1));
      accAddress.assign(accAddress.addWrap(1));
    }).elseWhen(lastToken.not(), () => {
      chunk.assign(0);
      token.assign(token.addWrap(1));
      accAddress.assign(accAddress.addWrap(1));
    }).otherwise(() => {
      chunk.assign(0);
      token.assign(0);
      accAddress.assign(0);
      slot.assign(slot.addWrap(1));
      const nextBankAddress = (): void => {
        position.assign(position.addWrap(p.stages));
        readRow?.assign(0);
        bankAddress.assign(bankAddress.addWrap(1));
        blockBase.assign(blockBase.addWrap(tokens.zext(blockBase.width)));
      };
      const atLast = m.when(lastPosition, () => {
        position.assign(0);
        readRow?.assign(0);
        bankAddress.assign(0);
        blockBase.assign(0);
        m.when(lastGroup, () => issuing.assign(0)).otherwise(() => group.assign(group.addWrap(1)));
      });
      if (readRow === undefined) atLast.otherwise(nextBankAddress);
      else {
        atLast.elseWhen(readRow.eq(readRows - 1), nextBankAddress).otherwise(() => {
          position.assign(position.addWrap(p.stages));
          readRow.assign(readRow.addWrap(1));
        });
      }
    });
  });
  m.when(start, () => {
    issuing.assign(1);
    for (const counter of [group, position, ...(readRow === undefined ? [] : [readRow]), bankAddress, blockBase, token, chunk, accAddress, slot, foundCount]) counter.assign(0);
  });

  // Each stage's register loads only when the pipeline advances.
  const stage = (name: string, value: Expr, init?: number): Signal => {
    const r = m.reg(name, value.shape, { enable: advance, ...(init === undefined ? {} : { init }) });
    r.assign(value);
    return r;
  };
  const indexWords = indexBanks.map((bank, b) => bank.read(cat(bankAddress, token), { enable: advance, name: `activation_index_word_${b}` }));
  // Stage s of the last block is active only when position b*P' + s exists (stage 0 always is).
  const active0 = Array.from({ length: p.stages }, (_, s) => (s === 0 ? undefined : position.addWrap(s).lt(positions.zext(positionBits))));

  // ---- S1: the activation indices pick the table words ----
  const valid1 = stage('s1_valid', issue, 0);
  const readRow1 = readRow === undefined ? undefined : stage('s1_read_row', readRow);
  const slot1 = stage('s1_slot', slot);
  const chunk1 = stage('s1_chunk', chunk);
  const acc1 = stage('s1_acc_address', accAddress);
  const first1 = stage('s1_first', position.eq(0));
  const last1 = stage('s1_last_position', lastPosition);
  const runLast1 = stage('s1_run_last', setDone.and(lastPosition).and(lastGroup));
  const release1 = stage('s1_release', setDone);
  const active1 = active0.map((active, s) => (active === undefined ? undefined : stage(`s1_active_${s}`, active)));
  const rowBeatBits = Math.log2(p.rowsPerTableBeat);
  const tableBeatBits = bitsFor(p.tableBeats);
  const stageIndices = Array.from({ length: p.stages }, (_, s) => {
    const words = Array.from({ length: readRows }, (_, r) => indexWords[s + r * p.stages]!);
    return m.node(`stage_index_${s}`, readRow1 === undefined ? words[0]! : select(readRow1, words, { indexInRange: true }));
  });
  const tableWords = stageIndices.map((activationIndex, s) => {
    const tableBeat = rowBeatBits >= indexBits ? lit(0, UInt(tableBeatBits)) : activationIndex.slice(indexBits - 1, rowBeatBits).resize(tableBeatBits);
    return tableMemories[s]!.read(cat(slot1, tableBeat), { enable: advance, name: `table_word_${s}` });
  });
  // The slot's last rows have been read at this edge: the loader may refill it from the next cycle.
  tableRing.release.assign(advance.and(valid1).and(release1));
  tableRing.releaseSlot.assign(slot1);

  // ---- S2: the rows out of the table words, and the chunk's weight indices ----
  const valid2 = stage('s2_valid', valid1, 0);
  const slot2 = stage('s2_slot', slot1);
  const chunk2 = stage('s2_chunk', chunk1);
  const acc2 = stage('s2_acc_address', acc1);
  const first2 = stage('s2_first', first1);
  const last2 = stage('s2_last_position', last1);
  const runLast2 = stage('s2_run_last', runLast1);
  const release2 = stage('s2_release', release1);
  const active2 = active1.map((active, s) => (active === undefined ? undefined : stage(`s2_active_${s}`, active)));
  const rows = tableWords.map((tableWord, s) => {
    const rowInWord = p.rowsPerTableBeat === 1 ? undefined : stage(`s2_row_in_word_${s}`, stageIndices[s]!.slice(Math.min(rowBeatBits, indexBits) - 1, 0));
    const candidates = Array.from({ length: p.rowsPerTableBeat }, (_, i) => tableWord.slice((i + 1) * rowBits - 1, i * rowBits));
    return rowInWord === undefined ? candidates[0]! : select(rowInWord, candidates, { indexInRange: true });
  });
  const windexWord = windexMemory.read(cat(slot2, chunk2), { enable: advance, name: 'weight_index_word' });
  windexRing.release.assign(advance.and(valid2).and(release2));
  windexRing.releaseSlot.assign(slot2);

  // ---- S3: the registered rows; each column's Cw:1 muxes; the stages' sum; the accumulator read ----
  const valid3 = stage('s3_valid', valid2, 0);
  const acc3 = stage('s3_acc_address', acc2);
  const first3 = stage('s3_first', first2);
  const last3 = stage('s3_last_position', last2);
  const runLast3 = stage('s3_run_last', runLast2);
  // An inactive stage's row register is cleared (a synchronous reset): it adds exactly 0.
  const rowRegisters = rows.map((row, s) => stage(`s3_row_${s}`, active2[s] === undefined ? row : mux(active2[s]!, row, lit(0, UInt(rowBits)))));
  const picked = Array.from({ length: p.lanes }, (_, j) =>
    rowRegisters.map((rowRegister, s) => {
      const entries = Array.from({ length: p.cw }, (_, w) => rowRegister.slice((w + 1) * p.tableBits - 1, w * p.tableBits));
      const at = (s * p.lanes + j) * weightBits;
      return select(windexWord.slice(at + weightBits - 1, at), entries, { indexInRange: true });
    }),
  );
  const laneSums = picked.map((entries) => adderTree(entries).resize(sumBits(p.stages, p.tableBits)));
  const accWord = accumulators.read(acc3, { enable: advance, name: 'acc_word' });

  // ---- S4: add into the running sums ----
  const valid4 = stage('s4_valid', valid3, 0);
  const acc4 = stage('s4_acc_address', acc3);
  const first4 = stage('s4_first', first3);
  const last4 = stage('s4_last_position', last3);
  const runLast4 = stage('s4_run_last', runLast3);
  const lanes = laneSums.map((value, j) => stage(`s4_entry_${j}`, value));
  // The sums leaving S4 are registered: they are the `acc` beat (when the block is the group's
  // last), and the forwarded operand of the next step when it reads the word just written (its
  // read happened at the edge of the write, so the memory gave the old word).
  const forward = stage('s4_forward', valid3.and(valid4).and(acc3.eq(acc4)));
  const sums = lanes.map((entry, j) => {
    const stored = accWord.slice((j + 1) * p.accBits - 1, j * p.accBits);
    const lastSum = m.reg(`last_sum_${j}`, UInt(p.accBits), { enable: advance });
    const base = mux(first4, lit(0, UInt(p.accBits)), mux(forward, lastSum, stored));
    const sum = m.node(`sum_${j}`, base.addWrap(entry.zext(p.accBits)));
    lastSum.assign(sum);
    acc.data.values[j]!.assign(lastSum);
    return sum;
  });
  accumulators.write(acc4, cat(...[...sums].reverse()), advance.and(valid4));

  // ---- the result of the group's last block ----
  m.when(advance, () => accValid.assign(valid4.and(last4)));
  acc.valid.assign(accValid);
  acc.data.last.assign(stage('acc_last', runLast4));

  return {
    start,
    tokens,
    positions,
    groups,
    last_chunks: lastChunks,
    found_valid: foundValid,
    found_address: foundAddress,
    ...(foundRow === undefined ? {} : { found_row: foundRow }),
    ...(foundComplete === undefined ? {} : { found_complete: foundComplete }),
    found_indices: foundIndices,
    tables,
    windex,
    acc,
  };
});

/** Whether the block starting at `position` is the run's last: position + P' >= P. */
function lastBlock(position: Signal, stages: number, positions: Expr): Expr {
  return position.addWrap(stages).ge(positions.zext(position.width));
}

interface SlotLoaderOptions {
  readonly stream: StreamPorts<Signal>;
  /** Writes a beat at {slot, beat number}. */
  readonly store: (address: Expr, data: Expr, enable: Expr) => void;
  /** Bits of the beat number within a set (the low address bits). */
  readonly beatBits: number;
  /** Beats of the set of a column group. */
  readonly beats: (group: Expr) => Expr;
  readonly start: Expr;
  readonly positions: Expr;
  readonly groups: Expr;
}

interface SlotRing {
  /** Per slot: a whole set is loaded and not yet released. */
  readonly full: Signal[];
  /** Driven by the lookups: free `releaseSlot` (its last read happened at this edge). */
  readonly release: Signal;
  readonly releaseSlot: Signal;
}

/**
 * Loads the sets of one run, one per (group, position block) in that order, into the slot ring: a beat
 * is taken whenever the slot being filled is free, and the slot turns full with its set's last
 * beat. Only the run's ceil(P / P') * G sets are taken.
 */
function slotLoader(m: ModuleBuilder, name: string, p: LookupParams, options: SlotLoaderOptions): SlotRing {
  const { stream, store, beatBits, beats, start, positions, groups } = options;
  const full = Array.from({ length: BUFFER_SLOTS }, (_, i) => m.reg(`${name}_slot_full_${i}`, Bool, { init: 0 }));
  const fillSlot = m.reg(`${name}_fill_slot`, UInt(SLOT_BITS), { init: 0 });
  const beat = m.reg(`${name}_beat`, UInt(beatBits), { init: 0 });
  const group = m.reg(`${name}_group`, UInt(GROUP_COUNT_BITS), { init: 0 });
  const position = m.reg(`${name}_position`, UInt(bitsFor(2 ** p.positionCountBits + p.stages)), { init: 0 });
  const loading = m.reg(`${name}_loading`, Bool, { init: 0 });

  stream.ready.assign(loading.and(select(fillSlot, full).not()));
  const take = m.node(`${name}_take`, stream.valid.and(stream.ready));
  const setBeats = beats(group);
  const lastBeat = beat.zext(Math.max(beatBits, setBeats.width)).eq(setBeats.subWrap(1).resize(Math.max(beatBits, setBeats.width)));
  store(cat(fillSlot, beat), stream.data, take);
  m.when(take, () => {
    m.when(lastBeat.not(), () => beat.assign(beat.addWrap(1))).otherwise(() => {
      beat.assign(0);
      fillSlot.assign(fillSlot.addWrap(1));
      m.when(lastBlock(position, p.stages, positions), () => {
        position.assign(0);
        m.when(group.eq(groups.subWrap(1)), () => loading.assign(0)).otherwise(() => group.assign(group.addWrap(1)));
      }).otherwise(() => position.assign(position.addWrap(p.stages)));
    });
  });
  const release = m.wire(`${name}_release`, Bool);
  const releaseSlot = m.wire(`${name}_release_slot`, UInt(SLOT_BITS));
  full.forEach((flag, i) => {
    // Filled by this beat, or freed by the lookups: never the same slot in the same cycle.
    m.when(take.and(lastBeat).and(fillSlot.eq(i)), () => flag.assign(1)).elseWhen(release.and(releaseSlot.eq(i)), () => flag.assign(0));
    m.when(start, () => flag.assign(0));
  });
  m.when(start, () => {
    loading.assign(1);
    fillSlot.assign(0);
    beat.assign(0);
    group.assign(0);
    position.assign(0);
  });
  return { full, release, releaseSlot };
}
