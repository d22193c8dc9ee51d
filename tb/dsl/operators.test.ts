// Every Expr operator, simulated in Verilator and compared against bigint math. Operands mix
// widths and cover both signednesses; each suite is one module with an output per case, driven
// by crossed extremes (0, 1, max, min, -1, lone MSB) plus seeded random vectors in one run.

import { describe, expect, it } from 'vitest';
import { Bool, cat, defineModule, emitVerilog, lit, mux, select, SInt, UInt, type Expr, type IntShape } from '../../dsl/index.js';
import { bitsOf, combSuite, expectLintClean, once, popcount, runCombinational, wrap, type CombCase, type CombGroup, type SignalsOf, type ValuesOf } from './harness.js';

/** Case builders with less ceremony: name, what is checked, documented width, expression, math. */
function cases<I extends Record<string, IntShape>>() {
  const make =
    (signed: boolean) =>
    (name: string, what: string, width: number, build: (io: SignalsOf<I>) => Expr, model: (v: ValuesOf<I>) => bigint): CombCase<I> => ({
      name,
      what,
      width,
      signed,
      build,
      model,
    });
  return { u: make(false), s: make(true) };
}

const parity = (value: bigint, width: number): bigint => BigInt(popcount(bitsOf(value, width)) & 1);
const b2n = (condition: boolean): bigint => (condition ? 1n : 0n);

// ---- arithmetic, bitwise, reductions and JS constants ------------------------------------------------

