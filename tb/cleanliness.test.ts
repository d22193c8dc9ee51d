// Every configuration the regressions exercise is clean under all three tools of the flow
// (`verilator --lint-only -Wall`, `iverilog -g2005 -Wall`, Yosys `check -assert`), and the two
// simulators agree, output for output and cycle for cycle, on a sample of them.
//
// Linting: the case lists come from the modules beside the regressions (tb/generators/cases.ts),
// so a case added to a regression is linted here without anyone remembering to. Configurations
// whose Verilog is identical are linted once (they are told apart by a hash of the emitted text).
// The default run lints everything the default regressions simulate, not a sample: 102 distinct
// designs, about 35 s of CPU (20-25 s on 2 idle cores) because lintEverywhereMany runs Yosys on
// batches of designs, 2.5 times cheaper than a Yosys run per design (Verilator's -Wall lint is
// then the larger part). The example generators' configurations are left to examples.test.ts,
// which lints the same list in the default run; under make regress (LUTFORGE_REGRESS=1) they are
// linted here too, with the configurations only make regress simulates (126 designs in all).
//
// Agreement: the tensor-core integer, the ADD and the LUT-LLM regressions already run a case on
// both simulators, and so does the FP tensor-core one (fp16); here the same vectors go through
// Verilator and Icarus for an FP MAC (fp8e4m3), an integer MAC, a dot-product array, the adder
// tree and the FIFO (tb/sim/simulation.test.ts does the counter), and under make regress an FP
// tensor-core of another format (bf16). The configurations are ones the regressions simulate or lint, so most Verilator models
// come from the build cache.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import { macEngine, type MacConfig } from '../generators/baseline/mac.js';
import { registry } from '../generators/index.js';
import type { TensorCoreConfig } from '../generators/lut-tensor-core/config.js';
import { tensorCoreEngine } from '../generators/lut-tensor-core/index.js';
import { Simulation } from '../sim/simulation.js';
import type { SimulatorName } from '../sim/backend.js';
import { runStreams } from '../sim/run-streams.js';
import { combinationalLoop, counter, syntaxError, unusedInput, wideAdder } from './fixtures/designs.js';
import { macCases, macConfigOf, macFpCases, macFpConfigOf } from './generators/baseline/cases.js';
import { regressionConfigs } from './generators/cases.js';
import { CASES as DOT_PRODUCT_CASES, dotProductConfigOf } from './generators/dot-product/cases.js';
import { exampleRegressionConfigs } from './generators/examples-cases.js';
import { fpCases, fpConfigOf } from './generators/lut-tensor-core/cases.js';
import { expectSimulatorsAgree, floatFormat, randomFloatOperands, randomOperands, seededRandom } from './generators/matmul-regression.js';
import { lutFpStreamModel, macFpBeats } from '../golden/lut-mpgemm-fp.js';
import { formatLintReport, lintEverywhere, lintEverywhereMany, type LintReport } from './lint.js';
import type { MatmulOperands, PackedRun } from '../contracts/matmul-operands.js';
import type { RegressionConfig } from './generators/regression-config.js';

const REGRESS = process.env['LUTFORGE_REGRESS'] === '1';

function generate({ generator, config }: RegressionConfig): EmittedDesign {
  const spec = registry.get(generator);
  if (spec === undefined) throw new Error(`no generator ${generator}`);
  return spec.generate(config);
}

interface DistinctDesign {
  readonly design: EmittedDesign;
  /** Every configuration that emits exactly this Verilog. */
  readonly configs: RegressionConfig[];
}

/** One entry per distinct emitted text, in the order first seen. */
function distinctDesigns(configs: readonly RegressionConfig[]): DistinctDesign[] {
  const byHash = new Map<string, DistinctDesign>();
  for (const config of configs) {
    const design = generate(config);
    const hash = createHash('sha256');
    for (const module of design.modules) hash.update(`${module.fileName}\0${module.text}\0`);
    const key = `${design.top}\0${hash.digest('hex')}`;
    const seen = byHash.get(key);
    if (seen === undefined) byHash.set(key, { design, configs: [config] });
    else seen.configs.push(config);
  }
  return [...byHash.values()];
}

// Left to examples.test.ts in the default run (see the header).
const LINTED_BY_EXAMPLES_TEST = new Set(exampleRegressionConfigs().map((config) => config.origin));

const toLint = distinctDesigns(regressionConfigs(REGRESS).filter((config) => REGRESS || !LINTED_BY_EXAMPLES_TEST.has(config.origin)));

