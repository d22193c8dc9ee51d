// The README's figure tables are the paper report's measured results, not typed by hand: each
// generated block must be what docs/paper's CSV files render to now.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, readPaperData, README_TABLES, renderReadmeTables, type PaperData } from '../../../scripts/paper/readme-tables.js';
import { REPO_ROOT } from '../../package/tarball.js';

const readmePath = path.join(REPO_ROOT, 'README.md');
const data = () => readPaperData(path.join(REPO_ROOT, 'docs', 'paper'), path.join(REPO_ROOT, 'scripts', 'paper', 'spaces'));

describe('README figure tables', () => {
  it('equal what docs/paper renders to (run make paper after a change of results)', async () => {
    const readme = await readFile(readmePath, 'utf8');
    expect(renderReadmeTables(readme, await data())).toBe(readme);
  });

  it('has a block for every generated table and nothing typed between the markers', async () => {
    const readme = await readFile(readmePath, 'utf8');
    for (const id of Object.keys(README_TABLES)) expect(readme, id).toContain(`<!-- make paper: ${id} -->`);
    const emptied = readme.replace(/(<!-- make paper: [\w-]+ -->)\n[\s\S]*?\n(<!-- end make paper -->)/g, '$1\n$2');
    expect(renderReadmeTables(emptied, await data())).toBe(readme);
  });

  it('shows a changed measurement in the README table that quotes it', async () => {
    const real = await data();
    const rows = real.csv['tensor-core.csv']!.map((row) =>
      row['group'] === 'lut' && row['param.act'] === 'int8' && row['param.wbits'] === '1' ? { ...row, 'cmos.transistors': '123456' } : row,
    );
    const changed: PaperData = { ...real, csv: { ...real.csv, 'tensor-core.csv': rows } };
    const readme = await readFile(readmePath, 'utf8');
    const rendered = renderReadmeTables(readme, changed);
    expect(rendered).not.toBe(readme);
    expect(rendered).toMatch(/\| W1A8 \| 123,456 \|/);
  });

  it('refuses an unknown block and a missing one', () => {
    const empty: PaperData = { csv: {}, spaces: {} };
    expect(() => renderReadmeTables('<!-- make paper: nope -->\n<!-- end make paper -->\n', empty)).toThrow(/unknown generated table 'nope'/);
    expect(() => renderReadmeTables('no blocks here\n', empty)).toThrow(/no block for the generated table/);
  });

  it('reads quoted CSV fields', () => {
    expect(parseCsv('a,b\n"x, y",2\n')).toEqual([{ a: 'x, y', b: '2' }]);
  });
});
