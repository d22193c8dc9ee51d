// DSL memories must come out in the form Yosys infers block RAM from (DESIGN.md principle 6):
// generators rely on it for their tables. A 4 KiB memory must become BRAM, not flip-flops.

import { describe, expect, it } from 'vitest';
import { Bool, defineModule, emitVerilog, UInt } from '../../dsl/index.js';
import { runYosysScript } from '../../synth/yosys.js';

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

const files = Object.fromEntries(emitVerilog(ram).modules.map((module) => [module.fileName, module.text]));

function count(log: string, cell: string): number {
  const matches = [...log.matchAll(new RegExp(`^\\s+(\\d+)\\s+${cell}\\s*$|^\\s+${cell}\\s+(\\d+)\\s*$`, 'gm'))];
  const last = matches[matches.length - 1];
  return last ? Number(last[1] ?? last[2]) : 0;
}

describe('memory mapping', () => {
  it('maps a 2048 x 16 (4 KiB) memory to block RAM on iCE40 and keeps flip-flops out of the array', async () => {
    const { log } = await runYosysScript(files, 'read_verilog ram.v; synth_ice40 -top ram; stat');
    expect(count(log, 'SB_RAM40_4K')).toBe(8);
    expect(count(log, 'SB_DFF\\w*')).toBeLessThan(40);
  });

  it('maps it to block RAM on UltraScale+', async () => {
    const { log } = await runYosysScript(files, 'read_verilog ram.v; synth_xilinx -family xcup -top ram; stat');
    expect(count(log, 'RAMB36E2') * 2 + count(log, 'RAMB18E2')).toBeGreaterThanOrEqual(2);
    expect(count(log, 'RAM64M\\w*')).toBe(0);
  });
});
