// Benchmark: elaboration + emission speed and peak memory on a synthetic design of about a million
// IR nodes (a wide array of adder trees). Target (issue: foundation): 1 M nodes in under 5 s and
// under 1 GiB on the 2-core CI machine. Prints measured figures and their ratios to the targets.
//
//   node --import tsx scripts/bench-gen.ts [--outputs N] [--terms M]

import { performance } from 'node:perf_hooks';
import { defineModule, emitVerilog, lit, UInt, Vec, type Expr, type ModuleDef } from '../dsl/index.js';
import { adderTree } from '../dsl/lib/index.js';
import { Signal } from '../dsl/signal.js';

const TARGET_SECONDS = 5;
const TARGET_BYTES = 1024 ** 3;

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const outputs = argument('outputs', 256);
const terms = argument('terms', 1300);
const inputs = 64;

function build(): ModuleDef {
  return defineModule('bench_adder_array', (m) => {
    const x = m.input('x', Vec(inputs, UInt(8)));
    const sums = m.output('sum', Vec(outputs, UInt(8 + Math.ceil(Math.log2(terms)))));
    for (let o = 0; o < outputs; o++) {
      const products: Expr[] = [];
      for (let j = 0; j < terms; j++) products.push(x[(o + j) % inputs]!.xor(lit((o * 31 + j * 17) % 256, UInt(8))));
      sums[o]!.assign(adderTree(products));
    }
    return { x, sum: sums };
  });
}

/** IR nodes: every distinct expression node and signal reachable from the statements, plus the statements. */
function countNodes(def: ModuleDef): number {
  const seen = new Set<Expr>();
  const stack: Expr[] = [];
  for (const stmt of def.builder.body) if (stmt.kind === 'connect') stack.push(stmt.value, stmt.target);
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    if (!(e instanceof Signal)) stack.push(...e.args);
  }
  return seen.size + def.builder.body.length;
}

const t0 = performance.now();
const def = build();
const t1 = performance.now();
const design = emitVerilog(def);
const t2 = performance.now();
const nodes = countNodes(def);
const bytes = design.modules.reduce((total, module) => total + module.text.length, 0);
const seconds = (t2 - t0) / 1000;
const peakBytes = process.resourceUsage().maxRSS * 1024;

const mib = (b: number): string => `${(b / 1024 ** 2).toFixed(0)} MiB`;
console.log(`design: ${outputs} adder trees x ${terms} terms, ${nodes.toLocaleString('en-US')} IR nodes, ${mib(bytes)} of Verilog`);
console.log(`elaborate + check: ${((t1 - t0) / 1000).toFixed(2)} s, emit: ${((t2 - t1) / 1000).toFixed(2)} s, total ${seconds.toFixed(2)} s`);
console.log(`throughput: ${Math.round(nodes / seconds).toLocaleString('en-US')} nodes/s; peak RSS ${mib(peakBytes)}`);
const perMillion = (seconds * 1e6) / nodes;
console.log(
  `ratio to target (1 M nodes in ${TARGET_SECONDS} s, 1 GiB): time ${(perMillion / TARGET_SECONDS).toFixed(2)}x of budget, memory ${(peakBytes / TARGET_BYTES).toFixed(2)}x of budget`,
);
