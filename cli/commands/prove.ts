// `lutforge prove [name...]`: formal equivalence proofs with Yosys (miter -equiv, sat -prove) of
// the generators' units against plain references (prove/catalog.ts). A proof that fails prints
// its counterexample as input values and the command exits 1.

import type { Command } from 'commander';
import { mapPool } from '../../host/pool.js';
import { selectProofs, type Proof } from '../../prove/catalog.js';
import { formatCounterexample, proveEquivalent, type CounterexampleStep } from '../../prove/miter.js';
import { YOSYS_FLAVOURS, resolveFlavour, type YosysFlavour } from '../../synth/runner.js';
import type { CommandContext } from '../context.js';
import { writeJson } from '../output.js';
import { countProgress } from '../progress.js';
import { asUsageError } from './synth.js';
import { CheckFailedError, UsageError } from '../../host/errors.js';

interface ProveOptions {
  readonly list?: boolean;
  readonly quick?: boolean;
  readonly json?: boolean;
  readonly jobs: string;
  readonly timeout?: string;
  readonly yosys?: string;
  readonly progress?: boolean;
}

interface ProofOutcome {
  readonly name: string;
  readonly claim: string;
  readonly status: 'proven' | 'failed' | 'error';
  readonly seconds: number;
  readonly counterexample?: readonly CounterexampleStep[];
  readonly error?: string;
}

export function addProveCommand(program: Command, context: CommandContext): void {
  program
    .command('prove')
    .description('prove units equivalent to plain references with Yosys (miter -equiv, sat -prove)')
    .argument('[proof...]', 'proofs to run, by name or family (lookup, tables, serial, search); default: all')
    .option('--list', 'list the proofs and what each establishes, and run none')
    .option('--quick', 'only the quick proofs (the ones make test runs)')
    .option('-j, --jobs <n>', 'proofs run at once', '2')
    .option('--timeout <seconds>', 'give up on a SAT call after this long (reported as an error)')
    .option('--yosys <flavour>', `Yosys build: ${YOSYS_FLAVOURS.join(' or ')} (default: $LUTFORGE_YOSYS, else embedded)`)
    .option('--json', 'print JSON: {proofs: [{name, claim, status, seconds, counterexample?, error?}]}, or with --list [{name, claim, quick}]')
    .option('--progress', 'show a progress bar even when stderr is not a terminal')
    .addHelpText('after', '\nExamples:\n  $ lutforge prove --list\n  $ lutforge prove lookup search/linf\n  $ lutforge prove --quick --json')
    .action(async (selectors: string[], options: ProveOptions) => {
      const proofs = chooseProofs(selectors, options);
      if (options.list) {
        if (options.json) writeJson(context, proofs.map(({ name, claim, quick }) => ({ name, claim, quick })));
        else context.stdout.write(listText(proofs));
        return;
      }
      const jobs = positiveInteger(options.jobs, '--jobs');
      const timeout = options.timeout === undefined ? undefined : positiveInteger(options.timeout, '--timeout');
      const flavour = asUsageError(() => resolveFlavour(options.yosys));
      const outcomes = await runProofs(context, proofs, { jobs, flavour, progress: options.progress === true, ...(timeout === undefined ? {} : { timeout }) });
      if (options.json) writeJson(context, { proofs: outcomes }, jsonBigints);
      else context.stdout.write(outcomes.map(outcomeText).join(''));
      const failed = outcomes.filter((outcome) => outcome.status !== 'proven');
      if (failed.length > 0) throw new CheckFailedError(`${failed.length} of ${outcomes.length} proofs did not pass: ${failed.map((outcome) => outcome.name).join(', ')}`);
      if (!options.json) context.stdout.write(`${outcomes.length} of ${outcomes.length} proofs passed\n`);
    });
}

function chooseProofs(selectors: readonly string[], options: ProveOptions): Proof[] {
  let proofs: Proof[];
  try {
    proofs = selectProofs(selectors);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return options.quick ? proofs.filter((proof) => proof.quick) : proofs;
}

function positiveInteger(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${flag} must be a positive integer, got '${text}'`);
  return Number(text);
}

interface RunOptions {
  readonly jobs: number;
  readonly flavour: YosysFlavour;
  readonly timeout?: number;
  readonly progress: boolean;
}

async function runProofs(context: CommandContext, proofs: readonly Proof[], options: RunOptions): Promise<ProofOutcome[]> {
  const progress = countProgress(context, 'prove', 'proofs [{bar}] {value}/{total} | {eta_formatted} left | {last}', options.progress);
  progress?.start(proofs.length);
  try {
    return await mapPool(proofs, options.jobs, async (proof) => {
      const outcome = await runProof(proof, options);
      progress?.finished(`${proof.name} ${outcome.status} (${outcome.seconds.toFixed(1)} s)`);
      return outcome;
    });
  } finally {
    progress?.stop();
  }
}

async function runProof(proof: Proof, options: RunOptions): Promise<ProofOutcome> {
  const started = performance.now();
  const base = { name: proof.name, claim: proof.claim };
  try {
    const result = await proveEquivalent(proof.problem(), { flavour: options.flavour, ...(options.timeout === undefined ? {} : { timeout: options.timeout }) });
    if (result.proven) return { ...base, status: 'proven', seconds: result.seconds };
    return { ...base, status: 'failed', seconds: result.seconds, counterexample: result.counterexample ?? [] };
  } catch (error) {
    return { ...base, status: 'error', seconds: (performance.now() - started) / 1000, error: error instanceof Error ? error.message : String(error) };
  }
}

function listText(proofs: readonly Proof[]): string {
  const width = Math.max(...proofs.map((proof) => proof.name.length));
  return proofs.map((proof) => `${proof.name.padEnd(width)}  ${proof.quick ? '(quick) ' : ''}${proof.claim}\n`).join('');
}

function outcomeText(outcome: ProofOutcome): string {
  const head = `${outcome.status === 'proven' ? 'proven' : outcome.status === 'failed' ? 'FAILED' : 'ERROR '}  ${outcome.name}  (${outcome.seconds.toFixed(1)} s)\n`;
  if (outcome.status === 'failed') return `${head}  counterexample:\n${formatCounterexample(outcome.counterexample ?? []).map((line) => `    ${line}\n`).join('')}`;
  if (outcome.status === 'error') return `${head}${(outcome.error ?? '').split('\n').map((line) => `  ${line}\n`).join('')}`;
  return head;
}

function jsonBigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