const core = { a: UInt(8), b: UInt(5), c: SInt(8), d: SInt(5), f: SInt(1), g: UInt(1) };
const coreGroups: CombGroup<typeof core>[] = [];
{
  const { u, s } = cases<typeof core>();
  coreGroups.push({
    title: 'add, sub, mul, neg and JS constants',
    cases: [
      // add/sub grow one bit past the wider operand, so they never overflow.
      u('add_uu', 'unsigned 8 + 5 bits grows to 9 bits', 9, (io) => io.a.add(io.b), (v) => v.a + v.b),
      u('add_uu_rev', 'unsigned 5 + 8 bits (narrow operand first)', 9, (io) => io.b.add(io.a), (v) => v.b + v.a),
      s('add_ss', 'signed 8 + 5 bits sign-extends the narrow operand', 9, (io) => io.c.add(io.d), (v) => v.c + v.d),
      s('add_ss_rev', 'signed 5 + 8 bits (narrow operand first)', 9, (io) => io.d.add(io.c), (v) => v.d + v.c),
      u('add_1bit_u', 'unsigned 1 + 1 bits', 2, (io) => io.g.add(io.g), (v) => 2n * v.g),
      s('add_1bit_s', 'signed 1 + 1 bits (-1 + -1 = -2)', 2, (io) => io.f.add(io.f), (v) => 2n * v.f),
      u('sub_uu', 'unsigned a - b wraps modulo 2^9', 9, (io) => io.a.sub(io.b), (v) => wrap(v.a - v.b, 9, false)),
      u('sub_uu_rev', 'unsigned b - a wraps modulo 2^9', 9, (io) => io.b.sub(io.a), (v) => wrap(v.b - v.a, 9, false)),
      s('sub_ss', 'signed c - d is exact', 9, (io) => io.c.sub(io.d), (v) => v.c - v.d),
      s('sub_ss_rev', 'signed d - c is exact', 9, (io) => io.d.sub(io.c), (v) => v.d - v.c),
      u('addwrap_uu', 'addWrap keeps the wider width (8 bits), wrapping', 8, (io) => io.a.addWrap(io.b), (v) => wrap(v.a + v.b, 8, false)),
      u('addwrap_uu_rev', 'addWrap with the narrow operand first', 8, (io) => io.b.addWrap(io.a), (v) => wrap(v.b + v.a, 8, false)),
      s('addwrap_ss', 'signed addWrap wraps in two’s complement', 8, (io) => io.c.addWrap(io.d), (v) => wrap(v.c + v.d, 8, true)),
      s('addwrap_ss_rev', 'signed addWrap with the narrow operand first', 8, (io) => io.d.addWrap(io.c), (v) => wrap(v.d + v.c, 8, true)),
      u('subwrap_uu', 'unsigned subWrap a - b', 8, (io) => io.a.subWrap(io.b), (v) => wrap(v.a - v.b, 8, false)),
      u('subwrap_uu_rev', 'unsigned subWrap b - a', 8, (io) => io.b.subWrap(io.a), (v) => wrap(v.b - v.a, 8, false)),
      s('subwrap_ss', 'signed subWrap c - d', 8, (io) => io.c.subWrap(io.d), (v) => wrap(v.c - v.d, 8, true)),
      s('subwrap_ss_rev', 'signed subWrap d - c', 8, (io) => io.d.subWrap(io.c), (v) => wrap(v.d - v.c, 8, true)),
      u('mul_uu', 'unsigned 8 x 5 bits is exact in 13 bits', 13, (io) => io.a.mul(io.b), (v) => v.a * v.b),
      s('mul_ss', 'signed 8 x 5 bits is exact in 13 bits', 13, (io) => io.c.mul(io.d), (v) => v.c * v.d),
      s('mul_ss_rev', 'signed 5 x 8 bits', 13, (io) => io.d.mul(io.c), (v) => v.d * v.c),
      s('mul_ss_square', 'signed square, (-128)^2 included', 16, (io) => io.c.mul(io.c), (v) => v.c * v.c),
      s('mul_s_by_1bit', 'signed times a 1-bit signed (0 or -1): -(-128) = 128 fits', 9, (io) => io.c.mul(io.f), (v) => v.c * v.f),
      u('mul_uu_1bit', 'unsigned times a 1-bit unsigned', 9, (io) => io.a.mul(io.g), (v) => v.a * v.g),
      s('neg_u', 'negating an unsigned value gives a signed one bit wider', 9, (io) => io.a.neg(), (v) => -v.a),
      s('neg_u5', 'negating a 5-bit unsigned value', 6, (io) => io.b.neg(), (v) => -v.b),
      s('neg_s', 'negating a signed value is exact, -(-128) = 128', 9, (io) => io.c.neg(), (v) => -v.c),
      s('neg_s1', 'negating a 1-bit signed value (-(-1) = 1)', 2, (io) => io.f.neg(), (v) => -v.f),

      // JS constants take the signedness of their partner and as few bits as they need.
      u('const_add_u', 'a + 3', 9, (io) => io.a.add(3), (v) => v.a + 3n),
      u('const_add_big_u', 'a + 1000 (the constant is wider than a)', 11, (io) => io.a.add(1000n), (v) => v.a + 1000n),
      u('const_sub_u', 'a - 3 wraps modulo 2^9', 9, (io) => io.a.sub(3), (v) => wrap(v.a - 3n, 9, false)),
      u('const_addwrap_u', 'a +% 1', 8, (io) => io.a.addWrap(1), (v) => wrap(v.a + 1n, 8, false)),
      u('const_mul_u', 'a * 5', 11, (io) => io.a.mul(5), (v) => v.a * 5n),
      s('const_add_neg_s', 'c + (-3)', 9, (io) => io.c.add(-3), (v) => v.c - 3n),
      s('const_add_s', 'c + 100', 9, (io) => io.c.add(100), (v) => v.c + 100n),
      s('const_add_wide_s', 'd + 100 (the constant is wider than d)', 9, (io) => io.d.add(100), (v) => v.d + 100n),
      s('const_add_bool_s', 'c + true (a boolean is 1)', 9, (io) => io.c.add(true), (v) => v.c + 1n),
      s('const_sub_min_s', 'c - (-128)', 9, (io) => io.c.sub(-128), (v) => v.c + 128n),
      s('const_subwrap_s', 'c -% 1', 8, (io) => io.c.subWrap(1), (v) => wrap(v.c - 1n, 8, true)),
      s('const_mul_neg_s', 'c * -3', 11, (io) => io.c.mul(-3), (v) => v.c * -3n),
      s('const_mul_m1_s', 'c * -1', 9, (io) => io.c.mul(-1), (v) => -v.c),
    ],
  });
  coreGroups.push({
    title: 'bitwise operators and reductions',
    cases: [
      // Bitwise operators extend the narrower operand: zeros for unsigned, sign for signed.
      u('and_uu', 'unsigned a & b (b zero-extended)', 8, (io) => io.a.and(io.b), (v) => v.a & v.b),
      u('or_uu', 'unsigned a | b', 8, (io) => io.a.or(io.b), (v) => v.a | v.b),
      u('xor_uu', 'unsigned a ^ b', 8, (io) => io.a.xor(io.b), (v) => v.a ^ v.b),
      u('or_uu_rev', 'unsigned b | a (narrow operand first)', 8, (io) => io.b.or(io.a), (v) => v.b | v.a),
      s('and_ss', 'signed c & d (d sign-extended)', 8, (io) => io.c.and(io.d), (v) => v.c & v.d),
      s('or_ss', 'signed c | d', 8, (io) => io.c.or(io.d), (v) => v.c | v.d),
      s('xor_ss', 'signed c ^ d', 8, (io) => io.c.xor(io.d), (v) => v.c ^ v.d),
      s('xor_ss_rev', 'signed d ^ c (narrow operand first)', 8, (io) => io.d.xor(io.c), (v) => v.d ^ v.c),
      s('and_s_1bit', 'signed c & f (the 1-bit -1 extends to all ones)', 8, (io) => io.c.and(io.f), (v) => v.c & v.f),
      u('not_u', 'unsigned ~a', 8, (io) => io.a.not(), (v) => v.a ^ 0xffn),
      u('not_u5', 'unsigned ~b', 5, (io) => io.b.not(), (v) => v.b ^ 0x1fn),
      s('not_s', 'signed ~c = -c - 1', 8, (io) => io.c.not(), (v) => ~v.c),
      s('not_s1', 'signed 1-bit ~f', 1, (io) => io.f.not(), (v) => ~v.f),
      u('const_and_u', 'a & 0x0f', 8, (io) => io.a.and(0x0f), (v) => v.a & 0x0fn),
      u('const_xor_u', 'a ^ 255', 8, (io) => io.a.xor(255), (v) => v.a ^ 255n),
      s('const_and_s', 'c & 15 (a positive constant is zero above bit 3)', 8, (io) => io.c.and(15), (v) => v.c & 15n),
      s('const_or_neg_s', 'c | -2 (a negative constant sign-extends)', 8, (io) => io.c.or(-2), (v) => v.c | -2n),

      // Reductions read the bit pattern, whatever the signedness.
      u('andr_u', '&a', 1, (io) => io.a.andR(), (v) => b2n(v.a === 0xffn)),
      u('andr_s', '&c (all ones is -1)', 1, (io) => io.c.andR(), (v) => b2n(v.c === -1n)),
      u('andr_s1', '&f of a 1-bit signed value', 1, (io) => io.f.andR(), (v) => b2n(v.f === -1n)),
      u('orr_u', '|b', 1, (io) => io.b.orR(), (v) => b2n(v.b !== 0n)),
      u('orr_s', '|c', 1, (io) => io.c.orR(), (v) => b2n(v.c !== 0n)),
      u('xorr_u', '^a (parity)', 1, (io) => io.a.xorR(), (v) => parity(v.a, 8)),
      u('xorr_s', '^c (parity of the bit pattern)', 1, (io) => io.c.xorR(), (v) => parity(v.c, 8)),
      u('xorr_s5', '^d', 1, (io) => io.d.xorR(), (v) => parity(v.d, 5)),
      u('xorr_1bit', '^g of one bit', 1, (io) => io.g.xorR(), (v) => v.g),
    ],
  });
}

// ---- comparisons ----------------------------------------------------------------------------------------

