// The LUT-LLM figures: table storage per weight of activation-weight co-quantization against
// activation-only VQ (from a layer quantized with the released codebook sizes), and the FPGA
// resources per lookup per cycle of the generated engine at three lookup rates.

import { quantizeLayer } from '../../host/lut-llm/quantize.js';
import { barPlot } from '../../explore/plot.js';
import type { ExploreResults } from '../../explore/results.js';
import { lutLlmConfig } from '../../generators/lut-llm/config.js';
import { syntheticLlmData } from '../../golden/lut-llm.js';
import { fixed, formatNumber, measuredPoints, percent, pointWith, table, type Section, type SummaryLine } from './kit.js';

/** The released design's whole-accelerator totals (V80, 8192 lookups per cycle): docs/design/lut-llm.md, the released accelerator. */
const PAPER = { lut: 1_270_000, ramb36: 1537 / 2 + 32, lookups: 8192 };

interface Storage {
  readonly tableBits: number;
  /** Co-quantization: the 2D tables and the weight indices, per weight. */
  readonly coTable: number;
  readonly coIndex: number;
  readonly codebooks: number;
  /** Activation-only VQ: one entry per (position, activation centroid, column), per weight. */
  readonly actOnly: number;
}

/** Bits per weight of a layer quantized at the released sizes (v 2, Ca 64, Cw 16, 512-column groups). */
function storagePerWeight(K: number, N: number, tableBits: 4 | 8): Storage {
  const config = lutLlmConfig.parse({ tableBits, maxK: K });
  const data = syntheticLlmData(K, N, 256, 1, 11);
  const layer = quantizeLayer(data.W, { T: 256, K, act: 'fp32', data: data.calib }, config, { seed: 11 });
  const weights = K * N;
  return {
    tableBits,
    coTable: (layer.table.length * layer.tableBits) / weights,
    coIndex: (layer.weightIndex.length * Math.log2(layer.cw)) / weights,
    codebooks: ((layer.weightCodebook.length + layer.actCodebook.length) * 32) / weights,
    actOnly: (layer.P * layer.ca * layer.N * layer.tableBits) / weights,
  };
}

