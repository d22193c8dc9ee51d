// Compute density of the LUT Tensor Core against the MAC baseline at the same tile, as the issue
// and the paper define it: throughput per cycle over cmos transistors. The LUT array completes
// m*n*k/wbits multiply-accumulates per cycle (one bit plane per cycle), the MAC array m*n*k.
// Memories are SRAM macros on the cmos target: their bits are reported beside, not priced.

import { buildAddEngine, addConfig } from '../../generators/baseline/add.js';
import { buildMacEngine, macConfig } from '../../generators/baseline/mac.js';
import { tensorCoreConfig } from '../../generators/lut-tensor-core/config.js';
import { buildTensorCore } from '../../generators/lut-tensor-core/tensor-core.js';
import { emitVerilog } from '../../dsl/index.js';
import { FP16 } from '../../contracts/fp-format.js';
import { fpMacUnit } from '../../generators/matmul-engine/fp-mac-unit.js';
import { fpSerialUnit } from '../../generators/matmul-engine/fp-serial-unit.js';
import { synthesizeAll, type SynthReport } from '../../synth/synthesize.js';
import { isFloatAct, type ActFormat } from '../../contracts/engine-widths.js';

export interface TileShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly maxK: number;
}

export interface DensityPoint {
  readonly wbits: number;
  readonly act: ActFormat;
}

export interface EngineArea {
  readonly transistors: number;
  readonly memoryBits: number;
  readonly macsPerCycle: number;
}

export interface DensityRow extends DensityPoint {
  readonly lut: EngineArea;
  readonly mac: EngineArea;
  readonly add?: EngineArea;
  /** (LUT MACs per cycle per transistor) / (MAC MACs per cycle per transistor). */
  readonly ratio: number;
  readonly addRatio?: number;
}

function areaOf(report: SynthReport, macsPerCycle: number): EngineArea {
  if (report.target !== 'cmos') throw new Error(`expected a cmos report, got ${report.target}`);
  return { transistors: report.transistors, memoryBits: report.memoryBits, macsPerCycle };
}

const density = (area: EngineArea): number => area.macsPerCycle / area.transistors;

/**
 * Synthesizes the LUT Tensor Core and the MAC baseline (and, if asked, the ADD baseline) at every
 * point, all jobs at once (the runner keeps one Yosys per core), and returns the ratios.
 */
export async function densityAgainstMac(tile: TileShape, points: readonly DensityPoint[], options: { withAdd?: boolean } = {}): Promise<DensityRow[]> {
  // ADD takes integer activations only.
  const withAdd = (point: DensityPoint): boolean => options.withAdd === true && !isFloatAct(point.act);
  const jobs = points.flatMap((point) => {
    const lut = emitVerilog(buildTensorCore(tensorCoreConfig.parse({ ...tile, ...point })));
    const mac = emitVerilog(buildMacEngine(macConfig.parse({ ...tile, ...point })));
    const add = withAdd(point) ? [emitVerilog(buildAddEngine(addConfig.parse({ ...tile, ...point })))] : [];
    return [lut, mac, ...add].map((design) => ({ design, target: 'cmos' }));
  });
  // Hierarchical totals (each module synthesized once, counted per instance): the INT16 MAC array
  // is too large to flatten in the 4 GiB of the WebAssembly Yosys, and every engine is priced the
  // same way so the ratios stay like for like.
  const reports = (await synthesizeAll(jobs, { flatten: false })).map((result) => result.report);
  const lanes = tile.m * tile.n * tile.k;
  let at = 0;
  return points.map((point) => {
    const lut = areaOf(reports[at++]!, lanes / point.wbits);
    const mac = areaOf(reports[at++]!, lanes);
    const add = withAdd(point) ? areaOf(reports[at++]!, lanes / point.wbits) : undefined;
    return {
      ...point,
      lut,
      mac,
      ratio: density(lut) / density(mac),
      ...(add === undefined ? {} : { add, addRatio: density(add) / density(mac) }),
    };
  });
}

/**
 * The dot-product units alone at W1 x FP16 (the paper's DP4 comparison): the LUT unit (lookup, sign
 * flip, FP32 accumulator) against the MAC unit (k FP16 multipliers, FP32 sums and accumulator). One
 * weight bit plane per cycle, so the LUT unit does k MACs per cycle at W1, like the MAC unit.
 */
export async function unitDensity(k: number): Promise<{ lut: EngineArea; mac: EngineArea; ratio: number }> {
  const jobs = [emitVerilog(fpSerialUnit({ k, table: 'symmetric' })), emitVerilog(fpMacUnit({ k, format: FP16 }))].map((design) => ({ design, target: 'cmos' }));
  const [lutReport, macReport] = (await synthesizeAll(jobs, { flatten: false })).map((result) => result.report);
  const lut = areaOf(lutReport!, k);
  const mac = areaOf(macReport!, k);
  return { lut, mac, ratio: density(lut) / density(mac) };
}