{
  const { u } = cases<typeof core>();
  type Pair = readonly ['a' | 'b', 'a' | 'b'] | readonly ['c' | 'd' | 'f', 'c' | 'd' | 'f'];
  const pairs: readonly Pair[] = [['a', 'b'], ['b', 'a'], ['a', 'a'], ['c', 'd'], ['d', 'c'], ['c', 'c'], ['f', 'd']];
  const ops = {
    eq: (x: bigint, y: bigint) => x === y,
    ne: (x: bigint, y: bigint) => x !== y,
    lt: (x: bigint, y: bigint) => x < y,
    le: (x: bigint, y: bigint) => x <= y,
    gt: (x: bigint, y: bigint) => x > y,
    ge: (x: bigint, y: bigint) => x >= y,
  } as const;
  const generated: CombCase<typeof core>[] = [];
  for (const [x, y] of pairs) {
    for (const [op, math] of Object.entries(ops)) {
      const signed = x === 'c' || x === 'd' || x === 'f';
      generated.push(
        u(
          `${op}_${x}${y}`,
          `${x} ${op} ${y} (${signed ? 'signed, so -1 < 0' : 'unsigned'}, ${core[x].width} vs ${core[y].width} bits)`,
          1,
          (io) => io[x][op as keyof typeof ops](io[y]),
          (v) => b2n(math(v[x], v[y])),
        ),
      );
    }
  }
  coreGroups.push({
    title: 'comparisons (signed operands compare signed)',
    cases: [
      ...generated,
      u('const_lt_u', 'a < 3', 1, (io) => io.a.lt(3), (v) => b2n(v.a < 3n)),
      u('const_ge_u', 'a >= 255', 1, (io) => io.a.ge(255), (v) => b2n(v.a >= 255n)),
      u('const_eq_u', 'a == 0', 1, (io) => io.a.eq(0), (v) => b2n(v.a === 0n)),
      u('const_gt_wide_u', 'b > 20 (constant as wide as b)', 1, (io) => io.b.gt(20), (v) => b2n(v.b > 20n)),
      u('const_lt_wider_u', 'b < 100 (constant wider than b)', 1, (io) => io.b.lt(100), (v) => b2n(v.b < 100n)),
      u('const_lt_neg_s', 'c < -3 is a signed comparison', 1, (io) => io.c.lt(-3), (v) => b2n(v.c < -3n)),
      u('const_gt_neg_s', 'd > -3', 1, (io) => io.d.gt(-3), (v) => b2n(v.d > -3n)),
      u('const_le_min_s', 'c <= -128', 1, (io) => io.c.le(-128), (v) => b2n(v.c <= -128n)),
      u('const_ge_zero_s', 'c >= 0', 1, (io) => io.c.ge(0), (v) => b2n(v.c >= 0n)),
      u('const_lt_wider_s', 'd < 100 (constant wider than d)', 1, (io) => io.d.lt(100), (v) => b2n(v.d < 100n)),
      u('const_gt_wider_neg_s', 'd > -100 (negative constant wider than d)', 1, (io) => io.d.gt(-100), (v) => b2n(v.d > -100n)),
      u('const_eq_neg_s', 'c == -1', 1, (io) => io.c.eq(-1), (v) => b2n(v.c === -1n)),
      u('const_ne_neg_s', 'd != -16', 1, (io) => io.d.ne(-16), (v) => b2n(v.d !== -16n)),
      u('const_lt_s1', 'f < 0 on a 1-bit signed value', 1, (io) => io.f.lt(0), (v) => b2n(v.f < 0n)),
    ],
  });
}

combSuite('arithmetic, bitwise and comparison operators', {
  module: 'ops_core',
  inputs: core,
  vectors: { seed: 1, cross: [['a', 'b'], ['c', 'd'], ['f', 'g'], ['f', 'd']], mixed: 64, random: 48 },
  groups: coreGroups,
});

// ---- shifts, bit manipulation, mux and select ----------------------------------------------------------------

