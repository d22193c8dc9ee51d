// The code blocks of a Markdown document, each with what the docs test does with it. Every block
// must say, in its info string, one of:
//
//   ```sh                      a shell script, run with bash (-euo pipefail) in the project folder
//   ```text output             what the sh block just before it prints: each line appears, in
//                              order, within a line of its stdout or stderr
//   ```ts file=mac.ts          a file to write (any language: ts, json, ...), path in the project
//   ```verilog expect=rtl-out/mac/mac_unit.v
//                              an excerpt of a file the steps before made: each line appears in
//                              it, in order
//
// so a block that is only shown, never run, cannot slip in: it fails the test.

import { marked, type Token, type Tokens } from 'marked';

export type DocBlock =
  | { readonly kind: 'shell'; readonly script: string; readonly line: number }
  | { readonly kind: 'output'; readonly lines: readonly string[]; readonly line: number }
  | { readonly kind: 'file'; readonly path: string; readonly text: string; readonly line: number }
  | { readonly kind: 'excerpt'; readonly path: string; readonly lines: readonly string[]; readonly line: number };

export class DocBlockError extends Error {
  override readonly name = 'DocBlockError';
}

function* codeTokens(tokens: readonly Token[]): Generator<Tokens.Code> {
  for (const token of tokens) {
    if (token.type === 'code') yield token as Tokens.Code;
    const nested = token as { tokens?: Token[]; items?: Token[] };
    if (nested.tokens !== undefined) yield* codeTokens(nested.tokens);
    if (nested.items !== undefined) yield* codeTokens(nested.items);
  }
}

/** Non-empty lines, trailing spaces dropped: what an expected-output or excerpt block asks for. */
function significantLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
}

export function docBlocks(markdown: string, docName: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  let searchFrom = 0;
  for (const token of codeTokens(marked.lexer(markdown))) {
    // The block's line, for messages: its first line of code, searched after the previous block.
    const at = markdown.indexOf(token.text.split('\n')[0] ?? '', searchFrom);
    const line = at < 0 ? 0 : markdown.slice(0, at).split('\n').length;
    if (at >= 0) searchFrom = at;
    const [language = '', ...words] = (token.lang ?? '').trim().split(/\s+/);
    const attribute = (key: string): string | undefined => words.find((word) => word.startsWith(`${key}=`))?.slice(key.length + 1);
    const where = `${docName}:${line}`;
    const file = attribute('file');
    const expected = attribute('expect');
    if (language === 'sh' && words.length === 0) blocks.push({ kind: 'shell', script: token.text, line });
    else if (language === 'text' && words.length === 1 && words[0] === 'output') {
      if (blocks.at(-1)?.kind !== 'shell') throw new DocBlockError(`${where}: an output block must follow a sh block`);
      blocks.push({ kind: 'output', lines: significantLines(token.text), line });
    } else if (file !== undefined && words.length === 1) blocks.push({ kind: 'file', path: file, text: `${token.text}\n`, line });
    else if (expected !== undefined && words.length === 1) blocks.push({ kind: 'excerpt', path: expected, lines: significantLines(token.text), line });
    else throw new DocBlockError(`${where}: code block '${token.lang ?? ''}' says neither sh, text output, file=PATH nor expect=PATH, so the docs test cannot run it`);
  }
  return blocks;
}

/**
 * Whether an actual line is what the document shows: the whole line, spaces at either end aside,
 * where `...` in the shown line stands for any text. A shown line is never a silent prefix of the
 * real one, so a reader who compares sees the same line, and elisions are marked.
 */
export function lineMatches(shown: string, actual: string): boolean {
  const pattern = shown
    .trim()
    .split('...')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(actual.trim());
}

/**
 * The first shown line that is not found, in order, among the actual lines (each shown line must
 * match a whole actual line after the one matched before, see lineMatches), or undefined.
 */
export function missingLine(expected: readonly string[], actual: readonly string[]): string | undefined {
  let next = 0;
  for (const wanted of expected) {
    while (next < actual.length && !lineMatches(wanted, actual[next] ?? '')) next++;
    if (next === actual.length) return wanted;
    next++;
  }
  return undefined;
}
