// The LUT-LLM decoder block top (docs/design/lut-llm-block.md): one linear engine reused in four
// rounds, the stream kernels around it (RMSNorm, RoPE, attention with the KV cache, SiLU) and
// three block-RAM buffers that hold a run's T tokens between phases.
//
// A run is one `run` beat (T). It goes through the phases of phases.ts one after the other; in
// each, one reader walks a buffer into a kernel or the engine, and one writer (or, in engine
// rounds, the collector) puts the results back. The engine's weight streams (`cmd`, `codebook`,
// `tables`, `windex`, `scales`) pass straight through from the host, which sends the four rounds'
// data in order; the engine takes them as each round needs them. The norm weights arrive once on
// `norms` after reset. When a run ends, `profile` sends the cycles spent in each phase.

import { bitsFor, Bool, Bundle, connectStream, type Expr, fire, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, type Signal, Stream, UInt, Vec } from '../../api/index.js';
import { buildLutLlmEngine } from '../lut-llm/engine.js';
import { dequantCommandFields, SCALE_BEAT_BITS } from '../lut-llm/dequant.js';
import { chunksOfLastGroup, GROUP_COUNT_BITS, lutLlmLayout } from '../lut-llm/layout.js';
import { buildAttention } from './attention.js';
import { type LutLlmBlockConfig, lutLlmBlockShape, PROJECTIONS } from './config.js';
import { collectResults, gatherActivations } from './engine-port.js';
import { blockReader } from './reader.js';
import { inPhase, perPhase, PHASE_BITS, phaseCode, PROFILED_PHASES, ROUND_PHASES } from './phases.js';
import { buildRmsnorm } from './rmsnorm.js';
import { buildRope } from './rope.js';
import { buildSiluMul } from './silu-mul.js';

export interface LutLlmBlockIo {
  readonly y: { valid: Signal; ready: Signal; data: Signal };
}

export function buildLutLlmBlock(config: LutLlmBlockConfig): ModuleDef<LutLlmBlockIo> {
  return blockGenerator({ ...config });
}

