// Switching activity from a VCD file (Verilator's `--trace`), for power analysis: for each signal
// bit of one scope, how often it toggled and how long it was 1 over a time window, and how many
// clock cycles the window holds.
//
// Counting. A toggle is a change of a bit between 0 and 1 at a time t with start <= t < end. A
// change to or from x or z is not one (0 -> x -> 1 counts nothing), and time at x or z is not time
// at 1; a bit's first value is not a change. Verilator is two-state, so this only matters for
// traces of four-state simulators. Cycles are the clock's rising edges (0 -> 1) in the window.
//
// The file is read as a stream, a line at a time, and only the scope's signals are tracked, so
// traces of hundreds of MB cost time, not memory. The parser is this file's own: the one npm VCD
// parser that streams (vcd-stream) builds a native addon with node-gyp when installed, and
// hands over raw value changes, which is all that is done here anyway.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { SimInputError } from './errors.js';

export interface BitActivity {
  /** 0<->1 changes in the window. */
  readonly toggles: number;
  /** Time at 1 in the window, in the file's time unit. */
  readonly timeAtOne: number;
}

export interface VcdActivity {
  /** The file's `$timescale`, e.g. `1ps`: the unit of every time here. */
  readonly timescale: string;
  /** The window: [start, end). */
  readonly start: number;
  readonly end: number;
  /** Rising edges of the clock in the window. */
  readonly cycles: number;
  /** Per bit of the scope's signals, by name: `acc[3]` for a bit of a vector, `clk` for a scalar. */
  readonly bits: ReadonlyMap<string, BitActivity>;
}

export interface VcdActivityOptions {
  /** The scope, its `$scope` names joined by dots: Verilator's top instance is `TOP.<top module>`. */
  readonly scope: string;
  /** The clock signal, a 1-bit signal of the scope. */
  readonly clock: string;
  /** The window, in the file's time unit; default the whole trace. */
  readonly start?: number;
  readonly end?: number;
}

/** A signal's state: per bit, 0, 1 or X (x, z, or not yet given), and the counts so far. */
interface Tracked {
  readonly width: number;
  readonly values: Uint8Array;
  readonly since: Float64Array;
  readonly toggles: Float64Array;
  readonly timeAtOne: Float64Array;
}

/** A `$var` of the scope: its name, the identifier its changes use, the bit names left to right. */
interface Variable {
  readonly id: string;
  readonly bitNames: readonly string[];
}

const X = 2;
/** `$var` types whose values are not bits. */
const NOT_BITS = new Set(['real', 'realtime', 'shortreal', 'string', 'event']);

