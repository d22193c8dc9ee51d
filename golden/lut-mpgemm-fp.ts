// Bit-exact models of the floating-point matrix engines (docs/design/lut-tensor-core.md,
// "Floating-point activations"): the LUT Tensor Core consuming the very beats the host packs, and
// the MAC baseline, each doing the hardware's FP32 operations in the hardware's order with the
// soft-float. A float64 reference beside them measures how far either is from the exact product.

import { FP32, fpWidth, type FpFormat } from '../contracts/fp-format.js';
import { buildTable, pairwiseSum, type TableArithmetic } from '../contracts/fp-order.js';
import { ceilDiv, packSerial, unpackOutputs, type SerialPackConfig } from '../contracts/serial-packing.js';
import { serialStreams } from './lut-mpgemm.js';
import { tiledBeats } from './mpgemm.js';
import { fpAdd, fpConvert, fpDecode, fpFromInt, fpMul, fpNeg, fpScale } from './softfloat.js';
import type { TableKind } from '../contracts/table-kind.js';
import { floatFormatOf, type ActFormat } from '../contracts/engine-widths.js';
import type { MatmulOperands, PackedRun } from '../contracts/matmul-operands.js';

/** -0: adding it returns the other operand for every value, +0 included. */
export const FP32_NEGATIVE_ZERO = 0x8000_0000;

/** The floating-point format of `act` (an error for the integer formats). */
export function floatFormat(act: ActFormat): FpFormat {
  const format = floatFormatOf(act);
  if (format === undefined) throw new Error(`act = ${act} is not a floating-point format`);
  return format;
}

const fp32: TableArithmetic<number> = {
  add: (a, b) => fpAdd(FP32, a, b),
  neg: (a) => fpNeg(FP32, a),
  zero: 0,
};

function tableKind(config: Pick<SerialPackConfig, 'symmetric' | 'reinterpret'>): TableKind {
  if (!config.reinterpret) return 'unsigned';
  return config.symmetric ? 'symmetric' : 'naive';
}

/**
 * The `out` beats (FP32 bit patterns) of the floating-point LUT Tensor Core for the packed input
 * streams: per row block the FP32 tables and row sums while n-tile 0 streams the activations, then
 * per n-tile the group beats (plane by plane) and the correction planes, every operand scaled by
 * 2^(b-1) ({-1,+1} tables) or 2^b ({0,1}) and added to the accumulator that started at -0.
 */
export function lutFpStreamModel(config: SerialPackConfig, inputs: PackedRun['inputs']): bigint[][] {
  const { m, n, k, wbits } = config;
  const format = floatFormat(config.act);
  const kind = tableKind(config);
  const signedRead = kind !== 'unsigned';
  const { cmd, nextAct, nextWeight, finish } = serialStreams(inputs, m, n, k);
  const lowMask = (1 << (k - 1)) - 1;
  const out: bigint[][] = [];
  for (const [tilesLeaf, groupsLeaf] of cmd) {
    const tiles = Number(tilesLeaf);
    const groups = Number(groupsLeaf);
    const tables: number[][][] = [];
    const rowSum = new Array<number>(m).fill(FP32_NEGATIVE_ZERO);
    for (let g = 0; g < groups; g++) {
      const beat = nextAct();
      const perRow: number[][] = [];
      for (let r = 0; r < m; r++) {
        const wide = beat.slice(r * k, r * k + k).map((bits) => fpConvert(format, FP32, Number(bits)));
        const table = buildTable(wide, kind, fp32);
        perRow.push(table);
        rowSum[r] = fpAdd(FP32, g === 0 ? FP32_NEGATIVE_ZERO : rowSum[r]!, table[table.length - 1]!);
      }
      tables.push(perRow);
    }
    for (let t = 0; t < tiles; t++) {
      const acc = new Array<number>(m * n).fill(FP32_NEGATIVE_ZERO);
      for (let g = 0; g < groups; g++) {
        for (let b = 0; b < wbits; b++) {
          const fields = nextWeight();
          const delta = signedRead ? b - 1 : b;
          for (let r = 0; r < m; r++) {
            const scaled = tables[g]![r]!.map((entry) => fpScale(FP32, entry, delta));
            fields.forEach((field, c) => {
              let term: number;
              if (kind === 'symmetric') {
                const value = scaled[field & lowMask]!;
                term = (field >> (k - 1)) & 1 ? value : fpNeg(FP32, value);
              } else {
                term = scaled[field]!;
              }
              acc[r * n + c] = fpAdd(FP32, acc[r * n + c]!, term);
            });
          }
        }
      }
      for (let b = 0; b < wbits; b++) {
        const fields = nextWeight();
        const delta = signedRead ? b - 1 : b;
        fields.forEach((field, c) => {
          if ((field & lowMask) !== 0) throw new Error(`correction beat field ${c} = ${field} uses bits below k-1`);
          const bit = (field >> (k - 1)) & 1;
          for (let r = 0; r < m; r++) {
            const sum = fpScale(FP32, rowSum[r]!, delta);
            // {-1,+1}: +-S by the bit; {0,1}: -S where the bit is set, else -0 (no change).
            const term = signedRead ? (bit ? sum : fpNeg(FP32, sum)) : fpNeg(FP32, bit ? sum : 0);
            acc[r * n + c] = fpAdd(FP32, acc[r * n + c]!, term);
          }
        });
      }
      out.push(acc.map((bits) => BigInt(bits >>> 0)));
    }
  }
  finish();
  return out;
}

