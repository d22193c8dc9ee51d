// The simulator-independent half of interactive simulation: a script of poke/step/peek/eval
// operations, checked against the port list and rendered in the harness protocol (which the
// Verilator harness reads directly and the Icarus bench reads after translation), and the
// parsing of the peek answers both print.

import type { EmittedDesign, PortInfo } from '../dsl/design.js';
import { SimInputError } from './errors.js';
import { clockPorts } from './stream-protocol.js';
import { tail } from './workspace.js';

/** One simulation step; a script is a list of them, run in order. */
export type SimOp =
  | { readonly poke: Readonly<Record<string, bigint | number>> }
  | { readonly step: number }
  | { readonly peek: readonly string[] }
  | { readonly eval: true };

/**
 * Peeked values per port, in the order they were peeked (a port peeked after each of three
 * steps has three entries). Signed ports read as negative when their top bit is set.
 */
export type SimResult = Record<string, bigint[]>;


export function findPort(design: EmittedDesign, name: string): PortInfo {
  const port = design.ports.find((candidate) => candidate.name === name);
  if (port === undefined) {
    const known = design.ports.map((candidate) => candidate.name).join(', ');
    throw new SimInputError(`'${design.top}' has no port '${name}' (ports: ${known})`);
  }
  return port;
}

/** The port's raw bits for `value`, after checking it fits (signed ports take negatives). */
export function portBits(port: PortInfo, value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new SimInputError(`Value ${value} for port '${port.name}' is not a safe integer; use a bigint`);
  }
  const bits = BigInt(value);
  const width = BigInt(port.width);
  const [min, max] = port.signed
    ? [-(1n << (width - 1n)), (1n << (width - 1n)) - 1n]
    : [0n, (1n << width) - 1n];
  if (bits < min || bits > max) {
    const kind = port.signed ? 'signed' : 'unsigned';
    throw new SimInputError(
      `Value ${bits} does not fit ${kind} ${port.width}-bit port '${port.name}' (range ${min}..${max})`,
    );
  }
  return BigInt.asUintN(port.width, bits);
}

/** Checks the whole script against the port list and renders it in the harness protocol. */
export function renderScript(
  design: EmittedDesign,
  ops: readonly SimOp[],
): { script: string; peeks: string[] } {
  const lines: string[] = [];
  const peeks: string[] = [];
  for (const op of ops) {
    if ('poke' in op) {
      for (const [name, value] of Object.entries(op.poke)) {
        const port = findPort(design, name);
        if (port.direction !== 'input') throw new SimInputError(`Cannot poke output port '${name}'`);
        lines.push(`poke ${name} ${portBits(port, value).toString(16)}`);
      }
    } else if ('step' in op) {
      if (!Number.isSafeInteger(op.step) || op.step < 0) {
        throw new SimInputError(`step needs a non-negative integer cycle count, got ${op.step}`);
      }
      const clocks = clockPorts(design).length;
      if (clocks !== 1) {
        throw new SimInputError(`step needs exactly one clock port; '${design.top}' has ${clocks}`);
      }
      lines.push(`step ${op.step}`);
    } else if ('peek' in op) {
      for (const name of op.peek) {
        findPort(design, name);
        lines.push(`peek ${name}`);
        peeks.push(name);
      }
    } else {
      lines.push('eval');
    }
  }
  lines.push('quit');
  return { script: `${lines.join('\n')}\n`, peeks };
}

export function readPeek(port: PortInfo, hex: string): bigint {
  const bits = BigInt(`0x${hex}`);
  return port.signed ? BigInt.asIntN(port.width, bits) : bits;
}


/**
 * Bits Icarus reported as x or z, per port and peek (1 = unknown); those bits read as 0 in the
 * values. Verilator is two-state, so its value there is arbitrary and comparisons skip them.
 */
export type UnknownBits = Record<string, bigint[]>;

/** Hex with x/z digits (`%h` prints a partly unknown digit as X or Z) as value and unknown mask. */
function parseFourState(hex: string): { bits: bigint; unknown: bigint } {
  let bits = 0n;
  let unknown = 0n;
  for (const digit of hex) {
    const isUnknown = /[xz]/i.test(digit);
    bits = (bits << 4n) | (isUnknown ? 0n : BigInt(`0x${digit}`));
    unknown = (unknown << 4n) | (isUnknown ? 0xfn : 0n);
  }
  return { bits, unknown };
}

/**
 * Reads the `peek <port> <hex>` answers of a run, checking they match the peeks asked. Unknown
 * (x/z) bits are an error unless `unknown` is given to collect them.
 */
export function parseAnswers(design: EmittedDesign, stdout: string, peeks: readonly string[], stderr = '', unknown?: UnknownBits): SimResult {
  const result: SimResult = {};
  const answers = stdout.split('\n').filter((line) => line.startsWith('peek '));
  if (answers.length !== peeks.length) {
    throw new Error(
      `Simulation of '${design.top}' answered ${answers.length} of ${peeks.length} peeks ` +
        `(did the design call $finish?)\n${tail(`${stderr}${stdout}`.trim())}`,
    );
  }
  answers.forEach((line, index) => {
    const [, name, hex = ''] = line.split(' ');
    if (name === undefined || name !== peeks[index] || !/^[0-9a-fxzXZ]+$/.test(hex)) {
      throw new Error(`Unexpected harness output '${line}' for peek of '${peeks[index]}'`);
    }
    const port = findPort(design, name);
    const value = parseFourState(hex);
    if (value.unknown !== 0n && unknown === undefined) {
      throw new Error(`Simulation of '${design.top}': port '${name}' read undefined bits (${hex}) at peek ${index}`);
    }
    const mask = BigInt.asUintN(port.width, value.unknown);
    if (unknown !== undefined) (unknown[name] ??= []).push(mask);
    (result[name] ??= []).push(readPeek(port, value.bits.toString(16)));
  });
  return result;
}
