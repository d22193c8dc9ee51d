// `make demo`: the main job is the LUT Tensor Core at its default configuration (M2N64K4, W2,
// INT8): Verilog written to rtl-out/, linted by the three tools, synthesized on the cmos target
// beside the MAC baseline at the same tile (compute density ratio), and a 1 x 1024 x 1024 GEMV
// simulated in Verilator against the golden kernel (cycle efficiency). Then the small example
// designs go through the same steps. Before them, a small LUT-LLM layer runs end to end:
// quantize, generate, lint, simulate, compare with the golden model.

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeDirectoryAtomically } from '../host/atomic.js';
import { designFiles } from '../cli/commands/gen.js';
import type { EmittedDesign } from '../dsl/design.js';
import { adderTreeConfig, adderTreeLatencyOf, adderTreeOutputWidth, type AdderTreeConfig } from '../generators/examples/adder-tree.js';
import { registry } from '../generators/index.js';
import { simulate } from '../sim/simulate.js';
import type { SimOp } from '../sim/verilator.js';
import { synthesize, type SynthReport } from '../synth/synthesize.js';
import { lintEverywhere } from '../tb/lint.js';
import { runMatmul } from '../host/run-matmul.js';
import { tensorCoreConfig } from '../generators/lut-tensor-core/config.js';
import { tensorCoreEngine } from '../generators/lut-tensor-core/index.js';
import { formatNumber } from '../synth/report.js';
import { mpgemmInt } from '../golden/mpgemm.js';
import { randomOperands } from '../golden/operands.js';
import { mulberry32, seededRandom } from '../golden/random.js';
import { densityAgainstMac } from './lib/density.js';
import { lutLlmDemo } from './lib/lut-llm-demo.js';
import { lutLlmBlockDemo } from './lib/lut-llm-block-demo.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface DemoCase {
  readonly label: string;
  readonly generator: string;
  readonly config: Record<string, unknown>;
  /** Simulates the design and returns [matching values, checked values, cycles]. */
  readonly check: (design: EmittedDesign) => Promise<[number, number, number]>;
}

async function checkCounter(design: EmittedDesign): Promise<[number, number, number]> {
  const cycles = 25;
  const ops: SimOp[] = [{ poke: { rst: 1 } }, { step: 1 }, { poke: { rst: 0, enable: 1 } }];
  for (let i = 0; i < cycles; i++) ops.push({ step: 1 }, { peek: ['count'] });
  const result = await simulate(design, ops);
  const matches = result.count!.filter((value, i) => value === BigInt((i + 1) % 10)).length;
  return [matches, cycles, cycles + 1];
}

function adderTreeCheck(config: AdderTreeConfig) {
  return async (design: EmittedDesign): Promise<[number, number, number]> => {
    const vectors = 32;
    const latency = adderTreeLatencyOf(config);
    const next = mulberry32(7);
    const ops: SimOp[] = [];
    const expected: bigint[] = [];
    for (let v = 0; v < vectors; v++) {
      const poke: Record<string, bigint> = {};
      let sum = 0n;
      for (let i = 0; i < config.inputs; i++) {
        const value = BigInt(Math.floor(next() * 2 ** config.width));
        poke[`values_${i}`] = value;
        sum += value;
      }
      expected.push(sum);
      ops.push({ poke }, latency > 0 ? { step: latency } : { eval: true }, { peek: ['sum'] });
    }
    const result = await simulate(design, ops);
    const mask = (1n << BigInt(adderTreeOutputWidth(config))) - 1n;
    const matches = result.sum!.filter((value, i) => value === (expected[i]! & mask)).length;
    return [matches, vectors, vectors * latency];
  };
}

async function checkFifo(design: EmittedDesign): Promise<[number, number, number]> {
  // Fill the depth-4 queue, drain two, push two more (the write pointer wraps), drain all four:
  // the words must come out in order, each once.
  const ops: SimOp[] = [{ poke: { rst: 1 } }, { step: 1 }, { poke: { rst: 0 } }];
  let cycles = 1;
  let next = 100;
  const push = (count: number): void => {
    for (let i = 0; i < count; i++, cycles++) ops.push({ poke: { in_valid: 1, in_data: next++, out_ready: 0 } }, { step: 1 });
  };
  const pop = (count: number): void => {
    for (let i = 0; i < count; i++, cycles++) ops.push({ poke: { in_valid: 0, out_ready: 1 } }, { peek: ['out_data', 'out_valid'] }, { step: 1 });
  };
  push(4);
  pop(2);
  push(2);
  pop(4);
  ops.push({ peek: ['out_valid'] });
  const result = await simulate(design, ops);
  const popped = result.out_data!;
  const matches = popped.filter((value, i) => value === BigInt(100 + i) && result.out_valid![i] === 1n).length;
  const emptyAtEnd = result.out_valid![popped.length] === 0n ? 1 : 0;
  return [matches + emptyAtEnd, popped.length + 1, cycles];
}

const pipelined: AdderTreeConfig = adderTreeConfig.parse({ inputs: 12, width: 8, levelsPerStage: 1 });
const cases: DemoCase[] = [
  { label: 'counter (mod 10)', generator: 'counter', config: {}, check: checkCounter },
  { label: 'adder-tree (8 x 8 bits)', generator: 'adder-tree', config: {}, check: adderTreeCheck(adderTreeConfig.parse({})) },
  { label: 'adder-tree (12 x 8, pipelined)', generator: 'adder-tree', config: pipelined, check: adderTreeCheck(pipelined) },
  { label: 'fifo (8 bits x 4)', generator: 'fifo', config: {}, check: checkFifo },
];

