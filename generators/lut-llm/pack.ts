// Host side of the LUT-LLM engine (docs/design/lut-llm.md): checks a quantized layer and its
// activations against an engine configuration, packs them into the `cmd`, `codebook`, `act`,
// `tables` and `windex` beats, and reads the accumulators (or the FP32 results) back from the `out`
// beats.
//
// Tables and weight indices are the bulk of a run (one table beat and one index beat per cycle at
// T = 1), so wide beats are assembled from 32-bit words and parsed once from hex.

import type { LlmActivations, LutLlmLayer } from '../../contracts/lut-llm-layer.js';
import type { LutLlmConfig } from './config.js';
import { chunksOfLastGroup, lutLlmLayout, type LutLlmLayout } from './layout.js';
import { placeBits, wordsToBigInt } from '../../contracts/beat-words.js';
import { OperandError, type PackedRun } from '../../contracts/matmul-operands.js';

/** Dimensions of a run: T tokens, P positions, N columns in G groups. */
export interface LutLlmRunDims {
  readonly T: number;
  readonly P: number;
  readonly N: number;
  readonly G: number;
}

/** Table lookups of a run: one per (token, position, column). */
export function lutLlmLookups(T: number, P: number, N: number): number {
  return T * P * N;
}

/** Cycles of a perfect engine: positionsPerCycle x lookupsPerCycle lookups in every cycle, nothing else. */
export function lutLlmIdealCycles(
  config: Pick<LutLlmConfig, 'lookupsPerCycle'> & Partial<Pick<LutLlmConfig, 'positionsPerCycle'>>,
  dims: { readonly T: number; readonly P: number; readonly N: number },
): number {
  return Math.ceil(lutLlmLookups(dims.T, dims.P, dims.N) / (config.lookupsPerCycle * (config.positionsPerCycle ?? 1)));
}

/** `out` beats of a run: T per chunk of lookupsPerCycle columns in every group. */
export function lutLlmOutBeats(config: LutLlmConfig, dims: Pick<LutLlmRunDims, 'T' | 'N' | 'G'>): number {
  const chunks = config.groupCols / config.lookupsPerCycle;
  return dims.T * ((dims.G - 1) * chunks + chunksOfLastGroup(config, dims.N, dims.G));
}

const float32 = new Float32Array(1);
const float32Bits = new Uint32Array(float32.buffer);
/** The FP32 bit pattern of a number rounded to float32. */
export function fp32Bits(value: number): number {
  float32[0] = value;
  return float32Bits[0]!;
}

