// Stream recognition from flattened port names and the beat-file format (no simulator needed).

import { describe, expect, it } from 'vitest';
import { SimInputError } from '../../sim/errors.js';
import { decodeBeats, encodeBeats, findStreams, packBeat, streamNamed, unpackBeat } from '../../sim/stream-protocol.js';
import { fifo12, sliceWide } from './designs.js';

describe('findStreams', () => {
  it('finds the FIFO\'s input and output streams by their _valid/_ready/_data ports', () => {
    const streams = findStreams(fifo12).map((s) => ({ name: s.name, direction: s.direction, data: s.data.map((p) => p.name), beatBytes: s.beatBytes }));
    expect(streams).toEqual([
      { name: 'in', direction: 'input', data: ['in_data'], beatBytes: 2 },
      { name: 'out', direction: 'output', data: ['out_data'], beatBytes: 2 },
    ]);
  });

  it('collects every _data_* leaf of a bundle stream, in port order', () => {
    const input = streamNamed(sliceWide, 'in', 'input');
    expect(input.data.map((p) => [p.name, p.width, p.signed])).toEqual([
      ['in_data_a', 5, true],
      ['in_data_b', 70, false],
    ]);
    expect(input.beatBytes).toBe(1 + 9);
    expect(() => streamNamed(sliceWide, 'in', 'output')).toThrow(/no output stream 'in' \(output streams: out\)/);
  });
});

describe('beat files', () => {
  const stream = streamNamed(sliceWide, 'in', 'input');

  it('stores each leaf little-endian in whole bytes, leaves concatenated', () => {
    const bytes = encodeBeats(stream, [[-1n, 0x0102030405060708090n]]);
    expect([...bytes]).toEqual([0x1f, 0x90, 0x80, 0x70, 0x60, 0x50, 0x40, 0x30, 0x20, 0x10]);
    expect(decodeBeats(stream, bytes)).toEqual([[-1n, 0x0102030405060708090n]]);
  });

  it('round-trips the extremes of every leaf', () => {
    const beats = [
      [-16n, 0n],
      [15n, (1n << 70n) - 1n],
      [0n, 1n << 69n],
    ];
    expect(decodeBeats(stream, encodeBeats(stream, beats))).toEqual(beats);
  });

  it('rejects values wider than their port, files of partial beats and stray high bits', () => {
    expect(() => encodeBeats(stream, [[16n, 0n]])).toThrow(/16 does not fit signed 5-bit port 'in_data_a' \(range -16\.\.15\)/);
    expect(() => encodeBeats(stream, [[0n]])).toThrow(/has 1 values; the stream has 2 data leaves/);
    expect(() => decodeBeats(stream, new Uint8Array(15))).toThrow(SimInputError);
    expect(() => decodeBeats(stream, new Uint8Array(15))).toThrow(/15 bytes, not a whole number of 10-byte beats \(5 bytes left over\)/);
    const stray = new Uint8Array(10);
    stray[0] = 0x20;
    expect(() => decodeBeats(stream, stray)).toThrow(/beat 0 has a value wider than 5-bit port 'in_data_a'/);
  });

  it('packs a beat with leaf 0 in the low bits for the Icarus bench', () => {
    expect(packBeat(stream, [-1n, 1n])).toBe(0b1_11111n);
    expect(unpackBeat(stream, 0b1_11111n)).toEqual([-1n, 1n]);
  });
});
