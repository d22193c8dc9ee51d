// The files of `lutforge sim` without a simulator: the stimulus CSV, the outputs CSV, and streams
// as .npy with the dtype of their ports.

import { describe, expect, it } from 'vitest';
import type { EmittedDesign, PortInfo } from '../../dsl/design.js';
import { encodeNpy, parseNpy } from '../../host/npy.js';
import { beatsFromNpy, encodeStreamNpy, formatPortResultCsv, isNpyPath, parsePortValue, parseStimulusCsv, streamNpyDtype } from '../../host/sim-files.js';
import { UsageError } from '../../host/errors.js';
import { findStreams, type StreamInfo } from '../../sim/stream-protocol.js';

const port = (name: string, direction: PortInfo['direction'], width: number, signed = false, role: PortInfo['role'] = 'data'): PortInfo => ({ name, direction, width, signed, role });

/** The tutorial's mac_unit at width 8, accBits 24: its ports are all that matters here. */
const mac: EmittedDesign = {
  top: 'mac_unit',
  modules: [],
  ports: [port('a', 'input', 8, true), port('b', 'input', 8, true), port('enable', 'input', 1), port('acc', 'output', 24, true), port('clk', 'input', 1, false, 'clock'), port('rst', 'input', 1, false, 'reset')],
};

function streamOf(...data: PortInfo[]): StreamInfo {
  const design: EmittedDesign = { top: 't', modules: [], ports: [port('in_valid', 'input', 1), port('in_ready', 'output', 1), ...data] };
  return findStreams(design)[0]!;
}

describe('stimulus CSV', () => {
  it('reads decimal, hex and binary per the port, keeps empty cells, skips comments, blank lines and a cycle column', () => {
    const text = '\uFEFF# a comment\ncycle, a, b, enable\r\n0, 3, -4, 1\n\n1, 0x80, 0b1111_1111, \n2, , 127, 0\n';
    expect(parseStimulusCsv(text, 'stim.csv', mac)).toEqual({
      ports: ['a', 'b', 'enable'],
      cycles: [
        [3n, -4n, 1n],
        [-128n, -1n, undefined],
        [undefined, 127n, 0n],
      ],
    });
  });

  it.each([
    ['', "stimulus file 'stim.csv' is empty: it needs a header naming input ports, then one row per cycle"],
    ['a,b\n', "stimulus file 'stim.csv' has a header but no rows: one row per cycle"],
    ['a,c\n1,2\n', "stim.csv:1: 'mac_unit' has no input port 'c' (inputs: a, b, enable, rst)"],
    ['a,acc\n1,2\n', "stim.csv:1: 'acc' is an output of 'mac_unit'; a stimulus drives inputs (inputs: a, b, enable, rst)"],
    ['a,clk\n1,2\n', "stim.csv:1: 'clk' is the clock of 'mac_unit'; sim steps it once per row (inputs: a, b, enable, rst)"],
    ['a,,b\n1,2,3\n', 'stim.csv:1: column 2 of the header is empty; name an input port'],
    ['a,b,a\n1,2,3\n', "stim.csv:1: port 'a' has two columns"],
    ['a,b\n1,2\n\n300,1\n', "stim.csv:4: value 300 does not fit signed 8-bit port 'a' (range -128..127)"],
    ['enable\n2\n', "stim.csv:2: value 2 does not fit unsigned 1-bit port 'enable' (range 0..1)"],
    ['a,b\n0x1ff,1\n', "stim.csv:2: 0x1ff is wider than 8-bit port 'a'"],
    ['a,b\n-0x1,1\n', "stim.csv:2: '-0x1' for port 'a' is not a number (decimal, 0x hex or 0b binary)"],
    ['a,b\n0b102,1\n', "stim.csv:2: '0b102' for port 'a' is not a number (decimal, 0x hex or 0b binary)"],
    ['a,b\n1\n', 'stim.csv:2: 1 value for the 2 columns of the header'],
    ['a,b\n"1,2\n', "stimulus file 'stim.csv' is not CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2"],
  ])('refuses %j with one line naming the file and line', (text, message) => {
    expect(() => parseStimulusCsv(text, 'stim.csv', mac)).toThrow(new UsageError(message));
  });

  it('takes hex as raw bits: 0x7fff is -1 only on a signed 15-bit port', () => {
    expect(parsePortValue('0x7fff', port('s', 'input', 15, true))).toBe(-1n);
    expect(parsePortValue('0x7fff', port('u', 'input', 15))).toBe(32767n);
    expect(parsePortValue('-7', port('s', 'input', 15, true))).toBe(-7n);
  });

  it('writes the outputs per cycle in decimal by their signedness, x where undefined', () => {
    const outputs = [port('acc', 'output', 24, true), port('wrap', 'output', 1)];
    expect(formatPortResultCsv({ simulator: 'icarus', resetCycles: 1, outputs, values: [[undefined, 0n], [12n, 0n], [-23n, 1n]] })).toBe('cycle,acc,wrap\n0,x,0\n1,12,0\n2,-23,1\n');
  });
});

