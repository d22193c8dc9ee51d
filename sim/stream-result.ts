// The result of a stream run, assembled the same way for every simulator from the summary its
// harness prints (stream-protocol.ts) and the output beats read back.

import type { CheckedStreams, OutputStreamResult, SimulatorName, StreamRunOptions, StreamRunResult } from './backend.js';
import type { StreamSummary } from './stream-protocol.js';

/** What a stream run reports, from the harness's summary and the output beats read back. */
export function streamRunResult(
  simulator: SimulatorName,
  summary: StreamSummary,
  checked: CheckedStreams,
  outputs: Record<string, OutputStreamResult>,
  options: StreamRunOptions,
  runSeconds: number,
): StreamRunResult {
  return {
    simulator,
    status: summary.status,
    cycles: summary.cycles,
    consumed: Object.fromEntries(checked.inputs.map(({ stream }) => [stream.name, summary.counts.get(`in ${stream.name}`) ?? 0])),
    outputs,
    expect: options.expect,
    runSeconds,
    ...(options.wave === undefined ? {} : { wave: options.wave.path }),
  };
}
