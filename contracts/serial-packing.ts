// Host side of the LUT Tensor Core engines and the MAC baseline: checking operands against an
// engine configuration, packing them into the `cmd`, `act` and `weight` beats of
// docs/design/lut-tensor-core.md, and reading Y back from the `out` beats.
//
// The weight streams are the bulk of a run (hundreds of thousands of wide beats for a 4096 x 4096
// layer), so every wide leaf is assembled from 32-bit words and parsed once from hex, and the weight
// beats of one row block are built once and shared by every row block (they do not depend on A).

import { placeBits, wordsToBigInt } from './beat-words.js';
import { engineWidths, isFloatAct, type ActFormat, type WidthParams } from './engine-widths.js';
import { OperandError, type MatmulDims, type MatmulOperands, type OperandLimits, type PackedRun } from './matmul-operands.js';

/** ceil(a / b) for positive integers, exact where Math.ceil(a / b) could round. */
export function ceilDiv(a: number, b: number): number {
  const q = Math.trunc(a / b);
  return q * b < a ? q + 1 : q;
}

/** What a serial engine (`tensor-core`, `add`) needs to lay out its streams. */
export interface SerialPackConfig {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly wbits: number;
  readonly symmetric: boolean;
  readonly reinterpret: boolean;
  readonly maxK: number;
  readonly act: ActFormat;
}

/** What the MAC baseline needs to lay out its streams. */
export interface MacPackConfig {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly wbits: number;
  readonly maxK: number;
  readonly act: ActFormat;
}

/** The operand limits an engine's widths imply, so checks and hardware can never disagree. */
export function operandLimits(config: WidthParams): OperandLimits {
  const widths = engineWidths(config);
  const result = isFloatAct(config.act) ? 'fp32' : 'int';
  return { act: config.act, actBits: widths.actBits, wbits: config.wbits, maxK: config.maxK, outBits: widths.outBits, result };
}

/**
 * Throws OperandError naming the first operand the engine cannot take, so a user sees which index
 * is wrong before anything is packed or simulated.
 */
