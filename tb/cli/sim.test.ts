// `lutforge sim` in-process with the real registry's `fifo` example and the design files of
// fixtures/designs (the tutorial's mac_unit, a stream of signed words), in temporary
// directories; the missing-simulator case runs the real bin as a process with a PATH lacking
// the tools.

import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import { registry } from '../../generators/index.js';
import { seededRandom } from '../../golden/random.js';
import { encodeNpy, parseNpy } from '../../host/npy.js';
import { fakeRegistry, listTree, makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';
import { FAST_TIER } from '../test-tiers.js';

const DESIGNS = fileURLToPath(new URL('./fixtures/designs/', import.meta.url));
const MAC = join(DESIGNS, 'mac.ts');
const SIGNED_STAGE = join(DESIGNS, 'signed-stage.ts');

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

async function sim(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['sim', 'fifo', ...argv], {
    registry,
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** 16-bit little-endian beats (the fifo at width 12 takes two bytes per beat). */
function beats16(values: readonly number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 2);
  values.forEach((value, i) => bytes.writeUInt16LE(value, i * 2));
  return bytes;
}

const values = Array.from({ length: 30 }, (_, i) => (i * 131) % 4096);

describe('lutforge sim', () => {
  it.skipIf(FAST_TIER).each(['verilator', 'icarus'])('streams a beat file through the fifo on %s and writes the output beats', async (simulator) => {
    await writeFile(join(cwd, 'in.bin'), beats16(values));
    const run = await sim('--set', 'width=12', '--in', 'in.bin', '--out', 'out.bin', '--simulator', simulator);
    expect(run).toEqual({ code: 0, stdout: `fifo (${simulator}): 31 cycles; beats in: in 30/30; beats out: out 30 -> out.bin\n`, stderr: '' });
    expect(await readFile(join(cwd, 'out.bin'))).toEqual(beats16(values));
  });

  it.skipIf(FAST_TIER)('prints a JSON summary and writes a waveform next to the output with --wave', async () => {
    await writeFile(join(cwd, 'words.bin'), beats16(values.slice(0, 5)));
    const run = await sim('--set', 'width=12', '--in', 'in=words.bin', '--out', 'out=res.bin', '--expect', 'out=5', '--wave', '--json', '--simulator', 'icarus');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      generator: 'fifo',
      top: 'fifo',
      simulator: 'icarus',
      cycles: 6,
      inputs: { in: { file: join(cwd, 'words.bin'), beats: 5, consumed: 5 } },
      outputs: { out: { file: join(cwd, 'res.bin'), beats: 5, firstCycle: 1, lastCycle: 5 } },
      wave: join(cwd, 'res.bin.vcd'),
    });
    expect(await readFile(join(cwd, 'res.bin.vcd'), 'utf8')).toMatch(/\$enddefinitions/);
  });

  it.skipIf(FAST_TIER)('fails with exit 1 and the beats that arrived when the cycle limit comes first', async () => {
    await writeFile(join(cwd, 'in.bin'), beats16(values));
    const run = await sim('--set', 'width=12', '--in', 'in.bin', '--out', 'out.bin', '--expect', '40', '--max-cycles', '100');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("lutforge: simulation of 'fifo' (verilator) hit the cycle limit of 100 cycles with 'out' 30 of 40 beats\n");
    expect(await listTree(cwd)).toEqual(['in.bin']);
  });

  it.each([
    [['--in', 'in.bin', '--out', 'out.bin'], "beat file 'in.bin' of stream 'in' is 7 bytes, not a whole number of 2-byte beats (1 bytes left over)"],
    [['--in', 'wide.bin', '--out', 'out.bin'], "beat file 'wide.bin' of stream 'in': beat 0 has a value wider than 12-bit port 'in_data'"],
    [['--in', 'nope=in.bin', '--out', 'out.bin'], "'fifo' has no input stream 'nope' (input streams: in)"],
    [['--in', 'in.bin', '--out', 'count=out.bin'], "'fifo' has no output stream 'count' (output streams: out)"],
    [['--in', 'missing.bin', '--out', 'out.bin'], "cannot read beat file 'missing.bin': no such file or directory (ENOENT)"],
    [['--in', 'in.bin'], 'sim needs at least one --out'],
    [['--in', 'in.bin', '--out', 'out.bin', '--max-cycles', 'lots'], "--max-cycles needs a non-negative integer, got 'lots'"],
  ])('rejects bad input with exit 2 and writes nothing: %j', async (argv, message) => {
    await writeFile(join(cwd, 'in.bin'), Buffer.alloc(7));
    await writeFile(join(cwd, 'wide.bin'), beats16([4096]));
    const run = await sim('--set', 'width=12', ...argv);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `lutforge: ${message}\n` });
    expect(await listTree(cwd)).toEqual(['in.bin', 'wide.bin']);
  });

  it.each(['verilator', 'icarus'])('says to run the setup script when %s is missing (exit 2)', async (simulator) => {
    await writeFile(join(cwd, 'in.bin'), beats16(values));
    // A PATH holding only node, so neither simulator can be found.
    const bin = join(cwd, 'bin');
    await mkdir(bin);
    await symlink(process.execPath, join(bin, 'node'));
    const lutforge = fileURLToPath(new URL('../../bin/lutforge.mjs', import.meta.url));
    const run = await execa(join(bin, 'node'), [lutforge, 'sim', 'fifo', '--in', 'in.bin', '--out', 'out.bin', '--set', 'width=12', '--simulator', simulator], {
      cwd,
      reject: false,
      stdin: 'ignore',
      env: { PATH: bin },
      extendEnv: false,
    });
    const tool = simulator === 'icarus' ? 'iverilog' : 'verilator';
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`lutforge: '${tool}' was not found on PATH; run \`bash scripts/setup.sh\` to install it`);
    expect(await listTree(cwd)).toEqual(['bin', 'bin/node', 'in.bin']);
  });
});

