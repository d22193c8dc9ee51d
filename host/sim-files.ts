// The files of `lutforge sim` beyond raw beat files: a CSV stimulus for plain-port mode and the
// per-cycle outputs it produces, and .npy arrays for streams, whose dtype follows the ports'
// width and signedness so that a signed 15-bit -7 stays -7 (a beat file holds raw bits).
//
// Stimulus CSV: a header naming input ports (an optional `cycle` column is ignored), then one
// row per clock cycle. A value is decimal (negative for a signed port), or the port's raw bits as
// 0x... hex or 0b... binary (underscores allowed: 0xdead_beef); an empty cell keeps the value of
// the row before (0 in the first row). Blank lines and lines starting with # are skipped. Cells
// are port names and numbers only, so there is no quoting to handle; a quote is refused.

import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import { SimInputError } from '../sim/errors.js';
import { drivablePort, type PortRunResult, type PortStimulus } from '../sim/port-run.js';
import { leafBits, type Beat, type StreamInfo } from '../sim/stream-protocol.js';
import { describeOsError, UsageError } from './errors.js';
import { encodeNpy, formatShape, readNpy, type NpyArray, type NpyDtype, type NpyWritable } from './npy.js';

/** A column that numbers the rows for the reader; not a port unless the design has one by that name. */
const CYCLE_COLUMN = 'cycle';

/** Whether a stream file is a .npy array (else a raw beat file). */
export function isNpyPath(path: string): boolean {
  return /\.npy$/i.test(path);
}

export async function readStimulusCsv(path: string, displayPath: string, design: EmittedDesign): Promise<PortStimulus> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read stimulus file '${displayPath}': ${describeOsError(error)}`);
  }
  return parseStimulusCsv(text, displayPath, design);
}

/** Parses a stimulus CSV; every problem is a UsageError naming `name:line`. */
export function parseStimulusCsv(text: string, name: string, design: EmittedDesign): PortStimulus {
  let lines: { line: number; cells: string[] }[];
  try {
    // csv-parse's sync typing does not follow the info option: each record comes with its line.
    const records = parse(text, { bom: true, comment: '#', skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    lines = records.map(({ record, info }) => ({ line: info.lines, cells: record }));
  } catch (error) {
    throw new UsageError(`stimulus file '${name}' is not CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const at = (line: number, problem: string): UsageError => new UsageError(`${name}:${line}: ${problem}`);
  const header = lines[0];
  if (header === undefined) throw new UsageError(`stimulus file '${name}' is empty: it needs a header naming input ports, then one row per cycle`);
  const columns = header.cells.map((column, i) => {
    if (column === '') throw at(header.line, `column ${i + 1} of the header is empty; name an input port`);
    if (column === CYCLE_COLUMN && !design.ports.some((port) => port.name === CYCLE_COLUMN)) return undefined;
    try {
      return drivablePort(design, column);
    } catch (error) {
      throw error instanceof SimInputError ? at(header.line, error.message) : error;
    }
  });
  const driven = columns.filter((port): port is PortInfo => port !== undefined);
  const repeated = driven.find((port, i) => driven.indexOf(port) !== i);
  if (repeated !== undefined) throw at(header.line, `port '${repeated.name}' has two columns`);
  if (lines.length === 1) throw new UsageError(`stimulus file '${name}' has a header but no rows: one row per cycle`);
  const cycles = lines.slice(1).map(({ line, cells }) => {
    if (cells.length !== columns.length) throw at(line, `${cells.length} value${cells.length === 1 ? '' : 's'} for the ${columns.length} columns of the header`);
    const row: (bigint | undefined)[] = [];
    cells.forEach((cell, i) => {
      const port = columns[i];
      if (port === undefined) return;
      try {
        row.push(cell === '' ? undefined : parsePortValue(cell, port));
      } catch (error) {
        throw error instanceof SimInputError ? at(line, error.message) : error;
      }
    });
    return row;
  });
  return { ports: driven.map((port) => port.name), cycles };
}

/** A decimal value, or the port's raw bits in 0x hex or 0b binary; checked against the port. */
export function parsePortValue(text: string, port: PortInfo): bigint {
  if (/^[+-]?\d+$/.test(text)) {
    const value = BigInt(text);
    leafBits(port, value);
    return value;
  }
  const raw = /^0([xb])([0-9a-f]+(?:_[0-9a-f]+)*)$/i.exec(text);
  if (raw === null || (raw[1]!.toLowerCase() === 'b' && /[^01_]/.test(raw[2]!))) {
    throw new SimInputError(`'${text}' for port '${port.name}' is not a number (decimal, 0x hex or 0b binary)`);
  }
  const bits = BigInt(`0${raw[1]!.toLowerCase()}${raw[2]!.replace(/_/g, '')}`);
  if (bits >> BigInt(port.width) !== 0n) throw new SimInputError(`${text} is wider than ${port.width}-bit port '${port.name}'`);
  return port.signed ? BigInt.asIntN(port.width, bits) : bits;
}

