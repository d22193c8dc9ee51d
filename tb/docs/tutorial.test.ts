// The tutorial runs as written: every code block of docs/tutorial/*.md, in order, in one new
// project folder, against lutforge packed from this checkout (the tutorial installs it from
// $LUTFORGE_TARBALL, as a reader does). Shell blocks must succeed, files are written where they
// say, and shown output and file excerpts must appear as whole lines (doc-blocks.ts).
//
// Writing a chapter: LUTFORGE_TUTORIAL_DIR=/tmp/tutorial npx vitest run tb/docs keeps the project
// folder there (emptied first) to look at what each step made, and prints each script's time.

import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarball, REPO_ROOT } from '../package/tarball.js';
import { docBlocks, missingLine, type DocBlock } from './doc-blocks.js';

const TUTORIAL_DIR = path.join(REPO_ROOT, 'docs', 'tutorial');
const chapters = readdirSync(TUTORIAL_DIR)
  .filter((name) => /^\d\d-.*\.md$/.test(name))
  .sort();

// The reader's project has a build cache of its own, as it should; its Verilator builds may still
// share the checkout's compiler cache, which holds the Verilator runtime every model links.
const CHECKOUT_CCACHE = process.env.CCACHE_DIR ?? path.join(REPO_ROOT, '.cache', 'ccache');

let project: string;
let tarball: string;

beforeAll(async () => {
  tarball = await packedTarball();
  const kept = keptDir();
  if (kept !== undefined) {
    project = path.resolve(kept);
    await rm(project, { recursive: true, force: true });
    await mkdir(project, { recursive: true });
  } else {
    project = await mkdtemp(path.join(tmpdir(), 'lutforge-tutorial-'));
  }
}, 600_000);

afterAll(async () => {
  if (project !== undefined && keptDir() === undefined) await rm(project, { recursive: true, force: true });
});

/** LUTFORGE_TUTORIAL_DIR: where to keep the project (and print each script's time), for writers. */
function keptDir(): string | undefined {
  const dir = process.env.LUTFORGE_TUTORIAL_DIR;
  return dir === undefined || dir === '' ? undefined : dir;
}

/** The lines of a document that open or close a code block, whatever its info string. */
function fenceLines(file: string): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => /^\s*(```|~~~)/.test(line)).length;
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

async function runBlocks(chapter: string, blocks: readonly DocBlock[]): Promise<void> {
  let lastOutput: string[] = [];
  for (const block of blocks) {
    const where = `docs/tutorial/${chapter}:${block.line}`;
    switch (block.kind) {
      case 'shell': {
        const run = await execa('bash', ['-euo', 'pipefail', '-c', block.script], {
          cwd: project,
          reject: false,
          stdin: 'ignore',
          all: true,
          env: { LUTFORGE_TARBALL: tarball, CCACHE_DIR: CHECKOUT_CCACHE, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' },
        });
        expect(run.exitCode, `${where}: the script exited ${run.exitCode}\n${block.script}\n--- output ---\n${tail(run.all ?? '')}`).toBe(0);
        if (keptDir() !== undefined) console.log(`${where}: ${(run.durationMs / 1000).toFixed(1)} s`);
        lastOutput = (run.all ?? '').split('\n');
        break;
      }
      case 'output': {
        const missing = missingLine(block.lines, lastOutput);
        expect(missing, `${where}: '${missing}' is not in the output of the script before it:\n${tail(lastOutput.join('\n'))}`).toBeUndefined();
        break;
      }
      case 'file': {
        const target = path.join(project, block.path);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, block.text);
        break;
      }
      case 'excerpt': {
        const text = await readFile(path.join(project, block.path), 'utf8').catch(() => undefined);
        expect(text, `${where}: ${block.path} does not exist`).toBeDefined();
        const missing = missingLine(block.lines, (text ?? '').split('\n'));
        expect(missing, `${where}: '${missing}' is not in ${block.path}`).toBeUndefined();
        break;
      }
    }
  }
}

describe('docs/tutorial', () => {
  it('has chapters', () => {
    expect(chapters.length).toBeGreaterThanOrEqual(3);
  });

  it('leaves no code block in docs/ that it does not run', () => {
    // Everything else in docs/ is prose (the tutorial's index, the generated paper report).
    const others = readdirSync(path.join(REPO_ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.md') && !chapters.includes(path.relative('tutorial', file)))
      .filter((file) => fenceLines(path.join(REPO_ROOT, 'docs', file)) > 0);
    expect(others).toEqual([]);
  });

  // In order, in one folder: each chapter goes on from where the one before left the project.
  for (const chapter of chapters) {
    it(`runs ${chapter} as written`, async () => {
      const blocks = docBlocks(readFileSync(path.join(TUTORIAL_DIR, chapter), 'utf8'), `docs/tutorial/${chapter}`);
      expect(blocks.some((block) => block.kind === 'shell')).toBe(true);
      await runBlocks(chapter, blocks);
    }, 900_000);
  }
});
