// NumPy .npy files for `lutforge run`: operands in, results out. npyjs writes them; reading goes
// through a strict header parser here, because npyjs's parser ignores the byte order ('>i2' fails
// with "Unsupported dtype"), never checks the data length against the shape (a truncated file
// reads back short, an oversized one long) and throws a RangeError on an unaligned data offset.
// Every problem is an NpyError (a UsageError: exit 2) naming the file as the user wrote it.

import { readFile } from 'node:fs/promises';
import { dump } from 'npyjs';
import { writeFileAtomically } from './atomic.js';
import { describeOsError, UsageError } from './errors.js';
import { FP16 } from '../contracts/fp-format.js';
import { fpDecode, fpRound } from '../golden/softfloat.js';

/** Bad or unsuitable .npy input. */
export class NpyError extends UsageError {}

/** Element types as NumPy names them (`str(a.dtype)`). */
export const NPY_DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64'] as const;
export type NpyDtype = (typeof NPY_DTYPES)[number];

export type NpyData = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  /** Elements in C order, in native byte order. float16 stays raw Uint16 bits; bool is 0/1 bytes. */
  readonly data: NpyData;
}

/** What the caller needs, checked in this order so the most basic problem is the one reported. */
export interface NpyExpectation {
  readonly dtype: NpyDtype;
  /** Why that dtype, appended to the message: `for act=int8`. */
  readonly dtypeReason?: string;
  /** One name per dimension, e.g. ['M', 'K']; each must be at least 1. */
  readonly dims: readonly string[];
  /**
   * Other dtypes taken too (convertNpy below): converted to `dtype` on reading when every value is
   * exactly representable in it, so NumPy's default int64 and float64 arrays need no `.astype`.
   */
  readonly from?: readonly NpyDtype[];
  /** With `from` and a float `dtype`: round to it instead (real-valued inputs that are quantized anyway). */
  readonly round?: boolean;
}

const KIND_SIZE_TO_DTYPE: Readonly<Record<string, NpyDtype>> = {
  b1: 'bool', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32',
  i8: 'int64', u8: 'uint64', f2: 'float16', f4: 'float32', f8: 'float64',
};
const DTYPE_CODE = Object.fromEntries(Object.entries(KIND_SIZE_TO_DTYPE).map(([code, dtype]) => [dtype, code])) as Record<NpyDtype, string>;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface NpyHeader {
  /** A known dtype, or the raw descr for types this reader does not decode. */
  readonly dtype: NpyDtype | { readonly descr: string };
  readonly bigEndian: boolean;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  readonly dataOffset: number;
}

/**
 * Reads a .npy file. `role` names what it is for (`--act`) in messages; `displayPath` is how the
 * user wrote the path. With `expect`, dtype, rank and sizes are checked too.
 */
export async function readNpy(path: string, role: string, options: { displayPath?: string; expect?: NpyExpectation } = {}): Promise<NpyArray> {
  const name = options.displayPath ?? path;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new NpyError(`cannot read ${role} file '${name}': ${describeOsError(error)}`);
  }
  return parseNpy(bytes, name, role, options.expect);
}

