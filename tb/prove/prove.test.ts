// Formal equivalence with Yosys: the quick proofs pass, a deliberately broken unit is rejected with
// a counterexample that really breaks it, and the command line reports both with its exit codes.
// The whole catalog (about 20 proofs, minutes each for the wider serial ones) runs under make regress.

import { describe, expect, it } from 'vitest';
import { registry } from '../../generators/index.js';
import { runCli } from '../../cli/program.js';
import { brokenLookupProblem, PROOFS, selectProofs } from '../../prove/catalog.js';
import { formatCounterexample, proveEquivalent } from '../../prove/miter.js';

const REGRESS = process.env['LUTFORGE_REGRESS'] === '1';

function sink(): { write: (text: string) => boolean; text: () => string } {
  let text = '';
  return { write: (chunk: string) => ((text += chunk), true), text: () => text };
}

describe('the proof catalog', () => {
  it('covers every table at the lookup, every weight width of the serial unit, and the search distances', () => {
    const names = PROOFS.map((proof) => proof.name);
    expect(names).toEqual(expect.arrayContaining(['lookup/symmetric', 'lookup/naive', 'lookup/unsigned', 'tables/symmetric-vs-naive', 'search/linf']));
    for (const table of ['symmetric', 'naive', 'unsigned']) for (let w = 1; w <= 4; w++) expect(names).toContain(`serial/${table}/w${w}`);
    expect(selectProofs(['serial/naive']).map((proof) => proof.name)).toEqual(['serial/naive/w1', 'serial/naive/w2', 'serial/naive/w3', 'serial/naive/w4']);
    expect(() => selectProofs(['lookup/nope'])).toThrow(/no proof named 'lookup\/nope'/);
  });
});

describe.concurrent('proofs', () => {
  // lookup/symmetric runs through the command line below; the other quick ones here.
  const chosen = REGRESS ? PROOFS : PROOFS.filter((proof) => proof.quick && proof.name !== 'lookup/symmetric');
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
    expect(await runCli(['prove', 'lookup/symmetric'], { registry, stdout, stderr: sink() })).toBe(0);
    expect(stdout.text()).toMatch(/^proven {2}lookup\/symmetric {2}\(\d+\.\d s\)\n1 of 1 proofs passed\n$/);
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
