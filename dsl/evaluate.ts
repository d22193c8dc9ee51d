// The value of one operator applied to known operand values: the DSL's arithmetic semantics in
// plain bigint math. The builder uses it to fold operations on constants (so the Verilog never
// holds a constant expression that lint tools flag), and it states precisely what each operator
// means, which tests and reference models can rely on.

/** Every operator an expression node can hold. */
export type Op =
  | 'const' | 'ref'
  | 'add' | 'sub' | 'mul' | 'neg'
  | 'and' | 'or' | 'xor' | 'not'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
  | 'shl' | 'dshl' | 'dshr'
  | 'slice' | 'concat' | 'repeat' | 'ext'
  | 'mux'
  | 'andr' | 'orr' | 'xorr'
  | 'reinterpret';

/** An operand: its unsigned bit pattern and its shape. */
export interface KnownValue {
  readonly bits: bigint;
  readonly width: number;
  readonly signed: boolean;
}

/** The operand as a number: two's complement for signed values. */
function numeric(v: KnownValue): bigint {
  return v.signed ? BigInt.asIntN(v.width, v.bits) : v.bits;
}

/**
 * The result bit pattern (unsigned, `width` bits) of `op` over `args`, or undefined for the
 * operators that are not computations (constants and signal references).
 */
export function evaluateOp(op: Op, width: number, args: readonly KnownValue[], params: readonly number[]): bigint | undefined {
  const fit = (value: bigint): bigint => BigInt.asUintN(width, value);
  const [a, b] = args;
  switch (op) {
    case 'const':
    case 'ref':
      return undefined;
    case 'add': return fit(numeric(a!) + numeric(b!));
    case 'sub': return fit(numeric(a!) - numeric(b!));
    case 'mul': return fit(numeric(a!) * numeric(b!));
    case 'neg': return fit(-numeric(a!));
    // Bitwise operators see operands extended by their signedness to the result width.
    case 'and': return fit(numeric(a!)) & fit(numeric(b!));
    case 'or': return fit(numeric(a!)) | fit(numeric(b!));
    case 'xor': return fit(numeric(a!)) ^ fit(numeric(b!));
    case 'not': return fit(~numeric(a!));
    case 'eq': return numeric(a!) === numeric(b!) ? 1n : 0n;
    case 'ne': return numeric(a!) !== numeric(b!) ? 1n : 0n;
    case 'lt': return numeric(a!) < numeric(b!) ? 1n : 0n;
    case 'le': return numeric(a!) <= numeric(b!) ? 1n : 0n;
    case 'gt': return numeric(a!) > numeric(b!) ? 1n : 0n;
    case 'ge': return numeric(a!) >= numeric(b!) ? 1n : 0n;
    case 'shl': return fit(numeric(a!) << BigInt(params[0]!));
    case 'dshl': return fit(numeric(a!) << b!.bits);
    case 'dshr': return fit(numeric(a!) >> b!.bits);
    case 'slice': return fit(a!.bits >> BigInt(params[1]!));
    case 'concat': return args.reduce((acc, part) => (acc << BigInt(part.width)) | part.bits, 0n);
    case 'repeat': {
      let result = 0n;
      for (let i = 0; i < params[0]!; i++) result = (result << BigInt(a!.width)) | a!.bits;
      return result;
    }
    case 'ext': return params[0] === 1 ? fit(BigInt.asIntN(a!.width, a!.bits)) : a!.bits;
    case 'mux': return fit(numeric(a!.bits === 1n ? b! : args[2]!));
    case 'andr': return a!.bits === (1n << BigInt(a!.width)) - 1n ? 1n : 0n;
    case 'orr': return a!.bits !== 0n ? 1n : 0n;
    case 'xorr': {
      let parity = 0n;
      for (let v = a!.bits; v > 0n; v >>= 1n) parity ^= v & 1n;
      return parity;
    }
    case 'reinterpret': return a!.bits;
  }
}

/**
 * The result of comparison `op` whenever its operands lie in the given ranges (inclusive), or
 * undefined when the ranges leave it open.
 */
export function decidedByRange(op: Op, [aMin, aMax]: [bigint, bigint], [bMin, bMax]: [bigint, bigint]): boolean | undefined {
  const decide = (always: boolean, never: boolean): boolean | undefined => (always ? true : never ? false : undefined);
  switch (op) {
    case 'lt': return decide(aMax < bMin, aMin >= bMax);
    case 'le': return decide(aMax <= bMin, aMin > bMax);
    case 'gt': return decide(aMin > bMax, aMax <= bMin);
    case 'ge': return decide(aMin >= bMax, aMax < bMin);
    case 'eq': return decide(aMin === aMax && bMin === bMax && aMin === bMin, aMax < bMin || bMax < aMin);
    case 'ne': return decide(aMax < bMin || bMax < aMin, aMin === aMax && bMin === bMax && aMin === bMin);
    default: return undefined;
  }
}
