// Scaling 180 nm figures to 28 nm, to set the osu018 results beside the LUT Tensor Core paper's
// 28 nm ones. The result is an estimate, never a 28 nm measurement: scaling factors fitted to
// simulated devices, and a 28 nm point the source does not have (see below).
//
// Source: Stillmaker and Baas, "Scaling equations for the accurate prediction of CMOS device
// performance from 180 nm to 7 nm" (2017). Its nodes are 180, 130, 90, 65, 45, 32, 20, 16, 14, 10
// and 7 nm: there is NO 28 nm row. lutforge therefore
//   - interpolates the area factor geometrically in feature size between the 32 nm and 20 nm
//     entries of the paper's area table (area does not depend on the supply);
//   - takes delay, energy and power from the paper's fitted polynomials for 32 nm high-performance
//     devices at 0.9 V against 180 nm at 1.8 V, unchanged for 28 nm. The 20 nm fits come from
//     ITRS-based models, not the PTM models of 32 nm, and give a longer delay at 0.9 V than 32 nm
//     does, so interpolating across them would mean nothing; 32 nm overstates 28 nm a little.
// docs/design/physical.md lists the coefficients, the arithmetic and the caveats.

export interface ScalableFigures {
  readonly areaUm2?: number;
  readonly delayNs?: number;
  readonly energyPj?: number;
  readonly powerMw?: number;
}

/** The paper's fit at one node: delay cubic, energy and power quadratic in Vdd (coefficients a..d). */
interface NodeFit {
  readonly node: string;
  readonly vdd: number;
  readonly delay: readonly [number, number, number, number];
  readonly energy: readonly [number, number, number];
  readonly power: readonly [number, number, number];
}

// The paper's fitting coefficients as the public tool nodeScale transcribes them (wromaszkan/
// nodeScale, UCLA NanoCAD Lab, nodeScale.py `depCoeffDict`): the paper's own tables were not to
// hand. The HP32 energy row (0.8367, -0.4341, 0.1701) is the one the authors' corrigendum quotes
// from the paper's Table 5; the other rows are checked against no second copy.
const FIT_180: NodeFit = { node: '180 nm', vdd: 1.8, delay: [0, 97.09, -356.7, 406.5], energy: [0, 24.64, -17.98], power: [0, 101000, -79720] };
const FIT_HP32: NodeFit = { node: '32 nm HP', vdd: 0.9, delay: [-1047, 2982, -2797, 873.5], energy: [0.8367, -0.4341, 0.1701], power: [4001, -1733, 533.6] };

/** The paper's area factors from 180 nm, as nodeScale transcribes them (`areaDict['180']`). */
const AREA_FROM_180 = { nm32: 0.025, nm20: 0.011 } as const;

function cubic([a, b, c, d]: readonly [number, number, number, number], v: number): number {
  return a * v ** 3 + b * v ** 2 + c * v + d;
}

function quadratic([a, b, c]: readonly [number, number, number], v: number): number {
  return a * v ** 2 + b * v + c;
}

/** Geometric interpolation in feature size: the fraction of the way from 32 nm to 20 nm on a log scale. */
const LOG_FRACTION_28 = Math.log(32 / 28) / Math.log(32 / 20);

export const SCALING_180_TO_28 = {
  source: {
    authors: 'Aaron Stillmaker, Bevan Baas',
    title: 'Scaling equations for the accurate prediction of CMOS device performance from 180 nm to 7 nm',
    venue: 'Integration, the VLSI Journal 58 (2017) 74-81, doi:10.1016/j.vlsi.2017.02.002 (with the authors\' corrigendum to Section 4.2.1)',
    year: 2017,
    used: 'area scaling table (180 nm to 32 nm and to 20 nm); delay, energy and power fitting coefficients for 180 nm and 32 nm HP, evaluated at 1.8 V and 0.9 V',
    transcription: 'wromaszkan/nodeScale, nodeScale.py (UCLA NanoCAD Lab, MIT licence)',
  },
  estimate: true,
  note: 'No 28 nm node in the source: area interpolated between its 32 nm and 20 nm entries, delay/energy/power from its 32 nm HP fit at 0.9 V.',
  fromNode: FIT_180,
  toNode: FIT_HP32,
  areaTable: AREA_FROM_180,
  factors: {
    area: AREA_FROM_180.nm32 * (AREA_FROM_180.nm20 / AREA_FROM_180.nm32) ** LOG_FRACTION_28,
    delay: cubic(FIT_HP32.delay, FIT_HP32.vdd) / cubic(FIT_180.delay, FIT_180.vdd),
    energy: quadratic(FIT_HP32.energy, FIT_HP32.vdd) / quadratic(FIT_180.energy, FIT_180.vdd),
    power: quadratic(FIT_HP32.power, FIT_HP32.vdd) / quadratic(FIT_180.power, FIT_180.vdd),
  },
  /**
   * Classic constant-field scaling by s = 28 / 180, for comparison only: area s², delay s,
   * energy s³, power s². It assumes the supply scales by s too (1.8 V to 0.28 V), which 28 nm's
   * 0.9 V does not, and is not what scale180To28 applies.
   */
  constantField: { area: (28 / 180) ** 2, delay: 28 / 180, energy: (28 / 180) ** 3, power: (28 / 180) ** 2 },
} as const;

/** The figures given, each multiplied by its 180 nm to 28 nm factor; figures not given stay absent. */
export function scale180To28(figures: ScalableFigures): ScalableFigures {
  const { factors } = SCALING_180_TO_28;
  const scaled: { areaUm2?: number; delayNs?: number; energyPj?: number; powerMw?: number } = {};
  const apply = (key: keyof ScalableFigures, factor: number): void => {
    const value = figures[key];
    if (value === undefined) return;
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be a finite non-negative number, got ${value}`);
    scaled[key] = value * factor;
  };
  apply('areaUm2', factors.area);
  apply('delayNs', factors.delay);
  apply('energyPj', factors.energy);
  apply('powerMw', factors.power);
  return scaled;
}
