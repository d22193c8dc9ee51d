// SRAM macros at 180 nm for the osu018 target. Synthesis keeps each memory whole (a Yosys `$mem_v2`
// cell) and reports its bits apart; this module prices such a memory as the SRAM macros a memory
// compiler would place for it: area, energy per access, leakage, access and cycle time.
//
// The figures are those of the one 180 nm SRAM family whose full datasheets and Liberty views are
// public, GlobalFoundries' GF180MCU macros, at their typical corner (1.8 V, 25 °C). A memory is
// tiled from them as their size limits force, and extra ports are priced with CACTI's multiport
// cell rule. docs/design/physical.md derives every number and says what the model leaves out.

/** A memory as synthesis keeps it: the WIDTH, SIZE, RD_PORTS and WR_PORTS of a `$mem_v2` cell. */
export interface MemoryShape {
  readonly name: string;
  readonly widthBits: number;
  readonly depth: number;
  readonly readPorts: number;
  readonly writePorts: number;
}

export interface SramEstimate {
  /** widthBits x depth: the bits asked for, before rounding up to whole macros. */
  readonly bits: number;
  readonly areaUm2: number;
  /** One word read: every macro of the addressed bank reads, the other banks see the clock only. */
  readonly readEnergyPj: number;
  readonly writeEnergyPj: number;
  readonly leakageMw: number;
  /** Clock to data out of one macro; the bank-select multiplexer after it is not counted. */
  readonly accessNs: number;
  /** The macro's minimum clock period. */
  readonly cycleNs: number;
  /** Physical macros: ceil(width / 8) columns of them, times ceil(depth / 512) banks. */
  readonly macros: number;
}

/** One published macro at the typical corner, as its Liberty view gives it. */
export interface PublishedMacro {
  readonly cell: string;
  readonly depth: number;
  readonly widthBits: number;
  readonly areaUm2: number;
  /** `internal_power` on CLK, read (`!CEN & GWEN`); the datasheet's AC Read power at 1 MHz. */
  readonly readEnergyPj: number;
  /** `internal_power` on CLK, write; the datasheet's AC Write power at 1 MHz. */
  readonly writeEnergyPj: number;
  /** `internal_power` on CLK while deselected (`CEN`). */
  readonly deselectedEnergyPj: number;
  readonly leakageMw: number;
  /** Datasheet Tah / Tal (clock to Q high / low) at 20 ps slew and 0.01 pF: the larger. */
  readonly clockToQNs: number;
  /** Datasheet Tcyc, the Liberty `min_period` of CLK. */
  readonly minPeriodNs: number;
}

/**
 * gf180mcu_fd_ip_sram, Liberty files `*__tt_025C_1v80.lib` (release 1.0, 2014-06-20), repository
 * google/globalfoundries-pdk-ip-gf180mcu_fd_ip_sram. Units: area in µm², internal power in pJ per
 * clock (1 V x 1 pF), leakage in mW (`leakage_power_unit : "1mW"`), times in ns.
 */
const GF180MCU_MACROS: readonly PublishedMacro[] = [
  macro(64, 100571.5568, 84.3399, 92.043, 1.69949e-5, 1.699488e-5, 16.1808, 21.43875),
  macro(128, 116118.5168, 88.7733, 96.498, 2.60946e-5, 2.60946e-5, 16.5192, 21.83145),
  macro(256, 147212.4368, 93.51, 102.006, 4.42944e-5, 4.42944e-5, 17.106, 22.4703),
  macro(512, 209400.2768, 103.176, 112.563, 8.06994e-5, 8.06994e-5, 18.2016, 23.56065),
];

function macro(
  depth: number,
  areaUm2: number,
  readEnergyPj: number,
  writeEnergyPj: number,
  deselectedEnergyPj: number,
  leakageMw: number,
  clockToQNs: number,
  minPeriodNs: number,
): PublishedMacro {
  return { cell: `gf180mcu_fd_ip_sram__sram${depth}x8m8wm1`, depth, widthBits: 8, areaUm2, readEnergyPj, writeEnergyPj, deselectedEnergyPj, leakageMw, clockToQNs, minPeriodNs };
}

/**
 * CACTI 7's SRAM cell (tech_params/180nm.dat: `-area_cell 146`, `-asp_ratio_cell 1.46`, in F²,
 * scaled by F² in parameter.cc) and its multiport rule (parameter.cc, DynamicParameter): every port
 * past the first widens and heightens the cell by two local-wire pitches, 2.5 F each
 * (`-wire_pitch` 2.5 for local wires in 180nm.dat).
 */
const CACTI_CELL = { areaF2: 146, aspectRatio: 1.46, localWirePitchF: 2.5, featureUm: 0.18 } as const;

