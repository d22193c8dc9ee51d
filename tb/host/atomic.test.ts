import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDirectoryAtomically, writeFileAtomically } from '../../host/atomic.js';
import { listTree, makeTempDir, removeTempDir } from '../cli/cli-harness.js';
import { UsageError } from '../../host/errors.js';

let root: string;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(root);
});

const twoFiles = [
  { name: 'a.v', contents: 'module a; endmodule\n' },
  { name: 'files.f', contents: 'a.v\n' },
];

describe('writeDirectoryAtomically', () => {
  it('creates missing parents and writes every file', async () => {
    await writeDirectoryAtomically(join(root, 'x', 'y', 'out'), twoFiles);
    expect(await listTree(root)).toEqual(['x', 'x/y', 'x/y/out', 'x/y/out/a.v', 'x/y/out/files.f']);
    expect(await readFile(join(root, 'x/y/out/a.v'), 'utf8')).toBe('module a; endmodule\n');
  });

  it('replaces earlier output and an empty directory, leaving no siblings behind', async () => {
    await mkdir(join(root, 'empty'));
    await writeDirectoryAtomically(join(root, 'empty'), twoFiles);
    await writeDirectoryAtomically(join(root, 'empty'), [{ name: 'files.f', contents: '' }]);
    expect(await listTree(root)).toEqual(['empty', 'empty/files.f']);
  });

  it('keeps the old output and removes new parent directories when a write fails', async () => {
    await writeDirectoryAtomically(join(root, 'out'), twoFiles);
    const tooLong = { name: `${'n'.repeat(300)}.v`, contents: '' };
    const failure = writeDirectoryAtomically(join(root, 'out'), [twoFiles[0]!, tooLong]);
    await expect(failure).rejects.toThrow(/^cannot write output directory '.*out': name too long \(ENAMETOOLONG\)$/);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    expect(await listTree(root)).toEqual(['out', 'out/a.v', 'out/files.f']);

    await expect(writeDirectoryAtomically(join(root, 'p', 'q', 'out'), [tooLong])).rejects.toThrow(UsageError);
    expect(await listTree(root)).toEqual(['out', 'out/a.v', 'out/files.f']);
  });

  it('refuses to replace a directory that is not lutforge output', async () => {
    await mkdir(join(root, 'src'));
    await writeFile(join(root, 'src', 'keep.ts'), 'precious');
    await expect(writeDirectoryAtomically(join(root, 'src'), twoFiles, { displayPath: 'src' })).rejects.toThrow(
      "cannot write output directory 'src': it is not empty and has no files.f, so it is not earlier lutforge output; refusing to replace it",
    );
    expect(await readdir(root)).toEqual(['src']);
    expect(await readFile(join(root, 'src', 'keep.ts'), 'utf8')).toBe('precious');
  });

  it('names the file that stands where a parent directory should be', async () => {
    await writeFile(join(root, 'plain'), '');
    await expect(
      writeDirectoryAtomically(join(root, 'plain', 'deeper', 'out'), twoFiles, { displayPath: 'plain/deeper/out' }),
    ).rejects.toThrow("cannot write output directory 'plain/deeper/out': 'plain' is not a directory");
    expect(await readdir(root)).toEqual(['plain']);
  });

  it("writes files in subdirectories (a block model's layer directories) inside the output", async () => {
    await writeDirectoryAtomically(join(root, 'model'), [
      { name: 'qkv/a.v', contents: 'q\n' },
      { name: 'qkv/files.f', contents: 'a.v\n' },
      { name: 'files.f', contents: 'qkv/a.v\nqkv/files.f\n' },
    ]);
    expect(await listTree(root)).toEqual(['model', 'model/files.f', 'model/qkv', 'model/qkv/a.v', 'model/qkv/files.f']);
  });

  it.each(['a/../../escape.v', 'a//b.v', './a.v', '/abs.v', 'a\\b.v'])("refuses the name '%s', which would leave the output or is not a plain relative path", async (name) => {
    await expect(writeDirectoryAtomically(join(root, 'out'), [{ name, contents: '' }])).rejects.toThrow(`output file name '${name}' is not a plain file name`);
    expect(await readdir(root)).toEqual([]);
  });

  it('treats file names with separators as a caller bug, not bad input', async () => {
    const failure = writeDirectoryAtomically(join(root, 'out'), [{ name: '../escape.v', contents: '' }]);
    await expect(failure).rejects.toThrow("output file name '../escape.v' is not a plain file name");
    await expect(failure).rejects.not.toBeInstanceOf(UsageError);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('writeFileAtomically', () => {
  it('writes and overwrites a file, creating its directory', async () => {
    const path = join(root, 'reports', 'summary.json');
    await writeFileAtomically(path, '{"v":1}');
    await writeFileAtomically(path, '{"v":2}');
    expect(await readFile(path, 'utf8')).toBe('{"v":2}');
    expect(await listTree(root)).toEqual(['reports', 'reports/summary.json']);
  });

  it('fails with a UsageError and leaves no temporary file when the target is a directory', async () => {
    await mkdir(join(root, 'taken'));
    await expect(writeFileAtomically(join(root, 'taken'), 'x', { displayPath: 'taken' })).rejects.toThrow(
      /^cannot write 'taken': .*\(EISDIR\)$/,
    );
    expect(await listTree(root)).toEqual(['taken']);
  });
});