const blockGenerator = moduleGenerator('lut_llm_block', (m: ModuleBuilder, config: LutLlmBlockConfig): LutLlmBlockIo => {
  const shape = lutLlmBlockShape(config);
  const engineConfig = shape.engine;
  const layout = lutLlmLayout(engineConfig);
  const { hidden: H, intermediate: I, heads: NH, kvHeads: NKV, headDim: D, maxSeq } = config;
  const { qkvN, attnWidth: A, maxT } = shape;
  const tokenBits = bitsFor(maxT + 1);
  const positionBits = bitsFor(maxSeq);

  // ---- ports ----
  const run = m.input('run', Stream(UInt(tokenBits)));
  const norms = m.input('norms', Stream(UInt(32)));
  const x = m.input('x', Stream(UInt(32)));
  const y = m.output('y', Stream(UInt(32)));
  const profile = m.output('profile', Stream(Vec(PROFILED_PHASES.length, UInt(32))));
  const engine = m.instance(buildLutLlmEngine(engineConfig), 'engine').io;
  const commandFields = {
    tokens: UInt(layout.tokenCountBits),
    positions: UInt(layout.positionCountBits),
    groups: UInt(GROUP_COUNT_BITS),
    last_chunks: UInt(layout.chunkCountBits),
    ...dequantCommandFields(engineConfig),
  };
  connectStream(engine.cmd, m.input('cmd', Stream(Bundle(commandFields))));
  connectStream(engine.codebook, m.input('codebook', Stream(UInt(layout.codebookBeatBits))));
  connectStream(engine.tables, m.input('tables', Stream(UInt(layout.tableBeatBits))));
  connectStream(engine.windex, m.input('windex', Stream(UInt(layout.windexBeatBits))));
  connectStream(engine.scales!, m.input('scales', Stream(UInt(SCALE_BEAT_BITS))));

  // ---- kernels ----
  const normIn = m.instance(buildRmsnorm({ length: H, eps: config.rmsEps }), 'input_norm').io;
  const normPost = m.instance(buildRmsnorm({ length: H, eps: config.rmsEps }), 'post_norm').io;
  const normQ = m.instance(buildRmsnorm({ length: D, eps: config.rmsEps }), 'q_norm').io;
  const normK = m.instance(buildRmsnorm({ length: D, eps: config.rmsEps }), 'k_norm').io;
  const rope = m.instance(buildRope({ headDim: D, theta: config.ropeTheta, maxSeq }), 'rope').io;
  const attention = m.instance(buildAttention({ heads: NH, kvHeads: NKV, headDim: D, maxSeq }), 'attention').io;
  const silu = m.instance(buildSiluMul(), 'silu_mul').io;

  // ---- buffers ----
  const depths = { x: maxT * H, act: maxT * shape.actRow, result: maxT * shape.resultRow };
  // Wide enough for a buffer's depth itself: a row length equals it when maxT is 1.
  const addressBits = bitsFor(Math.max(depths.x, depths.act, depths.result) + 1);
  const xBuffer = m.memory('x_buffer', { shape: UInt(32), depth: depths.x, style: 'block' });
  const actBuffer = m.memory('act_buffer', { shape: UInt(32), depth: depths.act, style: 'block' });
  const resultBuffer = m.memory('result_buffer', { shape: UInt(32), depth: depths.result, style: 'block' });
  const at = (address: Expr, depth: number): Expr => address.resize(bitsFor(depth));

  // ---- the norm weights, once after reset: input_norm [H], post_norm [H], q_norm [D], k_norm [D] ----
  const normTargets = [normIn, normPost, normQ, normK];
  const normLengths = [H, H, D, D];
  const normTotal = 2 * H + 2 * D;
  const normsLoaded = m.reg('norms_loaded', UInt(bitsFor(normTotal + 1)), { init: 0 });
  let normFirst = 0;
  const normReady = normTargets.map((kernel, i) => {
    const mine = m.node(`norms_to_${i}`, normsLoaded.ge(normFirst).and(normsLoaded.lt(normFirst + normLengths[i]!)));
    normFirst += normLengths[i]!;
    kernel.weights.valid.assign(norms.valid.and(mine));
    kernel.weights.data.assign(norms.data);
    return mine.and(kernel.weights.ready);
  });
  norms.ready.assign(normReady.reduce((a, b) => a.or(b)));
  m.when(fire(norms), () => normsLoaded.assign(normsLoaded.addWrap(1)));

  // ---- the sequencer ----
  const phase = m.reg('phase', UInt(PHASE_BITS), { init: 0 });
  const tokens = m.reg('tokens', UInt(tokenBits), { init: 0 });
  const cacheLength = m.reg('cache_length', UInt(bitsFor(maxSeq + 1)), { init: 0 });
  const idle = phase.eq(phaseCode('idle'));
  run.ready.assign(idle.and(normsLoaded.eq(normTotal)));
  // A run the cache cannot hold, or an empty one, is taken and dropped (nothing comes out).
  const runFits = run.data.ne(0).and(run.data.le(maxT)).and(cacheLength.zext(bitsFor(maxSeq + maxT + 1)).add(run.data).le(maxSeq));
  const runStart = m.node('run_start', fire(run).and(runFits));
  const phaseDone = m.wire('phase_done', Bool);
  const restart = m.node('restart', runStart.or(phaseDone));
  m.when(runStart, () => {
    tokens.assign(run.data);
    phase.assign(phaseCode('load'));
  }).elseWhen(phaseDone, () => phase.assign(mux(phase.eq(phaseCode('profile')), lit(0, UInt(PHASE_BITS)), phase.addWrap(1))));
  const position = (token: Expr): Expr => cacheLength.zext(bitsFor(maxSeq + maxT + 1)).addWrap(token.zext(bitsFor(maxSeq + maxT + 1))).resize(positionBits);

  // ---- the reader: one buffer word per cycle into the phase's consumer ----
  const { rounds } = shape;
  const uv = layout.units * engineConfig.v;
  const positionGroups = (K: number): number => Math.ceil(K / engineConfig.v / layout.units);
  const reader = blockReader(m, {
    phase,
    restart,
    tokens,
    addressBits,
    rowLength: perPhase(phase, addressBits, { norm_in: H, norm_post: H, out: H, qk: qkvN, attn: A, silu: 2 * I, qkv: uv, o: uv, gate_up: uv, down: uv }),
    rowStride: perPhase(phase, addressBits, { norm_in: H, norm_post: H, out: H, qk: qkvN, attn: qkvN, silu: 2 * I, qkv: rounds.qkv.K, o: rounds.o.K, gate_up: rounds.gateUp.K, down: rounds.down.K }),
    outerCount: perPhase(phase, addressBits, { qkv: positionGroups(rounds.qkv.K), o: positionGroups(rounds.o.K), gate_up: positionGroups(rounds.gateUp.K), down: positionGroups(rounds.down.K) }),
    outerStride: uv,
    reduction: perPhase(phase, addressBits, { qkv: rounds.qkv.K, o: rounds.o.K, gate_up: rounds.gateUp.K, down: rounds.down.K }),
    reading: inPhase(phase, 'norm_in', 'norm_post', 'out', 'qk', 'attn', 'silu', 'qkv', 'o', 'gate_up', 'down'),
    engineOrder: inPhase(phase, 'qkv', 'o', 'gate_up', 'down'),
    rotateBy: { when: inPhase(phase, 'qk'), offset: A, length: qkvN },
    pairsOf: { when: inPhase(phase, 'silu'), half: I },
    kindBounds: [NKV * D, 2 * NKV * D],
  });
  const fromX = inPhase(phase, 'norm_in', 'norm_post');
  const fromAct = inPhase(phase, 'qkv', 'o', 'gate_up', 'down');
  const collectReadAddress = m.wire('collect_read_address', UInt(addressBits));
  const collectReadEnable = m.wire('collect_read_enable', Bool);
  const xRead = xBuffer.read(at(mux(fromX, reader.address, collectReadAddress), depths.x), { enable: reader.issue.and(fromX).or(collectReadEnable), name: 'x_read' });
  const actRead = actBuffer.read(at(reader.address, depths.act), { enable: reader.issue.and(fromAct), name: 'act_read' });
  const resultRead = resultBuffer.read(at(reader.address, depths.result), { enable: reader.issue.and(fromX.or(fromAct).not()), name: 'result_read' });
  const word = m.node('read_word', mux(reader.zero, lit(0, UInt(32)), mux(fromX, xRead, mux(fromAct, actRead, resultRead))));
  const held = reader.valid;
  const kind = (k: number): Expr => reader.kind.eq(k);

  // Consumers of the reader's word, by phase.
  const offer = (stream: { valid: Signal; ready: Signal }, when: Expr): Expr => {
    stream.valid.assign(held.and(when));
    return when.and(stream.ready);
  };
  normIn.x.data.assign(word);
  normPost.x.data.assign(word);
  normQ.x.data.assign(word);
  normK.x.data.assign(word);
  y.data.assign(word);
  attention.q.data.value.assign(word);
  attention.q.data.position.assign(position(reader.token));
  const gateHeld = m.reg('gate_held', UInt(32));
  m.when(held.and(inPhase(phase, 'silu')).and(kind(0)), () => gateHeld.assign(word));
  silu.x.data.gate.assign(gateHeld);
  silu.x.data.up.assign(word);
  const qkPhase = inPhase(phase, 'qk');
  // The kv merge takes each token's k (from RoPE) then its v (from the reader); see below.
  const kvJ = m.reg('kv_index', UInt(bitsFor(2 * NKV * D)), { init: 0 });
  const kvToken = m.reg('kv_token', UInt(tokenBits), { init: 0 });
  const kvDone = m.reg('kv_done', Bool, { init: 0 });
  const kvWantsV = kvJ.ge(NKV * D);
  const gatherReady = gatherActivations(m, engine.act, { valid: held.and(fromAct), data: word }, layout.units, engineConfig.v);
  const takes = [
    offer(normIn.x, inPhase(phase, 'norm_in')),
    offer(normPost.x, inPhase(phase, 'norm_post')),
    offer(y, inPhase(phase, 'out')),
    offer(attention.q, inPhase(phase, 'attn')),
    offer(normK.x, qkPhase.and(kind(0))),
    offer(normQ.x, qkPhase.and(kind(2))),
    qkPhase.and(kind(1)).and(kvWantsV).and(attention.kv.ready),
    inPhase(phase, 'silu').and(kind(0)),
    offer(silu.x, inPhase(phase, 'silu').and(kind(1))),
    fromAct.and(gatherReady),
  ];
  reader.consumerReady.assign(takes.reduce((a, b) => a.or(b)));

  // ---- QK: norms, then RoPE; k and v into the cache, q back into the result buffer ----
  const headWords = (NKV + NH) * D;
  const ropeIn = m.reg('rope_in_index', UInt(bitsFor(headWords)), { init: 0 });
  const ropeInToken = m.reg('rope_in_token', UInt(tokenBits), { init: 0 });
  const ropeFromK = m.node('rope_from_k', ropeIn.lt(NKV * D));
  rope.x.valid.assign(qkPhase.and(mux(ropeFromK, normK.out.valid, normQ.out.valid)));
  rope.x.data.value.assign(mux(ropeFromK, normK.out.data, normQ.out.data));
  rope.x.data.position.assign(position(ropeInToken));
  normK.out.ready.assign(qkPhase.and(ropeFromK).and(rope.x.ready));
  normQ.out.ready.assign(qkPhase.and(ropeFromK.not()).and(rope.x.ready));
  stepTokenCounter(m, fire(rope.x), restart, ropeIn, ropeInToken, headWords);

  const ropeOut = m.reg('rope_out_index', UInt(bitsFor(headWords)), { init: 0 });
  const ropeToKv = m.node('rope_to_kv', ropeOut.lt(NKV * D));
  const kvFromRope = kvWantsV.not();
  attention.kv.valid.assign(qkPhase.and(kvDone.not()).and(mux(kvFromRope, rope.out.valid.and(ropeToKv), held.and(kind(1)))));
  attention.kv.data.value.assign(mux(kvFromRope, rope.out.data, word));
  attention.kv.data.position.assign(position(kvToken));
  stepTokenCounter(m, fire(attention.kv), restart, kvJ, kvToken, 2 * NKV * D, { done: kvDone, tokens });
  stepTokenCounter(m, fire(rope.out), restart, ropeOut, undefined, headWords);

  // ---- the writer: kernel results into a buffer, one word per cycle ----
  const writeSource = {
    valid: mux(inPhase(phase, 'load'), x.valid, mux(inPhase(phase, 'norm_in'), normIn.out.valid, mux(inPhase(phase, 'norm_post'), normPost.out.valid,
      mux(qkPhase, rope.out.valid.and(ropeToKv.not()), mux(inPhase(phase, 'attn'), attention.out.valid, silu.out.valid))))),
    data: mux(inPhase(phase, 'load'), x.data, mux(inPhase(phase, 'norm_in'), normIn.out.data, mux(inPhase(phase, 'norm_post'), normPost.out.data,
      mux(qkPhase, rope.out.data, mux(inPhase(phase, 'attn'), attention.out.data, silu.out.data))))),
  };
  const writing = inPhase(phase, 'load', 'norm_in', 'norm_post', 'qk', 'attn', 'silu');
  const writer = blockWriter(m, {
    restart,
    tokens,
    addressBits,
    rowLength: perPhase(phase, addressBits, { load: H, norm_in: H, norm_post: H, qk: A, attn: A, silu: I }),
    rowStride: perPhase(phase, addressBits, { load: H, norm_in: H, norm_post: H, qk: qkvN, attn: A, silu: I }),
  });
  const writeReady = writing.and(writer.done.not());
  x.ready.assign(writeReady.and(inPhase(phase, 'load')));
  normIn.out.ready.assign(writeReady.and(inPhase(phase, 'norm_in')));
  normPost.out.ready.assign(writeReady.and(inPhase(phase, 'norm_post')));
  rope.out.ready.assign(qkPhase.and(mux(ropeToKv, kvFromRope.and(attention.kv.ready).and(kvDone.not()), writer.done.not())));
  attention.out.ready.assign(writeReady.and(inPhase(phase, 'attn')));
  silu.out.ready.assign(writeReady.and(inPhase(phase, 'silu')));
  const writeTake = m.node('write_take', writeReady.and(writeSource.valid).and(qkPhase.not().or(ropeToKv.not())));
  writer.step.assign(writeTake);

  // ---- engine rounds: collect y into the result buffer, or onto the residual in o ----
  const roundConstant = (pick: (r: { K: number; N: number }, p: (typeof PROJECTIONS)[number]) => number, width: number): Expr =>
    perPhase(phase, width, Object.fromEntries(PROJECTIONS.map((p) => [ROUND_PHASES[p], pick(rounds[p], p)])));
  const groupsOf = (N: number): number => Math.ceil(N / engineConfig.groupCols);
  const engineRound = inPhase(phase, 'qkv', 'o', 'gate_up', 'down');
  const collect = collectResults(m, engine.out, {
    lanes: engineConfig.lookupsPerCycle,
    chunks: layout.shape.chunks,
    groupCols: engineConfig.groupCols,
    addressBits,
    tokens,
    start: restart,
    active: engineRound,
    residualData: xRead,
    round: {
      columns: roundConstant((r) => r.N, addressBits),
      groups: roundConstant((r) => groupsOf(r.N), GROUP_COUNT_BITS),
      lastChunks: roundConstant((r) => chunksOfLastGroup(engineConfig, r.N, groupsOf(r.N)), layout.chunkCountBits),
      residual: inPhase(phase, 'o', 'down'),
    },
  });
  collectReadAddress.assign(collect.readAddress);
  collectReadEnable.assign(collect.readEnable.and(engineRound));
  const collectToX = inPhase(phase, 'o');
  xBuffer.write(at(mux(collectToX, collect.writeAddress, writer.address), depths.x), mux(collectToX, collect.writeData, writeSource.data),
    collectToX.and(collect.writeEnable).or(inPhase(phase, 'load').and(writeTake)));
  actBuffer.write(at(writer.address, depths.act), writeSource.data, inPhase(phase, 'norm_in', 'norm_post', 'attn', 'silu').and(writeTake));
  resultBuffer.write(at(mux(qkPhase, writer.address, collect.writeAddress), depths.result), mux(qkPhase, writeSource.data, collect.writeData),
    qkPhase.and(writeTake).or(inPhase(phase, 'qkv', 'gate_up', 'down').and(collect.writeEnable)));

  // ---- phase ends, the profile, the cache ----
  const doneBy: Record<string, Expr> = {
    load: writer.done, norm_in: writer.done, norm_post: writer.done, attn: writer.done, silu: writer.done,
    qk: writer.done.and(kvDone), qkv: collect.done, o: collect.done, gate_up: collect.done, down: collect.done,
    out: reader.finished, profile: fire(profile),
  };
  phaseDone.assign(Object.entries(doneBy).map(([p, done]) => inPhase(phase, p as never).and(done)).reduce((a, b) => a.or(b)));
  const counters = PROFILED_PHASES.map((p) => {
    const counter = m.reg(`cycles_${p}`, UInt(32), { init: 0 });
    m.when(runStart, () => counter.assign(0)).elseWhen(inPhase(phase, p), () => counter.assign(counter.addWrap(1)));
    return counter;
  });
  profile.valid.assign(inPhase(phase, 'profile'));
  counters.forEach((counter, i) => profile.data[i]!.assign(counter));
  m.when(fire(profile), () => cacheLength.assign(cacheLength.addWrap(tokens.zext(cacheLength.width).resize(cacheLength.width))));
  return { y };
});

