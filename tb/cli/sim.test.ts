// `lutforge sim` in-process with the real registry's `fifo` example, in temporary directories;
// the missing-simulator case runs the real bin as a process with a PATH lacking the tools.

import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import { registry } from '../../generators/index.js';
import { listTree, makeTempDir, removeTempDir, type CliRun } from './cli-harness.js';
import { FAST_TIER } from '../test-tiers.js';

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