describe('streams as .npy', () => {
  it('chooses by extension', () => {
    expect([isNpyPath('x.npy'), isNpyPath('X.NPY'), isNpyPath('x.bin'), isNpyPath('npy')]).toEqual([true, true, false, false]);
  });

  it.each([
    [[port('in_data', 'input', 15, true)], 'int16'],
    [[port('in_data', 'input', 8)], 'uint8'],
    [[port('in_data', 'input', 8, true)], 'int8'],
    [[port('in_data', 'input', 9)], 'uint16'],
    [[port('in_data_0', 'input', 8), port('in_data_1', 'input', 4, true)], 'int16'],
    [[port('in_data', 'input', 64, true)], 'int64'],
    [[port('in_data', 'input', 33)], 'uint64'],
  ])('gives a stream of %j the dtype %s', (data, dtype) => {
    expect(streamNpyDtype(streamOf(...data))).toBe(dtype);
  });

  it('refuses a stream wider than 64 bits for .npy', () => {
    expect(() => streamNpyDtype(streamOf(port('in_data', 'input', 64), port('in_data_x', 'input', 1, true)))).toThrow("stream 'in' needs 65-bit integers, wider than .npy holds (64 bits); use a beat file");
  });

  it('round-trips negative values of a signed 15-bit port (a beat file would read -7 as 32761)', () => {
    const stream = streamOf(port('in_data', 'input', 15, true));
    const beats = [[-7n], [16383n], [-16384n], [0n]];
    const array = parseNpy(encodeStreamNpy(stream, beats), 'y.npy', 'test');
    expect(array.dtype).toBe('int16');
    expect(array.shape).toEqual([4]);
    expect(Array.from(array.data as Int16Array)).toEqual([-7, 16383, -16384, 0]);
    expect(beatsFromNpy(stream, array, 'y.npy')).toEqual(beats);
  });

  it('writes several data ports as columns, 64-bit ones as bigints', () => {
    const stream = streamOf(port('in_data_0', 'input', 40, true), port('in_data_1', 'input', 3));
    const array = parseNpy(encodeStreamNpy(stream, [[-(2n ** 39n), 7n], [5n, 0n]]), 'y.npy', 'test');
    expect({ dtype: array.dtype, shape: array.shape, data: Array.from(array.data as BigInt64Array) }).toEqual({ dtype: 'int64', shape: [2, 2], data: [-(2n ** 39n), 7n, 5n, 0n] });
  });

  it('reads any integer dtype, and floats that hold integers', () => {
    const stream = streamOf(port('in_data', 'input', 15, true));
    expect(beatsFromNpy(stream, parseNpy(encodeNpy(BigInt64Array.of(-7n, 3n), [2]), 'x.npy', 'test'), 'x.npy')).toEqual([[-7n], [3n]]);
    expect(beatsFromNpy(stream, parseNpy(encodeNpy(Float64Array.of(-7, 3), [2, 1]), 'x.npy', 'test'), 'x.npy')).toEqual([[-7n], [3n]]);
  });

  it.each([
    [encodeNpy(Int32Array.of(-7, 20000), [2]), "'x.npy' beat 1: value 20000 does not fit signed 15-bit port 'in_data' (range -16384..16383)"],
    [encodeNpy(Float64Array.of(-7, 2.5), [2]), "'x.npy' holds 2.5 at beat 1; stream 'in' takes integers (save a.astype(np.int16))"],
    [encodeNpy(Int8Array.of(1, 2, 3, 4, 5, 6), [2, 3]), "'x.npy' has shape (2, 3); stream 'in' takes shape (beats,), one value per beat"],
  ])('refuses an array that does not fit the stream (%#)', (bytes, message) => {
    const stream = streamOf(port('in_data', 'input', 15, true));
    expect(() => beatsFromNpy(stream, parseNpy(bytes, 'x.npy', 'test'), 'x.npy')).toThrow(new UsageError(message));
  });
});
