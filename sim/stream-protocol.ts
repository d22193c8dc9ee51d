// The stream protocol both simulators speak, in one place so the Verilator harness, the Icarus
// bench and the TypeScript side cannot drift apart: the clock port a run steps, the valid/ready
// streams of a top module (recognised from the flattened port names the DSL gives a
// `Stream(shape)` bundle: `<p>_valid`, `<p>_ready`, `<p>_data` or `<p>_data_*` leaves), the
// beat layouts, and the summary lines a stream run ends with.
//
// Beat file (`lutforge sim`'s beat files, and the Verilator harness's): a plain concatenation of
// beats, no header. One beat is its data leaves in port order, each leaf stored in ceil(width/8)
// bytes, little-endian, as raw two's complement bits (bits above the leaf width are zero). A
// file's length must be a whole number of beats.
// Packed beat (Icarus): the leaves as one number, leaf 0 in the low bits, one hex line per beat.

import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import { SimInputError } from './errors.js';

/** The clock input ports; stepping and stream mode need exactly one. */
export function clockPorts(design: EmittedDesign): PortInfo[] {
  return design.ports.filter((port) => port.role === 'clock' && port.direction === 'input');
}

export interface StreamInfo {
  /** The bundle's name: `in` for `in_valid`, `in_ready`, `in_data`. */
  readonly name: string;
  /** `input` when the design consumes the stream (its `valid` is an input port). */
  readonly direction: 'input' | 'output';
  readonly valid: PortInfo;
  readonly ready: PortInfo;
  /** Data leaves in port order (possibly none: a stream of pure events). */
  readonly data: readonly PortInfo[];
  /** Bytes of one beat in a beat file. */
  readonly beatBytes: number;
}

export function leafBytes(port: PortInfo): number {
  return Math.ceil(port.width / 8);
}

/** Every valid/ready stream of the top module, in the order of their `valid` ports. */
export function findStreams(design: EmittedDesign): StreamInfo[] {
  const byName = new Map(design.ports.map((port) => [port.name, port]));
  const streams: StreamInfo[] = [];
  for (const valid of design.ports) {
    const match = /^(.+)_valid$/.exec(valid.name);
    if (match === null || valid.width !== 1) continue;
    const name = match[1]!;
    const ready = byName.get(`${name}_ready`);
    if (ready === undefined || ready.width !== 1 || ready.direction === valid.direction) continue;
    const data = design.ports.filter(
      (port) =>
        port.direction === valid.direction &&
        (port.name === `${name}_data` || port.name.startsWith(`${name}_data_`)),
    );
    const beatBytes = data.reduce((sum, port) => sum + leafBytes(port), 0);
    streams.push({ name, direction: valid.direction, valid, ready, data, beatBytes });
  }
  return streams;
}

/** The stream called `name`, with the stream names in the error when there is none. */
export function streamNamed(design: EmittedDesign, name: string, direction: 'input' | 'output'): StreamInfo {
  const streams = findStreams(design).filter((stream) => stream.direction === direction);
  const found = streams.find((stream) => stream.name === name);
  if (found === undefined) {
    const known = streams.map((stream) => stream.name).join(', ') || 'none';
    throw new SimInputError(`'${design.top}' has no ${direction} stream '${name}' (${direction} streams: ${known})`);
  }
  return found;
}

/** One beat: one value per data leaf, in port order. */
export type Beat = readonly bigint[];

/** Raw bits of `value` for `port`, after checking it fits (signed leaves take negatives). */
export function leafBits(port: PortInfo, value: bigint): bigint {
  const width = BigInt(port.width);
  const [min, max] = port.signed ? [-(1n << (width - 1n)), (1n << (width - 1n)) - 1n] : [0n, (1n << width) - 1n];
  if (value < min || value > max) {
    const kind = port.signed ? 'signed' : 'unsigned';
    throw new SimInputError(`value ${value} does not fit ${kind} ${port.width}-bit port '${port.name}' (range ${min}..${max})`);
  }
  return BigInt.asUintN(port.width, value);
}