/** The tutorial's MAC at width 6, accBits 14: a stimulus with products that wrap the sum, and its golden outputs. */
function macStimulus(): { csv: string; expected: string } {
  const random = seededRandom(20);
  const rows = Array.from({ length: 60 }, () => [random(-32, 31), random(-32, 31), random(0, 3) === 0 ? 0 : 1] as const);
  let sum = 0n;
  const acc = rows.map(([a, b, enable]) => (sum = enable === 1 ? BigInt.asIntN(14, sum + BigInt(a * b)) : sum));
  expect(acc.some((value) => value < 0n) && acc.some((value) => value > 0n)).toBe(true);
  // Row 0 in hex (raw bits: 0x3f is -1 on a signed 6-bit port); row 1 leaves a and b as they were.
  const cells = rows.map(([a, b, enable], i) => (i === 0 ? `0x${BigInt.asUintN(6, BigInt(a)).toString(16)},${b},${enable}` : i === 1 && a === rows[0]![0] ? `,${b},${enable}` : `${a},${b},${enable}`));
  return { csv: `a,b,enable\n${cells.join('\n')}\n`, expected: `cycle,acc\n${acc.map((value, i) => `${i},${value}`).join('\n')}\n` };
}

const run = (...argv: string[]): Promise<CliRun> => runIn(cwd, ['sim', ...argv], registry);