export type FpLutOptions = Omit<SerialPackConfig, 'maxK'> & { readonly maxK?: number };

/** Y (row-major M*N, FP32 bit patterns) as the floating-point LUT engine computes it. */
export function lutFpMpgemm(operands: MatmulOperands, options: FpLutOptions): BigInt64Array {
  const config: SerialPackConfig = { ...options, maxK: options.maxK ?? operands.K };
  const run = packSerial(config, operands);
  const beats = lutFpStreamModel(config, run.inputs);
  return unpackOutputs(config, fpWidth(FP32), operands, beats, 'bits');
}

export interface FpMacOptions {
  readonly k: number;
  readonly act: ActFormat;
}

/**
 * Y (row-major M*N, FP32 bit patterns) as the floating-point MAC baseline computes it: per k-group
 * the weights q - z converted (exactly) to the activation format, k products rounded once to FP32,
 * their pairwise sum, added to the accumulator that started at -0. Positions past K are padded
 * with activation +0 and code 0, as the packing pads them.
 */
export function macFpMpgemm(operands: MatmulOperands, { k, act }: FpMacOptions): BigInt64Array {
  const format = floatFormat(act);
  const { M, K, N } = operands;
  const multiply = { a: format, b: format, out: FP32 };
  const groups = ceilDiv(K, k);
  const Y = new BigInt64Array(M * N);
  for (let col = 0; col < N; col++) {
    const z = operands.zeros[col]!;
    const weights = Array.from({ length: groups * k }, (_, kk) => fpFromInt(format, (kk < K ? operands.codes[kk * N + col]! : 0) - z));
    for (let row = 0; row < M; row++) {
      let acc = FP32_NEGATIVE_ZERO;
      for (let g = 0; g < groups; g++) {
        const products = Array.from({ length: k }, (_, j) => {
          const kk = g * k + j;
          return fpMul(multiply, kk < K ? operands.act[row * K + kk]! : 0, weights[kk]!);
        });
        acc = fpAdd(FP32, acc, pairwiseSum(products, (a, b) => fpAdd(FP32, a, b)));
      }
      Y[row * N + col] = BigInt(acc >>> 0);
    }
  }
  return Y;
}

/**
 * The MAC baseline's `out` beats, padding included: padded rows have activations +0, padded columns
 * codes 0 and zero point 0, and the hardware computes them (their zeros may be -0) like any other.
 */
export function macFpBeats(config: FpMacOptions & { readonly m: number; readonly n: number }, operands: MatmulOperands): bigint[][] {
  const { M, K, N } = operands;
  const rows = ceilDiv(M, config.m) * config.m;
  const cols = ceilDiv(N, config.n) * config.n;
  const act = new Int32Array(rows * K);
  act.set(operands.act);
  const codes = new Uint8Array(K * cols);
  for (let kk = 0; kk < K; kk++) codes.set(operands.codes.subarray(kk * N, kk * N + N), kk * cols);
  const zeros = new Int32Array(cols);
  zeros.set(operands.zeros);
  const padded = { M: rows, K, N: cols, act, codes, zeros };
  return tiledBeats(config, padded, macFpMpgemm(padded, config));
}

/** Y in float64, summed in order: the near-exact product the FP32 engines are measured against. */
export function mpgemmFloat64(operands: MatmulOperands, act: ActFormat): Float64Array {
  const format = floatFormat(act);
  const { M, K, N } = operands;
  const A = Float64Array.from(operands.act, (bits) => fpDecode(format, bits));
  const Y = new Float64Array(M * N);
  for (let row = 0; row < M; row++) {
    for (let col = 0; col < N; col++) {
      let sum = 0;
      for (let kk = 0; kk < K; kk++) sum += A[row * K + kk]! * (operands.codes[kk * N + col]! - operands.zeros[col]!);
      Y[row * N + col] = sum;
    }
  }
  return Y;
}
