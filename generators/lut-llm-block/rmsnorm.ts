// The decoder block's RMSNorm kernel (docs/design/lut-llm-block.md, `rmsnorm`), in its order of operations:
//   s = +0; s = add(s, mul(x[i], x[i])) in order of i
//   r = rsqrt(add(mul(s, fp32(1/n)), fp32(eps)))
//   out[i] = mul(mul(x[i], r), w[i])
//
// The weights are loaded into a block RAM once (a later load overwrites them). A vector goes twice
// over its values, so it is kept in a buffer of n words: the input pass writes it and sums the
// squares, a short sequence makes r, and the output pass reads it back beside the weights. The
// next vector enters during the output pass, into the same buffer, each value written only once
// the output pass has read the word it replaces (so one buffer serves both).

import { bitsFor, Bool, type Expr, FP32, fpAdd, fpMul, fpRsqrt, lit, type ModuleBuilder, type ModuleDef, moduleGenerator, type Signal, Stream, UInt } from '../../api/index.js';
import { float32Bits, stageRegister, type StreamPorts } from './common.js';

export interface RmsnormParams {
  /** n: values per vector. */
  readonly length: number;
  readonly eps: number;
}

export interface RmsnormIo {
  readonly weights: StreamPorts<Signal>;
  readonly x: StreamPorts<Signal>;
  readonly out: StreamPorts<Signal>;
}

/** Cycles between a vector's last `x` beat and the cycle its r is made: the last add, s/n, + eps. */
const NORM_STEPS = 4;
/** Register stages from a word's read to its `out` beat: the read, x*r, *w. */
const OUTPUT_LATENCY = 3;

/**
 * Cycles from reset to just after the last `out` beat, for one weight load then `vectors`
 * vectors (cycle 0 the first after reset; every input always valid, `out` always ready). The
 * weights take n cycles and the first vector n more; its r is made NORM_STEPS cycles after its
 * last beat, then its n words are read a cycle each, each leaving OUTPUT_LATENCY cycles after its
 * read. The next vector enters a cycle behind those reads, so each later vector adds
 * n + NORM_STEPS + 1 cycles.
 */
export function rmsnormCycles(length: number, vectors: number): number {
  return length + (length + NORM_STEPS + length + OUTPUT_LATENCY) + (vectors - 1) * (length + NORM_STEPS + 1);
}

export function checkRmsnormParams(params: RmsnormParams): void {
  if (!Number.isInteger(params.length) || params.length < 1) throw new RangeError(`rmsnorm: length must be a positive integer, got ${params.length}`);
  if (!Number.isFinite(params.eps) || params.eps < 0) throw new RangeError(`rmsnorm: eps must be a finite non-negative number, got ${params.eps}`);
}

export function buildRmsnorm(params: RmsnormParams): ModuleDef<RmsnormIo> {
  checkRmsnormParams(params);
  return rmsnormGenerator({ length: params.length, eps: params.eps });
}

const enum Step {
  Input = 0,
  LastAdd = 1,
  Mean = 2,
  Epsilon = 3,
  Root = 4,
}

