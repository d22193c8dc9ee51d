// The power half of the physical-units section: gate-level power runs (power-runs.ts) of the
// LUT, MAC and ADD engines at W1, set side by side as power, energy per MAC and LUT/MAC ratios.
// Logic and memory are kept apart, since the SRAM model prices memories at an upper bound.

import { logicEnergyPerOpPj, type PowerReport } from '../../host/power.js';
import { fixed, ratio, table, type SummaryLine } from './kit.js';
import { actName, energyTo28 } from './physical-units.js';
import { POWER_WORKLOAD, type PowerResult } from './power-runs.js';

const ENGINE_LABEL = { 'tensor-core': 'LUT', mac: 'MAC', add: 'ADD' } as const;

/** Energy per MAC of the standard cells alone (internal, switching, leakage), without the memories. */
export const logicEnergyPj = logicEnergyPerOpPj;

const logicMw = (report: PowerReport): number => report.dynamicMw + report.leakageMw;

export function powerPart(results: readonly PowerResult[]): { body: string; summary: SummaryLine[] } {
  if (results.length === 0) return { body: '', summary: [] };
  const { M, K, N, seed, clockMhz } = POWER_WORKLOAD;
  const name = (result: PowerResult): string => `${ENGINE_LABEL[result.run.engine]} W${result.run.wbits} x ${actName(result.run.act)}`;
  const slow = results.filter((result) => !result.report.meetsTiming);
  const powerTable = table(
    ['engine', 'fmax MHz', `meets ${clockMhz} MHz`, 'cycles', 'dynamic mW', 'leakage mW', 'memory mW', 'total mW', 'pJ/MAC logic', 'pJ/MAC total', '28 nm estimate pJ/MAC: logic', 'total', 'run s'],
    results.map((result) => {
      const r = result.report;
      return [
        name(result),
        fixed(r.fmaxMhz, 1),
        r.meetsTiming ? 'yes' : 'no',
        r.cycles,
        fixed(r.dynamicMw, 2),
        fixed(r.leakageMw, 4),
        fixed(r.memoryMw, 2),
        fixed(r.powerMw, 2),
        fixed(logicEnergyPj(r), 3),
        fixed(r.energyPerOpPj, 3),
        fixed(energyTo28(logicEnergyPj(r)), 4),
        fixed(energyTo28(r.energyPerOpPj), 4),
        result.cached ? 'cached' : fixed(result.seconds, 0),
      ];
    }),
  );
  const find = (engine: PowerResult['run']['engine'], act: string): PowerResult | undefined => results.find((r) => r.run.engine === engine && r.run.act === act && r.run.wbits === 1);
  const acts = [...new Set(results.map((r) => r.run.act))];
  const pairs = acts.flatMap((act) => {
    const lut = find('tensor-core', act);
    const mac = find('mac', act);
    return lut === undefined || mac === undefined ? [] : [{ act, lut: lut.report, mac: mac.report }];
  });
  const ratioTable = table(
    ['pair (W1)', 'MAC / LUT power: logic', 'with memories', 'LUT / MAC energy per MAC: logic', 'with memories'],
    pairs.map(({ act, lut, mac }) => [
      actName(act),
      ratio(logicMw(mac) / logicMw(lut)),
      ratio(mac.powerMw / lut.powerMw),
      ratio(logicEnergyPj(lut) / logicEnergyPj(mac)),
      ratio(lut.energyPerOpPj / mac.energyPerOpPj),
    ]),
  );
  const judge = (value: number): SummaryLine['verdict'] => (value > 6 ? 'beats' : value >= 4 ? 'meets' : 'misses');
  const summary: SummaryLine[] = pairs.flatMap(({ act, lut, mac }) => {
    const power = logicMw(mac) / logicMw(lut);
    const energy = logicEnergyPj(mac) / logicEnergyPj(lut);
    return [
      {
        figure: `MAC / LUT power at W1 x ${actName(act)} (${clockMhz} MHz, logic / with memories)`,
        paper: '4-6x',
        ours: `${ratio(power)} / ${ratio(mac.powerMw / lut.powerMw)}; verdict on logic`,
        verdict: judge(power),
      },
      {
        figure: `LUT vs MAC energy per MAC at W1 x ${actName(act)} (logic / with memories)`,
        paper: '4-6x lower (the power claim at equal throughput)',
        ours: `${fixed(logicEnergyPj(lut), 3)} vs ${fixed(logicEnergyPj(mac), 3)} pJ (${ratio(energy)} lower) / ${fixed(lut.energyPerOpPj, 3)} vs ${fixed(mac.energyPerOpPj, 3)} pJ with memories; verdict on logic`,
        verdict: judge(energy),
      },
    ];
  });
  const body = [
    '### Power and energy (180 nm, measured)',
    '',
    `Each engine runs a seeded uniform M=${M}, K=${K}, N=${N} workload (seed ${seed}) on its mapped netlist in Icarus, the result`,
    `checked against the golden model; OpenSTA prices the simulated activity at ${clockMhz} MHz and the SRAM model each memory`,
    "access. OpenSTA 2.0.17 charges every output transition the rise and the fall internal energy (about 1.8x the",
    'textbook mean on a hand-checked flop and inverter): absolute mW read high, ratios between designs share the',
    'convention. Energy per MAC = power x cycles / clock / MACs, the cycles being the whole run from reset to the last',
    'result. The 28 nm columns multiply energy by the Stillmaker-Baas factor: **estimates**.',
    ...slow.map((result) => `${name(result)} does not meet ${clockMhz} MHz (fmax ${fixed(result.report.fmaxMhz, 1)} MHz): the simulation has no delays, so its activity is the function's, and its figure is the power it would draw at ${clockMhz} MHz if it met timing.`),
    '',
    powerTable,
    '',
    ratioTable,
  ].join('\n');
  return { body, summary };
}
