// The LUT-LLM engine's Verilog: clean under Verilator -Wall, Icarus and Yosys at the default and at
// edge configurations, deterministic, built as docs/design/lut-llm.md describes (a PE per centroid
// in chains of 16, block-RAM buffers), and mapped to block RAM with no DSP in the lookup path on
// xilinx.

import { describe, expect, it } from 'vitest';
import { emitVerilog, type EmittedDesign } from '../../../dsl/index.js';
import { lutLlmConfig } from '../../../generators/lut-llm/config.js';
import { buildLutLlmEngine } from '../../../generators/lut-llm/engine.js';
import { synthesize } from '../../../synth/synthesize.js';
import { formatLintReport, lintEverywhere } from '../../lint.js';

const REGRESS = process.env['LUTFORGE_REGRESS'] === '1';

function generate(config: Record<string, unknown>): EmittedDesign {
  return emitVerilog(buildLutLlmEngine(lutLlmConfig.parse(config)));
}

function moduleText(design: EmittedDesign, name: string): string {
  const found = design.modules.find((module) => module.name === name);
  if (!found) throw new Error(`no module ${name} in ${design.modules.map((module) => module.name).join(', ')}`);
  return found.text;
}

const configurations: readonly Record<string, unknown>[] = [
  {},
  // FP16 with squared distances and dequantization at the default size lints for half a minute;
  // the same options on a small engine cover the same code by default.
  REGRESS ? { act: 'fp16', distance: 'l2', dequant: true, tableBits: 4 } : { act: 'fp16', distance: 'l2', dequant: true, tableBits: 4, ca: 12, cw: 6, groupCols: 16, lookupsPerCycle: 8, maxK: 64, maxT: 4 },
  { act: 'int16', distance: 'l1', v: 3, ca: 10, cw: 5, groupCols: 6, lookupsPerCycle: 2, maxK: 30, maxT: 3, searchUnits: 3 },
  { v: 1, ca: 2, cw: 2, groupCols: 1, lookupsPerCycle: 1, maxK: 1, maxT: 1, act: 'int16', distance: 'linf' },
];

describe('lut-llm engine Verilog', () => {
  it.each(configurations)('%j is clean under verilator -Wall, iverilog and yosys check', async (config) => {
    const report = await lintEverywhere(generate(config));
    expect(report.ok, formatLintReport(report)).toBe(true);
  });

  it('is the same bytes for the same config', () => {
    const first = generate({ ca: 8, distance: 'l1' });
    const second = generate({ distance: 'l1', ca: 8 });
    expect(second.modules.map((module) => module.text)).toEqual(first.modules.map((module) => module.text));
  });

  it('has 8 PEs of 8 centroids each in one chain, and block-RAM buffers, at the defaults', () => {
    const design = generate({});
    const search = moduleText(design, 'lut_llm_centroid_search');
    // 64 lookups per cycle in 512-column groups take an index every 8 cycles: 8 centroids per PE.
    expect(search.match(/lut_llm_centroid_pe_serial pe_\d+ \(/g)).toHaveLength(8);
    expect(search).not.toMatch(/lut_llm_centroid_pe pe_/);
    // PE 1 continues the chain of PE 0 from centroid 8; PE 0 starts it with no best yet (all ones).
    // (Instance ports fed by a plain signal or constant connect to it directly.)
    expect(search).toMatch(/ pe_1 \([^;]*\.best_in\(pe_0_best_out\)[^;]*\.index\(6'd8\)/);
    expect(search).toMatch(/ pe_0 \([^;]*\.x_in_0\(in_x_0\)/);
    expect(search).toMatch(/ pe_0 \([^;]*\.best_in\(32'd4294967295\)/);
    const lookup = moduleText(design, 'lut_llm_lookup');
    for (const memory of ['tables_0', 'weight_indices', 'accumulators', 'activation_index_0']) {
      expect(lookup).toMatch(new RegExp(`\\(\\* ram_style = "block" \\*\\)\\s*reg\\s+\\[\\d+:0\\]\\s+${memory} `));
    }
    // 64 lanes of 8-bit entries into 18-bit sums (maxK 4096: 2048 * 255 < 2^19, 19 bits).
    expect(design.ports.find((port) => port.name === 'out_data_acc_63')?.width).toBe(19);
    expect(design.ports.find((port) => port.name === 'tables_data')?.width).toBe(1024);
  });

  it('maps tables, indices and accumulators to block RAM with no DSP in the lookup path (xilinx), two positions per step', async () => {
    const design = generate({ act: 'int16', ca: 16, cw: 16, groupCols: 64, lookupsPerCycle: 16, maxK: 512, maxT: 8, positionsPerCycle: 2 });
    const { report } = await synthesize(design, 'xilinx', { flatten: false });
    if (report.target !== 'xilinx') throw new Error(`expected a xilinx report, got ${report.target}`);
    const lookup = report.modules['lut_llm_lookup']!;
    expect(lookup.dsp).toBe(0);
    expect(Object.keys(lookup.cellTypes).filter((cell) => /^RAM\d+[MXSD]/.test(cell))).toEqual([]);
    expect(Object.keys(lookup.cellTypes).some((cell) => /^RAMB(18|36)E2$/.test(cell))).toBe(true);
    // 16 lookups per cycle in 64-column groups over 2 stages take an index every 2 cycles: PEs of 2
    // centroids, each keeping its centroids of every position in block RAM.
    expect(Object.keys(report.modules['lut_llm_centroid_pe_serial']!.cellTypes).some((cell) => /^RAMB(18|36)E2$/.test(cell))).toBe(true);
  });

  it.runIf(REGRESS)('synthesizes the default engine for xilinx with no DSP at all', async () => {
    const { report } = await synthesize(generate({ maxK: 2048 }), 'xilinx', { flatten: false });
    if (report.target !== 'xilinx') throw new Error(`expected a xilinx report, got ${report.target}`);
    expect(report.dsp).toBe(0);
    expect(report.modules['lut_llm_lookup']!.lut / 64).toBeLessThan(100);
  });
});
