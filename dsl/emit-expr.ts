// Expressions to Verilog text. Every text this file produces has a self-determined width equal to
// its node's width and is unsigned at the Verilog level; operands are extended explicitly and
// signedness appears only as `$signed()` where an operator needs it. That keeps the output free of
// Verilog's context-dependent width and sign rules, and clean under `verilator -Wall`.

import type { Expr } from './expr.js';
import { isSignalRef, type SignalIR } from './ir.js';
import type { SourceLoc } from './source.js';

/** Inline expressions longer than this get a wire of their own, so lines stay readable. */
const MAX_INLINE_LENGTH = 100;

const binarySymbol: Partial<Record<Expr['op'], string>> = {
  add: '+', sub: '-', mul: '*', and: '&', or: '|', xor: '^',
  eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=',
};

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const partSelectPattern = /^[A-Za-z_][A-Za-z0-9_]*\[\d+(:\d+)?\]$/;

/**
 * A sized literal of the bit pattern `value`. Negative signed values read better as a bit pattern
 * than as a large decimal, so they are written in hex (`8'hfd` for -3).
 */
export function literal(width: number, value: bigint, signed = false): string {
  if (width === 1) return `1'b${value}`;
  const negative = signed && value >> BigInt(width - 1) === 1n;
  return value < 0x1_0000_0000n && !negative ? `${width}'d${value}` : `${width}'h${value.toString(16)}`;
}