const bitsInputs = { a: UInt(8), b: UInt(5), c: SInt(8), d: SInt(5), g: UInt(1), s: UInt(3), t: UInt(4), p: Bool, s2: UInt(2), s3: UInt(3) };
const bitsGroups: CombGroup<typeof bitsInputs>[] = [];
{
  const { u, s } = cases<typeof bitsInputs>();
  bitsGroups.push({
    title: 'shifts, slices, concatenation and width changes',
    cases: [
      u('shl_u3', 'a << 3 grows by 3 bits', 11, (io) => io.a.shl(3), (v) => v.a << 3n),
      s('shl_s3', 'signed c << 3 keeps the sign', 11, (io) => io.c.shl(3), (v) => v.c * 8n),
      u('shl_u0', 'a << 0 is a', 8, (io) => io.a.shl(0), (v) => v.a),
      u('shr_u3', 'a >> 3 drops the low bits', 5, (io) => io.a.shr(3), (v) => v.a >> 3n),
      s('shr_s3', 'signed c >> 3 is arithmetic', 5, (io) => io.c.shr(3), (v) => v.c >> 3n),
      u('shr_u7', 'a >> 7 leaves the MSB', 1, (io) => io.a.shr(7), (v) => v.a >> 7n),
      s('shr_s7', 'signed c >> 7 leaves the sign (0 or -1)', 1, (io) => io.c.shr(7), (v) => v.c >> 7n),
      u('shr_u8', 'a >> 8 (amount = width) is 0', 1, (io) => io.a.shr(8), () => 0n),
      u('shr_u12', 'a >> 12 (amount > width) is 0', 1, (io) => io.a.shr(12), () => 0n),
      s('shr_s8', 'signed c >> 8 (amount = width) is the sign', 1, (io) => io.c.shr(8), (v) => v.c >> 8n),
      s('shr_s20', 'signed c >> 20 (amount > width) is the sign', 1, (io) => io.c.shr(20), (v) => v.c >> 20n),
      u('dshl_u', 'a << s grows to hold the largest amount', 15, (io) => io.a.shl(io.s), (v) => v.a << v.s),
      s('dshl_s', 'signed c << s', 15, (io) => io.c.shl(io.s), (v) => v.c << v.s),
      u('dshl_u_t', 'a << t by up to 15', 23, (io) => io.a.shl(io.t), (v) => v.a << v.t),
      s('dshl_s_t', 'signed d << t by up to 15', 20, (io) => io.d.shl(io.t), (v) => v.d << v.t),
      u('dshl_1bit', 'a << g with a 1-bit amount', 9, (io) => io.a.shl(io.g), (v) => v.a << v.g),
      u('dshr_u', 'a >> s keeps the width', 8, (io) => io.a.shr(io.s), (v) => v.a >> v.s),
      s('dshr_s', 'signed c >> s is arithmetic', 8, (io) => io.c.shr(io.s), (v) => v.c >> v.s),
      u('dshr_u_t', 'a >> t, amounts past the width give 0', 8, (io) => io.a.shr(io.t), (v) => v.a >> v.t),
      s('dshr_s_t', 'signed c >> t, amounts past the width give the sign', 8, (io) => io.c.shr(io.t), (v) => v.c >> v.t),
      s('dshr_s5_t', 'signed d >> t', 5, (io) => io.d.shr(io.t), (v) => v.d >> v.t),

      u('slice_u', 'a[6:2]', 5, (io) => io.a.slice(6, 2), (v) => (v.a >> 2n) & 31n),
      u('slice_s', 'c[6:2] is unsigned bits', 5, (io) => io.c.slice(6, 2), (v) => (bitsOf(v.c, 8) >> 2n) & 31n),
      u('slice_full_s', 'c[7:0] reads c unsigned', 8, (io) => io.c.slice(7, 0), (v) => bitsOf(v.c, 8)),
      u('slice_full_u', 'a[7:0] is a', 8, (io) => io.a.slice(7, 0), (v) => v.a),
      u('slice_top_s', 'd[4:1]', 4, (io) => io.d.slice(4, 1), (v) => bitsOf(v.d, 5) >> 1n),
      u('bit_u0', 'a[0]', 1, (io) => io.a.bit(0), (v) => v.a & 1n),
      u('bit_s3', 'd[3]', 1, (io) => io.d.bit(3), (v) => (bitsOf(v.d, 5) >> 3n) & 1n),
      u('msb_u', 'msb of a', 1, (io) => io.a.msb(), (v) => v.a >> 7n),
      u('msb_s', 'msb of c is its sign', 1, (io) => io.c.msb(), (v) => b2n(v.c < 0n)),
      u('bit_1bit', 'g[0] of a 1-bit value', 1, (io) => io.g.bit(0), (v) => v.g),

      u('concat_uu', '{a, b}', 13, (io) => io.a.concat(io.b), (v) => (v.a << 5n) | v.b),
      u('concat_ss', '{c, d} concatenates bit patterns, unsigned', 13, (io) => io.c.concat(io.d), (v) => (bitsOf(v.c, 8) << 5n) | bitsOf(v.d, 5)),
      u('cat3', 'cat(b, c, a), first most significant', 21, (io) => cat(io.b, io.c, io.a), (v) => (v.b << 16n) | (bitsOf(v.c, 8) << 8n) | v.a),
      u('cat1_s', 'cat(c) alone is c as unsigned', 8, (io) => cat(io.c), (v) => bitsOf(v.c, 8)),
      u('concat_bits', '{g, g, g}', 3, (io) => io.g.concat(io.g, io.g), (v) => v.g * 7n),
      u('repeat_u', '{3{a}}', 24, (io) => io.a.repeat(3), (v) => v.a * 0x010101n),
      u('repeat_s', '{2{d}} of a signed value is unsigned', 10, (io) => io.d.repeat(2), (v) => bitsOf(v.d, 5) * 33n),
      u('repeat_1', '{1{c}} is c unsigned', 8, (io) => io.c.repeat(1), (v) => bitsOf(v.c, 8)),
      u('repeat_bit', '{5{g}}', 5, (io) => io.g.repeat(5), (v) => v.g * 31n),

      u('extend_u', 'extend of unsigned zero-fills', 12, (io) => io.a.extend(12), (v) => v.a),
      s('extend_s', 'extend of signed sign-fills', 12, (io) => io.c.extend(12), (v) => v.c),
      u('extend_same', 'extend to the same width', 8, (io) => io.a.extend(8), (v) => v.a),
      u('sext_u', 'sext of unsigned copies the MSB and stays unsigned', 12, (io) => io.a.sext(12), (v) => bitsOf(BigInt.asIntN(8, v.a), 12)),
      s('zext_s', 'zext of signed fills zeros and stays signed', 12, (io) => io.c.zext(12), (v) => bitsOf(v.c, 8)),
      s('sext_s', 'sext of signed', 9, (io) => io.d.sext(9), (v) => v.d),
      u('zext_u', 'zext of unsigned', 8, (io) => io.b.zext(8), (v) => v.b),
      u('trunc_u', 'trunc(5) keeps the low bits', 5, (io) => io.a.trunc(5), (v) => v.a & 31n),
      s('trunc_s', 'trunc(5) of signed stays signed', 5, (io) => io.c.trunc(5), (v) => BigInt.asIntN(5, v.c)),
      s('trunc_s1', 'trunc(1) of signed', 1, (io) => io.c.trunc(1), (v) => BigInt.asIntN(1, v.c)),
      s('trunc_same', 'trunc to the same width', 8, (io) => io.c.trunc(8), (v) => v.c),
      u('resize_up_u', 'resize up, unsigned', 12, (io) => io.a.resize(12), (v) => v.a),
      u('resize_down_u', 'resize down, unsigned', 4, (io) => io.a.resize(4), (v) => v.a & 15n),
      s('resize_up_s', 'resize up, signed', 12, (io) => io.c.resize(12), (v) => v.c),
      s('resize_down_s', 'resize down, signed', 4, (io) => io.c.resize(4), (v) => BigInt.asIntN(4, v.c)),
      s('as_signed', 'asSigned reads the bits as two’s complement', 8, (io) => io.a.asSigned(), (v) => BigInt.asIntN(8, v.a)),
      u('as_unsigned', 'asUnsigned reads the bits as unsigned', 8, (io) => io.c.asUnsigned(), (v) => bitsOf(v.c, 8)),
      s('as_roundtrip', 'asUnsigned().asSigned() is the identity', 8, (io) => io.c.asUnsigned().asSigned(), (v) => v.c),
      s('as_signed_ext', 'asSigned() then extend sign-fills', 10, (io) => io.a.asSigned().extend(10), (v) => BigInt.asIntN(8, v.a)),
      u('as_unsigned_ext', 'asUnsigned() then extend zero-fills', 10, (io) => io.c.asUnsigned().extend(10), (v) => bitsOf(v.c, 8)),
    ],
  });
}

