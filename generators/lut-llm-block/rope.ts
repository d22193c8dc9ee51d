// The decoder block's RoPE kernel (docs/design/lut-llm-block.md, `rope`): rotates the pairs (i, i + D/2) of a head
// vector by the angle pos * theta^(-2i/D), "rotate half" as in Hugging Face's Qwen3.
//
// A vector (D beats of {value, position}) is buffered, its halves side by side (lo[k] = x[k],
// hi[k] = x[k + D/2]), so one read of both halves gives a whole pair. The output pass sweeps k
// twice: out[k] = lo*c - hi*s, then out[k + D/2] = hi*c + lo*s, with c, s from two ROMs computed
// at elaboration. Two buffers alternate, so the next vector enters while this one goes out.

import { bitsFor, Bool, Bundle, cat, type Expr, FP32, fpAdd, fpMul, fpNeg, type ModuleBuilder, type ModuleDef, moduleGenerator, mux, type Signal, Stream, UInt } from '../../api/index.js';
import { float32Bits, stageRegister, type StreamPorts } from './common.js';

export interface RopeParams {
  /** D: values per vector (even). */
  readonly headDim: number;
  readonly theta: number;
  /** Positions 0 .. maxSeq-1; a position beyond is outside the contract (the ROM has no row for it). */
  readonly maxSeq: number;
}

export interface RopeIo {
  readonly x: StreamPorts<{ value: Signal; position: Signal }>;
  readonly out: StreamPorts<Signal>;
}

/** Register stages from a pair's read to its `out` beat: the read, the products, the sum. */
const ROPE_LATENCY = 3;

/**
 * Cycles from reset to just after the last `out` beat (cycle 0 is the first after reset; `x`
 * always valid, `out` always ready): the first vector comes in in D cycles, its first pair is read
 * in cycle D and leaves `latency` cycles later; from then on a beat leaves every cycle, since
 * each next vector is buffered while the previous one goes out (the two buffers alternate).
 */
export function ropeCycles(headDim: number, vectors: number): number {
  return headDim + ROPE_LATENCY + headDim * vectors;
}

/** (c, s) of pair k at `position`: the float64 expression of docs/design/lut-llm-block.md, rounded once to FP32. */
export function ropeAngles(params: RopeParams, position: number, k: number): { cos: number; sin: number } {
  const invFreq = Math.pow(params.theta, -(2 * k) / params.headDim);
  return { cos: float32Bits(Math.cos(position * invFreq)), sin: float32Bits(Math.sin(position * invFreq)) };
}

export function checkRopeParams(params: RopeParams): void {
  const { headDim, theta, maxSeq } = params;
  if (!Number.isInteger(headDim) || headDim < 2 || headDim % 2 !== 0) throw new RangeError(`rope: headDim must be an even integer of at least 2, got ${headDim}`);
  if (!Number.isInteger(maxSeq) || maxSeq < 1) throw new RangeError(`rope: maxSeq must be a positive integer, got ${maxSeq}`);
  if (!Number.isFinite(theta) || theta <= 0) throw new RangeError(`rope: theta must be a positive number, got ${theta}`);
}

export function buildRope(params: RopeParams): ModuleDef<RopeIo> {
  checkRopeParams(params);
  return ropeGenerator({ headDim: params.headDim, theta: params.theta, maxSeq: params.maxSeq });
}

