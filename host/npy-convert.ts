// NumPy's default dtypes are int64 and float64: `np.array([[0, 3], [1, 2]])` is int64 even when it
// holds weight codes. Rather than make every user `.astype(...)` before saving, a reader that
// expects one dtype takes others (NpyExpectation.from) and converts them here, element by element,
// as long as each value is exactly representable in the expected dtype. The first value that is
// not is reported with its index and the `.astype(...)` that would store it. Real-valued inputs
// that are about to be quantized anyway (the weights of `quantize`) may ask for rounding instead.

import { FP16 } from '../contracts/fp-format.js';
import { fpDecode, fpRound } from '../golden/softfloat.js';
import type { NpyArray, NpyData, NpyDtype } from './npy.js';
import { UsageError } from './errors.js';

export const INTEGER_DTYPES: readonly NpyDtype[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
export const FLOAT_DTYPES: readonly NpyDtype[] = ['float16', 'float32', 'float64'];
/** Every dtype lutforge reads: what a reader of numbers (not of bit patterns) can take. */
export const NUMERIC_DTYPES: readonly NpyDtype[] = [...INTEGER_DTYPES, ...FLOAT_DTYPES];

const INTEGER_RANGES: Partial<Readonly<Record<NpyDtype, readonly [bigint, bigint]>>> = {
  bool: [0n, 1n],
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

/** How a converted element is stored: a number, or a bigint for the 64-bit integer dtypes. */
type Element = number | bigint;

/** What the element converts to, or why it cannot. */
type Converted = { readonly value: Element } | { readonly problem: string };

export interface ConvertOptions {
  /** The file as the user wrote it, and what it is for (`--weight`), for the message. */
  readonly name: string;
  readonly role: string;
  /** Appended to the target dtype in the message: `(weight codes)`, `for act=fp32`. */
  readonly reason?: string;
  /** Float targets: round to the nearest representable value instead of requiring it exact. */
  readonly round?: boolean;
}

/** `array` as `target`, every element converted exactly (or rounded); the first one that cannot be is a UsageError. */
export function convertNpy(array: NpyArray, target: NpyDtype, options: ConvertOptions): NpyArray {
  if (array.dtype === target) return array;
  const count = array.data.length;
  const data = allocate(target, count);
  const read = elementReader(array);
  for (let i = 0; i < count; i++) {
    const source = read(i);
    const converted = convertElement(source, target, options.round === true);
    if ('problem' in converted) {
      const role = options.role.startsWith('--') ? ` (${options.role})` : '';
      const reason = options.reason === undefined ? '' : ` ${options.reason}`;
      const fix = INTEGER_RANGES[target] === undefined ? `round it with .astype(np.${target})` : `in-range values can be saved with .astype(np.${target})`;
      throw new UsageError(
        `'${options.name}'${role} has dtype ${array.dtype} and holds ${formatElement(source)} at ${formatIndex(i, array.shape)}, which ${target}${reason} cannot hold ${converted.problem}; ${fix}`,
      );
    }
    (data as { [index: number]: Element })[i] = converted.value;
  }
  return { dtype: target, shape: array.shape, data };
}

function convertElement(source: Element, target: NpyDtype, round: boolean): Converted {
  const range = INTEGER_RANGES[target];
  if (range !== undefined) {
    let integer: bigint;
    if (typeof source === 'bigint') integer = source;
    else if (Number.isInteger(source)) integer = BigInt(source);
    else return { problem: '(not an integer)' };
    if (integer < range[0] || integer > range[1]) return { problem: `(${range[0]}..${range[1]})` };
    return { value: target === 'int64' || target === 'uint64' ? integer : Number(integer) };
  }
  const number = Number(source);
  if (typeof source === 'bigint' && BigInt(Math.trunc(number)) !== source) return { problem: 'exactly' };
  const rounded = roundTo(target, number);
  if (Number.isFinite(number) && !Number.isFinite(rounded.value)) return { problem: '(beyond its range)' };
  if (!round && !sameNumber(rounded.value, number)) return { problem: 'exactly' };
  return { value: rounded.stored };
}

/** The nearest `target` value of `value`, and how the typed array stores it (float16: its bits). */
function roundTo(target: NpyDtype, value: number): { value: number; stored: number } {
  if (target === 'float16') {
    const bits = fpRound(FP16, value);
    return { value: fpDecode(FP16, bits), stored: bits };
  }
  if (target === 'float32') {
    const rounded = Math.fround(value);
    return { value: rounded, stored: rounded };
  }
  return { value, stored: value };
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function elementReader(array: NpyArray): (i: number) => Element {
  const data = array.data as { readonly [index: number]: Element };
  if (array.dtype === 'float16') return (i) => fpDecode(FP16, data[i] as number);
  return (i) => data[i]!;
}

function allocate(dtype: NpyDtype, count: number): NpyData {
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(count);
    case 'int8':
      return new Int8Array(count);
    case 'int16':
      return new Int16Array(count);
    case 'uint16':
    case 'float16':
      return new Uint16Array(count);
    case 'int32':
      return new Int32Array(count);
    case 'uint32':
      return new Uint32Array(count);
    case 'int64':
      return new BigInt64Array(count);
    case 'uint64':
      return new BigUint64Array(count);
    case 'float32':
      return new Float32Array(count);
    case 'float64':
      return new Float64Array(count);
  }
}

function formatElement(value: Element): string {
  return typeof value === 'bigint' ? value.toString() : Object.is(value, -0) ? '-0' : String(value);
}

/** `[i, j]` of a flat C-order index. */
function formatIndex(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!;
    index.unshift(flat % size);
    flat = Math.floor(flat / size);
  }
  return `[${index.join(', ')}]`;
}