export function declarationRange(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0] `;
}

/** Bits of a named signal that the emitted text reads; the rest must be sunk for lint. */
export class BitUsage {
  private readonly ranges = new Map<string, Array<[number, number]>>();
  private readonly whole = new Set<string>();

  all(name: string): void {
    this.whole.add(name);
  }

  range(name: string, hi: number, lo: number): void {
    if (this.whole.has(name)) return;
    let list = this.ranges.get(name);
    if (!list) this.ranges.set(name, (list = []));
    list.push([hi, lo]);
  }

  /** Verilog selects for the bits of `name` that nothing reads (empty when all are read). */
  unused(name: string, width: number): string[] {
    if (this.whole.has(name)) return [];
    const used = new Uint8Array(width);
    for (const [hi, lo] of this.ranges.get(name) ?? []) used.fill(1, lo, hi + 1);
    const selects: string[] = [];
    for (let hi = width - 1; hi >= 0; ) {
      if (used[hi]) {
        hi--;
        continue;
      }
      let lo = hi;
      while (lo > 0 && !used[lo - 1]) lo--;
      selects.push(hi === width - 1 && lo === 0 ? name : hi === lo ? `${name}[${hi}]` : `${name}[${hi}:${lo}]`);
      hi = lo - 1;
    }
    return selects;
  }
}

export interface TempWire {
  readonly name: string;
  readonly width: number;
  readonly signed: boolean;
  readonly text: string;
  /** The user's line of the statement that first reads it. */
  readonly loc: SourceLoc | undefined;
}

export class ExprEmitter {
  readonly temps: TempWire[] = [];
  readonly usage = new BitUsage();
  private readonly texts = new Map<Expr, string>();
  private readonly useCount = new Map<Expr, number>();
  private tempCounter = 0;
  /** The statement being emitted: temps created now are named after its line. */
  loc: SourceLoc | undefined;

  /** How many times `countUses` found `e` read (a signal: how many places read it). */
  uses(e: Expr): number {
    return this.useCount.get(e) ?? 0;
  }

  /** Counts how often each node is read from `roots`, so shared nodes are emitted once as wires. */
  countUses(roots: Iterable<Expr>): void {
    const stack: Expr[] = [...roots];
    while (stack.length > 0) {
      const e = stack.pop()!;
      const seen = this.useCount.get(e) ?? 0;
      this.useCount.set(e, seen + 1);
      if (seen === 0 && !isSignalRef(e)) for (const arg of e.args) stack.push(arg);
    }
  }

  /** The Verilog text of `root` (operands computed first, without recursion). */
  text(root: Expr): string {
    const ready = this.texts.get(root);
    if (ready !== undefined) return this.track(ready);
    const stack: Expr[] = [root];
    while (stack.length > 0) {
      const e = stack[stack.length - 1]!;
      if (this.texts.has(e)) {
        stack.pop();
        continue;
      }
      let pending = false;
      if (!isSignalRef(e)) {
        for (const arg of e.args) {
          if (!this.texts.has(arg)) {
            stack.push(arg);
            pending = true;
          }
        }
      }
      if (pending) continue;
      stack.pop();
      this.texts.set(e, this.build(e, root));
    }
    return this.track(this.texts.get(root)!);
  }

  /** A name (signal or temp wire) holding `e`, for part-selects; the caller records which bits it reads. */
  private ident(e: Expr): string {
    const t = this.texts.get(e)!;
    return identifierPattern.test(t) ? t : this.hoist(e, t);
  }

  private hoist(e: Expr, text: string): string {
    const name = `_${e.op}_${++this.tempCounter}`;
    this.temps.push({ name, width: e.width, signed: e.signed, text, loc: this.loc });
    this.texts.set(e, name);
    return name;
  }

  /** A text that is a bare name reads that whole signal or temp. */
  private track(t: string): string {
    if (identifierPattern.test(t)) this.usage.all(t);
    return t;
  }

  private operand(e: Expr): string {
    const t = this.track(this.texts.get(e)!);
    return isAtomic(t) ? t : `(${t})`;
  }

  /** `e` widened to `width` bits, sign-extended if `signExtend` (by default: if `e` is signed). */
  private extended(e: Expr, width: number, signExtend = e.signed): string {
    if (e.width === width) return this.operand(e);
    if (e.op === 'const') return literal(width, signExtend ? BigInt.asUintN(width, BigInt.asIntN(e.width, e.value)) : e.value, e.signed);
    const grow = width - e.width;
    if (!signExtend) return `{${literal(grow, 0n)}, ${this.operand(e)}}`;
    const name = this.track(this.ident(e));
    const sign = this.bitOf(name, e.width, e.width - 1);
    return `{${grow === 1 ? sign : `{${grow}{${sign}}}`}, ${name}}`;
  }

  private bitOf(name: string, width: number, index: number): string {
    if (width === 1) return name;
    this.usage.range(name, index, index);
    return `${name}[${index}]`;
  }

  private build(e: Expr, root: Expr): string {
    const text = this.buildText(e);
    // A part-select of a name is as short as a temp's name would be: shared or not, it stays inline.
    if (isSignalRef(e) || e.op === 'const' || partSelectPattern.test(text)) return text;
    // A long root gets no temp: its statement is the line it would move to.
    if ((this.useCount.get(e) ?? 0) > 1 || (text.length > MAX_INLINE_LENGTH && e !== root)) return this.hoist(e, text);
    return text;
  }

  private buildText(e: Expr): string {
    const [a, b] = e.args;
    const w = e.width;
    switch (e.op) {
      case 'ref':
        return (e as SignalIR).name;
      case 'const':
        return literal(w, e.value, e.signed);
      case 'add': case 'sub': case 'mul': case 'and': case 'or': case 'xor':
        return `${this.extended(a!, w)} ${binarySymbol[e.op]} ${this.extended(b!, w)}`;
      case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': {
        const common = Math.max(a!.width, b!.width);
        const ordered = e.op !== 'eq' && e.op !== 'ne' && a!.signed;
        const left = this.extended(a!, common);
        const right = this.extended(b!, common);
        return ordered ? `$signed(${left}) ${binarySymbol[e.op]} $signed(${right})` : `${left} ${binarySymbol[e.op]} ${right}`;
      }
      case 'neg':
        return `-${this.extended(a!, w)}`;
      case 'not':
        return `~${this.operand(a!)}`;
      case 'andr':
        return `&${this.operand(a!)}`;
      case 'orr':
        return `|${this.operand(a!)}`;
      case 'xorr':
        return `^${this.operand(a!)}`;
      case 'shl':
        return `{${this.operand(a!)}, ${literal(e.params[0]!, 0n)}}`;
      case 'dshl':
        return `${this.extended(a!, w)} << ${this.operand(b!)}`;
      case 'dshr':
        return a!.signed
          ? `$unsigned($signed(${this.operand(a!)}) >>> ${this.operand(b!)})`
          : `${this.operand(a!)} >> ${this.operand(b!)}`;
      case 'slice': {
        const [hi, lo] = e.params as [number, number];
        const name = this.ident(a!);
        if (a!.width === 1) return name;
        this.usage.range(name, hi, lo);
        return hi === lo ? `${name}[${hi}]` : `${name}[${hi}:${lo}]`;
      }
      case 'concat':
        return `{${e.args.map((arg) => this.operand(arg)).join(', ')}}`;
      case 'repeat':
        return `{${e.params[0]}{${this.operand(a!)}}}`;
      case 'ext':
        return this.extended(a!, w, e.params[0] === 1);
      case 'mux':
        return `${this.operand(a!)} ? ${this.extended(b!, w)} : ${this.extended(e.args[2]!, w)}`;
      case 'reinterpret':
        return this.texts.get(a!)!;
    }
  }
}

/** Texts that need no parentheses as an operand. */
function isAtomic(t: string): boolean {
  if (identifierPattern.test(t) || /^\d+'[bdh][0-9a-f]+$/.test(t)) return true;
  if (partSelectPattern.test(t)) return true;
  if (t.startsWith('{') && t.endsWith('}') && balancedSpan(t) === t.length - 1) return true;
  return false;
}

/** Index of the brace closing the one at position 0. */
function balancedSpan(t: string): number {
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '{') depth++;
    else if (t[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
