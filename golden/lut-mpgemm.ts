// Bit-exact model of the LUT Tensor Core's serial algorithm (docs/design/lut-tensor-core.md, "What
// the hardware computes"): it consumes the very `cmd`, `act` and `weight` beats the host packs for
// the hardware and produces the `out` beats the hardware must produce, checking on the way that
// every table entry, row sum, accumulator and result fits the width `engineWidths` gives it.
// Agreement with `mpgemmInt` therefore covers the packing, the algorithm and the widths at once.

import { packSerial, unpackOutputs, type SerialPackConfig } from '../contracts/serial-packing.js';
import { engineWidths, type ActFormat } from '../contracts/engine-widths.js';
import type { MatmulOperands, PackedRun } from '../contracts/matmul-operands.js';

/**
 * Naive table of one group (2^k entries) for a bit field i: with `reinterpret` the {-1,+1} reading
 * T[i] = sum_j (bit j of i ? +a_j : -a_j), without it the {0,1} reading T0[i] = sum_j (bit j ? a_j : 0).
 */
export function buildTable(acts: readonly number[], reinterpret: boolean): number[] {
  const table: number[] = [];
  for (let i = 0; i < 2 ** acts.length; i++) {
    let sum = 0;
    acts.forEach((a, j) => {
      if ((i >> j) & 1) sum += a;
      else if (reinterpret) sum -= a;
    });
    table.push(sum);
  }
  return table;
}

/** The 2^(k-1) entries the symmetric table stores: E[j] = T[2^(k-1) + j], the half with the top bit set. */
export function symmetricEntries(acts: readonly number[]): number[] {
  return buildTable(acts, true).slice(2 ** (acts.length - 1));
}

/** The packing's offline inversion of one k-bit field: low k-1 bits flipped where the top bit is 0. */
export function invertLowBits(field: number, k: number): number {
  const top = 1 << (k - 1);
  return field & top ? field : field ^ (top - 1);
}

/** Lookup of a packed (already inverted) field in the symmetric table: a mux over E and a sign flip. */
export function lookupSymmetric(entries: readonly number[], field: number, k: number): number {
  const top = (field >> (k - 1)) & 1;
  const value = entries[field & ((1 << (k - 1)) - 1)]!;
  return top ? value : 0 - value; // 0 - x, not -x: no -0 entries
}

/** The k-bit column fields of a wide weight leaf, column 0 in the low bits. */
export function columnFields(leaf: bigint, n: number, k: number): number[] {
  const bits = leaf.toString(2).padStart(n * k, '0');
  if (bits.length !== n * k || leaf < 0n) throw new Error(`weight leaf ${leaf} is not an unsigned ${n * k}-bit value`);
  const fields: number[] = [];
  for (let c = 0; c < n; c++) fields.push(parseInt(bits.slice(bits.length - (c + 1) * k, bits.length - c * k), 2));
  return fields;
}

/** The serial engines' input streams read beat by beat, each checked for its shape. */
export function serialStreams(inputs: PackedRun['inputs'], m: number, n: number, k: number) {
  const cmd = inputs['cmd'] ?? [];
  const act = inputs['act'] ?? [];
  const weight = inputs['weight'] ?? [];
  let actAt = 0;
  let weightAt = 0;
  return {
    cmd,
    /** The next activation beat: m*k leaves. */
    nextAct: (): readonly bigint[] => {
      const beat = act[actAt++];
      if (beat === undefined || beat.length !== m * k) throw new Error(`act beat ${actAt - 1} is missing or not ${m * k} leaves`);
      return beat;
    },
    /** The k-bit column fields of the next weight beat. */
    nextWeight: (): number[] => {
      const beat = weight[weightAt++];
      if (beat === undefined || beat.length !== 1) throw new Error(`weight beat ${weightAt - 1} is missing or not one leaf`);
      return columnFields(beat[0]!, n, k);
    },
    /** Throws unless every beat was read. */
    finish: (): void => {
      if (actAt !== act.length || weightAt !== weight.length) {
        throw new Error(`streams not consumed exactly: act ${actAt}/${act.length}, weight ${weightAt}/${weight.length}`);
      }
    },
  };
}

/** The engine parameters that change the arithmetic (precompute placement does not). */
export interface LutOptions extends Omit<SerialPackConfig, 'maxK' | 'act'> {
  /** Default: K of the operands, so every width is as tight as the engine could make it. */
  readonly maxK?: number;
  /** Default: int8 when every activation fits, otherwise int16. */
  readonly act?: ActFormat;
}