{
  const { u, s } = cases<typeof bitsInputs>();
  const pick = <T>(index: bigint, values: readonly T[], fallback: T): T => (index < BigInt(values.length) ? values[Number(index)]! : fallback);
  bitsGroups.push({
    title: 'mux and select',
    cases: [
      u('mux_uu', 'p ? a : b (b zero-extended)', 8, (io) => mux(io.p, io.a, io.b), (v) => (v.p ? v.a : v.b)),
      u('mux_uu_rev', 'p ? b : a', 8, (io) => mux(io.p, io.b, io.a), (v) => (v.p ? v.b : v.a)),
      s('mux_ss', 'p ? c : d (d sign-extended)', 8, (io) => mux(io.p, io.c, io.d), (v) => (v.p ? v.c : v.d)),
      s('mux_ss_rev', 'p ? d : c', 8, (io) => mux(io.p, io.d, io.c), (v) => (v.p ? v.d : v.c)),
      u('mux_const_false', 'p ? a : 7', 8, (io) => mux(io.p, io.a, 7), (v) => (v.p ? v.a : 7n)),
      u('mux_const_true', 'p ? 200 : b (constant wider than b)', 8, (io) => mux(io.p, 200, io.b), (v) => (v.p ? 200n : v.b)),
      s('mux_const_neg', 'p ? c : -5', 8, (io) => mux(io.p, io.c, -5), (v) => (v.p ? v.c : -5n)),
      s('mux_const_neg_wide', 'p ? -100 : d (constant wider than d)', 8, (io) => mux(io.p, -100, io.d), (v) => (v.p ? -100n : v.d)),
      u('mux_max_u', 'a > b ? a : b (max)', 8, (io) => mux(io.a.gt(io.b), io.a, io.b), (v) => (v.a > v.b ? v.a : v.b)),
      s('mux_min_s', 'c < d ? c : d (signed min)', 8, (io) => mux(io.c.lt(io.d), io.c, io.d), (v) => (v.c < v.d ? v.c : v.d)),
      u('select_pow2_u', '[a, b, 3, a^b][s2]', 8, (io) => select(io.s2, [io.a, io.b, 3, io.a.xor(io.b)]), (v) => pick(v.s2, [v.a, v.b, 3n, v.a ^ v.b], 0n)),
      s('select_pow2_s', '[c, d, -1, 100][s2] sign-extends d and -1', 8, (io) => select(io.s2, [io.c, io.d, -1, 100]), (v) => pick(v.s2, [v.c, v.d, -1n, 100n], 0n)),
      u('select_7_of_8_u', '7 values on a 3-bit index: index 7 reads 0', 8, (io) => select(io.s3, [io.a, io.b, 1, 2, 3, 4, 5]), (v) => pick(v.s3, [v.a, v.b, 1n, 2n, 3n, 4n, 5n], 0n)),
      s(
        'select_5_of_8_s',
        '5 signed values on a 3-bit index: indices 5..7 read 0',
        8,
        (io) => select(io.s3, [io.c, io.d, -1, 5, io.c.neg().trunc(8)]),
        (v) => pick(v.s3, [v.c, v.d, -1n, 5n, BigInt.asIntN(8, -v.c)], 0n),
      ),
      s('select_3_of_4_s', '[d, c, -7][s2]: index 3 reads 0', 8, (io) => select(io.s2, [io.d, io.c, -7]), (v) => pick(v.s2, [v.d, v.c, -7n], 0n)),
      u('select_2_of_8_u', '[a, b][s3]: indices 2..7 read 0', 8, (io) => select(io.s3, [io.a, io.b]), (v) => pick(v.s3, [v.a, v.b], 0n)),
      u('select_1_of_4_u', '[b][s2]: indices 1..3 read 0, as for any other count', 5, (io) => select(io.s2, [io.b]), (v) => pick(v.s2, [v.b], 0n)),
    ],
  });
}

combSuite('bit manipulation, mux and select', {
  module: 'ops_bits',
  inputs: bitsInputs,
  vectors: {
    seed: 3,
    cross: [['a', 's'], ['c', 't'], ['d', 't'], ['a', 't'], ['p', 'd'], ['s2', 'c'], ['s3', 'a'], ['s3', 'c']],
    mixed: 64,
    random: 48,
  },
  groups: bitsGroups,
});

// ---- wide values (> 64 bits) ------------------------------------------------------------------------

