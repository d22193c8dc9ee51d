// The 2D lookup stage (docs/design/lut-llm.md) with its buffers and accumulators, as one module:
//
// - Activation indices: the search writes a_idx[t][p] into one block-RAM bank per search unit
//   (`found_*`); in column group 0 a lookup waits until its index has been written, so the search
//   of the later positions overlaps the lookups of the first ones.
// - Tables and weight-index sets arrive on their streams in (group, position) order into rings of
//   BUFFER_SLOTS slots in block RAM: the loaders fill the next slots while the lookups use the
//   current one, so changing (position, group) costs no cycle. (Two slots would cost one or two
//   cycles per table at T = 1, since a slot is free only once the lookups have read its last row
//   (stage S1) and last indices (S2); the extra slots cost no block RAM, which the beat width sizes.)
// - Loop: for each group g, position p, token t and chunk c of lookupsPerCycle columns, one step
//   per cycle: read the token's activation index, read table row T[p][g][a_idx][*] (cw entries),
//   register it, pick each column's entry with a Cw:1 mux by the column's weight index, and add
//   into the accumulator word of (t, c).
// - Accumulators: a block-RAM word of lookupsPerCycle sums per (t, c), read-modify-write. The
//   first position writes the entry alone (no clearing pass); when the same word is updated in
//   consecutive steps (T * chunks = 1), the sum just written is forwarded around the memory.
// - The last position's sums are the group's results: they leave on `acc` as they are computed,
//   so there is no drain pass. While an `acc` beat waits, every pipeline register, memory read
//   and write holds (`advance` low); the loaders keep loading.
//
// Pipeline, one step per stage: S0 issue (index read), S1 table read, S2 row select and weight-
// index read, S3 column muxes and accumulator read, S4 add and write, then the `acc` register.

import { bitsFor, Bool, Bundle, cat, type Expr, lit, type Memory, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, select, type Signal, Stream, UInt, Vec } from '../../api/index.js';
import { BUFFER_SLOTS, GROUP_COUNT_BITS } from './layout.js';

export interface LookupParams {
  readonly units: number;
  readonly maxT: number;
  readonly tokenBits: number;
  readonly positionGroupBits: number;
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
  readonly found_address: Signal;
  readonly found_indices: Signal[];
  readonly tables: StreamPorts<Signal>;
  readonly windex: StreamPorts<Signal>;
  readonly acc: StreamPorts<{ values: Signal[]; last: Signal }>;
}

export const lutLlmLookup = (params: LookupParams): ModuleDef<LookupIo> => lookupGenerator(params);

const SLOT_BITS = bitsFor(BUFFER_SLOTS);

