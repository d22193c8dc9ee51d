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
  it('wants every line, in order, each within one actual line', () => {
    const actual = ['  Tests  2 passed (2)', 'wrote rtl-out/mac/ (2 files, top mac_unit)', 'done'];
    expect(missingLine(['Tests  2 passed', 'top mac_unit'], actual)).toBeUndefined();
    expect(missingLine(['top mac_unit', 'Tests  2 passed'], actual)).toBe('Tests  2 passed');
    expect(missingLine(['3 passed'], actual)).toBe('3 passed');
    expect(missingLine([], actual)).toBeUndefined();
  });
});