const wide = { x: UInt(100), y: UInt(100), z: UInt(130), w: SInt(130), v: SInt(100), k: UInt(7) };
{
  const { u, s } = cases<typeof wide>();
  const bigConst = (1n << 129n) + 12345n;
  const negConst = -12345678901234567890n;
  combSuite('wide values', {
    module: 'ops_wide',
    inputs: wide,
    vectors: { seed: 5, cross: [['x', 'y'], ['w', 'v'], ['z', 'x'], ['w', 'k']], mixed: 32, random: 32 },
    cases: [
      u('add_xy', '100 + 100 bits', 101, (io) => io.x.add(io.y), (v) => v.x + v.y),
      u('add_zx', '130 + 100 bits', 131, (io) => io.z.add(io.x), (v) => v.z + v.x),
      s('add_wv', 'signed 130 + 100 bits', 131, (io) => io.w.add(io.v), (v) => v.w + v.v),
      u('addwrap_zx', 'addWrap at 130 bits', 130, (io) => io.z.addWrap(io.x), (v) => wrap(v.z + v.x, 130, false)),
      u('sub_xz', 'unsigned 100 - 130 bits wraps modulo 2^131', 131, (io) => io.x.sub(io.z), (v) => wrap(v.x - v.z, 131, false)),
      s('sub_wv', 'signed 130 - 100 bits', 131, (io) => io.w.sub(io.v), (v) => v.w - v.v),
      u('mul_xy', '100 x 100 bits', 200, (io) => io.x.mul(io.y), (v) => v.x * v.y),
      u('mul_zz', '130 x 130 bits', 260, (io) => io.z.mul(io.z), (v) => v.z * v.z),
      s('mul_wv', 'signed 130 x 100 bits', 230, (io) => io.w.mul(io.v), (v) => v.w * v.v),
      s('mul_w_const', 'signed 130 bits x a 65-bit negative bigint constant', 195, (io) => io.w.mul(negConst), (v) => v.w * negConst),
      u('add_z_const', '130 bits + a 130-bit bigint constant', 131, (io) => io.z.add(bigConst), (v) => v.z + bigConst),
      s('neg_w', 'negate 130-bit signed', 131, (io) => io.w.neg(), (v) => -v.w),
      u('concat_xz', '{x, z}', 230, (io) => io.x.concat(io.z), (v) => (v.x << 130n) | v.z),
      u('cat_wxv', 'cat(w, x, v)', 330, (io) => cat(io.w, io.x, io.v), (v) => (bitsOf(v.w, 130) << 200n) | (v.x << 100n) | bitsOf(v.v, 100)),
      u('xor_xz', 'x ^ z (x zero-extended)', 130, (io) => io.x.xor(io.z), (v) => v.x ^ v.z),
      s('and_wv', 'w & v (v sign-extended)', 130, (io) => io.w.and(io.v), (v) => v.w & v.v),
      s('not_w', '~w', 130, (io) => io.w.not(), (v) => ~v.w),
      u('lt_wv', 'signed w < v across 130 and 100 bits', 1, (io) => io.w.lt(io.v), (v) => b2n(v.w < v.v)),
      u('ge_zx', 'z >= x', 1, (io) => io.z.ge(io.x), (v) => b2n(v.z >= v.x)),
      u('eq_xy', 'x == y', 1, (io) => io.x.eq(io.y), (v) => b2n(v.x === v.y)),
      u('lt_w_const', 'w < -2^100', 1, (io) => io.w.lt(-(1n << 100n)), (v) => b2n(v.w < -(1n << 100n))),
      s('shr_w70', 'w >> 70 (constant, arithmetic)', 60, (io) => io.w.shr(70), (v) => v.w >> 70n),
      u('shl_z40', 'z << 40 (constant)', 170, (io) => io.z.shl(40), (v) => v.z << 40n),
      s('dshr_w', 'w >> k (dynamic, arithmetic)', 130, (io) => io.w.shr(io.k), (v) => v.w >> v.k),
      u('dshr_z', 'z >> k (dynamic)', 130, (io) => io.z.shr(io.k), (v) => v.z >> v.k),
      u('dshl_x', 'x << k (dynamic, grows by 127)', 227, (io) => io.x.shl(io.k), (v) => v.x << v.k),
      u('slice_z', 'z[129:60]', 70, (io) => io.z.slice(129, 60), (v) => v.z >> 60n),
      s('sext_w', 'w sign-extended to 200 bits', 200, (io) => io.w.sext(200), (v) => v.w),
      s('zext_v', 'v zero-extended to 140 bits', 140, (io) => io.v.zext(140), (v) => bitsOf(v.v, 100)),
      s('trunc_w', 'w truncated to 65 bits', 65, (io) => io.w.trunc(65), (v) => BigInt.asIntN(65, v.w)),
      u('trunc_mul_zz', '(z * z) truncated to 130 bits (fused)', 130, (io) => io.z.mul(io.z).trunc(130), (v) => wrap(v.z * v.z, 130, false)),
      s('trunc_mul_wv', '(w * v) truncated to 130 bits (fused, signed)', 130, (io) => io.w.mul(io.v).trunc(130), (v) => wrap(v.w * v.v, 130, true)),
      u('andr_z', '&z', 1, (io) => io.z.andR(), (v) => b2n(v.z === (1n << 130n) - 1n)),
      u('orr_v', '|v', 1, (io) => io.v.orR(), (v) => b2n(v.v !== 0n)),
      u('xorr_w', '^w', 1, (io) => io.w.xorR(), (v) => parity(v.w, 130)),
      u('select_wide', '[x, y, z, x + y][k[1:0]]', 130, (io) => select(io.k.slice(1, 0), [io.x, io.y, io.z, io.x.add(io.y)]), (v) => [v.x, v.y, v.z, v.x + v.y][Number(v.k & 3n)]!),
      s('mux_wide', 'w < v ? w : v', 130, (io) => mux(io.w.lt(io.v), io.w, io.v), (v) => (v.w < v.v ? v.w : v.v)),
    ],
  });
}

// ---- nested expressions ----------------------------------------------------------------------------------
// Deep trees make the emitter hoist temp wires, sign-extend subexpressions that are not plain
// names, fuse truncations into the operation (`a.add(b).trunc(8)` as an 8-bit add), and emit a
// subexpression shared by two outputs once.