export async function readVcdActivity(path: string, options: VcdActivityOptions): Promise<VcdActivity> {
  const start = options.start ?? 0;
  const requestedEnd = options.end ?? Number.POSITIVE_INFINITY;
  if (!(requestedEnd > start)) throw new SimInputError(`the window's end (${requestedEnd}) must come after its start (${start})`);
  const input = createReadStream(path, 'utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const header = new Header(options.scope);
  const tracked = new Map<string, Tracked>();
  let clock: { id: string; bit: number } | undefined;
  let cycles = 0;
  let time = 0;
  let pendingVector: string | undefined;
  let skipIdentifier = false;
  let skippingComment = false;

  const change = (id: string, value: string): void => {
    const signal = tracked.get(id);
    if (signal === undefined) return;
    const counts = time >= start && time < requestedEnd;
    // A value shorter than the signal is extended with 0, or with x/z when it starts with one.
    const pad = value[0] === 'x' || value[0] === 'X' || value[0] === 'z' || value[0] === 'Z' ? X : 0;
    for (let bit = 0; bit < signal.width; bit++) {
      const index = value.length - signal.width + bit;
      const character = index < 0 ? undefined : value[index];
      const next = character === undefined ? pad : character === '0' ? 0 : character === '1' ? 1 : X;
      const previous = signal.values[bit]!;
      if (next === previous) continue;
      if (previous === 1) signal.timeAtOne[bit]! += overlap(signal.since[bit]!, time, start, requestedEnd);
      if (previous !== X && next !== X && counts) {
        signal.toggles[bit]! += 1;
        if (clock !== undefined && id === clock.id && bit === clock.bit && next === 1) cycles += 1;
      }
      signal.values[bit] = next;
      signal.since[bit] = time;
    }
  };

  try {
    for await (const line of lines) {
      if (!header.done) {
        header.read(line);
        if (header.done) clock = track(header, options, tracked);
        continue;
      }
      for (const token of line.split(/\s+/)) {
        if (token === '') continue;
        if (skippingComment) {
          skippingComment = token !== '$end';
        } else if (skipIdentifier) {
          skipIdentifier = false;
        } else if (pendingVector !== undefined) {
          change(token, pendingVector);
          pendingVector = undefined;
        } else if (token[0] === '#') {
          time = Number(token.slice(1));
        } else if (token[0] === 'b' || token[0] === 'B') {
          pendingVector = token.slice(1);
        } else if (token[0] === 'r' || token[0] === 'R' || token[0] === 's' || token[0] === 'S') {
          skipIdentifier = true; // a real's or a string's value: no bits to count
        } else if (token === '$comment') {
          skippingComment = true;
        } else if (token[0] !== '$') {
          change(token.slice(1), token[0]!);
        }
      }
      if (time >= requestedEnd) break;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SimInputError(`no VCD file at ${path}`);
    throw error;
  } finally {
    lines.close();
    input.destroy();
  }
  if (!header.done) throw new SimInputError(`${path} ends before $enddefinitions: not a VCD file, or cut short`);
  const end = Number.isFinite(requestedEnd) ? requestedEnd : Math.max(time, start);
  const bits = new Map<string, BitActivity>();
  for (const variable of header.variables) {
    const signal = tracked.get(variable.id)!;
    variable.bitNames.forEach((name, bit) => {
      const open = signal.values[bit] === 1 ? overlap(signal.since[bit]!, end, start, end) : 0;
      bits.set(name, { toggles: signal.toggles[bit]!, timeAtOne: signal.timeAtOne[bit]! + open });
    });
  }
  return { timescale: header.timescale, start, end, cycles, bits };
}

/**
 * Per bit, toggles per clock cycle and the fraction of the window at 1: the activity
 * synth/power.ts takes for each net.
 */
export function activityPerCycle(activity: VcdActivity): Map<string, { toggles: number; duty: number }> {
  if (activity.cycles === 0) throw new SimInputError('the window holds no clock cycle');
  const length = activity.end - activity.start;
  return new Map([...activity.bits].map(([name, bit]) => [name, { toggles: bit.toggles / activity.cycles, duty: bit.timeAtOne / length }]));
}

function overlap(from: number, to: number, start: number, end: number): number {
  return Math.max(0, Math.min(to, end) - Math.max(from, start));
}

function track(header: Header, options: VcdActivityOptions, tracked: Map<string, Tracked>): { id: string; bit: number } {
  if (!header.scopes.has(options.scope)) {
    throw new SimInputError(`the VCD file has no scope '${options.scope}' (it has: ${[...header.scopes].join(', ')})`);
  }
  for (const variable of header.variables) {
    const width = variable.bitNames.length;
    if (tracked.has(variable.id)) continue;
    tracked.set(variable.id, {
      width,
      values: new Uint8Array(width).fill(X),
      since: new Float64Array(width),
      toggles: new Float64Array(width),
      timeAtOne: new Float64Array(width),
    });
  }
  const clock = header.variables.find((variable) => variable.bitNames.length === 1 && variable.bitNames[0] === options.clock);
  if (clock === undefined) throw new SimInputError(`the scope '${options.scope}' has no 1-bit signal '${options.clock}'`);
  return { id: clock.id, bit: 0 };
}

/** The declarations: `$timescale`, the scopes, and the `$var`s of the one scope asked for. */
class Header {
  done = false;
  timescale = '';
  readonly scopes = new Set<string>();
  readonly variables: Variable[] = [];
  private readonly path: string[] = [];
  private command: string[] | undefined;

  constructor(private readonly scope: string) {}

  read(line: string): void {
    for (const token of line.split(/\s+/)) {
      if (token === '' || this.done) continue;
      if (this.command === undefined) {
        if (token.startsWith('$')) this.command = [token];
      } else if (token !== '$end') {
        this.command.push(token);
      } else {
        this.execute(this.command);
        this.command = undefined;
      }
    }
  }

  private execute([keyword, ...words]: string[]): void {
    if (keyword === '$timescale') this.timescale = words.join('');
    else if (keyword === '$scope') {
      this.path.push(words[1] ?? '');
      this.scopes.add(this.path.join('.'));
    }
    else if (keyword === '$upscope') this.path.pop();
    else if (keyword === '$enddefinitions') this.done = true;
    else if (keyword === '$var' && this.path.join('.') === this.scope) this.declare(words);
  }

  /** `$var wire 8 ( a [7:0] $end`: type, width, identifier, name, range (maybe glued to the name). */
  private declare([type, widthText, id, reference, rangeText]: string[]): void {
    const width = Number(widthText);
    if (id === undefined || reference === undefined || !(width >= 1) || NOT_BITS.has(type ?? '')) return;
    const glued = /^(.*?)(\[[^\]]*\])$/.exec(reference);
    const name = glued?.[1] ?? reference;
    const range = /^\[(-?\d+)(?::(-?\d+))?\]$/.exec(glued?.[2] ?? rangeText ?? '');
    if (range === null) {
      this.variables.push({ id, bitNames: width === 1 ? [name] : Array.from({ length: width }, (_, bit) => `${name}[${width - 1 - bit}]`) });
      return;
    }
    const left = Number(range[1]);
    const right = range[2] === undefined ? left : Number(range[2]);
    const step = left >= right ? -1 : 1;
    this.variables.push({ id, bitNames: Array.from({ length: width }, (_, bit) => `${name}[${left + step * bit}]`) });
  }
}
