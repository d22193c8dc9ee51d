// First-run benchmark (issue 20, item 18): the time from nothing to a first result for every
// engine `lutforge run` drives, at its default configuration, on a small problem (1 x 37 x 70;
// LUT-LLM: one token through a 64 x 70 layer), with every cache cold: a fresh Verilator build
// cache and a fresh ccache store per run. Each engine is measured twice in this one run:
// 'flat' verilates the whole design as builds did before (LUTFORGE_VERILATOR_FLAT=1), 'blocks'
// verilates repeated units once as hierarchy blocks (sim/verilator-hierarchy.ts). Prints where the
// time goes (verilate, g++, simulate), the CPU seconds of the tools (the figure least disturbed by
// other work on the machine), the 1-minute load average, and the flat/blocks ratios. Every Y is
// checked against the golden model, so a fast build of a wrong model cannot pass.
//
//   node --import tsx scripts/bench-first-run.ts [--engines mac-fp16,lut-llm] [--modes flat,blocks] [--flat-timeout 1200]
//
// A build that exceeds --flat-timeout seconds (default 1200) is reported as such and skipped.
// An engine with no block to make (the integer ones) builds the same model either way: it is
// measured once, as 'both'.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MatmulOperands } from '../contracts/matmul-operands.js';
import type { EmittedDesign } from '../dsl/design.js';
import { addConfig, addEngine } from '../generators/baseline/add.js';
import { macConfig, macEngine } from '../generators/baseline/mac.js';
import { lutLlmConfig } from '../generators/lut-llm/config.js';
import { lutLlmEngine } from '../generators/lut-llm/index.js';
import { tensorCoreConfig } from '../generators/lut-tensor-core/config.js';
import { tensorCoreEngine } from '../generators/lut-tensor-core/index.js';
import type { MatmulEngine } from '../generators/matmul-engine/interface.js';
import { activationIndices, lutLlmAccumulate } from '../golden/lut-llm.js';
import { lutFpMpgemm, macFpMpgemm } from '../golden/lut-mpgemm-fp.js';
import { mpgemmInt } from '../golden/mpgemm.js';
import { runLutLlmLayer } from '../host/lut-llm/run-layer.js';
import { runMatmul } from '../host/run-matmul.js';
import { buildModel, FLAT_BUILD_ENV } from '../sim/verilator.js';
import { hierarchyBlocks } from '../sim/verilator-hierarchy.js';
import { CACHE_DIR_ENV } from '../toolchain/cache-dir.js';
import { randomLayer } from '../tb/generators/lut-llm/random-layer.js';
import { floatFormat, randomFloatOperands, randomOperands, seededRandom } from '../tb/generators/matmul-regression.js';

const DIMS = { M: 1, K: 37, N: 70 };

/** One engine's first run: the design to build, and the run that must then hit the build cache. */
interface Case {
  readonly name: string;
  readonly design: () => EmittedDesign;
  /** Runs the problem and returns its simulator seconds, or throws when Y differs from the golden model. */
  readonly run: () => Promise<number>;
}

function matmulCase<Config>(name: string, engine: MatmulEngine<Config>, config: Config, operands: MatmulOperands, golden: BigInt64Array): Case {
  return {
    name,
    design: () => engine.generator.generate(config),
    async run() {
      const result = await runMatmul(engine, config, operands);
      const wrong = result.y.findIndex((value, i) => value !== golden[i]);
      if (wrong !== -1) throw new Error(`${name}: Y[${wrong}] differs from the golden model`);
      return result.simSeconds;
    },
  };
}

function intCase<Config extends { wbits: number }>(name: string, engine: MatmulEngine<Config>, config: Config): Case {
  const operands = randomOperands(seededRandom(7), DIMS, { actBits: 8, wbits: config.wbits });
  return matmulCase(name, engine, config, operands, mpgemmInt(operands));
}

