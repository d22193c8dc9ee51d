// A stand-in for generators/index.ts: small strict schemas and hand-written designs, so the CLI
// tests do not depend on the real generators.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { WidthMismatchError } from '../../dsl/errors.js';
import type { EmittedDesign } from '../../dsl/design.js';
import { createRegistry, defineGenerator, type GeneratorRegistry } from '../../generators/registry.js';
import { runCli } from '../../cli/program.js';

/** Where the 'broken' generator claims its misuse is: line 12 of this file. */
export const brokenLoc = { file: fileURLToPath(import.meta.url), line: 12, column: 1 };

const counterSchema = z.strictObject({
  width: z.int().min(1).max(64).default(8).describe('counter width in bits'),
  reset: z.enum(['sync', 'async']).default('sync'),
  options: z
    .strictObject({ enable: z.boolean().default(false), label: z.string().default('ctr') })
    .default({ enable: false, label: 'ctr' }),
});

/** The config that reached `generate`, recoverable from the emitted text. */
export function configFromText(text: string): unknown {
  const match = /\/\/ config: (.*)/.exec(text);
  if (!match?.[1]) throw new Error('no config comment in the emitted text');
  return JSON.parse(match[1]);
}

function counterDesign(config: z.output<typeof counterSchema>): EmittedDesign {
  const comment = `// config: ${JSON.stringify(config)}\n`;
  return {
    top: 'counter',
    modules: [
      { name: 'counter_bit', fileName: 'counter_bit.v', text: `${comment}module counter_bit; endmodule\n` },
      { name: 'counter_core', fileName: 'counter_core.v', text: `${comment}module counter_core; endmodule\n` },
      { name: 'counter', fileName: 'counter.v', text: `${comment}module counter; endmodule\n` },
    ],
    ports: [{ name: 'clk', direction: 'input', width: 1, signed: false, role: 'clock' }],
  };
}

export const fakeRegistry = createRegistry([
  defineGenerator({
    name: 'counter',
    description: 'an up counter',
    schema: counterSchema,
    generate: counterDesign,
  }),
  defineGenerator({
    name: 'broken',
    description: 'misuses the DSL',
    schema: z.strictObject({ depth: z.int().default(4) }),
    generate: (config) => {
      throw new WidthMismatchError(`cannot assign a 3-bit value to 'q' (${config.depth} bits wide)`, brokenLoc);
    },
  }),
  defineGenerator({
    name: 'crashing',
    description: 'has a bug',
    schema: z.strictObject({}),
    generate: () => {
      throw new TypeError('cannot read properties of undefined');
    },
  }),
]);

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process in `cwd`, on the fake registry unless another is given. */
export async function runIn(cwd: string, argv: readonly string[], registry: GeneratorRegistry = fakeRegistry): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    registry,
    cwd,
    version: '9.9.9-test',
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lutforge-cli-'));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Every path under `root` (dot files included), sorted, to prove a failure left nothing behind. */
export async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.map((entry) => relative(root, join(root, entry))).sort();
}

/** Y = A (Q - Z), row-major, by the definition: nothing from the hardware or the golden kernels. */
export function matmulReference(A: ArrayLike<number>, Q: ArrayLike<number>, Z: ArrayLike<number>, M: number, K: number, N: number): bigint[] {
  const Y: bigint[] = [];
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0n;
      for (let k = 0; k < K; k++) sum += BigInt(A[m * K + k]!) * BigInt(Q[k * N + n]! - Z[n]!);
      Y.push(sum);
    }
  }
  return Y;
}