export function checkOperands(limits: OperandLimits, operands: MatmulOperands): void {
  const { M, K, N, act, codes, zeros } = operands;
  for (const [name, value] of [['M', M], ['K', K], ['N', N]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new OperandError(`${name} = ${value} must be a positive integer`);
  }
  if (act.length !== M * K) {
    throw new OperandError(`the activations hold ${act.length} values; M*K = ${M}*${K} = ${M * K} were expected`);
  }
  if (codes.length !== K * N) {
    throw new OperandError(`the weight codes hold ${codes.length} values; K*N = ${K}*${N} = ${K * N} were expected`);
  }
  if (zeros.length !== N) throw new OperandError(`the zero points hold ${zeros.length} values; N = ${N} (one per column) were expected`);
  if (K > limits.maxK) throw new OperandError(`K = ${K} exceeds maxK = ${limits.maxK} of this engine configuration`);
  // Floating-point activations are bit patterns: every pattern (NaN and infinities too) is legal.
  const float = isFloatAct(limits.act);
  const lo = float ? 0 : -(2 ** (limits.actBits - 1));
  const hi = float ? 2 ** limits.actBits - 1 : 2 ** (limits.actBits - 1) - 1;
  for (let i = 0; i < act.length; i++) {
    const a = act[i]!;
    if (a < lo || a > hi) {
      const row = Math.floor(i / K);
      const range = float ? `${limits.act} bit-pattern range ${lo}..${hi}` : `signed ${limits.actBits}-bit range ${lo}..${hi}`;
      throw new OperandError(`activation A[${row}, ${i - row * K}] = ${a} is outside the ${range}`);
    }
  }
  const maxCode = 2 ** limits.wbits - 1;
  for (let i = 0; i < codes.length; i++) {
    const q = codes[i]!;
    if (q > maxCode) {
      const row = Math.floor(i / N);
      throw new OperandError(
        `weight code Q[${row}, ${i - row * N}] = ${q} exceeds ${maxCode}, the largest ${limits.wbits}-bit code`,
      );
    }
  }
  for (let col = 0; col < N; col++) {
    const z = zeros[col]!;
    if (z < 0 || z > maxCode) {
      throw new OperandError(`zero point Z[${col}] = ${z} of column ${col} is outside 0..${maxCode} (wbits = ${limits.wbits})`);
    }
  }
}

/** The blocking both engines share, after the operand check. */
function blocking(config: { m: number; n: number; k: number }, operands: MatmulOperands) {
  const blocks = ceilDiv(operands.M, config.m);
  const tiles = ceilDiv(operands.N, config.n);
  const groups = ceilDiv(operands.K, config.k);
  if (tiles > 0xffff) {
    throw new OperandError(`N = ${operands.N} needs ${tiles} tiles of ${config.n} columns; the engine counts at most 65535`);
  }
  return { blocks, tiles, groups };
}

/** `cmd` and `act` beats: the same for the serial engines and the MAC. */
function commandAndActivations(
  config: { m: number; k: number; act: ActFormat; wbits: number; maxK: number },
  operands: MatmulOperands,
  blocks: number,
  tiles: number,
  groups: number,
): { cmd: bigint[][]; act: bigint[][] } {
  const { m, k } = config;
  const { M, K, act: A } = operands;
  const cmd: bigint[][] = [];
  for (let rb = 0; rb < blocks; rb++) cmd.push([BigInt(tiles), BigInt(groups)]);
  // Every activation is one of 2^actBits values: share their bigints instead of allocating per leaf.
  // Float bit patterns are unsigned, so they index the table directly.
  const count = 2 ** engineWidths(config).actBits;
  const half = isFloatAct(config.act) ? 0 : count / 2;
  const big: bigint[] = new Array<bigint>(count);
  for (let v = -half; v < count - half; v++) big[v + half] = BigInt(v);
  const act: bigint[][] = [];
  for (let rb = 0; rb < blocks; rb++) {
    for (let g = 0; g < groups; g++) {
      const beat = new Array<bigint>(m * k);
      for (let r = 0; r < m; r++) {
        const row = rb * m + r;
        for (let j = 0; j < k; j++) {
          const col = g * k + j;
          beat[r * k + j] = row < M && col < K ? big[A[row * K + col]! + half]! : 0n;
        }
      }
      act.push(beat);
    }
  }
  return { cmd, act };
}

/** One row block's beats, repeated for every block (shared arrays: the stream never changes them). */
function repeatPerBlock(block: readonly bigint[][], blocks: number): bigint[][] {
  const all = new Array<bigint[]>(block.length * blocks);
  for (let rb = 0; rb < blocks; rb++) for (let i = 0; i < block.length; i++) all[rb * block.length + i] = block[i]!;
  return all;
}

/**
 * Beats of a serial engine (`tensor-core` in every variant, `add`) per
 * docs/design/lut-tensor-core.md, after checking the operands. The symmetric table's low-bit
 * inversion is done here, offline, on every field (padded columns included), so the hardware keeps
 * only a mux and a sign flip.
 */
export function packSerial(config: SerialPackConfig, operands: MatmulOperands): PackedRun {
  checkOperands(operandLimits(config), operands);
  const { n, k, wbits, symmetric, reinterpret } = config;
  const { K, N, codes, zeros } = operands;
  const { blocks, tiles, groups } = blocking(config, operands);
  const { cmd, act } = commandAndActivations(config, operands, blocks, tiles, groups);

  // Column fields of every (group, plane, column), inverted once for the symmetric table.
  const fields = new Uint8Array(groups * wbits * N);
  for (let kk = 0; kk < K; kk++) {
    const g = Math.floor(kk / k);
    const j = kk - g * k;
    const row = kk * N;
    for (let b = 0; b < wbits; b++) {
      const base = (g * wbits + b) * N;
      for (let col = 0; col < N; col++) fields[base + col]! |= ((codes[row + col]! >> b) & 1) << j;
    }
  }
  const top = 1 << (k - 1);
  const lowMask = top - 1;
  if (symmetric) for (let i = 0; i < fields.length; i++) if ((fields[i]! & top) === 0) fields[i]! ^= lowMask;
  const padField = symmetric ? lowMask : 0;

  const maxCode = 2 ** wbits - 1;
  const words = new Uint32Array(ceilDiv(n * k, 32));
  const block: bigint[][] = [];
  for (let t = 0; t < tiles; t++) {
    for (let g = 0; g < groups; g++) {
      for (let b = 0; b < wbits; b++) {
        words.fill(0);
        const base = (g * wbits + b) * N;
        for (let c = 0; c < n; c++) {
          const col = t * n + c;
          placeBits(words, c * k, col < N ? fields[base + col]! : padField, k);
        }
        block.push([wordsToBigInt(words)]);
      }
    }
    for (let b = 0; b < wbits; b++) {
      words.fill(0);
      for (let c = 0; c < n; c++) {
        const col = t * n + c;
        const z = col < N ? zeros[col]! : 0;
        const bit = ((reinterpret ? maxCode - z : z) >> b) & 1;
        placeBits(words, c * k, bit << (k - 1), k);
      }
      block.push([wordsToBigInt(words)]);
    }
  }
  return { inputs: { cmd, act, weight: repeatPerBlock(block, blocks) }, expect: { out: blocks * tiles } };
}

/**
 * Beats of the MAC baseline per docs/design/lut-tensor-core.md, after checking the operands: per
 * n-tile one beat of zero points, then one beat of k codes per column for every group.
 */
export function packMac(config: MacPackConfig, operands: MatmulOperands): PackedRun {
  checkOperands(operandLimits(config), operands);
  const { n, k, wbits } = config;
  const { K, N, codes, zeros } = operands;
  const { blocks, tiles, groups } = blocking(config, operands);
  const { cmd, act } = commandAndActivations(config, operands, blocks, tiles, groups);

  const fieldBits = k * wbits;
  const words = new Uint32Array(ceilDiv(n * fieldBits, 32));
  const block: bigint[][] = [];
  for (let t = 0; t < tiles; t++) {
    const cols = Math.min(n, N - t * n);
    words.fill(0);
    for (let c = 0; c < cols; c++) placeBits(words, c * fieldBits, zeros[t * n + c]!, wbits);
    block.push([wordsToBigInt(words)]);
    for (let g = 0; g < groups; g++) {
      words.fill(0);
      for (let j = 0; j < k && g * k + j < K; j++) {
        const row = (g * k + j) * N + t * n;
        for (let c = 0; c < cols; c++) placeBits(words, c * fieldBits + j * wbits, codes[row + c]!, wbits);
      }
      block.push([wordsToBigInt(words)]);
    }
  }
  return { inputs: { cmd, act, weight: repeatPerBlock(block, blocks) }, expect: { out: blocks * tiles } };
}

/** Array steps of a run, one k-group of one n-tile of one row block each (ideal cycles without bit planes). */
export function tileSteps(config: { readonly m: number; readonly n: number; readonly k: number }, dims: MatmulDims): number {
  return ceilDiv(dims.M, config.m) * ceilDiv(dims.N, config.n) * ceilDiv(dims.K, config.k);
}

/** unpackOutputs at the result width the engine's configuration implies (FP32 results stay unsigned bits). */
export function unpackResults(config: WidthParams & { readonly m: number; readonly n: number }, dims: MatmulDims, outBeats: readonly (readonly bigint[])[]): BigInt64Array {
  const limits = operandLimits(config);
  return unpackOutputs(config, limits.outBits, dims, outBeats, limits.result === 'fp32' ? 'bits' : 'signed');
}

/**
 * Y (row-major M*N) from the `out` beats: leaves may be raw outBits-wide two's complement bits (as
 * the simulators return unsigned leaves) or already signed; padding rows and columns are dropped.
 * With `read` = 'bits' a leaf is kept as its unsigned bit pattern (FP32 results).
 * A wrong beat or leaf count, or a leaf wider than outBits, is an internal error, not the user's.
 */
export function unpackOutputs(
  config: { readonly m: number; readonly n: number },
  outBits: number,
  dims: MatmulDims,
  outBeats: readonly (readonly bigint[])[],
  read: 'signed' | 'bits' = 'signed',
): BigInt64Array {
  const { m, n } = config;
  const { M, N } = dims;
  if (!Number.isInteger(outBits) || outBits < 1 || outBits > 64) throw new Error(`outBits = ${outBits} does not fit int64 results`);
  const blocks = ceilDiv(M, m);
  const tiles = ceilDiv(N, n);
  if (outBeats.length !== blocks * tiles) {
    throw new Error(`expected ${blocks * tiles} out beats (${blocks} row blocks x ${tiles} tiles), got ${outBeats.length}`);
  }
  const width = BigInt(outBits);
  const min = -(1n << (width - 1n));
  const max = (1n << width) - 1n;
  const Y = new BigInt64Array(M * N);
  outBeats.forEach((beat, index) => {
    if (beat.length !== m * n) throw new Error(`out beat ${index} has ${beat.length} leaves; ${m * n} (m*n) expected`);
    const rb = Math.floor(index / tiles);
    const t = index - rb * tiles;
    for (let r = 0; r < m; r++) {
      const row = rb * m + r;
      if (row >= M) break;
      for (let c = 0; c < n; c++) {
        const col = t * n + c;
        if (col >= N) break;
        const leaf = beat[r * n + c]!;
        if (leaf < min || leaf > max) throw new Error(`out beat ${index} leaf [${r}, ${c}] = ${leaf} is wider than ${outBits} bits`);
        Y[row * N + col] = read === 'bits' ? BigInt.asUintN(outBits, leaf) : BigInt.asIntN(outBits, leaf);
      }
    }
  });
  return Y;
}