describe('every configuration the regressions exercise is clean under the three tools', () => {
  it('lintEverywhereMany reports what lintEverywhere reports, design by design', async () => {
    const fixtures = [counter, combinationalLoop, wideAdder, syntaxError, unusedInput, counter];
    // A failing design ends a Yosys run and the rest of its batch goes on in a new one: batches of
    // 3 have a failure in the middle of one and first in the other.
    const [single, batched] = await Promise.all([Promise.all(fixtures.map((design) => lintEverywhere(design))), lintEverywhereMany(fixtures, { yosysBatchSize: 3 })]);
    // Yosys numbers cells on through a run (`$and$comb_loop.v:6$9`), so those numbers may differ.
    const unnumbered = (reports: readonly LintReport[]) =>
      reports.map((report) => ({ ...report, yosys: { ...report.yosys, messages: report.yosys.messages.replace(/\$\d+\b/g, '$N') } }));
    expect(unnumbered(batched)).toEqual(unnumbered(single));
    expect(batched.map((report) => [report.verilator.ok, report.icarus.ok, report.yosys.ok])).toEqual([
      [true, true, true],
      [false, true, false],
      [true, true, true],
      [false, false, false],
      [false, true, true],
      [true, true, true],
    ]);
  });

  it(`${toLint.length} distinct designs (${REGRESS ? 'everything, make regress included' : 'the default regressions'}) are clean`, async () => {
    const reports = await lintEverywhereMany(toLint.map(({ design }) => design));
    const failures = reports.flatMap((report, i) => {
      if (report.ok) return [];
      const { configs } = toLint[i]!;
      const which = configs.map(({ generator, config, origin }) => `${generator} ${JSON.stringify(config)} (${origin})`).join('\n  = ');
      return [`${which}\n${formatLintReport(report)}`];
    });
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
});

// ---- Verilator and Icarus on the same vectors ---------------------------------------------------

/** Random bits for a port, as the signed or unsigned value poke expects, below `limit` if given. */
function randomValue(random: (lo: number, hi: number) => number, port: PortInfo, limit?: number): bigint {
  if (limit !== undefined) return BigInt(random(0, limit - 1));
  let bits = 0n;
  for (let done = 0; done < port.width; done += 16) bits = (bits << 16n) | BigInt(random(0, 0xffff));
  bits &= (1n << BigInt(port.width)) - 1n;
  return port.signed && bits >> BigInt(port.width - 1) === 1n ? bits - (1n << BigInt(port.width)) : bits;
}

interface SessionOptions {
  readonly seed: number;
  readonly cycles: number;
  /** Inputs held below a bound (a bit-plane index below wbits, say). */
  readonly limits?: Readonly<Record<string, number>>;
  /** Pokes for the first cycle, which make registers without a reset defined (Icarus starts them at x). */
  readonly prologue?: Readonly<Record<string, number>>;
  /** Cycles run before outputs are read, so pipeline registers without a reset fill. */
  readonly warmup?: number;
}

/**
 * Random inputs every cycle and every output read after every cycle; a stream's data is read only
 * while its valid is high, as a consumer would (the words behind an empty FIFO are x in Icarus).
 */
async function randomSession(design: EmittedDesign, simulator: SimulatorName, options: SessionOptions): Promise<{ trace: (bigint | null)[][]; cycles: number }> {
  const random = seededRandom(options.seed);
  const inputs = design.ports.filter((port) => port.direction === 'input' && port.role === 'data');
  const outputs = design.ports.filter((port) => port.direction === 'output');
  const validOf = (port: PortInfo): string | undefined => {
    const stream = /^(.*)_data(_.*)?$/.exec(port.name)?.[1];
    return stream !== undefined && outputs.some((other) => other.name === `${stream}_valid`) ? `${stream}_valid` : undefined;
  };
  const sim = await Simulation.start(design, { simulator });
  try {
    const reset = design.ports.find((port) => port.role === 'reset');
    if (reset !== undefined) {
      sim.poke({ [reset.name]: 1 });
      sim.step();
      sim.poke({ [reset.name]: 0 });
    }
    const trace: (bigint | null)[][] = [];
    for (let cycle = 0; cycle < (options.warmup ?? 0) + options.cycles; cycle++) {
      sim.poke(Object.fromEntries(inputs.map((port) => [port.name, randomValue(random, port, options.limits?.[port.name])])));
      if (cycle === 0 && options.prologue !== undefined) sim.poke(options.prologue);
      sim.step();
      if (cycle < (options.warmup ?? 0)) continue;
      const valid = new Map<string, bigint>();
      for (const port of outputs.filter((output) => output.name.endsWith('_valid'))) valid.set(port.name, await sim.peek(port.name));
      trace.push(
        await Promise.all(
          outputs.map((port) => {
            const gate = validOf(port);
            return gate !== undefined && valid.get(gate) !== 1n ? null : sim.peek(port.name);
          }),
        ),
      );
    }
    return { trace, cycles: sim.cycle };
  } finally {
    await sim.close();
  }
}

async function expectSessionsAgree(design: EmittedDesign, options: SessionOptions): Promise<void> {
  const [verilator, icarus] = await Promise.all([randomSession(design, 'verilator', options), randomSession(design, 'icarus', options)]);
  expect(icarus.cycles).toBe(verilator.cycles);
  expect(icarus.trace).toEqual(verilator.trace);
  // Agreeing on outputs that never change would prove little.
  expect(new Set(verilator.trace.map((row) => row.join())).size).toBeGreaterThan(verilator.trace.length / 4);
}

function tensorCoreFpGolden(config: TensorCoreConfig) {
  return (packed: PackedRun): bigint[][] => lutFpStreamModel(config, packed.inputs);
}

function macFpGolden(config: MacConfig) {
  return (_packed: PackedRun, operands: MatmulOperands): bigint[][] => macFpBeats(config, operands);
}

/** One of the configurations examples.test.ts lints. */
function exampleDesign(generator: string, config: Record<string, unknown>): EmittedDesign {
  const wanted = JSON.stringify(registry.get(generator)?.schema.parse(config));
  const found = exampleRegressionConfigs().find((entry) => entry.generator === generator && JSON.stringify(entry.config) === wanted);
  if (found === undefined) throw new Error(`${generator} ${JSON.stringify(config)} is not among the example configurations`);
  return generate(found);
}

describe.concurrent('Verilator and Icarus agree on the same vectors (a sample)', () => {
  // The FP tensor-core regression already runs fp16 on both simulators; another format is for make regress.
  it.runIf(REGRESS)('tensor-core, bf16 activations', async () => {
    const variant = fpCases(false).find((entry) => entry.act === 'bf16' && entry.symmetric === true)!;
    const config = fpConfigOf(variant);
    const operands = randomFloatOperands(seededRandom(501), { M: 3, K: 13, N: 5 }, { format: floatFormat('bf16'), wbits: config.wbits, specials: true });
    const golden = tensorCoreFpGolden(config);
    await expectSimulatorsAgree(tensorCoreEngine, config, operands, { golden });
  });

  it('mac, fp8e4m3 activations', async () => {
    const config = macFpConfigOf(macFpCases.find((entry) => entry.act === 'fp8e4m3')!);
    const operands = randomFloatOperands(seededRandom(502), { M: 3, K: 13, N: 5 }, { format: floatFormat('fp8e4m3'), wbits: config.wbits, specials: true });
    const golden = macFpGolden(config);
    await expectSimulatorsAgree(macEngine, config, operands, { golden });
  });

  it('mac, int16 activations, 3-bit narrow weights', async () => {
    const config = macConfigOf(macCases.find((entry) => entry.wbits === 3 && entry.act === 'int16' && entry.narrowWeights)!);
    const operands = randomOperands(seededRandom(503), { M: 3, K: 29, N: 7 }, { actBits: 16, wbits: 3 });
    await expectSimulatorsAgree(macEngine, config, operands);
  });

  it('dot-product array, shared table, 3-bit weights', async () => {
    const config = dotProductConfigOf(DOT_PRODUCT_CASES.find((entry) => entry['kind'] === 'lut')!);
    const design = generate({ generator: 'dot-product', config, origin: 'dot-product/simulation.test.ts' });
    // `first` with `step` at plane 0 (not `correct`) loads every accumulator and the row sum; the
    // plane index stays below wbits.
    await expectSessionsAgree(design, { seed: 504, cycles: 60, limits: { plane: config.wbits }, prologue: { first: 1, step: 1, correct: 0, plane: 0 } });
  });

  it('adder tree, pipelined', async () => {
    await expectSessionsAgree(exampleDesign('adder-tree', { inputs: 13, width: 5, signed: true, levelsPerStage: 2 }), { seed: 506, cycles: 30, warmup: 4 });
  });

  it('fifo, in the stream harness of `lutforge sim`', async () => {
    const design = exampleDesign('fifo', { depth: 5, width: 70 });
    const random = seededRandom(507);
    const beats = Array.from({ length: 40 }, () => [randomValue(random, { name: 'in_data', direction: 'input', width: 70, signed: false, role: 'data' })]);
    const [verilator, icarus] = await Promise.all(
      (['verilator', 'icarus'] as const).map((simulator) => runStreams(design, { inputs: { in: beats }, expect: { out: beats.length }, simulator })),
    );
    expect(verilator!.outputs['out']!.beats).toEqual(beats);
    expect(icarus!.outputs).toEqual(verilator!.outputs);
    expect(icarus!.cycles).toBe(verilator!.cycles);
  });
});