describe('lutforge sim --stimulus (plain ports)', () => {
  it.skipIf(FAST_TIER)('drives the tutorial\'s mac_unit from a CSV on icarus: the golden accumulator per cycle on stdout, and a waveform', async () => {
    const { csv, expected } = macStimulus();
    await writeFile(join(cwd, 'stim.csv'), csv);
    const result = await run(MAC, '--set', 'width=6', '--set', 'accBits=14', '--stimulus', 'stim.csv', '--simulator', 'icarus', '--wave');
    expect(result).toEqual({ code: 0, stdout: expected, stderr: 'waveform: mac_unit.vcd (open with: gtkwave mac_unit.vcd, or surfer mac_unit.vcd)\n' });
    // The reset cycle and all 60 rows, two timestamps per cycle: the waveform does not stop early.
    const stamps = (await readFile(join(cwd, 'mac_unit.vcd'), 'utf8')).match(/^#\d+$/gm) ?? [];
    expect(stamps.length).toBeGreaterThan(2 * 60);
  });

  // The counter at modulo 5 is the model tb/sim/simulation.test.ts builds too: the same cached Verilator build.
  it.skipIf(FAST_TIER)('on verilator writes the outputs to --out and a JSON summary', async () => {
    await writeFile(join(cwd, 'stim.csv'), 'enable,clear\n1,0\n1,0\n1,0\n1,0\n1,0\n1,0\n0,0\n0,1\n1,0\n');
    const result = await run('counter', '--set', 'modulo=5', '--stimulus', 'stim.csv', '--out', 'counts.csv', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      generator: 'counter',
      top: 'counter',
      simulator: 'verilator',
      cycles: 9,
      resetCycles: 1,
      stimulus: join(cwd, 'stim.csv'),
      out: join(cwd, 'counts.csv'),
      outputs: ['count', 'wrap'],
      wave: null,
    });
    // wrap is combinational: high while the count is 4 and enable is high, before the edge back to 0.
    expect(await readFile(join(cwd, 'counts.csv'), 'utf8')).toBe('cycle,count,wrap\n0,1,0\n1,2,0\n2,3,0\n3,4,1\n4,0,0\n5,1,0\n6,1,0\n7,0,0\n8,1,0\n');
  });

  // The counter's cached build again; 20,000 rows print far more than a pipe holds, so the bin
  // is still writing when head closes the pipe.
  it.skipIf(FAST_TIER)('ends quietly with exit 0 when the reader of stdout stops early (| head)', async () => {
    await writeFile(join(cwd, 'stim.csv'), `enable,clear\n${'1,0\n'.repeat(20_000)}`);
    const lutforge = fileURLToPath(new URL('../../bin/lutforge.mjs', import.meta.url));
    const run = await execa('bash', ['-o', 'pipefail', '-c', `node ${lutforge} sim counter --set modulo=5 --stimulus stim.csv | head -n 2`], { cwd, reject: false });
    expect({ code: run.exitCode, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: 'cycle,count,wrap\n0,1,0', stderr: '' });
  });

  it.each([
    [[MAC], "'mac_unit' has no valid/ready streams; drive its ports cycle by cycle with --stimulus <file.csv> (inputs: a, b, enable, rst)"],
    [[MAC, '--stimulus', 'unknown.csv'], "unknown.csv:1: 'mac_unit' has no input port 'c' (inputs: a, b, enable, rst)"],
    [[MAC, '--stimulus', 'wide.csv', '--out', 'acc.csv'], "wide.csv:3: value -129 does not fit signed 8-bit port 'b' (range -128..127)"],
    [[MAC, '--stimulus', 'missing.csv'], "cannot read stimulus file 'missing.csv': no such file or directory (ENOENT)"],
    [[MAC, '--stimulus', 'stim.csv', '--in', 'in.bin'], '--in: stream mode only; --stimulus drives the ports directly, one CSV row per cycle'],
    [[MAC, '--stimulus', 'stim.csv', '--json'], '--json prints a summary on stdout; give --out <file.csv> for the outputs per cycle'],
    [[SIGNED_STAGE, '--in', 'wide.npy', '--out', 'out.npy'], "'wide.npy' beat 1: value 16384 does not fit signed 15-bit port 'in_data' (range -16384..16383)"],
    [[SIGNED_STAGE, '--in', 'stim.csv', '--out', 'out.npy'], "beat file 'stim.csv' of stream 'in' is 17 bytes, not a whole number of 2-byte beats (1 bytes left over)"],
  ])('rejects bad input with exit 2 and writes nothing: %j', async (argv, message) => {
    const files = { 'stim.csv': 'a,b,enable\n1,2,1\n', 'unknown.csv': 'a,c\n1,2\n', 'wide.csv': 'a,b\n1,-128\n1,-129\n', 'wide.npy': encodeNpy(Int32Array.of(-16384, 16384), [2]) };
    for (const [name, contents] of Object.entries(files)) await writeFile(join(cwd, name), contents);
    const result = await run(...argv);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `lutforge: ${message}\n` });
    expect(await listTree(cwd)).toEqual(Object.keys(files).sort());
  });

  it('says when a design has neither streams nor inputs to drive (exit 2)', async () => {
    const result = await runIn(cwd, ['sim', 'counter']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: "lutforge: 'counter' has no valid/ready streams and no input ports besides its clock: sim has nothing to drive\n" });
    await writeFile(join(cwd, 'stim.csv'), 'clk\n1\n');
    expect((await runIn(cwd, ['sim', 'counter', '--stimulus', 'stim.csv'])).stderr).toBe("lutforge: 'counter' has no input ports besides its clock: there is nothing to drive\n");
  });

  it('says in its help what it supports and where the API is', async () => {
    const { stdout } = await run('--help');
    for (const phrase of ['Stream mode (--in, --out)', '.npy', 'Plain-port mode (--stimulus)', 'held high for one cycle', "from 'lutforge/sim'", 'sim counter --set modulo=5 --stimulus counter.csv']) {
      expect(stdout).toContain(phrase);
    }
  });
});

describe('lutforge sim with .npy streams', () => {
  it.skipIf(FAST_TIER)('round-trips negative values of a signed 15-bit stream, in any integer dtype in, int16 out', async () => {
    const values = [-7n, 16383n, -16384n, 0n, -1n, 12n];
    await writeFile(join(cwd, 'in.npy'), encodeNpy(BigInt64Array.from(values), [values.length]));
    const result = await run(SIGNED_STAGE, '--in', 'in.npy', '--out', 'out.npy', '--simulator', 'icarus');
    expect(result).toEqual({ code: 0, stdout: 'signed_stage (icarus): 7 cycles; beats in: in 6/6; beats out: out 6 -> out.npy\n', stderr: '' });
    const out = parseNpy(await readFile(join(cwd, 'out.npy')), 'out.npy', 'test');
    expect({ dtype: out.dtype, shape: out.shape, data: Array.from(out.data as Int16Array) }).toEqual({ dtype: 'int16', shape: [6], data: values.map(Number) });
  });
});