/** Counts words of each token's `perToken`-word group and the tokens; `done` once `tokens` tokens are through. */
function stepTokenCounter(m: ModuleBuilder, step: Expr, restart: Expr, index: Signal, token: Signal | undefined, perToken: number, finish?: { done: Signal; tokens: Expr }): void {
  m.when(restart, () => {
    index.assign(0);
    token?.assign(0);
    if (finish) finish.done.assign(0);
  }).elseWhen(step, () => {
    m.when(index.eq(perToken - 1), () => {
      index.assign(0);
      if (token === undefined) return;
      token.assign(token.addWrap(1));
      if (finish) m.when(token.addWrap(1).eq(finish.tokens), () => finish.done.assign(1));
    }).otherwise(() => index.assign(index.addWrap(1)));
  });
}

/** Writes row t's words at t * rowStride + j, j < rowLength, for the run's tokens. */
function blockWriter(m: ModuleBuilder, p: { restart: Expr; tokens: Expr; addressBits: number; rowLength: Expr; rowStride: Expr }): { address: Expr; done: Signal; step: Signal } {
  const address = UInt(p.addressBits);
  const j = m.reg('write_index', address, { init: 0 });
  const rowBase = m.reg('write_row_base', address, { init: 0 });
  const token = m.reg('write_token', UInt(p.tokens.width), { init: 0 });
  const done = m.reg('write_done', Bool, { init: 0 });
  const step = m.wire('write_step', Bool);
  m.when(p.restart, () => {
    for (const r of [j, rowBase, token, done]) r.assign(0);
  }).elseWhen(step, () => {
    m.when(j.addWrap(1).eq(p.rowLength), () => {
      j.assign(0);
      rowBase.assign(rowBase.addWrap(p.rowStride));
      token.assign(token.addWrap(1));
      m.when(token.addWrap(1).eq(p.tokens), () => done.assign(1));
    }).otherwise(() => j.assign(j.addWrap(1)));
  });
  return { address: m.node('write_address', rowBase.addWrap(j)), done, step };
}