function cases(): Case[] {
  const fpOperands = (wbits: number): MatmulOperands => randomFloatOperands(seededRandom(16), DIMS, { format: floatFormat('fp16'), wbits });
  const tcFp = tensorCoreConfig.parse({ act: 'fp16' });
  const macFp = macConfig.parse({ act: 'fp16' });
  const llm = lutLlmConfig.parse({});
  const { layer, x } = randomLayer(llm, { T: 1, K: 64, N: 70, seed: 1 });
  const llmGolden = lutLlmAccumulate(layer, activationIndices(layer, x, llm.distance), 1);
  return [
    intCase('tensor-core', tensorCoreEngine, tensorCoreConfig.parse({})),
    matmulCase('tensor-core-fp16', tensorCoreEngine, tcFp, fpOperands(tcFp.wbits), lutFpMpgemm(fpOperands(tcFp.wbits), tcFp)),
    intCase('mac', macEngine, macConfig.parse({})),
    matmulCase('mac-fp16', macEngine, macFp, fpOperands(macFp.wbits), macFpMpgemm(fpOperands(macFp.wbits), macFp)),
    intCase('add', addEngine, addConfig.parse({})),
    {
      name: 'lut-llm',
      design: () => lutLlmEngine.generator.generate(llm),
      async run() {
        const result = await runLutLlmLayer(llm, layer, x);
        const wrong = result.acc.findIndex((value, i) => value !== llmGolden[i]);
        if (wrong !== -1) throw new Error(`lut-llm: ACC[${wrong}] differs from the golden model`);
        return result.simSeconds;
      },
    },
  ];
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** CPU seconds (user + system) of every child process this one has waited for: Linux's /proc. */
async function childCpuSeconds(): Promise<number> {
  const fields = (await readFile('/proc/self/stat', 'utf8')).replace(/^.*\) /, '').split(' ');
  // After the command name: cutime and cstime are fields 16 and 17 of stat(5), here 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Measurement {
  readonly blocks: readonly string[];
  readonly verilate: number;
  readonly compile: number;
  readonly simulate: number;
  readonly wall: number;
  readonly cpu: number;
  readonly load: number;
}

type Mode = 'flat' | 'blocks';

async function measure(testCase: Case, mode: Mode, timeoutMs: number): Promise<Measurement | string> {
  const cache = await mkdtemp(path.join(tmpdir(), 'lutforge-first-run-'));
  process.env[CACHE_DIR_ENV] = cache;
  process.env[FLAT_BUILD_ENV] = mode === 'flat' ? '1' : '0';
  const cpuBefore = await childCpuSeconds();
  const load = loadavg()[0]!;
  const started = performance.now();
  try {
    // Built here first (the run then finds it in the cache) to learn where the build's time went.
    const model = await buildModel(testCase.design(), { timeoutMs });
    const simulate = await testCase.run();
    const wall = (performance.now() - started) / 1000;
    const { verilate, compile } = model.buildSeconds ?? { verilate: 0, compile: 0 };
    return { blocks: model.hierarchyBlocks, verilate, compile, simulate, wall, cpu: (await childCpuSeconds()) - cpuBefore, load };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return `${reason.slice(0, 100)} (after ${((performance.now() - started) / 1000).toFixed(0)} s, load ${load.toFixed(1)})`;
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

const selected = option('engines')?.split(',');
const modes = (option('modes')?.split(',') ?? ['flat', 'blocks']) as Mode[];
const timeoutMs = Number(option('flat-timeout') ?? 1200) * 1000;
const all = cases();
for (const name of selected ?? []) if (!all.some((c) => c.name === name)) throw new Error(`unknown engine '${name}' (${all.map((c) => c.name).join(', ')})`);

console.log(`First run of each engine at its default configuration, cold caches, ${DIMS.M} x ${DIMS.K} x ${DIMS.N} (lut-llm: T 1, 64 x 70)\n`);
console.log('engine            mode    verilate   g++       simulate  first run  tool CPU  load  blocks');
const results = new Map<string, Partial<Record<Mode, Measurement>>>();
for (const testCase of all.filter((c) => selected === undefined || selected.includes(c.name))) {
  const row: Partial<Record<Mode, Measurement>> = {};
  // Without blocks both modes build the same model: measured once, shown for both.
  const same = hierarchyBlocks(testCase.design()).length === 0 && modes.length > 1;
  for (const mode of same ? [modes[0]!] : modes) {
    const m = await measure(testCase, mode, timeoutMs);
    if (typeof m === 'string') {
      console.log(`${testCase.name.padEnd(17)} ${mode.padEnd(7)} ${m}`);
      process.exitCode = m.includes('golden') ? 1 : process.exitCode;
      continue;
    }
    row[mode] = m;
    if (same) for (const other of modes) row[other] = m;
    const s = (seconds: number): string => `${seconds.toFixed(1).padStart(6)} s`;
    console.log(
      `${testCase.name.padEnd(17)} ${(same ? 'both' : mode).padEnd(7)} ${s(m.verilate)}  ${s(m.compile)}  ${m.simulate.toFixed(2).padStart(6)} s  ${s(m.wall)}   ${s(m.cpu)}  ${m.load.toFixed(1).padStart(4)}  ${m.blocks.join(', ') || '-'}`,
    );
  }
  results.set(testCase.name, row);
}

console.log('\nflat / blocks (wall, tool CPU):');
for (const [name, { flat, blocks }] of results) {
  if (flat === undefined || blocks === undefined) continue;
  console.log(`  ${name.padEnd(17)} ${(flat.wall / blocks.wall).toFixed(2)}x wall, ${(flat.cpu / blocks.cpu).toFixed(2)}x CPU`);
}
