// Memories in the form Yosys maps to block RAM: an array with no reset, written in a clocked
// block, read through a registered (synchronous) port.

import { ShapeError, SignMismatchError, WidthMismatchError } from './errors.js';
import { asUnsignedBits, toBigInt } from './bits.js';
import type { Expr, Operand } from './expr.js';
import { bitsFor, widthOf, type IntShape } from './shape.js';
import type { MemoryStyle } from './ir.js';
import type { Signal } from './signal.js';
import type { SourceLoc } from './source.js';

export type { MemoryStyle } from './ir.js';

export interface MemoryOptions {
  /** Shape of one word. */
  readonly shape: IntShape;
  /** Number of words. */
  readonly depth: number;
  /** Initial contents from address 0 (shorter lists leave the rest zero). */
  readonly init?: readonly (number | bigint)[];
  /**
   * The FPGA resource asked of synthesis (`ram_style`): `block` for deep buffers, `distributed`
   * for small ones; absent, Yosys chooses.
   */
  readonly style?: MemoryStyle;
}

export interface MemoryReadPort {
  readonly data: Signal;
  readonly address: Expr;
  readonly enable: Expr | null;
}

/** What a memory needs from its module: the port plumbing lives in the builder. */
export interface MemoryHost {
  readonly moduleName: string;
  memoryRead(memory: Memory, address: Expr, enable: Operand | undefined, name: string | undefined): Signal;
  memoryWrite(memory: Memory, address: Expr, data: Operand, enable: Operand | undefined): void;
}

export class Memory {
  readonly readPorts: MemoryReadPort[] = [];
  readonly init: readonly bigint[] | null;
  readonly addressWidth: number;

  constructor(
    readonly name: string,
    readonly shape: IntShape,
    readonly depth: number,
    init: readonly (number | bigint)[] | undefined,
    readonly clock: Signal,
    readonly host: MemoryHost,
    readonly loc: SourceLoc | undefined,
    readonly style: MemoryStyle | undefined = undefined,
  ) {
    if (!Number.isInteger(depth) || depth < 2) throw new ShapeError(`memory '${name}' needs a depth of at least 2 words, got ${depth}`);
    this.addressWidth = bitsFor(depth);
    if (init && init.length > depth) {
      throw new ShapeError(`memory '${name}' has ${depth} words but ${init.length} initial values`);
    }
    this.init = init ? init.map((value, i) => checkWord(name, toBigInt(value), shape, i)) : null;
  }

  /**
   * A synchronous read port: the word at `address` appears on the returned signal one clock later.
   * Reading the address being written in the same cycle returns the old word (read-first), and
   * the data holds while `enable` is low.
   */
  read(address: Expr, options: { enable?: Operand; name?: string } = {}): Signal {
    this.checkAddress(address);
    return this.host.memoryRead(this, address, options.enable, options.name);
  }

  /** Write `data` at `address` on the next clock edge (under the enclosing `when` conditions). */
  write(address: Expr, data: Operand, enable?: Operand): void {
    this.checkAddress(address);
    this.host.memoryWrite(this, address, data, enable);
  }

  private checkAddress(address: Expr): void {
    if (address.signed) throw new SignMismatchError(`memory '${this.name}' address must be unsigned, got ${address.label()}`);
    if (address.width !== this.addressWidth) {
      throw new WidthMismatchError(
        `memory '${this.name}' (${this.depth} words) takes a ${this.addressWidth}-bit address, got ${address.label()}`,
      );
    }
  }
}

function checkWord(name: string, value: bigint, shape: IntShape, index: number): bigint {
  if ((!shape.signed && value < 0n) || widthOf(value, shape.signed) > shape.width) {
    throw new ShapeError(`memory '${name}' initial value ${value} at address ${index} does not fit the ${shape.width}-bit word (${shape.signed ? 'signed' : 'unsigned'})`);
  }
  return asUnsignedBits(value, shape.width);
}