const lookupGenerator = moduleGenerator('lut_llm_lookup', (m: ModuleBuilder, p: LookupParams): LookupIo => {
  const indexBits = bitsFor(p.ca);
  const weightBits = bitsFor(p.cw);
  const rowBits = p.cw * p.tableBits;
  // The run, held by the top from the command beat; `start` is high in the cycle it is taken.
  const start = m.input('start', Bool);
  const tokens = m.input('tokens', UInt(p.tokenCountBits));
  const positions = m.input('positions', UInt(p.positionCountBits));
  const groups = m.input('groups', UInt(GROUP_COUNT_BITS));
  const lastChunks = m.input('last_chunks', UInt(p.chunkCountBits));
  const foundValid = m.input('found_valid', Bool);
  const foundAddress = m.input('found_address', UInt(p.positionGroupBits + p.tokenBits));
  const foundIndices = m.input('found_indices', Vec(p.units, UInt(indexBits)));
  const tables = m.input('tables', Stream(UInt(p.rowsPerTableBeat * rowBits)));
  const windex = m.input('windex', Stream(UInt(p.lanes * weightBits)));
  const acc = m.output('acc', Stream(Bundle({ values: Vec(p.lanes, UInt(p.accBits)), last: Bool })));

  const accValid = m.reg('acc_full', Bool, { init: 0 });
  const advance = m.node('advance', accValid.and(acc.ready.not()).not());

  // ---- activation indices: one bank per search unit, address {position group, token} ----
  const foundCount = m.reg('found_count', UInt(bitsFor((2 ** p.positionGroupBits) * p.maxT + 1)), { init: 0 });
  const indexBanks = foundIndices.map((_, u) => m.memory(`activation_index_${u}`, { shape: UInt(indexBits), depth: 2 ** (p.positionGroupBits + p.tokenBits), style: 'block' }));
  indexBanks.forEach((bank, u) => bank.write(foundAddress, foundIndices[u]!, foundValid));
  m.when(foundValid, () => foundCount.assign(foundCount.addWrap(1)));

  // ---- loaders: tables and weight-index sets into their slot rings ----
  const chunksOf = (group: Expr): Expr => mux(group.eq(groups.subWrap(1)), lastChunks, lit(p.chunks, UInt(p.chunkCountBits)));
  const tableMemory = m.memory('tables', { shape: UInt(p.rowsPerTableBeat * rowBits), depth: BUFFER_SLOTS * 2 ** bitsFor(p.tableBeats), style: 'block' });
  const tableRing = slotLoader(m, 'table', p, { stream: tables, memory: tableMemory, beatBits: bitsFor(p.tableBeats), beats: () => lit(p.tableBeats, UInt(bitsFor(p.tableBeats + 1))), start, positions, groups });
  const windexMemory = m.memory('weight_indices', { shape: UInt(p.lanes * weightBits), depth: BUFFER_SLOTS * 2 ** bitsFor(p.chunks), style: 'block' });
  const windexRing = slotLoader(m, 'windex', p, { stream: windex, memory: windexMemory, beatBits: bitsFor(p.chunks), beats: chunksOf, start, positions, groups });
  const accumulators = m.memory('accumulators', { shape: UInt(p.lanes * p.accBits), depth: p.accWords, style: 'block' });

  // ---- S0: the loop over (group, position, token, chunk) ----
  const issuing = m.reg('issuing', Bool, { init: 0 });
  const group = m.reg('group', UInt(GROUP_COUNT_BITS), { init: 0 });
  const position = m.reg('position', UInt(p.positionCountBits), { init: 0 });
  const unit = m.reg('unit', UInt(bitsFor(p.units)), { init: 0 });
  const positionGroup = m.reg('position_group', UInt(p.positionGroupBits), { init: 0 });
  // positionGroup * tokens: the found count that covers token 0 of this position group.
  const groupBase = m.reg('position_group_base', UInt(foundCount.width), { init: 0 });
  const token = m.reg('token', UInt(p.tokenBits), { init: 0 });
  const chunk = m.reg('chunk', UInt(bitsFor(p.chunks)), { init: 0 });
  const accAddress = m.reg('acc_address', UInt(bitsFor(p.accWords)), { init: 0 });
  const slot = m.reg('slot', UInt(SLOT_BITS), { init: 0 });

  const lastChunk = chunk.zext(p.chunkCountBits).eq(chunksOf(group).subWrap(1));
  const lastToken = token.zext(p.tokenCountBits).eq(tokens.subWrap(1));
  const lastPosition = position.eq(positions.subWrap(1));
  const lastGroup = group.eq(groups.subWrap(1));
  const setDone = m.node('set_done', lastChunk.and(lastToken));
  const searched = group.ne(0).or(foundCount.gt(groupBase.addWrap(token.zext(groupBase.width))));
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
      m.when(lastPosition, () => {
        position.assign(0);
        unit.assign(0);
        positionGroup.assign(0);
        groupBase.assign(0);
        m.when(lastGroup, () => issuing.assign(0)).otherwise(() => group.assign(group.addWrap(1)));
      }).elseWhen(unit.eq(p.units - 1), () => {
        position.assign(position.addWrap(1));
        unit.assign(0);
        positionGroup.assign(positionGroup.addWrap(1));
        groupBase.assign(groupBase.addWrap(tokens.zext(groupBase.width)));
      }).otherwise(() => {
        position.assign(position.addWrap(1));
        unit.assign(unit.addWrap(1));
      });
    });
  });
  m.when(start, () => {
    issuing.assign(1);
    for (const counter of [group, position, unit, positionGroup, groupBase, token, chunk, accAddress, slot, foundCount]) counter.assign(0);
  });

  // Each stage's register loads only when the pipeline advances.
  const stage = (name: string, value: Expr, init?: number): Signal => {
    const r = m.reg(name, value.shape, { enable: advance, ...(init === undefined ? {} : { init }) });
    r.assign(value);
    return r;
  };
  const indexWords = indexBanks.map((bank, u) => bank.read(cat(positionGroup, token), { enable: advance, name: `activation_index_word_${u}` }));

  // ---- S1: the activation index picks the table word ----
  const valid1 = stage('s1_valid', issue, 0);
  // With one unit there is one index bank to read: no unit number to carry.
  const unit1 = indexWords.length > 1 ? stage('s1_unit', unit) : undefined;
  const slot1 = stage('s1_slot', slot);
  const chunk1 = stage('s1_chunk', chunk);
  const acc1 = stage('s1_acc_address', accAddress);
  const first1 = stage('s1_first', position.eq(0));
  const last1 = stage('s1_last_position', lastPosition);
  const runLast1 = stage('s1_run_last', setDone.and(lastPosition).and(lastGroup));
  const release1 = stage('s1_release', setDone);
  const activationIndex = m.node('activation_index', unit1 === undefined ? indexWords[0]! : select(unit1, indexWords, { indexInRange: true }));
  const rowBeatBits = Math.log2(p.rowsPerTableBeat);
  const tableBeatBits = bitsFor(p.tableBeats);
  const tableBeat = rowBeatBits >= indexBits ? lit(0, UInt(tableBeatBits)) : activationIndex.slice(indexBits - 1, rowBeatBits).resize(tableBeatBits);
  const tableWord = tableMemory.read(cat(slot1, tableBeat), { enable: advance, name: 'table_word' });
  // The slot's last row has been read at this edge: the loader may refill it from the next cycle.
  tableRing.release.assign(advance.and(valid1).and(release1));
  tableRing.releaseSlot.assign(slot1);

  // ---- S2: the row out of the table word, and the chunk's weight indices ----
  const valid2 = stage('s2_valid', valid1, 0);
  const slot2 = stage('s2_slot', slot1);
  const chunk2 = stage('s2_chunk', chunk1);
  const acc2 = stage('s2_acc_address', acc1);
  const first2 = stage('s2_first', first1);
  const last2 = stage('s2_last_position', last1);
  const runLast2 = stage('s2_run_last', runLast1);
  const release2 = stage('s2_release', release1);
  const rowInWord = p.rowsPerTableBeat === 1 ? undefined : stage('s2_row_in_word', activationIndex.slice(Math.min(rowBeatBits, indexBits) - 1, 0));
  const rows = Array.from({ length: p.rowsPerTableBeat }, (_, i) => tableWord.slice((i + 1) * rowBits - 1, i * rowBits));
  const row = rowInWord === undefined ? rows[0]! : select(rowInWord, rows, { indexInRange: true });
  const windexWord = windexMemory.read(cat(slot2, chunk2), { enable: advance, name: 'weight_index_word' });
  windexRing.release.assign(advance.and(valid2).and(release2));
  windexRing.releaseSlot.assign(slot2);

  // ---- S3: the registered row; each column's Cw:1 mux; the accumulator read ----
  const valid3 = stage('s3_valid', valid2, 0);
  const acc3 = stage('s3_acc_address', acc2);
  const first3 = stage('s3_first', first2);
  const last3 = stage('s3_last_position', last2);
  const runLast3 = stage('s3_run_last', runLast2);
  const rowRegister = stage('s3_row', row);
  const entries = Array.from({ length: p.cw }, (_, w) => rowRegister.slice((w + 1) * p.tableBits - 1, w * p.tableBits));
  const picked = Array.from({ length: p.lanes }, (_, j) => select(windexWord.slice((j + 1) * weightBits - 1, j * weightBits), entries, { indexInRange: true }));
  const accWord = accumulators.read(acc3, { enable: advance, name: 'acc_word' });

  // ---- S4: add into the running sums ----
  const valid4 = stage('s4_valid', valid3, 0);
  const acc4 = stage('s4_acc_address', acc3);
  const first4 = stage('s4_first', first3);
  const last4 = stage('s4_last_position', last3);
  const runLast4 = stage('s4_run_last', runLast3);
  const lanes = picked.map((value, j) => stage(`s4_entry_${j}`, value));
  // The sums leaving S4 are registered: they are the `acc` beat (when the position is the group's
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

  // ---- the result of the group's last position ----
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
    found_indices: foundIndices,
    tables,
    windex,
    acc,
  };
});

