// Switching activity from VCD files: exact toggle counts and time at 1 on a hand-written trace
// (vectors, short and x-padded values, x and z, an ascending range, a range glued to its name, a
// real, a nested scope), windows, a long counter trace read as a stream, and bad input.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityPerCycle, readVcdActivity } from '../../sim/activity.js';
import { SimInputError } from '../../sim/errors.js';

// Times in ns. clk rises at 5, 15, 25. Per bit, what changes when (counted toggles marked *):
//   data[0]  0 @0, 1 @5*, 0 @30*, 1 @35*          data[2]  0 @0, 1 @5*, x @10, 1 @15, 0 @30*, x @35
//   data[1]  0 @0, x @35                            data[3]  0 @0, 1 @10*, 0 @30*, x @35
//   flag     x @0, 1 @5, 0 @15*                     up[0]    0 @0, 1 @15*      bit[5]  0 @0, 1 @15*
const HAND_WRITTEN = `$date hand-written $end
$version lutforge test $end
$timescale 1ns $end
$scope module TOP $end
 $var wire 1 ! clk $end
 $scope module dut $end
  $var wire 1 ! clk $end
  $var wire 4 " data [3:0] $end
  $var wire 1 # flag $end
  $var wire 2 $ up [0:1] $end
  $var wire 1 % bit[5] $end
  $var real 64 & level $end
  $scope module inner $end
   $var wire 1 ' deep $end
  $upscope $end
 $upscope $end
$upscope $end
$enddefinitions $end
$comment the values at 0 are not changes $end
#0
$dumpvars
0!
b0000 "
x#
b00 $
0%
r0.5 &
0'
$end
#5
1!
b101 "
1#
#10
0!
b1x01 "
#15
1!
b1101 "
0#
b10 $
1%
1'
r1.5 &
#20
0!
#25
1!
#30
0!
b0 "
#35
bx1 "
#40
`;

let dir: string;
let handWritten: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lutforge-vcd-test-'));
  handWritten = join(dir, 'hand.vcd');
  await writeFile(handWritten, HAND_WRITTEN);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const counts = (bits: ReadonlyMap<string, { toggles: number; timeAtOne: number }>): Record<string, [number, number]> =>
  Object.fromEntries([...bits].map(([name, bit]) => [name, [bit.toggles, bit.timeAtOne]]));

describe('readVcdActivity', () => {
  it('counts 0<->1 toggles and time at 1 per bit of the scope over the whole trace', async () => {
    const activity = await readVcdActivity(handWritten, { scope: 'TOP.dut', clock: 'clk' });
    expect(activity).toMatchObject({ timescale: '1ns', start: 0, end: 40, cycles: 3 });
    // [toggles, time at 1]; no `level` (a real) and no `deep` (a scope further down).
    expect(counts(activity.bits)).toEqual({
      clk: [6, 15],
      'data[3]': [2, 20],
      'data[2]': [2, 20],
      'data[1]': [0, 0],
      'data[0]': [3, 30],
      flag: [1, 10],
      'up[0]': [1, 25],
      'up[1]': [0, 0],
      'bit[5]': [1, 25],
    });
  });

  it('counts only what happens in the window [start, end)', async () => {
    const activity = await readVcdActivity(handWritten, { scope: 'TOP.dut', clock: 'clk', start: 7, end: 22 });
    expect(activity).toMatchObject({ start: 7, end: 22, cycles: 1 });
    expect(counts(activity.bits)).toMatchObject({
      clk: [3, 8],
      'data[3]': [1, 12],
      'data[2]': [0, 10],
      'data[0]': [0, 15],
      flag: [1, 8],
      'up[0]': [1, 7],
    });
  });

  it('gives toggles per clock cycle and duty, the activity power analysis takes', async () => {
    const perCycle = activityPerCycle(await readVcdActivity(handWritten, { scope: 'TOP.dut', clock: 'clk' }));
    expect(perCycle.get('data[0]')).toEqual({ toggles: 1, duty: 0.75 });
    expect(perCycle.get('clk')).toEqual({ toggles: 2, duty: 0.375 });
  });

  it('reads a long trace as a stream, bit by bit: a 16-bit counter over 50,000 cycles', async () => {
    const lines = ['$timescale 1ps $end', '$scope module TOP $end', '$scope module counter $end', '$var wire 1 c clk $end', '$var wire 16 n count [15:0] $end', '$upscope $end', '$upscope $end', '$enddefinitions $end', '#0', '0c', 'b0 n'];
    const cycles = 50_000;
    for (let cycle = 1; cycle <= cycles; cycle++) lines.push(`#${cycle * 10 - 5}`, '1c', `b${(cycle % 65536).toString(2)} n`, `#${cycle * 10}`, '0c');
    const path = join(dir, 'counter.vcd');
    await writeFile(path, `${lines.join('\n')}\n`);
    const activity = await readVcdActivity(path, { scope: 'TOP.counter', clock: 'clk' });
    expect(activity.cycles).toBe(cycles);
    for (let bit = 0; bit < 16; bit++) expect(activity.bits.get(`count[${bit}]`)?.toggles).toBe(Math.floor(cycles / 2 ** bit));
  });

  it('names the scopes it has when the one asked for is missing, and rejects a missing clock, a bad window, a missing file and a cut one', async () => {
    await expect(readVcdActivity(handWritten, { scope: 'TOP.core', clock: 'clk' })).rejects.toThrow(/no scope 'TOP.core' \(it has: TOP, TOP.dut, TOP.dut.inner\)/);
    await expect(readVcdActivity(handWritten, { scope: 'TOP.dut', clock: 'clock' })).rejects.toThrow(SimInputError);
    await expect(readVcdActivity(handWritten, { scope: 'TOP.dut', clock: 'data' })).rejects.toThrow(/no 1-bit signal 'data'/);
    await expect(readVcdActivity(handWritten, { scope: 'TOP.dut', clock: 'clk', start: 10, end: 10 })).rejects.toThrow(/end/);
    await expect(readVcdActivity(join(dir, 'missing.vcd'), { scope: 'TOP.dut', clock: 'clk' })).rejects.toThrow(/no VCD file at/);
    const cut = join(dir, 'cut.vcd');
    await writeFile(cut, HAND_WRITTEN.slice(0, HAND_WRITTEN.indexOf('$enddefinitions')));
    await expect(readVcdActivity(cut, { scope: 'TOP.dut', clock: 'clk' })).rejects.toThrow(/ends before \$enddefinitions/);
    expect(() => activityPerCycle({ timescale: '1ns', start: 0, end: 10, cycles: 0, bits: new Map() })).toThrow(/no clock cycle/);
  });
});
