// `lutforge schematic` in-process on the real registry, Yosys and netlistsvg: a small tensor core
// (n = 4: the units do not depend on the tile width) drawn to files, the --json summary, and bad
// input that exits 2 and writes nothing.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import type { SchematicSummary } from '../../cli/commands/schematic.js';
import { listTree, makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';
import { FAST_TIER } from '../test-tiers.js';

let cwd: string;
beforeAll(async () => {
  cwd = await makeTempDir();
});
afterAll(async () => {
  await removeTempDir(cwd);
});

function lutforge(...argv: string[]): Promise<CliRun> {
  return runIn(cwd, argv, registry);
}

describe('lutforge schematic', () => {
  it.skipIf(FAST_TIER)('draws the LUT unit to the --out file and says what it drew', async () => {
    const run = await lutforge('schematic', 'tensor-core', '--set', 'n=4', '--module', 'serial_unit', '--out', 'svg/unit.svg');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const svg = await readFile(join(cwd, 'svg', 'unit.svg'), 'utf8');
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg).toContain('s:type="add"');
    expect(run.stdout).toMatch(/^wrote svg\/unit\.svg \(serial_unit: \d+ cells \(\d+ \$and, .*1 \$add.*\), 16 ports; [\d,]+ bytes\)\n$/);
  });

  it.skipIf(FAST_TIER)('--json: stdout holds only the summary, with the cell counts; --progress reports the phases on stderr', async () => {
    const run = await lutforge('schematic', 'tensor-core', '--set', 'n=4', '-m', 'lut_table_precompute', '-o', 'precompute.svg', '--json', '--progress');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SchematicSummary;
    const out = join(cwd, 'precompute.svg');
    expect(summary).toMatchObject({ generator: 'tensor-core', module: 'lut_table_precompute', level: 'word', flattened: false, out, instances: {} });
    expect(summary.cells.$add).toBeGreaterThan(8);
    expect(summary.bytes).toBe((await stat(out)).size);
    expect(summary.ports.map((port) => port.name)).toContain('groupSum');
    expect(run.stderr).toMatch(/^\[schematic \+[\d.]+ s\] generating tensor-core\.\.\.\n.*synthesizing lut_table_precompute with Yosys \(word level\)\.\.\.\n.*laying out lut_table_precompute with netlistsvg\.\.\.\n.*done\n$/);
  });

  it('--help ends with examples, the LUT unit among them', async () => {
    const run = await lutforge('schematic', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nExamples:\n {2}\$ lutforge schematic tensor-core --module serial_unit --out unit\.svg\n(.+\n)*$/);
  });
});

describe('lutforge schematic: bad input exits 2 and writes nothing', () => {
  it.each([
    [
      ['tensor-core', '--set', 'n=4', '--module', 'lut_unit', '--out', 'bad/unit.svg'],
      "lutforge: design 'lut_tensor_core' has no module 'lut_unit' (modules: lut_table_precompute, serial_unit, serial_tile, lut_tensor_core)\n",
    ],
    [['tensor-core', '--module', 'serial_unit'], "lutforge: required option '-o, --out <file.svg>' not specified\n"],
    [['counter', '--level', 'rtl', '--out', 'bad/counter.svg'], "lutforge: unknown schematic level 'rtl' (known: word, gates)\n"],
    [['counter', '--yosys', 'docker', '--out', 'bad/counter.svg'], "lutforge: unknown Yosys flavour 'docker' (known: embedded, system)\n"],
    [['counter', '--out', '.'], "lutforge: cannot write '.': it is a directory\n"],
  ])('%j', async (args, message) => {
    const before = await listTree(cwd);
    const run = await lutforge('schematic', ...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(message);
    expect(await listTree(cwd)).toEqual(before);
  });
});
