import { describe, expect, it } from 'vitest';
import { docBlocks, missingLine } from './doc-blocks.js';

const fence = '```';

describe('docBlocks', () => {
  it('reads each kind of block with its line', () => {
    const markdown = [
      '# Title',
      '',
      `${fence}ts file=src/mac.ts`,
      'export const a = 1;',
      fence,
      '',
      '1. Run it:',
      '',
      `   ${fence}sh`,
      '   npx lutforge gen ./src/mac.ts',
      `   ${fence}`,
      '',
      `${fence}text output`,
      'wrote rtl-out/mac/',
      fence,
      '',
      `${fence}verilog expect=rtl-out/mac/mac.v`,
      'module mac (',
      fence,
    ].join('\n');
    expect(docBlocks(markdown, 'doc.md')).toEqual([
      { kind: 'file', path: 'src/mac.ts', text: 'export const a = 1;\n', line: 4 },
      { kind: 'shell', script: 'npx lutforge gen ./src/mac.ts', line: 10 },
      { kind: 'output', lines: ['wrote rtl-out/mac/'], line: 14 },
      { kind: 'excerpt', path: 'rtl-out/mac/mac.v', lines: ['module mac ('], line: 18 },
    ]);
  });

  it('refuses a block it could not run', () => {
    expect(() => docBlocks(`intro\n\n${fence}ts\nconst a = 1;\n${fence}\n`, 'doc.md')).toThrow(/doc\.md:4: code block 'ts' says neither/);
    expect(() => docBlocks(`${fence}\nplain\n${fence}\n`, 'doc.md')).toThrow(/code block '' says neither/);
    expect(() => docBlocks(`${fence}text output\nwrote\n${fence}\n`, 'doc.md')).toThrow(/must follow a sh block/);
  });
});

describe('missingLine', () => {
  it('wants every line, in order, each a whole actual line with ... for elided text', () => {
    const actual = ['  Tests  2 passed (2)', 'wrote rtl-out/mac/ (2 files, top mac_unit)', 'done'];
    expect(missingLine(['Tests  2 passed (2)', 'wrote rtl-out/mac/ (2 files, top mac_unit)'], actual)).toBeUndefined();
    expect(missingLine(['Tests  2 passed ...', 'wrote ... top mac_unit)'], actual)).toBeUndefined();
    expect(missingLine(['wrote rtl-out/mac/ (2 files, top mac_unit)', 'Tests  2 passed (2)'], actual)).toBe('Tests  2 passed (2)');
    expect(missingLine(['3 passed'], actual)).toBe('3 passed');
    expect(missingLine([], actual)).toBeUndefined();
  });

  it('does not take a prefix of a line for the line', () => {
    const actual = ['serial_unit $add $and $dff $mux', 'Y.npy (3 x 20 int32)'];
    expect(missingLine(['serial_unit'], actual)).toBe('serial_unit');
    expect(missingLine(['Y.npy'], actual)).toBe('Y.npy');
    expect(missingLine(['serial_unit ...', 'Y.npy (3 x 20 int32)'], actual)).toBeUndefined();
  });

  it('reads regular-expression characters in a shown line literally', () => {
    expect(missingLine(['a (b) [c] $d'], ['a (b) [c] $d'])).toBeUndefined();
    expect(missingLine(['a.c'], ['abc'])).toBe('a.c');
  });
});
