// measurePower (host/power.ts) behind the synthesis result cache: a gate-level run takes minutes
// (the default MAC engine's about two and a half on two cores), so a repeat of the same design on
// the same operands, clock and cells is read back instead. The key holds everything that decides
// the report: the emitted Verilog, the operands, both clocks, the Liberty text, the standard-cell
// flow script, the SRAM model and the Yosys build.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MatmulOperands } from '../contracts/matmul-operands.js';
import type { SerialPackConfig } from '../contracts/serial-packing.js';
import type { MatmulEngine } from '../generators/matmul-engine/interface.js';
import { readCacheEntry, storeCacheEntry } from '../synth/result-cache.js';
import { resolveFlavour, yosysVersion } from '../synth/runner.js';
import { SRAM_MODEL } from '../synth/sram-model.js';
import { resolveLiberty } from '../synth/standard-cells.js';
import { targetScript } from '../synth/targets.js';
import { cacheDir as defaultCacheDir } from '../toolchain/cache-dir.js';
import { measurePower, type PowerOptions, type PowerReport } from './power.js';

// 1: PowerReport as host/power.ts returns it.
const CACHE_FORMAT = 1;
const REPORT_FILE = 'power.json';

export interface CachedPower {
  readonly report: PowerReport;
  /** True when the report was read from the cache and nothing was simulated. */
  readonly cached: boolean;
}

/** measurePower, read from the synthesis cache when the same run was measured before. */
export async function measurePowerCached<Config extends SerialPackConfig>(
  engine: MatmulEngine<Config>,
  config: Config,
  operands: MatmulOperands,
  options: PowerOptions = {},
): Promise<CachedPower> {
  const cacheDir = options.cacheDir === null ? undefined : path.resolve(options.cacheDir ?? defaultCacheDir('synth'));
  // An unreadable Liberty file has no key: measurePower then reports it as the user's input.
  const liberty = resolveLiberty(options.liberty);
  const libertyText = await readFile(liberty, 'utf8').catch(() => undefined);
  if (cacheDir === undefined || libertyText === undefined) return { report: await measurePower(engine, config, operands, options), cached: false };

  const flavour = resolveFlavour(options.flavour);
  const design = engine.generator.generate(config);
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        format: CACHE_FORMAT,
        kind: 'power',
        engine: engine.name,
        files: design.modules.map((module) => [module.fileName, module.text]),
        operands: [operands.M, operands.K, operands.N, Array.from(operands.act), Array.from(operands.codes), Array.from(operands.zeros)],
        clockMhz: options.clockMhz ?? null,
        mappingClockMhz: options.mappingClockMhz ?? null,
        // The path too: the report names it.
        liberty,
        script: targetScript('osu018'),
        sram: SRAM_MODEL,
        yosys: [flavour, await yosysVersion(flavour)],
      }),
    )
    .update(libertyText)
    .digest('hex');
  const hit = await readCacheEntry(cacheDir, key, [REPORT_FILE]);
  if (hit !== undefined) return { report: JSON.parse(hit[REPORT_FILE] ?? '') as PowerReport, cached: true };
  const report = await measurePower(engine, config, operands, { ...options, cacheDir });
  await storeCacheEntry(cacheDir, key, { [REPORT_FILE]: `${JSON.stringify(report, null, 2)}\n` });
  return { report, cached: false };
}
