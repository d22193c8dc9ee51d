// Synthesis benchmark: the largest example (the adder tree at its regression size) on each
// target, embedded Yosys (@yowasp/yosys, WebAssembly) against the system one (Debian's `yosys`)
// in the same run, and the time of a cache hit. Prints measured times and ratios only.
//
//   node --import tsx scripts/bench-synth.ts

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry } from '../generators/index.js';
import { formatNumber } from '../synth/report.js';
import { yosysVersion, type YosysFlavour } from '../synth/runner.js';
import { figuresOf, synthesize } from '../synth/synthesize.js';
import { SYNTH_TARGETS } from '../synth/targets.js';

const GENERATOR = 'adder-tree';
const CONFIG = { inputs: 256, width: 16, levelsPerStage: 2 };

const spec = registry.get(GENERATOR);
if (spec === undefined) throw new Error(`no generator '${GENERATOR}'`);
const design = spec.generate(spec.schema.parse(CONFIG));

function hasSystemYosys(): boolean {
  try {
    execFileSync(process.env.YOSYS ?? 'yosys', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await action();
  return [result, (performance.now() - start) / 1000];
}

const flavours: YosysFlavour[] = hasSystemYosys() ? ['embedded', 'system'] : ['embedded'];
const cacheDir = await mkdtemp(join(tmpdir(), 'lutforge-bench-synth-'));
try {
  console.log(`design: ${GENERATOR} ${JSON.stringify(CONFIG)} (top ${design.top}, ${design.modules.length} module(s))`);
  for (const flavour of flavours) console.log(`${flavour}: ${await yosysVersion(flavour)}`);
  // Warm the embedded worker (WebAssembly compile) so the per-target times compare synthesis.
  const [, warmUp] = await timed(() => synthesize(spec.generate(spec.schema.parse({})), 'cmos', { flavour: 'embedded', cacheDir: null }));
  console.log(`embedded worker start-up + small cmos run: ${warmUp.toFixed(2)} s`);
  console.log('');
  console.log('| target | embedded s | system s | embedded/system | cache hit ms | figures |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const target of SYNTH_TARGETS) {
    const seconds: Partial<Record<YosysFlavour, number>> = {};
    let figures = '';
    for (const flavour of flavours) {
      // One run at a time: these are single-design latencies, not throughput.
      const [{ report }, time] = await timed(() => synthesize(design, target, { flavour, cacheDir }));
      seconds[flavour] = time;
      if (flavour === 'embedded') {
        figures = Object.entries(figuresOf(report.target, report)).map(([key, value]) => `${key} ${formatNumber(value)}`).join(', ');
      }
    }
    const [hit, hitTime] = await timed(() => synthesize(design, target, { flavour: 'embedded', cacheDir }));
    if (!hit.cached) throw new Error('the second run was not a cache hit');
    const embedded = seconds.embedded ?? Number.NaN;
    const system = seconds.system;
    const ratio = system === undefined ? 'n/a' : `${(embedded / system).toFixed(2)}x`;
    console.log(`| ${target} | ${embedded.toFixed(2)} | ${system?.toFixed(2) ?? 'n/a'} | ${ratio} | ${(hitTime * 1000).toFixed(1)} | ${figures} |`);
  }
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}