/** The cmos report's area and timing proxies. */
function cmosFigures(report: SynthReport): string {
  if (report.target !== 'cmos') throw new Error(`expected a cmos report, got ${report.target}`);
  return `${report.transistors} / ${report.depth}`;
}

/** The main job; returns whether everything was clean and exact. */
async function tensorCoreDemo(): Promise<boolean> {
  const config = tensorCoreConfig.parse({});
  const name = `M${config.m}N${config.n}K${config.k}, W${config.wbits}, ${config.act.toUpperCase()}`;
  console.log(`lutforge demo: the LUT Tensor Core (${name}) through generate -> lint -> synthesize -> simulate\n`);
  const design = tensorCoreEngine.generator.generate(config);
  await writeDirectoryAtomically(path.join(root, 'rtl-out', 'tensor-core'), designFiles(design));
  const dims = { M: 1, K: 1024, N: 1024 };
  const operands = randomOperands(seededRandom(1), dims, { actBits: 8, wbits: config.wbits });
  const [lint, [density], run] = await Promise.all([
    lintEverywhere(design),
    densityAgainstMac({ m: config.m, n: config.n, k: config.k, maxK: config.maxK }, [{ wbits: config.wbits, act: config.act }]),
    runMatmul(tensorCoreEngine, config, operands),
  ]);
  const golden = mpgemmInt(operands);
  const matching = run.y.filter((value, i) => value === golden[i]).length;
  const lintVerdict = [lint.verilator.ok, lint.icarus.ok, lint.yosys.ok].map((ok) => (ok ? 'clean' : 'DIRTY')).join('/');
  if (!lint.ok) console.error(`lint problems\n${[lint.verilator, lint.icarus, lint.yosys].map((r) => r.messages).join('\n')}`);
  const rows: [string, string][] = [
    ['Verilog', `rtl-out/tensor-core/ (${design.modules.length} modules)`],
    ['lint (verilator/icarus/yosys)', lintVerdict],
    ['cmos transistors (logic)', `${formatNumber(density!.lut.transistors)}, table buffer ${formatNumber(density!.lut.memoryBits)} SRAM bits`],
    ['MAC baseline, same tile', `${formatNumber(density!.mac.transistors)}, activation buffer ${formatNumber(density!.mac.memoryBits)} SRAM bits`],
    ['density LUT / MAC', `${density!.ratio.toFixed(2)}x (MACs per cycle per transistor: ${density!.lut.macsPerCycle} vs ${density!.mac.macsPerCycle} per cycle)`],
    [`GEMV ${dims.M} x ${dims.K} x ${dims.N}`, `${formatNumber(matching)}/${formatNumber(golden.length)} outputs equal the golden kernel`],
    ['cycles', `${formatNumber(run.cycles)} (ideal ${formatNumber(run.idealCycles)}), efficiency ${(run.efficiency * 100).toFixed(2)}%`],
    ['simulation', `Verilator, ${(run.macsPerSecond / 1e6).toFixed(0)} M simulated MAC/s, ${run.wallSeconds.toFixed(1)} s with the build`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  console.log('');
  return lint.ok && matching === golden.length;
}

async function main(): Promise<void> {
  const tensorCoreOk = await tensorCoreDemo();
  const lutLlmOk = await lutLlmDemo(root);
  const lutLlmBlockOk = await lutLlmBlockDemo(root);
  console.log('The example designs, the same way:\n');
  const header = ['design', 'lint (verilator/icarus/yosys)', 'cmos transistors / depth', 'simulation', 'time'];
  const rows: string[][] = [];
  let failures = 0;
  for (const demo of cases) {
    const started = performance.now();
    const spec = registry.get(demo.generator)!;
    const design = spec.generate(spec.schema.parse(demo.config));
    const outDir = path.join(root, 'rtl-out', demo.generator + (demo.config === pipelined ? '-pipelined' : ''));
    await writeDirectoryAtomically(outDir, designFiles(design));
    const [lint, synth, [matches, checked, cycles]] = await Promise.all([lintEverywhere(design), synthesize(design, 'cmos'), demo.check(design)]);
    const verdict = (ok: boolean): string => (ok ? 'clean' : 'DIRTY');
    if (!lint.ok || matches !== checked) failures++;
    if (!lint.ok) console.error(`${demo.label}: lint problems\n${[lint.verilator, lint.icarus, lint.yosys].map((r) => r.messages).join('\n')}`);
    rows.push([
      demo.label,
      [lint.verilator.ok, lint.icarus.ok, lint.yosys.ok].map(verdict).join('/'),
      cmosFigures(synth.report),
      `${matches}/${checked} match, ${cycles} cycles`,
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  if (!tensorCoreOk) failures++;
  if (!lutLlmOk) failures++;
  if (!lutLlmBlockOk) failures++;
  console.log(`\nVerilog written to rtl-out/. ${failures === 0 ? 'All designs clean and matching.' : `${failures} design(s) FAILED.`}`);
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