const nestInputs = { a: UInt(8), b: UInt(5), c: SInt(8), d: SInt(5), p: Bool, s: UInt(3) };
{
  const { u, s } = cases<typeof nestInputs>();
  // The same Expr object for both outputs that read it, built once per module.
  const sharedByIo = new WeakMap<object, Expr>();
  const shared = (io: SignalsOf<typeof nestInputs>): Expr => {
    let e = sharedByIo.get(io);
    if (!e) sharedByIo.set(io, (e = io.c.add(io.d).mul(io.d)));
    return e;
  };
  combSuite('nested expressions', {
    module: 'ops_nested',
    inputs: nestInputs,
    vectors: { seed: 6, cross: [['a', 'b'], ['c', 'd'], ['c', 's']], mixed: 48, random: 48 },
    cases: [
      s('n_mul_sum_diff', '(c + d) * (c - d)', 18, (io) => io.c.add(io.d).mul(io.c.sub(io.d)), (v) => (v.c + v.d) * (v.c - v.d)),
      s('n_sext_sum', '(c + d) sign-extended to 16 bits', 16, (io) => io.c.add(io.d).sext(16), (v) => v.c + v.d),
      u('n_ext_sum_u', '(a + b) zero-extended to 12 bits', 12, (io) => io.a.add(io.b).extend(12), (v) => v.a + v.b),
      s('n_not_sum', '~(c + d) + c', 10, (io) => io.c.add(io.d).not().add(io.c), (v) => ~(v.c + v.d) + v.c),
      u('n_not_sum_u', '~(a + b) + a (unsigned, zero-extended)', 10, (io) => io.a.add(io.b).not().add(io.a), (v) => ((v.a + v.b) ^ 0x1ffn) + v.a),
      s('n_neg_prod', '-(c * d)', 14, (io) => io.c.mul(io.d).neg(), (v) => -(v.c * v.d)),
      s('n_dshr_sum', '(c + d) >> s, arithmetic', 9, (io) => io.c.add(io.d).shr(io.s), (v) => (v.c + v.d) >> v.s),
      s('n_dshl_diff', '(c - d) << s', 16, (io) => io.c.sub(io.d).shl(io.s), (v) => (v.c - v.d) << v.s),
      s('n_shr_sum', '(c + d) >> 2 (constant)', 7, (io) => io.c.add(io.d).shr(2), (v) => (v.c + v.d) >> 2n),
      s('n_shl_diff', '(c - d) << 2 (constant)', 11, (io) => io.c.sub(io.d).shl(2), (v) => (v.c - v.d) << 2n),
      u('n_slice_prod_u', '(a * b)[12:4]', 9, (io) => io.a.mul(io.b).slice(12, 4), (v) => (v.a * v.b) >> 4n),
      u('n_slice_prod_s', '(c * d)[12:4]', 9, (io) => io.c.mul(io.d).slice(12, 4), (v) => bitsOf(v.c * v.d, 13) >> 4n),
      s('n_reinterpret_sum', '(a + b).asSigned() + c', 10, (io) => io.a.add(io.b).asSigned().add(io.c), (v) => BigInt.asIntN(9, v.a + v.b) + v.c),
      u('n_unsigned_diff', '(c - d).asUnsigned() + a', 10, (io) => io.c.sub(io.d).asUnsigned().add(io.a), (v) => bitsOf(v.c - v.d, 9) + v.a),
      u('n_cmp_signed_exprs', '(c - d) < -d is signed', 1, (io) => io.c.sub(io.d).lt(io.d.neg()), (v) => b2n(v.c - v.d < -v.d)),
      u('n_cmp_prod_shift', 'c * d >= (c + d) << 3', 1, (io) => io.c.mul(io.d).ge(io.c.add(io.d).shl(3)), (v) => b2n(v.c * v.d >= (v.c + v.d) * 8n)),
      u('n_cmp_u_exprs', 'a + b > (a ^ b) << 1', 1, (io) => io.a.add(io.b).gt(io.a.xor(io.b).shl(1)), (v) => b2n(v.a + v.b > (v.a ^ v.b) << 1n)),
      u('n_cmp_neg_const', '(c + d) < -3', 1, (io) => io.c.add(io.d).lt(-3), (v) => b2n(v.c + v.d < -3n)),
      s('n_mux_exprs', 'p ? c + d : -d', 9, (io) => mux(io.p, io.c.add(io.d), io.d.neg()), (v) => (v.p ? v.c + v.d : -v.d)),
      s('n_abs_sum', '|c + d| via mux on a compared expression', 10, (io) => mux(io.c.add(io.d).lt(0), io.c.add(io.d).neg(), io.c.add(io.d)), (v) => (v.c + v.d < 0n ? -(v.c + v.d) : v.c + v.d)),
      s(
        'n_select_expr_index',
        '[c, d, c + d, -d][(a + b)[1:0]]',
        9,
        (io) => select(io.a.add(io.b).trunc(2), [io.c, io.d, io.c.add(io.d), io.d.neg()]),
        (v) => [v.c, v.d, v.c + v.d, -v.d][Number((v.a + v.b) & 3n)]!,
      ),
      u('n_orr_sum', '|(a + b)', 1, (io) => io.a.add(io.b).orR(), (v) => b2n(v.a + v.b !== 0n)),
      u('n_xorr_diff', '^(c - d)', 1, (io) => io.c.sub(io.d).xorR(), (v) => parity(v.c - v.d, 9)),
      u('n_andr_sum', '&(c + d) (all ones is -1)', 1, (io) => io.c.add(io.d).andR(), (v) => b2n(v.c + v.d === -1n)),
      u('n_cat_exprs', '{a + b, -c, d}', 23, (io) => cat(io.a.add(io.b), io.c.neg(), io.d), (v) => ((v.a + v.b) << 14n) | (bitsOf(-v.c, 9) << 5n) | bitsOf(v.d, 5)),
      u('n_repeat_expr', '{3{(a ^ b)[1:0]}}', 6, (io) => io.a.xor(io.b).slice(1, 0).repeat(3), (v) => ((v.a ^ v.b) & 3n) * 21n),
      u('n_trunc_add_u', '(a + b).trunc(8) (fused add)', 8, (io) => io.a.add(io.b).trunc(8), (v) => wrap(v.a + v.b, 8, false)),
      s('n_trunc_add_s', '(c + d).trunc(8) (fused signed add)', 8, (io) => io.c.add(io.d).trunc(8), (v) => wrap(v.c + v.d, 8, true)),
      u('n_trunc_mul_u', '(a * b).trunc(8) (fused mul)', 8, (io) => io.a.mul(io.b).trunc(8), (v) => wrap(v.a * v.b, 8, false)),
      s('n_trunc_mul_s', '(c * d).trunc(8) (fused signed mul)', 8, (io) => io.c.mul(io.d).trunc(8), (v) => wrap(v.c * v.d, 8, true)),
      s('n_trunc_add_s6', '(c + d).trunc(6) (too narrow to fuse: a slice)', 6, (io) => io.c.add(io.d).trunc(6), (v) => wrap(v.c + v.d, 6, true)),
      u('n_trunc_mul_u6', '(a * b).trunc(6) (a slice)', 6, (io) => io.a.mul(io.b).trunc(6), (v) => wrap(v.a * v.b, 6, false)),
      u('n_trunc_chain', '(a + b + c.asUnsigned()).trunc(8)', 8, (io) => io.a.add(io.b).add(io.c.asUnsigned()).trunc(8), (v) => wrap(v.a + v.b + bitsOf(v.c, 8), 8, false)),
      u('n_trunc_sub', '(b - a).trunc(8) (fused sub, narrow first)', 8, (io) => io.b.sub(io.a).trunc(8), (v) => wrap(v.b - v.a, 8, false)),
      s('n_trunc_sub_s', '(d - c).trunc(8) (fused signed sub)', 8, (io) => io.d.sub(io.c).trunc(8), (v) => wrap(v.d - v.c, 8, true)),
      u('n_trunc_xor', '(a ^ b).trunc(3)', 3, (io) => io.a.xor(io.b).trunc(3), (v) => (v.a ^ v.b) & 7n),
      s('n_trunc_of_sext', 'c.sext(16).trunc(12) is c sign-extended to 12', 12, (io) => io.c.sext(16).trunc(12), (v) => v.c),
      s('n_trunc_of_sext_narrow', 'c.sext(16).trunc(4) is c.trunc(4)', 4, (io) => io.c.sext(16).trunc(4), (v) => BigInt.asIntN(4, v.c)),
      u('n_trunc_of_zext', 'a.zext(16).trunc(12)', 12, (io) => io.a.zext(16).trunc(12), (v) => v.a),
      s(
        'n_long',
        '(c + d) * (c - d) + c * d - a.asSigned() * b.zext(6).asSigned() (a line long enough to hoist)',
        20,
        (io) => io.c.add(io.d).mul(io.c.sub(io.d)).add(io.c.mul(io.d)).sub(io.a.asSigned().mul(io.b.zext(6).asSigned())),
        (v) => (v.c + v.d) * (v.c - v.d) + v.c * v.d - BigInt.asIntN(8, v.a) * v.b,
      ),
      s('n_shared_1', 'shared (c + d) * d, plus 1', 15, (io) => shared(io).add(1), (v) => (v.c + v.d) * v.d + 1n),
      s('n_shared_2', 'shared (c + d) * d, >> 2', 12, (io) => shared(io).shr(2), (v) => ((v.c + v.d) * v.d) >> 2n),
      u('n_shared_3', 'shared (c + d) * d, sliced', 4, (io) => shared(io).slice(3, 0), (v) => bitsOf((v.c + v.d) * v.d, 4)),
    ],
  });
}

