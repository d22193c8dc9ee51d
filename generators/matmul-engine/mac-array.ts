// The MAC baseline: what a conventional tensor core does with low-bit weights. Codes are
// dequantized (q - z) into the activation format once per column and broadcast down the column;
// every unit multiplies k activation/weight pairs, sums them and accumulates, a whole k-group per
// cycle. Same row blocks, n-tiles, streams and table-buffer reuse (here of activations) as the
// serial engines, so the comparison isolates the arithmetic.
//
// The array is its own module taking activation-width weights, and synthesis is hierarchical, so
// the multipliers stay activation x activation wide as in a real tensor core; `narrowWeights`
// gives them (wbits+1)-bit weight operands instead, the best case for MAC.

import { adderTree, Bool, connect, type FpFormat, fpFromInt, moduleGenerator, mux, SInt, UInt, Vec } from '../../api/index.js';
import { fpMacUnit } from './fp-mac-unit.js';
import { type EngineIo, groupBuffer } from './serial-engine.js';
import { frontEnd } from './front-end.js';

export interface MacEngineParams {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly wbits: number;
  readonly actBits: number;
  /** Bits of the multiplier's weight operand: actBits, or wbits + 1 with narrowWeights. */
  readonly weightBits: number;
  readonly accBits: number;
  readonly outBits: number;
  readonly maxGroups: number;
  /** The activation format when it is floating point: weights are converted to it, products and sums are FP32. */
  readonly float?: FpFormat;
}

/** One dot-product unit: k products, their sum, the accumulator. Ports: `act`, `weights`, `first`, `step`; `acc`. */
export const macUnit = moduleGenerator('mac_unit', (m, { k, actBits, weightBits, accBits }: MacUnitParams) => {
  const act = m.input('act', Vec(k, SInt(actBits)));
  const weights = m.input('weights', Vec(k, SInt(weightBits)));
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', SInt(accBits));
  const dot = m.node('dot', adderTree(act.map((a, j) => a.mul(weights[j]!))).resize(accBits));
  const sum = m.reg('sum', SInt(accBits), { enable: step });
  sum.assign(mux(first, sum.coerce(0).sext(accBits), sum).addWrap(dot));
  acc.assign(sum);
  return { act, weights, first, step, acc };
});

export interface MacUnitParams {
  readonly k: number;
  readonly actBits: number;
  readonly weightBits: number;
  readonly accBits: number;
}

/** The m x n array of units: activations broadcast along rows, weights down columns. */
export const macTile = moduleGenerator('mac_tile', (m, { m: rows, n: columns, k, actBits, weightBits, accBits, float }: MacEngineParams) => {
  const word = (bits: number) => (float === undefined ? SInt(bits) : UInt(bits));
  const act = m.input('act', Vec(rows, Vec(k, word(actBits))));
  const weights = m.input('weights', Vec(columns, Vec(k, word(weightBits))));
  const first = m.input('first', Bool);
  const step = m.input('step', Bool);
  const acc = m.output('acc', Vec(rows, Vec(columns, word(accBits))));
  const unit = float === undefined ? macUnit({ k, actBits, weightBits, accBits }) : fpMacUnit({ k, format: float });
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const io = m.instance(unit, `unit_r${r}_c${c}`).io;
      connect(io.act, act[r]!);
      connect(io.weights, weights[c]!);
      io.first.assign(first);
      io.step.assign(step);
      acc[r]![c]!.assign(io.acc);
    }
  }
  return { act, weights, first, step, acc };
});

export const macTop = moduleGenerator('mac_engine', (m, params: MacEngineParams): EngineIo => {
  const { m: rows, n: columns, k, wbits, actBits, weightBits, outBits, maxGroups, float } = params;
  const fieldBits = k * wbits;
  const front = frontEnd(m, { rows, columns, k, actBits, outBits, weightBits: columns * fieldBits, maxGroups, float: float !== undefined });
  const { cmd, act, weight, out, busy, tile, group, advance } = front;

  // ---- stage A: a zero-point beat, then one beat per k-group, for every n-tile ----
  const zeroPhase = m.reg('zero_phase', Bool, { init: 1 });
  const needAct = m.node('need_act', busy.and(tile.eq(0)).and(zeroPhase.not()));
  weight.ready.assign(advance.and(busy).and(needAct.not().or(act.valid)));
  act.ready.assign(advance.and(needAct).and(weight.valid));
  const accept = m.node('accept', weight.valid.and(weight.ready));
  m.when(accept, () => {
    m.when(zeroPhase, () => zeroPhase.assign(0)).otherwise(() => {
      front.nextGroup();
      m.when(front.lastGroup, () => {
        zeroPhase.assign(1);
        front.nextTile();
      });
    });
  });

  const loadAct = m.node('load_act', accept.and(needAct));
  const recall = m.node('recall', accept.and(tile.ne(0)).and(zeroPhase.not()));
  const activationShape = float === undefined ? SInt(actBits) : UInt(actBits);
  const activations = groupBuffer(m, { operands: act.data, shape: activationShape, maxGroups, group, load: loadAct, recall });

  // ---- stage B: dequantize once per column, then the array ----
  const stepping = m.reg('b_valid', Bool, { init: 0, enable: advance });
  stepping.assign(accept);
  const codes = m.reg('b_codes', UInt(columns * fieldBits), { enable: accept });
  codes.assign(weight.data);
  const bZero = m.reg('b_zero', Bool, { enable: accept });
  bZero.assign(zeroPhase);
  const bFirst = m.reg('b_first', Bool, { enable: accept });
  bFirst.assign(zeroPhase.not().and(group.eq(0)));
  const bLast = m.reg('b_last', Bool, { enable: accept });
  bLast.assign(zeroPhase.not().and(front.lastGroup));
  const bRecalled = m.reg('b_recalled', Bool, { enable: accept });
  bRecalled.assign(tile.ne(0));
  const step = m.node('step', stepping.and(advance));

  const zeros = Array.from({ length: columns }, (_, c) => {
    const zero = m.reg(`zero_c${c}`, UInt(wbits), { enable: step.and(bZero) });
    zero.assign(codes.slice(c * fieldBits + wbits - 1, c * fieldBits));
    return zero;
  });
  const dequantized = zeros.map((zero, c) =>
    Array.from({ length: k }, (_, j) => {
      const lo = c * fieldBits + j * wbits;
      const code = codes.slice(lo + wbits - 1, lo).zext(wbits + 1).asSigned();
      const weight = code.sub(zero.zext(wbits + 1).asSigned());
      // Every q - z (|q - z| < 16) is exact in each activation format, FP8 E4M3 included.
      return float === undefined ? weight.resize(weightBits) : fpFromInt(m, `weight_c${c}_${j}`, weight, float);
    }),
  );
  const array = m.instance(macTile(params), 'array');
  connect(array.io.act, activations.operands(bRecalled));
  connect(array.io.weights, dequantized);
  connect(array.io.first, bFirst);
  connect(array.io.step, step.and(bZero.not()));

  front.driveOut(step.and(bLast));
  array.io.acc.forEach((row, r) => row.forEach((value, c) => out.data[r]![c]!.assign(value.resize(outBits))));
  return { cmd, act, weight, out };
});
