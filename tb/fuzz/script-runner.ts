// Script runs of many vectors at once, for designs driven by pokes and steps rather than streams
// (dot-product arrays, counter, adder tree, FIFO): every vector's operations are appended into one
// script that one process of the cached build runs, and its peeks are dealt back to the vectors in
// order and compared with what the TypeScript model says each must read.

import type { EmittedDesign } from '../../dsl/design.js';
import { simulate } from '../../sim/simulate.js';
import type { SimOp } from '../../sim/verilator.js';
import type { Verdict } from './types.js';

/** One peek a vector makes and what it must read (undefined: not checked, e.g. data of an empty FIFO). */
export interface Check {
  readonly port: string;
  readonly value: bigint | undefined;
  /** Where in the vector, for messages (`cycle 3`, `unit 2`). */
  readonly label: string;
}

export interface ScriptVector {
  /** Pokes, steps and peeks; its peeks are exactly `checks`, in the same order. */
  readonly ops: readonly SimOp[];
  readonly checks: readonly Check[];
}

/** Builds the ops and checks of a vector together, so the two can never drift apart. */
export class ScriptBuilder {
  readonly ops: SimOp[] = [];
  readonly checks: Check[] = [];

  poke(values: Readonly<Record<string, bigint | number>>): this {
    this.ops.push({ poke: values });
    return this;
  }

  step(cycles = 1): this {
    this.ops.push({ step: cycles });
    return this;
  }

  eval(): this {
    this.ops.push({ eval: true });
    return this;
  }

  expect(port: string, value: bigint | undefined, label: string): this {
    this.ops.push({ peek: [port] });
    this.checks.push({ port, value, label });
    return this;
  }

  build(): ScriptVector {
    return { ops: this.ops, checks: this.checks };
  }
}

function perturbed(checks: readonly Check[]): Check[] {
  const first = checks.findIndex((check) => check.value !== undefined);
  return checks.map((check, i) => (i === first ? { ...check, value: check.value! ^ 1n } : check));
}

export async function runScriptVectors(design: EmittedDesign, vectors: readonly ScriptVector[], perturb: readonly boolean[] = []): Promise<Verdict[]> {
  if (vectors.length === 0) return [];
  const ops = vectors.flatMap((vector) => vector.ops);
  const peeked = await simulate(design, ops, { runTimeoutMs: 600_000 });
  const cursor = new Map<string, number>();
  return vectors.map((vector, i) => {
    const checks = perturb[i] === true ? perturbed(vector.checks) : vector.checks;
    let verdict: Verdict = { ok: true };
    for (const check of checks) {
      const at = cursor.get(check.port) ?? 0;
      cursor.set(check.port, at + 1);
      const got = peeked[check.port]?.[at];
      if (verdict.ok && check.value !== undefined && got !== check.value) {
        verdict = { ok: false, message: `${check.port} at ${check.label}: expected ${check.value}, got ${got}` };
      }
    }
    return verdict;
  });
}
