// The definition every matrix engine is held against: Y[m][n] = sum_k A[m][k] * (Q[k][n] - Z[n]),
// computed directly, with no table, bit plane or tiling in sight.

import { ceilDiv } from '../contracts/serial-packing.js';
import type { MatmulDims, MatmulOperands } from '../contracts/matmul-operands.js';

/**
 * Y (row-major M*N) of mixed-precision GEMM, exact. Number math is exact while every partial sum
 * stays below 2^53 (int16 activations, 4-bit codes and K up to 2^20 reach about 2^39); operands
 * outside those ranges fall back to bigint, so the reference is exact for any input.
 */
export function mpgemmInt(operands: MatmulOperands): BigInt64Array {
  const { M, K, N, act, codes, zeros } = operands;
  if (act.length !== M * K || codes.length !== K * N || zeros.length !== N) {
    throw new Error(`mpgemmInt: operand lengths ${act.length}, ${codes.length}, ${zeros.length} do not match M=${M}, K=${K}, N=${N}`);
  }
  let maxAct = 0;
  for (const a of act) maxAct = Math.max(maxAct, Math.abs(a));
  let maxWeight = 0;
  for (let n = 0; n < N; n++) maxWeight = Math.max(maxWeight, Math.abs(0 - zeros[n]!), Math.abs(255 - zeros[n]!));
  const exactInNumbers = maxAct * maxWeight * K <= Number.MAX_SAFE_INTEGER;
  const out = new BigInt64Array(M * N);
  // Column-wise weights, so the inner loop walks two contiguous rows.
  const weights = new Float64Array(K);
  for (let n = 0; n < N; n++) {
    const z = zeros[n]!;
    for (let k = 0; k < K; k++) weights[k] = codes[k * N + n]! - z;
    for (let m = 0; m < M; m++) {
      const row = m * K;
      if (exactInNumbers) {
        let sum = 0;
        for (let k = 0; k < K; k++) sum += act[row + k]! * weights[k]!;
        out[m * N + n] = BigInt(sum);
      } else {
        let sum = 0n;
        for (let k = 0; k < K; k++) sum += BigInt(act[row + k]!) * BigInt(weights[k]!);
        if (BigInt.asIntN(64, sum) !== sum) throw new Error(`mpgemmInt: Y[${m}][${n}] = ${sum} does not fit int64`);
        out[m * N + n] = sum;
      }
    }
  }
  return out;
}

/** Y as an engine's `out` beats: tiles of m x n, row blocks major, padding zero (as integer engines compute it). */
export function tiledBeats(tile: { m: number; n: number }, dims: MatmulDims, y: BigInt64Array): bigint[][] {
  const beats: bigint[][] = [];
  for (let rb = 0; rb < ceilDiv(dims.M, tile.m); rb++) {
    for (let t = 0; t < ceilDiv(dims.N, tile.n); t++) {
      const beat: bigint[] = [];
      for (let r = 0; r < tile.m; r++) {
        for (let c = 0; c < tile.n; c++) {
          const row = rb * tile.m + r;
          const col = t * tile.n + c;
          beat.push(row < dims.M && col < dims.N ? y[row * dims.N + col]! : 0n);
        }
      }
      beats.push(beat);
    }
  }
  return beats;
}
