// The memories of a synthesized design, read from Yosys' RTLIL `dump` of its $mem_v2 cells and the
// wires on their enables: each memory's shape (what an SRAM compiler would be asked for) and, per
// port, the bits that enable it, so that a simulation can count the accesses.

/**
 * One bit of a signal: a constant, or a net bit named as the Verilog netlist and a VCD name it:
 * `we` for a one-bit wire, `addr[3]` for a bit of a wider one.
 */
export type SignalBit = '0' | '1' | 'x' | { readonly net: string };

export interface MemoryInstance {
  /** The memory's name in the design (its $mem_v2 cell, without RTLIL's backslash). */
  readonly name: string;
  readonly widthBits: number;
  readonly depth: number;
  readonly readPorts: number;
  readonly writePorts: number;
  /** Per read port, its enable bit (constant 1 when it reads every cycle). */
  readonly readEnables: readonly SignalBit[];
  /** Per write port, its per-bit enables (the port writes when any of them is 1). */
  readonly writeEnables: readonly (readonly SignalBit[])[];
}

/** Parses `dump t:$mem_v2 %x:+[RD_EN,WR_EN]`: the $mem_v2 cells and the wires on their enables. */
export function parseMemoryDump(text: string): MemoryInstance[] {
  const widths = new Map<string, { width: number; offset: number }>();
  const cells: { name: string; parameters: Map<string, string>; connections: Map<string, string> }[] = [];
  let cell: (typeof cells)[number] | undefined;
  for (const line of text.split('\n')) {
    const wire = /^\s*wire\s+(.*?)\s*([\\$]\S+)\s*$/.exec(line);
    if (wire !== null && cell === undefined) {
      const options = wire[1] ?? '';
      widths.set(rtlilName(wire[2] ?? ''), {
        width: Number(/\bwidth (\d+)/.exec(options)?.[1] ?? 1),
        offset: Number(/\boffset (\d+)/.exec(options)?.[1] ?? 0),
      });
      continue;
    }
    const header = /^\s*cell \$mem_v2 (\S+)\s*$/.exec(line);
    if (header !== null) {
      cell = { name: rtlilName(header[1] ?? ''), parameters: new Map(), connections: new Map() };
      continue;
    }
    if (cell === undefined) continue;
    const parameter = /^\s*parameter \\(\w+) (.*)$/.exec(line);
    if (parameter !== null) cell.parameters.set(parameter[1] ?? '', (parameter[2] ?? '').trim());
    const connection = /^\s*connect \\(\w+) (.*)$/.exec(line);
    if (connection !== null) cell.connections.set(connection[1] ?? '', (connection[2] ?? '').trim());
    if (/^\s*end\s*$/.test(line)) {
      cells.push(cell);
      cell = undefined;
    }
  }
  return cells.map(({ name, parameters, connections }) => {
    const number = (key: string): number => Number.parseInt(parameters.get(key) ?? '0', 10);
    const widthBits = number('WIDTH');
    const readPorts = number('RD_PORTS');
    const writePorts = number('WR_PORTS');
    // A sigspec lists its bits most significant first; port i's bits are the i-th slice from the bottom.
    const readEnableBits = signalBits(connections.get('RD_EN') ?? '', widths).reverse();
    const writeEnableBits = signalBits(connections.get('WR_EN') ?? '', widths).reverse();
    return {
      name,
      widthBits,
      depth: number('SIZE'),
      readPorts,
      writePorts,
      readEnables: Array.from({ length: readPorts }, (_, port) => readEnableBits[port] ?? '1'),
      writeEnables: Array.from({ length: writePorts }, (_, port) => writeEnableBits.slice(port * widthBits, (port + 1) * widthBits)),
    };
  });
}

/** `\name` -> `name` (public), `$auto$...` kept as it is. */
function rtlilName(name: string): string {
  return name.startsWith('\\') ? name.slice(1) : name;
}

/** The bits of an RTLIL sigspec, most significant first. */
function signalBits(sigspec: string, widths: ReadonlyMap<string, { width: number; offset: number }>): SignalBit[] {
  const bits: SignalBit[] = [];
  const chunks = sigspec.matchAll(/(\d+)'([01xzm-]+)|([\\$]\S+)(?: \[(\d+)(?::(\d+))?\])?/g);
  for (const chunk of chunks) {
    if (chunk[2] !== undefined) {
      for (const bit of chunk[2]) bits.push(bit === '0' || bit === '1' ? bit : 'x');
      continue;
    }
    const wire = rtlilName(chunk[3] ?? '');
    const shape = widths.get(wire) ?? { width: 1, offset: 0 };
    const high = chunk[4] === undefined ? shape.offset + shape.width - 1 : Number(chunk[4]);
    const low = chunk[4] === undefined ? shape.offset : Number(chunk[5] ?? chunk[4]);
    const scalar = shape.width === 1 && shape.offset === 0;
    for (let index = high; index >= low; index -= 1) bits.push({ net: scalar ? wire : `${wire}[${index}]` });
  }
  return bits;
}