const rmsnormGenerator = moduleGenerator('lut_llm_rmsnorm', (m: ModuleBuilder, params: RmsnormParams): RmsnormIo => {
  const n = params.length;
  const depth = Math.max(n, 2);
  const addressBits = bitsFor(depth);
  const weights = m.input('weights', Stream(UInt(32)));
  const x = m.input('x', Stream(UInt(32)));
  const out = m.output('out', Stream(UInt(32)));
  const weightMemory = m.memory('weight_memory', { shape: UInt(32), depth, style: 'block' });
  const buffer = m.memory('vector_buffer', { shape: UInt(32), depth, style: 'block' });
  const formats = { a: FP32, b: FP32, out: FP32 };
  const last = (counter: Signal): Expr => counter.eq(n - 1);

  const step = m.reg('step', UInt(3), { init: Step.Input });
  const inIndex = m.reg('in_index', UInt(addressBits), { init: 0 });
  const reading = m.reg('reading', Bool, { init: 0 });
  const readIndex = m.reg('read_index', UInt(addressBits), { init: 0 });
  const readValid = m.reg('read_valid', Bool, { init: 0 });

  // ---- weights: a load waits until no vector is in the kernel, and x waits while one runs ----
  const weightIndex = m.reg('weight_index', UInt(addressBits), { init: 0 });
  const weightsComplete = m.reg('weights_complete', Bool, { init: 0 });
  const loading = m.node('weights_loading', weightIndex.ne(0));
  const empty = m.node('kernel_empty', step.eq(Step.Input).and(inIndex.eq(0)).and(reading.not()));
  weights.ready.assign(m.node('weights_open', loading.or(empty)));
  const weightTake = m.node('weight_take', weights.valid.and(weights.ready));
  weightMemory.write(weightIndex, weights.data, weightTake);
  m.when(weightTake, () => {
    m.when(last(weightIndex), () => {
      weightIndex.assign(0);
      weightsComplete.assign(1);
    }).otherwise(() => {
      weightIndex.assign(weightIndex.addWrap(1));
      weightsComplete.assign(0);
    });
  });

  // ---- input pass: buffer x, s = add(s, mul(x, x)) a beat behind ----
  // A word of the buffer is written only after the output pass has read it.
  const behindReads = reading.not().or(inIndex.lt(readIndex));
  x.ready.assign(m.node('x_open', weightsComplete.and(weightTake.not()).and(loading.not()).and(step.eq(Step.Input)).and(behindReads)));
  const take = m.node('x_take', x.valid.and(x.ready));
  buffer.write(inIndex, x.data, take);
  const square = m.reg('square', UInt(32), { enable: take });
  square.assign(fpMul(m, 'square_mul', x.data, x.data, formats));
  const squareValid = m.reg('square_valid', Bool, { init: 0 });
  squareValid.assign(take);
  const sum = m.reg('sum', UInt(32), { init: 0 });
  const sumNext = fpAdd(m, 'sum_add', sum, square, FP32);
  m.when(squareValid, () => sum.assign(sumNext));
  m.when(take, () => {
    m.when(last(inIndex), () => {
      inIndex.assign(0);
      step.assign(Step.LastAdd);
    }).otherwise(() => inIndex.assign(inIndex.addWrap(1)));
  });

  // ---- r = rsqrt(add(mul(s, fp32(1/n)), fp32(eps))), a step per cycle ----
  const mean = m.reg('mean', UInt(32), { enable: step.eq(Step.Mean) });
  mean.assign(fpMul(m, 'mean_mul', sum, m.node('inverse_length', lit32(float32Bits(1 / n))), formats));
  const biased = m.reg('biased', UInt(32), { enable: step.eq(Step.Epsilon) });
  biased.assign(fpAdd(m, 'eps_add', mean, m.node('epsilon', lit32(float32Bits(params.eps))), FP32));
  const root = fpRsqrt(m, 'root', biased, FP32);
  m.when(step.eq(Step.LastAdd), () => step.assign(Step.Mean));
  m.when(step.eq(Step.Mean), () => step.assign(Step.Epsilon));
  m.when(step.eq(Step.Epsilon), () => step.assign(Step.Root));
  // r changes only once the previous vector's last word has been scaled by it.
  const handOff = m.node('hand_off', step.eq(Step.Root).and(reading.not()).and(readValid.not()));
  const r = m.reg('r', UInt(32), { enable: handOff });
  r.assign(root);
  m.when(handOff, () => {
    step.assign(Step.Input);
    sum.assign(0);
    reading.assign(1);
    readIndex.assign(0);
  });

  // ---- output pass: out[i] = mul(mul(x[i], r), w[i]), held while `out` is refused ----
  const outValid = m.reg('out_full', Bool, { init: 0 });
  const advance = m.node('rmsnorm_advance', outValid.and(out.ready.not()).not());
  const issue = m.node('read_issue', reading.and(advance));
  m.when(issue, () => {
    m.when(last(readIndex), () => reading.assign(0)).otherwise(() => readIndex.assign(readIndex.addWrap(1)));
  });
  const xValue = buffer.read(readIndex, { enable: advance, name: 'x_value' });
  const weight = weightMemory.read(readIndex, { enable: advance, name: 'weight_value' });
  m.when(advance, () => readValid.assign(reading));
  const scaled = m.reg('scaled', UInt(32), { enable: advance });
  scaled.assign(fpMul(m, 'scale_mul', xValue, r, formats));
  const heldWeight = m.reg('held_weight', UInt(32), { enable: advance });
  heldWeight.assign(weight);
  const scaledValid = m.reg('scaled_valid', Bool, { init: 0, enable: advance });
  scaledValid.assign(readValid);
  const result = m.reg('out_value', UInt(32), { enable: advance });
  result.assign(fpMul(m, 'weight_mul', scaled, heldWeight, formats));
  m.when(advance, () => outValid.assign(scaledValid));
  out.valid.assign(outValid);
  out.data.assign(result);
  return { weights, x, out };
});

function lit32(bits: number): Expr {
  return lit(bits, UInt(32));
}
