// DSL memories must come out in the form Yosys infers block RAM from (docs/design/architecture.md,
// DSL principle 6): generators rely on it for their tables. A 4 KiB memory must become BRAM, not
// flip-flops or LUT RAM, on both FPGA targets of the synthesis flow, and an SRAM macro on the cmos
// target.

import { beforeAll, describe, expect, it } from 'vitest';
import { Bool, defineModule, emitVerilog, UInt } from '../../dsl/index.js';
import { synthesizeAll, type SynthReport } from '../../synth/synthesize.js';

const ram = defineModule('ram', (m) => {
  const writeEnable = m.input('we', Bool);
  const readEnable = m.input('re', Bool);
  const writeAddress = m.input('waddr', UInt(11));
  const readAddress = m.input('raddr', UInt(11));
  const writeData = m.input('wdata', UInt(16));
  const readData = m.output('rdata', UInt(16));
  const store = m.memory('store', { shape: UInt(16), depth: 2048, init: [1, 2, 3, 0xffff] });
  store.write(writeAddress, writeData, writeEnable);
  readData.assign(store.read(readAddress, { enable: readEnable }));
  return {};
});

// A deep, wide buffer like the engines' table buffer. Asking for block RAM keeps Yosys 0.55 off the
// LUT-RAM mapping it chose, and then rejected, for the ADD engine's 4096 x 64 buffer.
const deep = defineModule('deep_buffer', (m) => {
  const writeEnable = m.input('we', Bool);
  const address = m.input('addr', UInt(12));
  const writeData = m.input('wdata', UInt(64));
  const store = m.memory('store', { shape: UInt(64), depth: 4096, style: 'block' });
  store.write(address, writeData, writeEnable);
  m.output('rdata', UInt(64)).assign(store.read(address));
  return {};
});

let xilinx: SynthReport;
let ice40: SynthReport;
let cmos: SynthReport;
let deepXilinx: SynthReport;
beforeAll(async () => {
  // No cache: this test is about what Yosys does today.
  const jobs = [...['xilinx', 'ice40', 'cmos'].map((target) => ({ design: emitVerilog(ram), target })), { design: emitVerilog(deep), target: 'xilinx' }];
  [xilinx, ice40, cmos, deepXilinx] = (await synthesizeAll(jobs, { cacheDir: null })).map((result) => result.report) as [
    SynthReport,
    SynthReport,
    SynthReport,
    SynthReport,
  ];
});

describe('memory mapping', () => {
  it('maps a 2048 x 16 (4 KiB) memory to block RAM on iCE40 and keeps flip-flops out of the array', () => {
    if (ice40.target !== 'ice40') throw new Error('unreachable');
    expect(ice40.bram).toBe(8); // 8 x SB_RAM40_4K of 256 x 16
    // 45 with Yosys 0.55: the port registers around the RAM, against 32,768 bits in the array.
    expect(ice40.ff).toBeLessThan(64);
  });

  it('maps it to block RAM on UltraScale+, not to LUT RAM', () => {
    if (xilinx.target !== 'xilinx') throw new Error('unreachable');
    // 32 Kib: one RAMB36E2 (or two RAMB18E2), so at least one RAMB36 tile.
    expect(xilinx.bram).toBeGreaterThanOrEqual(1);
    expect(xilinx.lutram).toBe(0);
    expect(xilinx.ff).toBeLessThan(64);
  });

  it('keeps it an SRAM macro on cmos: its bits reported apart, no flip-flop per bit', () => {
    if (cmos.target !== 'cmos') throw new Error('unreachable');
    expect(cmos.memoryBits).toBe(2048 * 16);
    expect(cmos.cellTypes).toMatchObject({ $mem_v2: 1 });
    expect(cmos.cellTypes.$_DFF_P_ ?? 0).toBeLessThan(64);
    expect(cmos.modules.ram?.memoryBits).toBe(2048 * 16);
  });

  it('maps a 4096 x 64 buffer with ram_style block to block RAM on UltraScale+', () => {
    if (deepXilinx.target !== 'xilinx') throw new Error('unreachable');
    expect(deepXilinx.bram).toBeGreaterThanOrEqual(7);
    expect(deepXilinx.lutram).toBe(0);
  });
});
