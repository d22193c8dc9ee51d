// Shapes: what a value or a port looks like. Integers are the only leaves the hardware has;
// vectors and bundles are organisation that flattens to one Verilog port or wire per leaf.

import { InvalidNameError, ShapeError } from './errors.js';

export interface IntShape {
  readonly kind: 'int';
  readonly width: number;
  readonly signed: boolean;
}

export interface VecShape<E extends Shape = Shape> {
  readonly kind: 'vec';
  readonly length: number;
  readonly element: E;
}

export interface BundleShape<F extends BundleFields = BundleFields> {
  readonly kind: 'bundle';
  readonly fields: F;
}

/** Reverses the direction of what it wraps: the `ready` of a stream flows against its data. */
export interface FlippedShape<S extends Shape = Shape> {
  readonly kind: 'flipped';
  readonly inner: S;
}

export type Shape = IntShape | VecShape | BundleShape | FlippedShape;
export type BundleFields = { readonly [name: string]: Shape };

/** The widest integer the DSL accepts; far beyond any real datapath, it catches runaway widths. */
export const MAX_WIDTH = 1 << 16;

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw new ShapeError(`width must be an integer from 1 to ${MAX_WIDTH}, got ${width}`);
  }
}

export function UInt(width: number): IntShape {
  checkWidth(width);
  return { kind: 'int', width, signed: false };
}

export function SInt(width: number): IntShape {
  checkWidth(width);
  return { kind: 'int', width, signed: true };
}

export const Bool: IntShape = { kind: 'int', width: 1, signed: false };

export function Vec<E extends Shape>(length: number, element: E): VecShape<E> {
  if (!Number.isInteger(length) || length < 1) {
    throw new ShapeError(`a Vec needs a whole number of elements of at least 1, got ${length}`);
  }
  return { kind: 'vec', length, element };
}

export function Bundle<F extends BundleFields>(fields: F): BundleShape<F> {
  if (Object.keys(fields).length === 0) throw new ShapeError('a Bundle needs at least one field');
  // Field names become parts of Verilog identifiers (`<port>_<field>`).
  for (const name of Object.keys(fields)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(name)) {
      throw new InvalidNameError(`Bundle field name '${name}' is not usable: use letters, digits and '_' (not first)`);
    }
  }
  return { kind: 'bundle', fields };
}

export function Flipped<S extends Shape>(inner: S): FlippedShape<S> {
  return { kind: 'flipped', inner };
}

/** A valid/ready stream as seen by its producer: `valid` and `data` flow out, `ready` flows back. */
export function Stream<D extends Shape>(data: D): BundleShape<{ valid: IntShape; ready: FlippedShape<IntShape>; data: D }> {
  return Bundle({ valid: Bool, ready: Flipped(Bool), data });
}

export function describeShape(shape: IntShape): string {
  return `${shape.width}-bit ${shape.signed ? 'signed' : 'unsigned'}`;
}

/** Bits needed to count `n` distinct values (at least one bit, since Verilog has no 0-bit wires). */
export function bitsFor(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new ShapeError(`bitsFor needs a positive integer, got ${n}`);
  let bits = 1;
  while (2 ** bits < n) bits++;
  return bits;
}

/** Bits to hold `value` unsigned (value >= 0) or signed. */
export function widthOf(value: bigint, signed: boolean): number {
  if (!signed) {
    if (value < 0n) throw new ShapeError(`${value} is negative and cannot be an unsigned constant`);
    return Math.max(1, value.toString(2).length);
  }
  const magnitude = value < 0n ? -value - 1n : value;
  return magnitude === 0n ? 1 : magnitude.toString(2).length + 1;
}

/** The leaf (integer) positions of a shape, with their flattened name suffixes and directions. */
export interface ShapeLeaf {
  readonly suffix: string;
  readonly shape: IntShape;
  readonly flipped: boolean;
}

export function shapeLeaves(shape: Shape, suffix = '', flipped = false): ShapeLeaf[] {
  switch (shape.kind) {
    case 'int':
      return [{ suffix, shape, flipped }];
    case 'flipped':
      return shapeLeaves(shape.inner, suffix, !flipped);
    case 'vec': {
      const leaves: ShapeLeaf[] = [];
      for (let i = 0; i < shape.length; i++) leaves.push(...shapeLeaves(shape.element, `${suffix}_${i}`, flipped));
      return leaves;
    }
    case 'bundle': {
      const leaves: ShapeLeaf[] = [];
      for (const [name, field] of Object.entries(shape.fields)) leaves.push(...shapeLeaves(field, `${suffix}_${name}`, flipped));
      return leaves;
    }
  }
}