export const SRAM_MODEL = {
  node: '180 nm',
  corner: 'typical process, 1.8 V, 25 °C',
  sources: {
    macros: {
      authors: 'GlobalFoundries PDK Authors',
      title: 'gf180mcu_fd_ip_sram: 180nm 5V Green synchronous single port SRAM, Memory Macro IP datasheets and Liberty views',
      venue: 'Google/GlobalFoundries open-source GF180MCU PDK, repository google/globalfoundries-pdk-ip-gf180mcu_fd_ip_sram (Apache-2.0)',
      year: 2022,
      used: 'per macro (64, 128, 256, 512 words x 8 bits): Liberty tt_025C_1v80 area, CLK internal_power (read, write, deselected), cell_leakage_power, min_period; datasheet tables 4.3 (1.8 V power) and 5.3 (1.8 V AC characteristics: Tcyc, Tah, Tal)',
    },
    ports: {
      authors: 'R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee, V. Srinivas',
      title: 'CACTI 7: New Tools for Interconnect Exploration in Innovative Off-Chip Memories',
      venue: 'ACM Transactions on Architecture and Code Optimization 14(2); release HewlettPackard/cacti',
      year: 2017,
      used: 'SRAM cell 146 F² with aspect ratio 1.46 and local wire pitch 2.5 F (tech_params/180nm.dat); the multiport cell rule in parameter.cc',
    },
  },
  macros: GF180MCU_MACROS,
  /** Words per macro at most: the largest published macro; deeper memories are banked. */
  maxMacroDepth: 512,
  /** Bits per macro word: the family is x8 with a bit write mask; wider words are side by side. */
  macroWidthBits: 8,
  cactiCell: CACTI_CELL,
  /** The 6T logic cell in µm² (146 x 0.18²): the floor of any 180 nm 6T memory's area. */
  logicBitcellUm2: CACTI_CELL.areaF2 * CACTI_CELL.featureUm ** 2,
  /** GF180MCU's own cell (datasheet: "13.5um2 6 transistors bitcell"), for the comparison. */
  gf180mcuBitcellUm2: 13.5,
} as const;

/**
 * The cell-area factor of a macro with `ports` access ports over a single-port one, by CACTI's
 * rule: a b_w x b_h cell (b_w = sqrt(146 F² / 1.46) = 10 F, b_h = 14.6 F) gains 2 x 2.5 F in each
 * direction per extra port. One extra port: 15 F x 19.6 F = 294 F², 2.01x.
 */
export function portAreaFactor(ports: number): number {
  const widthF = Math.sqrt(CACTI_CELL.areaF2 / CACTI_CELL.aspectRatio);
  const heightF = CACTI_CELL.aspectRatio * widthF;
  const growthF = 2 * CACTI_CELL.localWirePitchF * (ports - 1);
  return ((widthF + growthF) * (heightF + growthF)) / CACTI_CELL.areaF2;
}

export function estimateSram(shape: MemoryShape): SramEstimate {
  checkShape(shape);
  // A memory's read and write ports are separate macro ports, as CACTI counts them: lutforge's
  // memories may read and write in one cycle, so one read and one write need a two-port macro.
  const ports = shape.readPorts + shape.writePorts;
  const columns = Math.ceil(shape.widthBits / SRAM_MODEL.macroWidthBits);
  const banks = Math.ceil(shape.depth / SRAM_MODEL.maxMacroDepth);
  const used = macroFor(Math.min(shape.depth, SRAM_MODEL.maxMacroDepth));
  const macros = columns * banks;
  const portFactor = portAreaFactor(ports);
  const idleMacros = columns * (banks - 1);
  return {
    bits: shape.widthBits * shape.depth,
    areaUm2: macros * used.areaUm2 * portFactor,
    readEnergyPj: columns * used.readEnergyPj + idleMacros * used.deselectedEnergyPj,
    writeEnergyPj: columns * used.writeEnergyPj + idleMacros * used.deselectedEnergyPj,
    // Leakage goes with the transistors, and a multiport cell has more of them: scaled like area.
    leakageMw: macros * used.leakageMw * portFactor,
    accessNs: used.clockToQNs,
    cycleNs: used.minPeriodNs,
    macros,
  };
}

/**
 * The area no 180 nm 6T memory of this shape can go below: its bits in CACTI's logic cell, ports
 * priced alike, no periphery. estimateSram's figure sits above it by the GF180MCU periphery and
 * its larger 5 V cell; the two bracket a 1.8 V logic-process compiler's macro.
 */
export function logicBitcellAreaFloorUm2(shape: MemoryShape): number {
  checkShape(shape);
  return shape.widthBits * shape.depth * SRAM_MODEL.logicBitcellUm2 * portAreaFactor(shape.readPorts + shape.writePorts);
}

/** The smallest published macro at least `depth` words deep: a designer rounds up to one. */
function macroFor(depth: number): PublishedMacro {
  const found = GF180MCU_MACROS.find((candidate) => candidate.depth >= depth);
  if (found === undefined) throw new RangeError(`no published macro holds ${depth} words`);
  return found;
}

function checkShape(shape: MemoryShape): void {
  const where = `memory '${shape.name}'`;
  const positive = (value: number, what: string): void => {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${where}: ${what} must be a positive integer, got ${value}`);
  };
  positive(shape.widthBits, 'widthBits');
  positive(shape.depth, 'depth');
  positive(shape.readPorts, 'readPorts');
  if (!Number.isInteger(shape.writePorts) || shape.writePorts < 0) {
    throw new RangeError(`${where}: writePorts must be a non-negative integer, got ${shape.writePorts}`);
  }
}