const ropeGenerator = moduleGenerator('lut_llm_rope', (m: ModuleBuilder, params: RopeParams): RopeIo => {
  const { headDim, maxSeq } = params;
  const half = headDim / 2;
  const pairBits = bitsFor(half);
  const positionBits = bitsFor(maxSeq);
  const x = m.input('x', Stream(Bundle({ value: UInt(32), position: UInt(positionBits) })));
  const out = m.output('out', Stream(UInt(32)));

  // ---- the ROMs: row `position`, column k (a power-of-two row stride, so the address is a cat) ----
  const rows = Math.max(maxSeq, 2);
  const cosines: number[] = [];
  const sines: number[] = [];
  for (let position = 0; position < rows; position++) {
    for (let k = 0; k < 1 << pairBits; k++) {
      const { cos, sin } = k < half && position < maxSeq ? ropeAngles(params, position, k) : { cos: 0, sin: 0 };
      cosines.push(cos);
      sines.push(sin);
    }
  }
  const romDepth = rows << pairBits;
  const cosRom = m.memory('cos_rom', { shape: UInt(32), depth: romDepth, init: cosines, style: 'block' });
  const sinRom = m.memory('sin_rom', { shape: UInt(32), depth: romDepth, init: sines, style: 'block' });

  // ---- two vector buffers, each a lo half and a hi half (address: buffer, k) ----
  const bufferDepth = 2 << pairBits;
  const lo = m.memory('x_lo', { shape: UInt(32), depth: bufferDepth, style: 'block' });
  const hi = m.memory('x_hi', { shape: UInt(32), depth: bufferDepth, style: 'block' });
  const full = [0, 1].map((b) => m.reg(`buffer_full_${b}`, Bool, { init: 0 }));
  const positions = [0, 1].map((b) => m.reg(`buffer_position_${b}`, UInt(positionBits)));

  // ---- input: x[k] to lo[k], x[k + half] to hi[k] ----
  const inBuffer = m.reg('in_buffer', UInt(1), { init: 0 });
  x.ready.assign(m.node('x_open', mux(inBuffer, full[1]!, full[0]!).not()));
  const take = m.node('x_take', x.valid.and(x.ready));
  const input = pairCounter(m, 'in', half, take);
  const inAddress = cat(inBuffer, input.pair);
  lo.write(inAddress, x.data.value, take.and(input.upper.not()));
  hi.write(inAddress, x.data.value, take.and(input.upper));
  m.when(take, () => {
    // The position is the vector's: its first beat's.
    m.when(input.pair.eq(0).and(input.upper.not()), () => {
      m.when(inBuffer.eq(0), () => positions[0]!.assign(x.data.position)).otherwise(() => positions[1]!.assign(x.data.position));
    });
    m.when(input.last, () => {
      inBuffer.assign(inBuffer.not());
      m.when(inBuffer.eq(0), () => full[0]!.assign(1)).otherwise(() => full[1]!.assign(1));
    });
  });

  // ---- output pass: sweep k for the first half, then again for the second ----
  const outValid = m.reg('out_full', Bool, { init: 0 });
  const advance = m.node('rope_advance', outValid.and(out.ready.not()).not());
  const outBuffer = m.reg('out_buffer', UInt(1), { init: 0 });
  const reading = m.node('reading', mux(outBuffer, full[1]!, full[0]!));
  const issue = m.node('read_issue', reading.and(advance));
  const output = pairCounter(m, 'out', half, issue);
  // The last read frees the buffer: what it read stays in the read registers.
  m.when(issue.and(output.last), () => {
    outBuffer.assign(outBuffer.not());
    m.when(outBuffer.eq(0), () => full[0]!.assign(0)).otherwise(() => full[1]!.assign(0));
  });
  const readAddress = cat(outBuffer, output.pair);
  const position = mux(outBuffer, positions[1]!, positions[0]!);
  const romAddress = cat(position, output.pair);
  const loValue = lo.read(readAddress, { enable: advance, name: 'lo_value' });
  const hiValue = hi.read(readAddress, { enable: advance, name: 'hi_value' });
  const c = cosRom.read(romAddress, { enable: advance, name: 'cos_value' });
  const s = sinRom.read(romAddress, { enable: advance, name: 'sin_value' });
  const readValid = m.reg('read_valid', Bool, { init: 0, enable: advance });
  readValid.assign(reading);
  const readUpper = m.reg('read_upper', Bool, { enable: advance });
  readUpper.assign(output.upper);

  // out[k] = add(mul(x[k], c), mul(neg(x[k+half]), s)); out[k+half] = add(mul(x[k+half], c), mul(x[k], s))
  const first = mux(readUpper, hiValue, loValue);
  const second = mux(readUpper, loValue, fpNeg(hiValue, FP32));
  const formats = { a: FP32, b: FP32, out: FP32 };
  const products = [
    stageRegister(m, 'cos_product', fpMul(m, 'cos_mul', first, c, formats), advance),
    stageRegister(m, 'sin_product', fpMul(m, 'sin_mul', second, s, formats), advance),
  ];
  const productValid = m.reg('product_valid', Bool, { init: 0, enable: advance });
  productValid.assign(readValid);
  const sum = stageRegister(m, 'out_value', fpAdd(m, 'rotate_add', products[0]!, products[1]!, FP32), advance);
  m.when(advance, () => outValid.assign(productValid));
  out.valid.assign(outValid);
  out.data.assign(sum);
  return { x, out };
});

/** Where a pass over a vector is: pair k of the lower half, then of the upper; `last` at its last value. */
function pairCounter(m: ModuleBuilder, name: string, half: number, step: Expr): { pair: Signal; upper: Signal; last: Expr } {
  const pair = m.reg(`${name}_pair`, UInt(bitsFor(half)), { init: 0 });
  const upper = m.reg(`${name}_upper`, Bool, { init: 0 });
  const endOfHalf = pair.eq(half - 1);
  m.when(step, () => {
    m.when(endOfHalf, () => {
      pair.assign(0);
      upper.assign(upper.not());
    }).otherwise(() => pair.assign(pair.addWrap(1)));
  });
  return { pair, upper, last: upper.and(endOfHalf) };
}