interface SlotLoaderOptions {
  readonly stream: StreamPorts<Signal>;
  readonly memory: Memory;
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
 * Loads the sets of one run, one per (group, position) in that order, into the slot ring: a beat
 * is taken whenever the slot being filled is free, and the slot turns full with its set's last
 * beat. Only the run's P * G sets are taken.
 */
function slotLoader(m: ModuleBuilder, name: string, p: LookupParams, options: SlotLoaderOptions): SlotRing {
  const { stream, memory, beatBits, beats, start, positions, groups } = options;
  const full = Array.from({ length: BUFFER_SLOTS }, (_, i) => m.reg(`${name}_slot_full_${i}`, Bool, { init: 0 }));
  const fillSlot = m.reg(`${name}_fill_slot`, UInt(SLOT_BITS), { init: 0 });
  const beat = m.reg(`${name}_beat`, UInt(beatBits), { init: 0 });
  const group = m.reg(`${name}_group`, UInt(GROUP_COUNT_BITS), { init: 0 });
  const position = m.reg(`${name}_position`, UInt(p.positionCountBits), { init: 0 });
  const loading = m.reg(`${name}_loading`, Bool, { init: 0 });

  stream.ready.assign(loading.and(select(fillSlot, full).not()));
  const take = m.node(`${name}_take`, stream.valid.and(stream.ready));
  const setBeats = beats(group);
  const lastBeat = beat.zext(Math.max(beatBits, setBeats.width)).eq(setBeats.subWrap(1).resize(Math.max(beatBits, setBeats.width)));
  memory.write(cat(fillSlot, beat), stream.data, take);
  m.when(take, () => {
    m.when(lastBeat.not(), () => beat.assign(beat.addWrap(1))).otherwise(() => {
      beat.assign(0);
      fillSlot.assign(fillSlot.addWrap(1));
      m.when(position.eq(positions.subWrap(1)), () => {
        position.assign(0);
        m.when(group.eq(groups.subWrap(1)), () => loading.assign(0)).otherwise(() => group.assign(group.addWrap(1)));
      }).otherwise(() => position.assign(position.addWrap(1)));
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
