// A stream run in named phases: the model is built (or found in the cache) first and the
// simulation started after, so a long Verilator compile is announced as such instead of looking
// like a hung simulation. runStreams builds too, and then finds this build in the cache.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EmittedDesign } from '../dsl/design.js';
import { buildIcarusBench } from '../sim/icarusSim.js';
import { checkStreamRun, runStreams, type StreamRunOptions, type StreamRunResult } from '../sim/stream.js';
import { buildModel } from '../sim/verilator.js';
import type { PhaseListener } from './progress.js';

/**
 * runStreams with `onPhase` told of each phase, creating the VCD's directory when there is one.
 * Errors are runStreams' own: SimInputError before any build, ToolMissingError, StreamLimitError.
 * `cacheHit` is this call's build, not the rebuild inside runStreams (which always hits).
 */
export async function runStreamsInPhases(design: EmittedDesign, options: StreamRunOptions, onPhase: PhaseListener = () => undefined): Promise<StreamRunResult> {
  // The cheap checks first: bad input must not wait for a compile.
  checkStreamRun(design, options);
  // The simulators open the VCD themselves and fail on a missing directory.
  if (options.wave !== undefined) await mkdir(dirname(options.wave.path), { recursive: true });
  if ((options.simulator ?? 'verilator') === 'icarus') {
    onPhase(`compiling ${design.top} with Icarus`);
    await buildIcarusBench(design);
    onPhase('simulating');
    return runStreams(design, options);
  }
  onPhase(`building the Verilator model of ${design.top}`);
  const model = await buildModel(design, { trace: options.wave !== undefined, ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }) });
  onPhase(model.cacheHit ? 'simulating (model from the build cache)' : 'simulating');
  const result = await runStreams(design, options);
  return { ...result, cacheHit: model.cacheHit };
}
