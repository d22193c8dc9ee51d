// Matrix operands for the fuzzer (the engines, and the dot-product arrays as one-row problems):
// drawn with the regressions' random and extreme operand makers, cut into sub-problems and zeroed
// while a failure shrinks, and fitted to another activation format or weight width while the
// configuration shrinks.

import { fpConvert } from '../../golden/softfloat.js';
import { extremeOperands, randomFloatOperands, randomOperands } from '../generators/matmul-regression.js';
import { chance, pick, type Random } from './random.js';
import { actBits, floatFormatOf, isFloatAct, type ActFormat } from '../../contracts/engine-widths.js';
import type { MatmulDims, MatmulOperands } from '../../contracts/matmul-operands.js';

export interface OperandFormat {
  readonly act: ActFormat;
  readonly wbits: number;
}

/**
 * Random operands of the shape: integer ones a third at the extremes (zero points at both ends
 * included), sometimes all at one extreme (the accumulator widths' worst case); float ones with
 * subnormals and signed zeros, sometimes NaN, infinities and the largest values; rarely all zero.
 */
export function drawOperands(random: Random, dims: MatmulDims, format: OperandFormat): { operands: MatmulOperands; label: string } {
  if (chance(random, 3)) return { operands: zeroOperands(dims), label: 'zeros' };
  const format32 = floatFormatOf(format.act);
  if (format32 !== undefined) {
    const specials = chance(random, 25);
    return { operands: randomFloatOperands(random, dims, { format: format32, wbits: format.wbits, specials }), label: specials ? 'specials' : 'float' };
  }
  const ranges = { actBits: actBits(format.act), wbits: format.wbits };
  if (chance(random, 15)) {
    const act = pick(random, ['min', 'max'] as const);
    const zero = pick(random, ['min', 'max'] as const);
    return { operands: extremeOperands(dims, ranges, act, zero), label: `extreme ${act}/${zero}` };
  }
  return { operands: randomOperands(random, dims, ranges), label: 'random' };
}

function zeroOperands(dims: MatmulDims): MatmulOperands {
  return { ...dims, act: new Int32Array(dims.M * dims.K), codes: new Uint8Array(dims.K * dims.N), zeros: new Int32Array(dims.N) };
}

/** Rows [r0, r1), reduction positions [k0, k1) and columns [c0, c1) of a problem. */
export function subOperands(op: MatmulOperands, [r0, r1]: readonly [number, number], [k0, k1]: readonly [number, number], [c0, c1]: readonly [number, number]): MatmulOperands {
  const M = r1 - r0;
  const K = k1 - k0;
  const N = c1 - c0;
  const act = new Int32Array(M * K);
  for (let r = 0; r < M; r++) for (let k = 0; k < K; k++) act[r * K + k] = op.act[(r0 + r) * op.K + k0 + k]!;
  const codes = new Uint8Array(K * N);
  for (let k = 0; k < K; k++) for (let c = 0; c < N; c++) codes[k * N + c] = op.codes[(k0 + k) * op.N + c0 + c]!;
  return { M, K, N, act, codes, zeros: op.zeros.slice(c0, c1) };
}

/** Smaller windows of [0, size): one element at either end, either half, one fewer at either end. */
export function windows(size: number): [number, number][] {
  const all: [number, number][] = [
    [0, 1],
    [size - 1, size],
    [0, Math.ceil(size / 2)],
    [Math.floor(size / 2), size],
    [0, size - 1],
    [1, size],
  ];
  const seen = new Set<string>();
  return all.filter(([a, b]) => {
    const key = `${a},${b}`;
    if (b - a < 1 || b - a >= size || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sub-problems, fewest elements first; `fixed` dimensions keep their size (a dot-product array's units). */
export function dimensionShrinks(op: MatmulOperands, fixed: { readonly M?: boolean; readonly N?: boolean } = {}): MatmulOperands[] {
  const full = (size: number): [number, number] => [0, size];
  const candidates: MatmulOperands[] = [];
  if (fixed.M !== true) for (const rows of windows(op.M)) candidates.push(subOperands(op, rows, full(op.K), full(op.N)));
  for (const ks of windows(op.K)) candidates.push(subOperands(op, full(op.M), ks, full(op.N)));
  if (fixed.N !== true) for (const cols of windows(op.N)) candidates.push(subOperands(op, full(op.M), full(op.K), cols));
  return candidates.sort((a, b) => operandSize(a) - operandSize(b));
}

/** Values toward zero: whole operands, then halves, then single elements of small problems. */
export function valueShrinks(op: MatmulOperands): MatmulOperands[] {
  const candidates: MatmulOperands[] = [];
  const zeroed = <T extends Int32Array | Uint8Array>(array: T, from: number, to: number): T => {
    const copy = array.slice() as T;
    copy.fill(0, from, to);
    return copy;
  };
  const nonzero = (array: Int32Array | Uint8Array, from = 0, to = array.length): boolean => array.subarray(from, to).some((x) => x !== 0);
  for (const key of ['act', 'codes', 'zeros'] as const) {
    const array = op[key];
    if (nonzero(array)) candidates.push({ ...op, [key]: zeroed(array, 0, array.length) });
  }
  for (const key of ['act', 'codes'] as const) {
    const array = op[key];
    const half = Math.ceil(array.length / 2);
    if (array.length > 1 && nonzero(array, 0, half)) candidates.push({ ...op, [key]: zeroed(array, 0, half) });
    if (array.length > 1 && nonzero(array, half)) candidates.push({ ...op, [key]: zeroed(array, half, array.length) });
  }
  for (const key of ['act', 'codes', 'zeros'] as const) {
    const array = op[key];
    if (array.length > 24) continue;
    for (let i = 0; i < array.length; i++) if (array[i] !== 0) candidates.push({ ...op, [key]: zeroed(array, i, i + 1) });
  }
  return candidates;
}

export function operandSize(op: MatmulOperands): number {
  return op.M * op.K + op.K * op.N + op.N;
}

/** The operands in another format, weight width and K limit; undefined across integer and float. */
export function fitOperands(op: MatmulOperands, from: ActFormat, to: OperandFormat & { readonly maxK: number }): MatmulOperands | undefined {
  if (isFloatAct(from) !== isFloatAct(to.act)) return undefined;
  const cut = op.K > to.maxK ? subOperands(op, [0, op.M], [0, to.maxK], [0, op.N]) : op;
  const top = 2 ** to.wbits - 1;
  const act = convertActivations(cut.act, from, to.act);
  return { ...cut, act, codes: cut.codes.map((q) => Math.min(q, top)), zeros: cut.zeros.map((z) => Math.min(z, top)) };
}

function convertActivations(act: Int32Array, from: ActFormat, to: ActFormat): Int32Array {
  if (from === to) return act;
  const fromFloat = floatFormatOf(from);
  const toFloat = floatFormatOf(to);
  if (fromFloat !== undefined && toFloat !== undefined) return act.map((bits) => fpConvert(fromFloat, toFloat, bits));
  const hi = 2 ** (actBits(to) - 1) - 1;
  return act.map((a) => Math.max(-hi - 1, Math.min(hi, a)));
}

export function describeOperands(op: MatmulOperands): string {
  return `${op.M}x${op.K}x${op.N}`;
}
