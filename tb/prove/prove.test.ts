// Formal equivalence with Yosys: the quick proofs pass, a deliberately broken unit is rejected with
// a counterexample that really breaks it, and the command line reports both with its exit codes.
// The whole catalog (about 20 proofs, minutes each for the wider serial ones) runs under make regress.

import { describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { runCli } from '../../cli/program.js';
import { emitVerilog } from '../../dsl/index.js';
import { brokenLookupProblem, PROOFS, selectProofs } from '../../prove/catalog.js';
import { serialBeatCheck } from '../../prove/dot-product.js';
import { formatCounterexample, proveEquivalent } from '../../prove/miter.js';
import { signedBitsFor } from '../../contracts/engine-widths.js';

const REGRESS = process.env['LUTFORGE_REGRESS'] === '1';

function sink(): { write: (text: string) => boolean; text: () => string } {
  let text = '';
  return { write: (chunk: string) => ((text += chunk), true), text: () => text };
}

describe('the proof catalog', () => {
  it('covers every table at the lookup, every weight width of each serial unit kind, and the search distances', () => {
    const names = PROOFS.map((proof) => proof.name);
    expect(names).toEqual(expect.arrayContaining(['lookup/symmetric', 'lookup/naive', 'lookup/unsigned', 'tables/symmetric-vs-naive', 'search/linf', 'search/linf-k2', 'search/linf-k2-back-to-back', 'search/linf-k4-pause']));
    for (const variant of ['symmetric', 'naive', 'unsigned', 'lut-local', 'add']) for (let w = 1; w <= 4; w++) expect(names).toContain(`serial/${variant}/w${w}`);
    expect(selectProofs(['serial/naive']).map((proof) => proof.name)).toEqual(['serial/naive/w1', 'serial/naive/w2', 'serial/naive/w3', 'serial/naive/w4']);
    expect(() => selectProofs(['lookup/nope'])).toThrow(/no proof named 'lookup\/nope'/);
  });
});

describe.concurrent('proofs', () => {
  // By default the quick ones but lookup/symmetric (10 s): the symmetric lookup is inside the array
  // that serial/symmetric/w1 proves, and the broken lookup below exercises its miter; and but
  // search/linf (45 s of the 10-minute budget), whose search unit every linf case of the LUT-LLM
  // hardware regression simulates against the golden model. search/linf-k2 (PEs of 2 centroids, a
  // few seconds) stands for the search; tb/generators/lut-llm/search.test.ts simulates k = 1, 2, 3
  // with sub-vectors back to back and with gaps. Every proof under make regress.
  const left = new Set(['lookup/symmetric', 'search/linf']);
  const chosen = REGRESS ? PROOFS : PROOFS.filter((proof) => proof.quick && !left.has(proof.name));
  it.each(chosen.map((proof) => [proof.name, proof] as const))('%s is proven', async (_name, proof) => {
    const result = await proveEquivalent(proof.problem());
    expect(result.proven, result.proven ? '' : formatCounterexample(result.counterexample ?? []).join('\n')).toBe(true);
  }, 900_000);

  it('rejects a lookup that reads one table entry one too high, with a counterexample that hits that entry', async () => {
    const entry = 5;
    const result = await proveEquivalent(brokenLookupProblem('symmetric', entry));
    expect(result.proven).toBe(false);
    const [step] = result.counterexample ?? [];
    expect(step).toBeDefined();
    const act = step!.inputs['act'];
    const bits = step!.inputs['bits'];
    expect(Array.isArray(act) && act.length).toBe(4);
    expect(typeof bits).toBe('bigint');
    // The symmetric table holds entry j for a top bit of 1 (field = 8 + j) and, negated, for its
    // mirror (the packing inverts the low bits): the counterexample must read entry 5 one way or the other.
    expect([8n + BigInt(entry), 7n - BigInt(entry)]).toContain(bits);
    // And the outputs it reports are the plain dot product and that value off by one.
    const values = (act as bigint[]).map(Number);
    const field = Number(bits);
    const plain = values.reduce((sum, a, j) => sum + ((field >> j) & 1 ? a : -a), 0);
    const y = step!.outputs['y']!;
    expect(Number(y.gold)).toBe(plain);
    expect(Math.abs(Number(y.gate) - plain)).toBe(1);
    expect(formatCounterexample(result.counterexample ?? []).join('\n')).toMatch(/^act = \[-?\d+, -?\d+, -?\d+, -?\d+\], bits = \d+\n {2}differs: y: reference -?\d+, design -?\d+$/);
  });
});

describe('a bounded sequential proof that fails', () => {
  it('reports its counterexample cycle by cycle: a row sum past maxK outgrows the array\'s register', async () => {
    // maxK = 4 sizes the row sum for one group of 4 int8 activations (11 bits); five cycles give
    // SAT room for three group beats and a correction beat that shows the wrapped sum.
    const params = { k: 4, wbits: 1, act: 'int8', table: 'unsigned', kind: 'lut', maxK: 4 } as const;
    const result = await proveEquivalent({
      gold: emitVerilog(serialBeatCheck({ ...params, side: 'gold' })),
      gate: emitVerilog(serialBeatCheck({ ...params, side: 'gate' })),
      steps: 5,
    });
    expect(result.proven).toBe(false);
    const steps = result.counterexample ?? [];
    expect(steps.map((step) => step.step)).toEqual([1, 2, 3, 4, 5]);
    expect(Object.keys(steps[0]!.inputs)).toEqual(['act', 'plane', 'bits', 'correct', 'first', 'step']);
    // The outputs are registers: they first differ after the beats that made them differ.
    const differing = steps.filter((step) => Object.keys(step.outputs).length > 0);
    expect(differing.length).toBeGreaterThan(0);
    expect(Object.keys(differing[0]!.outputs)).toEqual(['acc']);
    // Replaying the inputs: the row sum the reference keeps leaves the array's register's range.
    const limit = 2 ** (signedBitsFor(4n * 128n) - 1);
    let rowSum = 0;
    let largest = 0;
    for (const { inputs } of steps) {
      if (inputs['step'] !== 1n || inputs['correct'] !== 0n) continue;
      rowSum = (inputs['first'] === 1n ? 0 : rowSum) + (inputs['act'] as bigint[]).reduce((sum, a) => sum + Number(a), 0);
      largest = Math.max(largest, Math.abs(rowSum));
    }
    expect(largest).toBeGreaterThanOrEqual(limit);
    expect(formatCounterexample(steps)[0]).toMatch(/^cycle 1: act = \[-?\d+, -?\d+, -?\d+, -?\d+\], plane = \d, bits = \d+, correct = [01], first = [01], step = [01]$/);
  });
});

describe('lutforge prove', () => {
  it('lists the proofs with what each establishes, as text and JSON', async () => {
    const stdout = sink();
    expect(await runCli(['prove', '--list', '--json'], { registry, stdout, stderr: sink() })).toBe(0);
    const listed = JSON.parse(stdout.text()) as { name: string; claim: string; quick: boolean }[];
    expect(listed.map((proof) => proof.name)).toEqual(PROOFS.map((proof) => proof.name));
    expect(listed.every((proof) => proof.claim.length > 40)).toBe(true);
  });

  it('runs a selected proof and says it was proven (exit 0)', async () => {
    const stdout = sink();
    // A proof that takes a second: the command's plumbing is the point here.
    const stderr = sink();
    expect(await runCli(['prove', 'serial/add/w1', '--progress'], { registry, stdout, stderr })).toBe(0);
    expect(stdout.text()).toMatch(/^proven {2}serial\/add\/w1 {2}\(\d+\.\d s\)\n1 of 1 proofs passed\n$/);
    // --progress off a terminal: a line per finished proof, no bar redrawn.
    expect(stderr.text()).toMatch(/^prove: 1\/1 serial\/add\/w1 proven \(\d+\.\d s\)\n$/);
  });

  it('refuses an unknown proof and a bad --jobs with exit 2, before proving anything', async () => {
    const stderr = sink();
    expect(await runCli(['prove', 'serial/w9'], { registry, stdout: sink(), stderr })).toBe(2);
    expect(stderr.text()).toMatch(/no proof named 'serial\/w9'/);
    const jobs = sink();
    expect(await runCli(['prove', 'lookup/naive', '--jobs', '0'], { registry, stdout: sink(), stderr: jobs })).toBe(2);
    expect(jobs.text()).toMatch(/--jobs must be a positive integer/);
  });
});