/** Encodes beats in the beat-file format, checking every value against its leaf. */
export function encodeBeats(stream: StreamInfo, beats: readonly Beat[]): Uint8Array {
  const bytes = new Uint8Array(stream.beatBytes * beats.length);
  let offset = 0;
  beats.forEach((beat, index) => {
    if (beat.length !== stream.data.length) {
      throw new SimInputError(`beat ${index} of stream '${stream.name}' has ${beat.length} values; the stream has ${stream.data.length} data leaves`);
    }
    stream.data.forEach((port, leaf) => {
      let bits = leafBits(port, beat[leaf]!);
      for (let i = 0; i < leafBytes(port); i++, bits >>= 8n) bytes[offset++] = Number(bits & 0xffn);
    });
  });
  return bytes;
}

/** Decodes a beat file, rejecting a length that is not whole beats or bits beyond a leaf's width. */
export function decodeBeats(stream: StreamInfo, bytes: Uint8Array, what = `beat file of stream '${stream.name}'`): bigint[][] {
  if (stream.beatBytes === 0) throw new SimInputError(`stream '${stream.name}' carries no data; beat files cannot describe it`);
  if (bytes.length % stream.beatBytes !== 0) {
    throw new SimInputError(
      `${what} is ${bytes.length} bytes, not a whole number of ${stream.beatBytes}-byte beats ` +
        `(${bytes.length % stream.beatBytes} bytes left over)`,
    );
  }
  const beats: bigint[][] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const beat: bigint[] = [];
    for (const port of stream.data) {
      let bits = 0n;
      const n = leafBytes(port);
      for (let i = n - 1; i >= 0; i--) bits = (bits << 8n) | BigInt(bytes[offset + i]!);
      if (bits >> BigInt(port.width) !== 0n) {
        throw new SimInputError(`${what}: beat ${beats.length} has a value wider than ${port.width}-bit port '${port.name}'`);
      }
      beat.push(port.signed ? BigInt.asIntN(port.width, bits) : bits);
      offset += n;
    }
    beats.push(beat);
  }
  return beats;
}

/** A beat's leaves as one number, leaf 0 in the low bits: the hex form the Icarus bench reads. */
export function packBeat(stream: StreamInfo, beat: Beat): bigint {
  let packed = 0n;
  for (let leaf = stream.data.length - 1; leaf >= 0; leaf--) {
    const port = stream.data[leaf]!;
    packed = (packed << BigInt(port.width)) | BigInt.asUintN(port.width, beat[leaf]!);
  }
  return packed;
}

export function unpackBeat(stream: StreamInfo, packed: bigint): bigint[] {
  return stream.data.map((port) => {
    const bits = BigInt.asUintN(port.width, packed);
    packed >>= BigInt(port.width);
    return port.signed ? BigInt.asIntN(port.width, bits) : bits;
  });
}

export function packedWidth(stream: StreamInfo): number {
  return stream.data.reduce((sum, port) => sum + port.width, 0);
}

/** How a stream run ended: `done`, every expected beat arrived; `limit`, the cycle limit came first; `finish`, $finish. */
export type StreamStatus = 'done' | 'limit' | 'finish';

export interface StreamSummary {
  readonly status: StreamStatus;
  readonly cycles: number;
  /** Beats per stream, keyed `in <name>` (taken) and `out <name>` (collected). */
  readonly counts: ReadonlyMap<string, number>;
}

/** Reads the `stream`, `in`, `out` summary lines both simulators print. */
export function parseStreamSummary(stdout: string): StreamSummary | undefined {
  const head = /^stream (done|limit|finish) (\d+)$/m.exec(stdout);
  if (head === null) return undefined;
  const counts = new Map<string, number>();
  for (const match of stdout.matchAll(/^(in|out) (\S+) (\d+)$/gm)) counts.set(`${match[1]} ${match[2]}`, Number(match[3]));
  return { status: head[1] as StreamStatus, cycles: Number(head[2]), counts };
}