/** The outputs of a plain-port run as CSV: `cycle` and one column per output port, decimal, `x` where undefined. */
export function formatPortResultCsv(result: PortRunResult): string {
  const header = [CYCLE_COLUMN, ...result.outputs.map((port) => port.name)];
  const rows = result.values.map((values, cycle) => [String(cycle), ...values.map((value) => (value === undefined ? 'x' : String(value)))]);
  return stringify([header, ...rows]);
}

// Streams as .npy

/** The smallest NumPy integer dtype that holds every data leaf of the stream exactly. */
export function streamNpyDtype(stream: StreamInfo): NpyDtype {
  const signed = stream.data.some((port) => port.signed);
  const bits = Math.max(1, ...stream.data.map((port) => (port.signed || !signed ? port.width : port.width + 1)));
  const size = [8, 16, 32, 64].find((candidate) => candidate >= bits);
  if (size === undefined) throw new UsageError(`stream '${stream.name}' needs ${bits}-bit integers, wider than .npy holds (64 bits); use a beat file`);
  return `${signed ? 'int' : 'uint'}${size}` as NpyDtype;
}

/** NumPy's shape for `beats` beats: (beats,) for a stream of one leaf, else (beats, leaves). */
function streamShape(stream: StreamInfo, beats: number): number[] {
  return stream.data.length === 1 ? [beats] : [beats, stream.data.length];
}

/** A stream's beats as the bytes of a .npy file of its dtype. */
export function encodeStreamNpy(stream: StreamInfo, beats: readonly Beat[]): Uint8Array {
  const dtype = streamNpyDtype(stream);
  const values = beats.flat();
  const data: NpyWritable =
    dtype === 'int64'
      ? BigInt64Array.from(values)
      : dtype === 'uint64'
        ? BigUint64Array.from(values)
        : new NUMBER_ARRAYS[dtype as keyof typeof NUMBER_ARRAYS](values.map(Number));
  return encodeNpy(data, streamShape(stream, beats.length));
}

const NUMBER_ARRAYS = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array } as const;

/** Reads the beats of an input stream from a .npy file of any integer dtype (or floats holding integers). */
export async function readStreamNpy(path: string, displayPath: string, stream: StreamInfo): Promise<Beat[]> {
  return beatsFromNpy(stream, await readNpy(path, `stream '${stream.name}'`, { displayPath }), displayPath);
}

/** The beats an array holds, each value checked against its leaf; `name` is the file as the user wrote it. */
export function beatsFromNpy(stream: StreamInfo, array: NpyArray, name: string): Beat[] {
  const leaves = stream.data.length;
  const wanted = leaves === 1 ? 'shape (beats,), one value per beat' : `shape (beats, ${leaves}), one row per beat, one column per data port (${stream.data.map((port) => port.name).join(', ')})`;
  const [beats = 0, width = 1, ...rest] = array.shape;
  if (array.shape.length < 1 || rest.length > 0 || width !== leaves || (array.shape.length === 1 && leaves !== 1)) {
    throw new UsageError(`'${name}' has shape ${formatShape(array.shape)}; stream '${stream.name}' takes ${wanted}`);
  }
  if (array.dtype === 'float16') throw new UsageError(`'${name}' has dtype float16; stream '${stream.name}' takes integers (save a.astype(np.${streamNpyDtype(stream)}))`);
  const result: Beat[] = [];
  for (let beat = 0; beat < beats; beat++) {
    const values: bigint[] = [];
    for (let leaf = 0; leaf < leaves; leaf++) {
      const index = beat * leaves + leaf;
      const element = array.data[index]!;
      if (typeof element === 'number' && !Number.isInteger(element)) {
        throw new UsageError(`'${name}' holds ${element} at beat ${beat}; stream '${stream.name}' takes integers (save a.astype(np.${streamNpyDtype(stream)}))`);
      }
      const port = stream.data[leaf]!;
      const value = BigInt(element);
      try {
        leafBits(port, value);
      } catch (error) {
        throw error instanceof SimInputError ? new UsageError(`'${name}' beat ${beat}: ${error.message}`) : error;
      }
      values.push(value);
    }
    result.push(values);
  }
  return result;
}