// ---- comparisons that are constant for the operand's range --------------------------------------------
// `a >= 0` or `a <= 255` on an 8-bit unsigned value is always true. Generators produce such
// comparisons at parameter corners (a bound equal to the largest count, a zero lower bound), and
// Verilator flags them in emitted Verilog (UNSIGNED, CMPCONST) -- fatally, even in a plain build
// without -Wall. They get a module of their own, so a regression fails these tests only.

{
  const { u } = cases<typeof core>();
  combSuite('comparisons that are constant for the operand range', {
    module: 'ops_range_ends',
    inputs: core,
    vectors: { seed: 8, mixed: 16, random: 8 },
    cases: [
      u('range_ge_zero_u', 'a >= 0', 1, (io) => io.a.ge(0), () => 1n),
      u('range_lt_zero_u', 'a < 0', 1, (io) => io.a.lt(0), () => 0n),
      u('range_le_max_u', 'a <= 255', 1, (io) => io.a.le(255), () => 1n),
      u('range_gt_max_u', 'a > 255', 1, (io) => io.a.gt(255), () => 0n),
      u('range_lt_wider_u', 'b < 100 (beyond b’s range)', 1, (io) => io.b.lt(100), () => 1n),
      u('range_eq_wider_u', 'b == 100 (beyond b’s range)', 1, (io) => io.b.eq(100), () => 0n),
      u('range_ge_min_s', 'c >= -128', 1, (io) => io.c.ge(-128), () => 1n),
      u('range_le_max_s', 'c <= 127', 1, (io) => io.c.le(127), () => 1n),
      u('range_gt_wider_s', 'd > -100 (beyond d’s range)', 1, (io) => io.d.gt(-100), () => 1n),
      u('range_ne_wider_s', 'd != 100 (beyond d’s range)', 1, (io) => io.d.ne(100), () => 1n),
      u('range_lt_1bit_s', 'f < -1 on a 1-bit signed value', 1, (io) => io.f.lt(-1), () => 0n),
      u('range_le_1bit_u', 'g <= 1 on a 1-bit unsigned value', 1, (io) => io.g.le(1), () => 1n),
      u('range_ge_inputs_u', 'a >= b is not constant', 1, (io) => io.a.ge(io.b), (v) => b2n(v.a >= v.b)),
    ],
  });
}

// ---- comparisons with a constant expression ---------------------------------------------------------------
// A constant *expression* (constants combined by operators, e.g. a bound computed from generator
// parameters with lit() arithmetic) must be folded like the range-decided comparisons above:
// emitted as `a >= (5'd0 + 5'd0)`, Verilator would fold it and flag it, fatally.

describe('comparisons with a constant expression', () => {
  const design = once(() =>
    emitVerilog(
      defineModule('ops_const_expr_compare', (m) => {
        const a = m.input('a', UInt(8));
        m.output('ge_zero', Bool).assign(a.ge(lit(0, UInt(4)).add(lit(0, UInt(4)))));
        m.output('le_max', Bool).assign(a.le(lit(255, UInt(8)).addWrap(lit(0, UInt(8)))));
        return {};
      }),
    ),
  );

  it('emit Verilog that verilator -Wall, iverilog and yosys accept cleanly', async () => {
    await expectLintClean(design());
  });

  it('simulate to their constant values', async () => {
    const got = await runCombinational(design(), [{ a: 0n }, { a: 255n }], ['ge_zero', 'le_max']);
    expect(got).toEqual([
      { ge_zero: 1n, le_max: 1n },
      { ge_zero: 1n, le_max: 1n },
    ]);
  });
});