/** parseNpy on bytes already in memory; `name` is the file name used in messages. */
export function parseNpy(bytes: Uint8Array, name: string, role: string, expect?: NpyExpectation): NpyArray {
  const header = parseHeader(bytes, name);
  if (header.fortranOrder) {
    throw new NpyError(`'${name}' is stored in Fortran (column-major) order; ${role} needs C order (save np.ascontiguousarray(a))`);
  }
  const dtypeText = typeof header.dtype === 'string' ? header.dtype : `'${header.dtype.descr}'`;
  const convertible = expect?.from !== undefined && typeof header.dtype === 'string' && expect.from.includes(header.dtype);
  if (expect !== undefined && header.dtype !== expect.dtype && !convertible) {
    const reason = expect.dtypeReason === undefined ? '' : ` ${expect.dtypeReason}`;
    throw new NpyError(`'${name}' has dtype ${dtypeText}; ${role} needs ${expect.dtype}${reason}`);
  }
  if (typeof header.dtype !== 'string') throw new NpyError(`'${name}' has dtype ${dtypeText}, which lutforge does not read`);
  const dtype = header.dtype;
  const itemSize = Number(DTYPE_CODE[dtype].slice(1));
  const count = header.shape.reduce((a, b) => a * b, 1);
  const needed = count * itemSize;
  const found = bytes.length - header.dataOffset;
  if (!Number.isSafeInteger(needed) || found < needed) {
    throw new NpyError(`'${name}' is truncated: shape ${formatShape(header.shape)} of ${dtype} needs ${needed} bytes of data, the file has ${found}`);
  }
  if (found > needed) {
    throw new NpyError(`'${name}' is malformed: ${found - needed} bytes follow the ${needed} bytes of data that shape ${formatShape(header.shape)} of ${dtype} holds`);
  }
  if (expect !== undefined) checkShape(header.shape, expect.dims, name, role);
  // A copy into a fresh buffer (not Buffer#slice, which shares the pool): aligned for the typed
  // array whatever the header length, and free to byte-swap.
  const copy = new Uint8Array(needed);
  copy.set(bytes.subarray(header.dataOffset, header.dataOffset + needed));
  if (header.bigEndian && itemSize > 1) {
    for (let i = 0; i < copy.length; i += itemSize) copy.subarray(i, i + itemSize).reverse();
  }
  const array: NpyArray = { dtype, shape: header.shape, data: typedView(dtype, copy.buffer) };
  if (expect === undefined || dtype === expect.dtype) return array;
  return convertNpy(array, expect.dtype, { name, role, ...(expect.dtypeReason === undefined ? {} : { reason: expect.dtypeReason }), ...(expect.round === true ? { round: true } : {}) });
}

function checkShape(shape: readonly number[], dims: readonly string[], name: string, role: string): void {
  const wanted = `(${dims.join(', ')})`;
  if (shape.length !== dims.length) {
    throw new NpyError(`'${name}' has shape ${formatShape(shape)} (${shape.length} dimension${shape.length === 1 ? '' : 's'}); ${role} needs ${dims.length} dimension${dims.length === 1 ? '' : 's'} ${wanted}`);
  }
  const empty = shape.findIndex((size) => size < 1);
  if (empty >= 0) throw new NpyError(`'${name}' has shape ${formatShape(shape)}; ${role} needs ${dims[empty]} >= 1 in ${wanted}`);
}

function typedView(dtype: NpyDtype, buffer: ArrayBuffer): NpyData {
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'uint16':
    case 'float16':
      return new Uint16Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'uint32':
      return new Uint32Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
    case 'uint64':
      return new BigUint64Array(buffer);
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
  }
}