export function lutLlmSection(results: ExploreResults): Section {
  const points = measuredPoints(results);
  const workload = results.space.workloads['layer'];
  if (workload === undefined) throw new Error("the lut-llm space has no 'layer' workload");
  const storage = ([4, 8] as const).map((bits) => storagePerWeight(workload.K, workload.N, bits));
  const four = storage[0]!;
  const coBits = four.coTable + four.coIndex;
  const engines = [16, 64, 256].map((rate) => {
    const xilinx = pointWith(points, { lookupsPerCycle: rate }, 'engine').synth.xilinx;
    if (xilinx === undefined) throw new Error(`lut-llm at ${rate} lookups per cycle has no xilinx figures`);
    return { rate, lut: xilinx['lut'] ?? 0, ff: xilinx['ff'] ?? 0, bram: xilinx['bram'] ?? 0, dsp: xilinx['dsp'] ?? 0 };
  });
  const run = pointWith(points, {}, 'run').workloads['layer'];
  if (run === undefined || run.mismatches !== 0) throw new Error('the lut-llm layer run is missing or differs from golden');
  const widest = engines[engines.length - 1]!;
  const previous = engines[engines.length - 2]!;
  // What one more lookup per cycle costs, between the two widest engines: the part that scales.
  const marginalLut = (widest.lut - previous.lut) / (widest.rate - previous.rate);
  const paperLut = PAPER.lut / PAPER.lookups;
  const paperBram = PAPER.ramb36 / PAPER.lookups;
  const summary: SummaryLine[] = [
    { figure: 'LUT-LLM bits per weight, co-quantization (4-bit tables, 4-bit indices, v = 2)', paper: 'about 6', ours: fixed(coBits, 2), verdict: Math.abs(coBits - 6) <= 0.5 ? 'meets' : 'differs' },
    { figure: 'LUT-LLM table bits per weight, activation-only VQ / co-quantization', paper: 'Ca/v entries vs a small 2D table', ours: `${fixed(four.actOnly, 0)} / ${fixed(four.coTable, 2)}`, verdict: four.actOnly > four.coTable ? 'meets' : 'misses' },
    {
      figure: 'LUT-LLM LUTs per lookup per cycle',
      paper: `${fixed(paperLut, 0)} (whole accelerator, ${formatNumber(PAPER.lookups)}/cycle)`,
      ours: `${fixed(widest.lut / widest.rate, 1)} (linear engine, ${widest.rate}/cycle); ${fixed(marginalLut, 1)} per added lookup`,
      verdict: 'differs',
    },
  ];
  const body = [
    `Storage in bits per weight (bytes in the last column), measured on a ${workload.K} x ${workload.N} layer quantized with the released sizes (v = 2, 64`,
    'activation and 16 weight centroids, 512-column groups): the tables and indices the layer directory',
    'holds, divided by the weights. Activation-only VQ keeps one table entry per position, activation',
    'centroid and column (Ca/v entries per weight); that table is computed from the same dimensions, not built.',
    '',
    table(
      ['table bits', 'co-quant table', 'co-quant indices', 'co-quant total', 'codebooks (FP32)', 'activation-only VQ table', 'bytes per weight: co-quant / activation-only'],
      storage.map((s) => [s.tableBits, fixed(s.coTable, 2), fixed(s.coIndex, 2), fixed(s.coTable + s.coIndex, 2), fixed(s.codebooks, 3), fixed(s.actOnly, 0), `${fixed((s.coTable + s.coIndex) / 8, 2)} / ${fixed(s.actOnly / 8, 0)}`]),
    ),
    '',
    `With 4-bit tables co-quantization needs ${fixed(coBits, 2)} bits per weight (paper: about 6) against`,
    `${fixed(four.actOnly, 0)} for activation-only VQ, ${fixed(four.actOnly / coBits, 0)}x less.`,
    '',
    'The generated linear engine on the xilinx (UltraScale+) target, by lookup rate:',
    '',
    table(
      ['lookups per cycle', 'LUT', 'FF', 'BRAM (RAMB36)', 'DSP', 'LUT per lookup per cycle', 'BRAM per lookup per cycle'],
      engines.map((e) => [e.rate, e.lut, e.ff, e.bram, e.dsp, fixed(e.lut / e.rate, 1), fixed(e.bram / e.rate, 3)]),
    ),
    '',
    '![LUTs per lookup per cycle](lut-llm.svg)',
    '',
    `Between ${previous.rate} and ${widest.rate} lookups per cycle each added lookup costs ${fixed(marginalLut, 1)} LUTs, and the line through`,
    `those two engines meets zero rate at ${formatNumber(Math.round(widest.lut - marginalLut * widest.rate))} LUTs, ${fixed((100 * (widest.lut - marginalLut * widest.rate)) / widest.lut, 0)}% of the ${widest.rate}-lookup engine: only that part is shared`,
    `by every lookup, so the per-lookup figure falls towards the ${fixed(marginalLut, 1)} of an added lookup, not below it. The search grows with the`,
    'rate: its units follow the rate at which the lookups consume activation indices (docs/design/lut-llm.md).',
    '',
    `The released design spends about ${fixed(paperLut, 0)} LUTs and ${fixed(paperBram, 3)} RAMB36 per lookup per cycle, but`,
    'those totals cover the whole accelerator (attention, softmax, normalization, the URAM accumulators and',
    `the HBM interface) at ${formatNumber(PAPER.lookups)} lookups per cycle, with the search's FP32 subtractors in DSPs, so the two are not like`,
    'for like: `scripts/bench-lut-llm.ts --scale` counts our subtractors apart and synthesizes engines up to that rate.',
    `Ours covers the linear engine alone (search, lookup chain, accumulators); it needs no DSP${engines.every((e) => e.dsp === 0) ? '' : ' except where the table above shows one'}.`,
    '',
    `A ${workload.T}-token run of the ${workload.K} x ${workload.N} layer at 64 lookups per cycle took ${formatNumber(run.cycles)} cycles against`,
    `${formatNumber(run.idealCycles)} ideal (${percent(run.efficiency)}), every accumulator equal to the golden model.`,
    '',
    'The whole decoder block around this engine (RMSNorm, RoPE, attention with its KV cache, SiLU): its xilinx resources by',
    'part and per lookup per cycle are in [block-resources.md](block-resources.md) (a hand-run benchmark,',
    '`scripts/bench-lut-llm-block.ts`: the larger block takes most of an hour to synthesize), its Qwen3 1.7B decode latency',
    'in [latency.md](latency.md).',
  ].join('\n');
  return {
    title: 'LUT-LLM: table storage and FPGA resources per lookup',
    body,
    plots: [
      {
        name: 'lut-llm',
        spec: barPlot(
          engines.map((e) => ({ rate: `${e.rate}/cycle`, perLookup: e.lut / e.rate })),
          {
            title: 'LUT-LLM linear engine: LUTs per lookup per cycle (xilinx)',
            category: { field: 'rate', title: 'lookups per cycle' },
            value: { field: 'perLookup', title: 'LUTs per lookup per cycle' },
            sort: 'none',
          },
        ),
      },
    ],
    summary,
  };
}