/** Throws OperandError naming the first thing the engine cannot take. */
export function checkLutLlmRun(config: LutLlmConfig, layer: LutLlmLayer, x: LlmActivations): void {
  const layout = lutLlmLayout(config);
  for (const key of ['v', 'ca', 'cw', 'groupCols', 'tableBits'] as const) {
    if (layer[key] !== config[key]) throw new OperandError(`the layer has ${key} = ${layer[key]}, the engine configuration ${key} = ${config[key]}`);
  }
  const { P, N, G, v, ca, cw, groupCols } = layer;
  for (const [name, value] of [['P', P], ['N', N], ['T', x.T]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new OperandError(`${name} = ${value} must be a positive integer`);
  }
  if (G !== Math.ceil(N / groupCols)) throw new OperandError(`the layer has G = ${G} column groups; N = ${N} in groups of ${groupCols} needs ${Math.ceil(N / groupCols)}`);
  if (G >= 2 ** 16) throw new OperandError(`N = ${N} needs ${G} column groups; the engine counts at most 65535`);
  if (P > layout.shape.maxP) throw new OperandError(`K = P*v = ${P * v} exceeds maxK = ${config.maxK} of this engine configuration`);
  if (x.T > config.maxT) throw new OperandError(`T = ${x.T} tokens exceed maxT = ${config.maxT} of this engine configuration`);
  if (x.act !== config.act) throw new OperandError(`the activations are ${x.act}, the engine takes ${config.act}`);
  if (x.K !== P * v) throw new OperandError(`the activations have K = ${x.K}, the layer K = P*v = ${P * v}`);
  if (x.data.length !== x.T * x.K) throw new OperandError(`the activations hold ${x.data.length} values, T*K = ${x.T * x.K}`);
  const expectedData = { fp32: Float32Array, fp16: Uint16Array, int16: Int16Array }[config.act];
  if (!(x.data instanceof expectedData)) throw new OperandError(`${config.act} activations must be a ${expectedData.name}`);
  const expectedCodebook = config.act === 'int16' ? Int16Array : Float32Array;
  if (!(layer.actCodebook instanceof expectedCodebook)) throw new OperandError(`act = ${config.act} needs a ${expectedCodebook.name} activation codebook`);
  const sizes = [
    ['activation codebook', layer.actCodebook.length, P * ca * v],
    ['weight index', layer.weightIndex.length, P * N],
    ['table', layer.table.length, P * G * ca * cw],
  ] as const;
  for (const [name, length, expected] of sizes) {
    if (length !== expected) throw new OperandError(`the ${name} holds ${length} values; ${expected} were expected`);
  }
  const top = 2 ** config.tableBits;
  const badEntry = layer.table.findIndex((entry) => entry >= top);
  if (badEntry !== -1) throw new OperandError(`table entry ${badEntry} = ${layer.table[badEntry]} does not fit ${config.tableBits} bits`);
  const badIndex = layer.weightIndex.findIndex((index) => index >= cw);
  if (badIndex !== -1) {
    throw new OperandError(`weight index [${Math.floor(badIndex / N)}, ${badIndex % N}] = ${layer.weightIndex[badIndex]} is not below Cw = ${cw}`);
  }
}

/** The beats of one run (docs/design/lut-llm.md) and the number of `out` beats that end it. */
export function packLutLlm(config: LutLlmConfig, layer: LutLlmLayer, x: LlmActivations): PackedRun {
  checkLutLlmRun(config, layer, x);
  const layout = lutLlmLayout(config);
  const { P, N, G } = layer;
  const T = x.T;
  const lastChunks = chunksOfLastGroup(config, N, G);
  const command = [BigInt(T), BigInt(P), BigInt(G), BigInt(lastChunks)];
  if (config.dequant) {
    const offset = Math.fround(Math.fround(layer.zero * layer.scale) * P);
    command.push(BigInt(fp32Bits(layer.scale)), BigInt(fp32Bits(offset)));
  }
  return {
    inputs: {
      cmd: [command],
      codebook: codebookBeats(config, layout, layer),
      act: activationBeats(config, layout, layer, x),
      tables: tableBeats(config, layout, layer),
      windex: weightIndexBeats(config, layout, layer),
    },
    expect: { out: lutLlmOutBeats(config, { T, N, G }) },
  };
}

/** One beat per position group q: unit u's centroids of position q*units + u. */
function codebookBeats(config: LutLlmConfig, layout: LutLlmLayout, layer: LutLlmLayer): bigint[][] {
  const { P, ca, v } = layer;
  const { units, centroidBits } = layout;
  const codebook = layer.actCodebook;
  const values = codebook instanceof Int16Array ? Uint16Array.from(codebook) : new Uint32Array(codebook.buffer, codebook.byteOffset, codebook.length);
  const beats: bigint[][] = [];
  for (let q = 0; q * units < P; q++) {
    const words = new Uint32Array(Math.ceil(layout.codebookBeatBits / 32));
    for (let u = 0; u < units && q * units + u < P; u++) {
      const at = (q * units + u) * ca * v;
      for (let e = 0; e < ca * v; e++) placeBits(words, (u * ca * v + e) * centroidBits, values[at + e]!, centroidBits);
    }
    beats.push([wordsToBigInt(words)]);
  }
  return beats;
}

/** One beat per (position group q, token t), q major: unit u's sub-vector of position q*units + u. */
function activationBeats(config: LutLlmConfig, layout: LutLlmLayout, layer: LutLlmLayer, x: LlmActivations): bigint[][] {
  const { P, v } = layer;
  const { units } = layout;
  const data = x.data instanceof Float32Array ? new Uint32Array(x.data.buffer, x.data.byteOffset, x.data.length) : x.data;
  const beats: bigint[][] = [];
  for (let q = 0; q * units < P; q++) {
    for (let t = 0; t < x.T; t++) {
      const beat: bigint[] = [];
      for (let u = 0; u < units; u++) {
        const p = q * units + u;
        for (let i = 0; i < v; i++) beat.push(p < P ? BigInt(data[t * x.K + p * v + i]!) : 0n);
      }
      beats.push(beat);
    }
  }
  return beats;
}

/**
 * For each group, each block of positionsPerCycle positions: tableBeats beats, stage s's part at
 * bits [s * stageTableBits, ...) holding its position's rows, rowsPerTableBeat per beat (row i of
 * the part at [i*cw*tableBits, ...)). Stages past position P - 1 get zeros.
 */
function tableBeats(config: LutLlmConfig, layout: LutLlmLayout, layer: LutLlmLayer): bigint[][] {
  const { P, G, ca, cw, table } = layer;
  const { rowsPerTableBeat, stages, stageTableBits } = layout;
  const bits = config.tableBits;
  const beats: bigint[][] = [];
  for (let g = 0; g < G; g++) {
    for (let block = 0; block * stages < P; block++) {
      for (let b = 0; b < layout.tableBeats; b++) {
        const words = new Uint32Array(Math.ceil(layout.tableBeatBits / 32));
        for (let s = 0; s < stages && block * stages + s < P; s++) {
          const tableAt = ((block * stages + s) * G + g) * ca * cw;
          for (let i = 0; i < rowsPerTableBeat && b * rowsPerTableBeat + i < ca; i++) {
            const rowAt = tableAt + (b * rowsPerTableBeat + i) * cw;
            for (let w = 0; w < cw; w++) placeBits(words, s * stageTableBits + (i * cw + w) * bits, table[rowAt + w]!, bits);
          }
        }
        beats.push([wordsToBigInt(words)]);
      }
    }
  }
  return beats;
}

/**
 * For each group, each block of positionsPerCycle positions, each chunk: stage s's weight indices
 * of the chunk's lookupsPerCycle columns, lane j at bits [(s*lanes + j) * bitsFor(cw), ...) (0
 * past N and for stages past position P - 1).
 */
function weightIndexBeats(config: LutLlmConfig, layout: LutLlmLayout, layer: LutLlmLayer): bigint[][] {
  const { P, N, G, groupCols, weightIndex } = layer;
  const { stages } = layout;
  const lanes = config.lookupsPerCycle;
  const bits = layout.shape.weightIndexBits;
  const chunks = layout.shape.chunks;
  const lastChunks = chunksOfLastGroup(config, N, G);
  const beats: bigint[][] = [];
  for (let g = 0; g < G; g++) {
    const groupChunks = g === G - 1 ? lastChunks : chunks;
    for (let block = 0; block * stages < P; block++) {
      for (let c = 0; c < groupChunks; c++) {
        const words = new Uint32Array(Math.ceil(layout.windexBeatBits / 32));
        const first = g * groupCols + c * lanes;
        for (let s = 0; s < stages && block * stages + s < P; s++) {
          const p = block * stages + s;
          for (let j = 0; j < lanes && first + j < N; j++) placeBits(words, (s * lanes + j) * bits, weightIndex[p * N + first + j]!, bits);
        }
        beats.push([wordsToBigInt(words)]);
      }
    }
  }
  return beats;
}

/**
 * The accumulators [T, N] from the `out` beats, and with `dequant` the hardware's FP32 y beside
 * them. Padding columns past N are dropped.
 */
export function unpackLutLlmRun(config: LutLlmConfig, dims: LutLlmRunDims, outBeats: readonly (readonly bigint[])[]): { acc: Int32Array; y?: Float32Array } {
  const { T, N, G } = dims;
  const expected = lutLlmOutBeats(config, dims);
  if (outBeats.length !== expected) throw new Error(`the engine sent ${outBeats.length} out beats; T = ${T}, N = ${N} in ${G} groups take ${expected}`);
  const lanes = config.lookupsPerCycle;
  const chunks = config.groupCols / lanes;
  const lastChunks = chunksOfLastGroup(config, N, G);
  const acc = new Int32Array(T * N);
  const yBits = config.dequant ? new Uint32Array(T * N) : undefined;
  let beat = 0;
  for (let g = 0; g < G; g++) {
    const groupChunks = g === G - 1 ? lastChunks : chunks;
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < groupChunks; c++) {
        const leaves = outBeats[beat++]!;
        const first = g * config.groupCols + c * lanes;
        for (let j = 0; j < lanes && first + j < N; j++) {
          acc[t * N + first + j] = Number(leaves[j]!);
          if (yBits !== undefined) yBits[t * N + first + j] = Number(leaves[lanes + j]!);
        }
      }
    }
  }
  return yBits === undefined ? { acc } : { acc, y: new Float32Array(yBits.buffer) };
}

/** The results [T, N]: the FP32 y (Float32Array) when the configuration dequantizes in hardware, else the accumulators. */
export function unpackLutLlm(config: LutLlmConfig, dims: LutLlmRunDims, outBeats: readonly (readonly bigint[])[]): Int32Array | Float32Array {
  const { acc, y } = unpackLutLlmRun(config, dims, outBeats);
  return y ?? acc;
}