/** NumPy's own spelling of a shape: `(3, 9)`, `(5,)`, `()`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function parseHeader(bytes: Uint8Array, name: string): NpyHeader {
  if (bytes.length < MAGIC.length || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new NpyError(`'${name}' is not a .npy file (it does not start with \\x93NUMPY)`);
  }
  const malformed = (problem: string): NpyError => new NpyError(`'${name}' has a malformed .npy header: ${problem}`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let lengthEnd: number;
  if (major === 1) lengthEnd = 10;
  else if (major === 2 || major === 3) lengthEnd = 12;
  else if (major === undefined) throw new NpyError(`'${name}' is truncated: it ends inside the .npy preamble`);
  else throw new NpyError(`'${name}' is .npy format version ${major}.${bytes[7] ?? '?'}, which lutforge does not read (versions 1 to 3)`);
  if (bytes.length < lengthEnd) throw new NpyError(`'${name}' is truncated: it ends inside the .npy preamble`);
  const headerLength = lengthEnd === 10 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = lengthEnd + headerLength;
  if (bytes.length < dataOffset) {
    throw new NpyError(`'${name}' is truncated: its header says ${headerLength} bytes, the file has ${bytes.length - lengthEnd} after the preamble`);
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(lengthEnd, dataOffset)).trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw malformed('it is not a Python dict literal');

  const descr = /['"]descr['"]\s*:\s*(?:'([^']*)'|"([^"]*)"|(\[))/.exec(text);
  if (descr === null) throw malformed("no 'descr' entry");
  if (descr[3] !== undefined) throw new NpyError(`'${name}' holds a structured dtype, which lutforge does not read`);
  const descrText = descr[1] ?? descr[2] ?? '';

  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)\b/.exec(text);
  if (fortran === null) throw malformed("no 'fortran_order' entry of True or False");

  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (shapeMatch === null) throw malformed("no 'shape' tuple");
  const parts = (shapeMatch[1] ?? '').split(',').map((part) => part.trim());
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '') parts.pop();
  const shape = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  if (shape.some((size) => !Number.isSafeInteger(size))) throw malformed(`shape (${shapeMatch[1]}) is not a tuple of non-negative integers`);

  return { ...parseDescr(descrText), fortranOrder: fortran[1] === 'True', shape, dataOffset };
}

function parseDescr(descr: string): { dtype: NpyHeader['dtype']; bigEndian: boolean } {
  const match = /^([<>|=]?)([biuf]\d+)$/.exec(descr);
  const dtype = match === null ? undefined : KIND_SIZE_TO_DTYPE[match[2] ?? ''];
  if (match === null || dtype === undefined) return { dtype: { descr }, bigEndian: false };
  // '=' is the writer's native order; files are written little-endian everywhere that matters.
  return { dtype, bigEndian: match[1] === '>' };
}

/** The NumPy dtype of a typed array this module writes. */
export type NpyWritable = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/** The bytes of a .npy file holding `data` (C order) with `shape`. */
export function encodeNpy(data: NpyWritable, shape: readonly number[]): Uint8Array {
  if (!shape.every((size) => Number.isSafeInteger(size) && size >= 0)) throw new Error(`shape ${formatShape(shape)} is not a list of non-negative integers`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`shape ${formatShape(shape)} holds ${count} elements, the data ${data.length}`);
  return new Uint8Array(dump(data, [...shape]));
}

/** Writes a .npy file atomically: it appears whole or not at all. */
export async function writeNpy(path: string, data: NpyWritable, shape: readonly number[], options: { displayPath?: string } = {}): Promise<void> {
  await writeFileAtomically(path, encodeNpy(data, shape), options);
}

// ---- conversion to the expected dtype ----
// NumPy's default dtypes are int64 and float64: `np.array([[0, 3], [1, 2]])` is int64 even when it
// holds weight codes. Rather than make every user `.astype(...)` before saving, a reader that
// expects one dtype takes others (NpyExpectation.from) and converts them here, element by element,
// as long as each value is exactly representable in the expected dtype. The first value that is
// not is reported with its index and the `.astype(...)` that would store it. Real-valued inputs
// that are about to be quantized anyway (the weights of `quantize`) may ask for rounding instead.

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
  const data = typedView(target, new ArrayBuffer(count * Number(DTYPE_CODE[target].slice(1))));
  const read = elementReader(array);
  for (let i = 0; i < count; i++) {
    const source = read(i);
    const converted = convertElement(source, target, options.round === true);
    if ('problem' in converted) {
      const role = options.role.startsWith('--') ? ` (${options.role})` : '';
      const reason = options.reason === undefined ? '' : ` ${options.reason}`;
      const fix = INTEGER_RANGES[target] === undefined ? `round it with .astype(np.${target})` : `in-range values can be saved with .astype(np.${target})`;
      throw new UsageError(
        `'${options.name}'${role} has dtype ${array.dtype} and holds ${formatElement(source)} at ${formatFlatIndex(i, array.shape)}, which ${target}${reason} cannot hold ${converted.problem}; ${fix}`,
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

function formatElement(value: Element): string {
  return typeof value === 'bigint' ? value.toString() : Object.is(value, -0) ? '-0' : String(value);
}

/** `[i, j]` of a flat C-order index. */
function formatFlatIndex(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!;
    index.unshift(flat % size);
    flat = Math.floor(flat / size);
  }
  return `[${index.join(', ')}]`;
}
