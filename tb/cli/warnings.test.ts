// Design warnings on the command line: every command that elaborates a design (gen, synth, sim,
// schematic, through cli/design-source.ts) prints them on stderr as `lutforge: warning: file:line:
// ...`, and --strict turns them into bad input for CI: exit 2, nothing written.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { makeTempDir, removeTempDir, runIn, type CliRun } from './cli-harness.js';

const FIR = fileURLToPath(new URL('./fixtures/designs/forgotten-tap.ts', import.meta.url));
const WARNING = "lutforge: warning: tb/cli/fixtures/designs/forgotten-tap.ts:11: register 'tap2' of module 'fir' is never read\n";

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

const run = (...argv: string[]): Promise<CliRun> => runIn(cwd, argv, registry);

describe('design warnings', () => {
  it('gen writes the design and warns about the unread register at its line', async () => {
    const result = await run('gen', FIR, '--out', 'out');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(WARNING);
    expect(existsSync(join(cwd, 'out', 'fir.v'))).toBe(true);
  });

  it('--strict makes a warning an error: exit 2 and nothing written', async () => {
    const result = await run('gen', FIR, '--out', 'out', '--strict');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${WARNING}lutforge: the design has a warning, which --strict makes errors; stopped before writing anything\n`);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('a design without dead logic passes --strict silently', async () => {
    const result = await run('gen', 'counter', '--out', 'out', '--strict');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });
});