function fits(value: number, bits: number, what: string): number {
  const half = 2 ** (bits - 1);
  if (value < -half || value >= half) throw new Error(`${what} = ${value} overflows its ${bits}-bit register`);
  return value;
}

/**
 * The `out` beats (raw outBits-wide two's complement bits, as a simulator returns them) the serial
 * engine produces from the packed input streams, in the hardware's order: per row block the tables
 * and row sums while n-tile 0 streams the activations, then per n-tile the group beats (plane by
 * plane, LSB first) and the zero-point correction planes.
 */
export function lutStreamModel(config: SerialPackConfig, inputs: PackedRun['inputs']): bigint[][] {
  const { m, n, k, wbits, symmetric, reinterpret } = config;
  const widths = engineWidths(config);
  const { cmd, nextAct, nextWeight, finish } = serialStreams(inputs, m, n, k);
  const out: bigint[][] = [];
  for (const [tilesLeaf, groupsLeaf] of cmd) {
    const tiles = Number(tilesLeaf);
    const groups = Number(groupsLeaf);
    if (groups > widths.maxGroups) throw new Error(`cmd asks for ${groups} groups; the table buffer holds ${widths.maxGroups}`);
    // tables[g][r]: symmetric entries or the naive table; rowSum[r] over all groups.
    const tables: number[][][] = [];
    const rowSum = new Array<number>(m).fill(0);
    for (let g = 0; g < groups; g++) {
      const beat = nextAct();
      const perRow: number[][] = [];
      for (let r = 0; r < m; r++) {
        const acts = beat.slice(r * k, r * k + k).map((a) => fits(Number(a), widths.actBits, 'activation'));
        const table = symmetric ? symmetricEntries(acts) : buildTable(acts, reinterpret);
        table.forEach((entry) => fits(entry, widths.entryBits, 'table entry'));
        perRow.push(table);
        rowSum[r] = fits(rowSum[r]! + acts.reduce((s, a) => s + a, 0), widths.rowSumBits, 'row sum');
      }
      tables.push(perRow);
    }
    for (let t = 0; t < tiles; t++) {
      const acc = new Array<number>(m * n).fill(0);
      const add = (i: number, value: number): void => {
        acc[i] = fits(acc[i]! + value, widths.accBits, 'accumulator');
      };
      for (let g = 0; g < groups; g++) {
        for (let b = 0; b < wbits; b++) {
          const fields = nextWeight();
          for (let r = 0; r < m; r++) {
            const table = tables[g]![r]!;
            fields.forEach((field, c) => add(r * n + c, (symmetric ? lookupSymmetric(table, field, k) : table[field]!) * 2 ** b));
          }
        }
      }
      for (let b = 0; b < wbits; b++) {
        const fields = nextWeight();
        fields.forEach((field, c) => {
          if ((field & ((1 << (k - 1)) - 1)) !== 0) throw new Error(`correction beat field ${c} = ${field} uses bits below k-1`);
          const bit = (field >> (k - 1)) & 1;
          for (let r = 0; r < m; r++) {
            if (reinterpret) add(r * n + c, (bit ? rowSum[r]! : 0 - rowSum[r]!) * 2 ** b);
            else add(r * n + c, bit ? 0 - rowSum[r]! * 2 ** b : 0);
          }
        });
      }
      out.push(
        acc.map((value) => {
          if (reinterpret && value % 2 !== 0) throw new Error(`accumulator ${value} is odd: it must be exactly 2*Y`);
          const y = reinterpret ? Math.floor(value / 2) : value;
          return BigInt.asUintN(widths.outBits, BigInt(fits(y, widths.outBits, 'result')));
        }),
      );
    }
  }
  finish();
  return out;
}

/** Y (row-major M*N) as the serial LUT engine computes it: pack, run the stream model, unpack. */
export function lutMpgemm(operands: MatmulOperands, options: LutOptions): BigInt64Array {
  const act = options.act ?? (operands.act.every((a) => a >= -128 && a <= 127) ? 'int8' : 'int16');
  const config: SerialPackConfig = { ...options, maxK: options.maxK ?? operands.K, act };
  const run = packSerial(config, operands);
  const beats = lutStreamModel(config, run.inputs);
  if (beats.length !== run.expect['out']) throw new Error(`model produced ${beats.length} out beats; packing expects ${run.expect['out']}`);
  return unpackOutputs(config, engineWidths(config).outBits, operands, beats);
}
