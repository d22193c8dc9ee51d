// Interactive simulation for unit tests: poke, step and peek a running model with bigint
// values. The model runs as a live process on either simulator (the Verilator harness, or vvp
// running the generated Icarus bench with its commands on standard input); each command goes over
// the stdin pipe and a peek waits for its answer line.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { EmittedDesign } from '../dsl/design.js';
import type { InteractiveCommand, SimulatorName } from './backend.js';
import { SimInputError, ToolMissingError } from './errors.js';
import { findPort, parseAnswers, portBits, renderScript, type SimOp, type UnknownBits } from './script.js';
import { DEFAULT_SIMULATOR, simulatorBackend } from './simulators.js';
import { tail } from './workspace.js';

export interface SimulationOptions {
  readonly simulator?: SimulatorName;
  /** Write a VCD of the whole session here (Verilator: a `--trace` build); complete after close. */
  readonly wave?: string;
  readonly cacheDir?: string;
  /** How long a peek may wait for its answer before the model is killed; default 60 s. */
  readonly peekTimeoutMs?: number;
}

// Models still running when this process exits are killed, so a test that forgot close() (or
// died mid-session) leaves no simulator behind. SIGKILL: vvp ignores SIGTERM while reading.
const live = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

interface Pending {
  readonly resolve: (line: string) => void;
  readonly reject: (error: Error) => void;
}

export class Simulation {
  private readonly pending: Pending[] = [];
  private stderr = '';
  private exited: Error | undefined;
  private closed = false;
  private cycles = 0;

  private constructor(
    readonly design: EmittedDesign,
    readonly simulator: SimulatorName,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly encode: InteractiveCommand['encode'],
    private readonly peekTimeoutMs: number,
  ) {
    // Only answers resolve peeks: vvp also prints notes such as "VCD info: dumpfile ... opened".
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('peek ')) this.pending.shift()?.resolve(line);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = tail(this.stderr + chunk.toString());
    });
    // A write after the model died must surface as the crash below, not as an unhandled EPIPE.
    child.stdin.on('error', () => undefined);
    live.add(child);
    child.on('close', (code, signal) => {
      live.delete(child);
      const how = signal === null ? `exit ${code}` : `killed by ${signal}`;
      this.exited = new Error(`simulation of '${design.top}' (${simulator}) ended (${how})${this.stderr.trim() === '' ? '' : `:\n${this.stderr.trim()}`}`);
      for (const waiter of this.pending.splice(0)) waiter.reject(this.exited);
    });
  }

  /** Builds (cached) and starts the model; inputs start at 0. */
  static async start(design: EmittedDesign, options: SimulationOptions = {}): Promise<Simulation> {
    const simulator = options.simulator ?? DEFAULT_SIMULATOR;
    const wave = options.wave === undefined ? undefined : path.resolve(options.wave);
    const { command, args, encode } = await simulatorBackend(simulator).interactive(design, {
      ...(wave === undefined ? {} : { wave }),
      ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    });
    const child = spawn(command, [...args], { stdio: 'pipe' });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: Error & { code?: string }) => reject(error.code === 'ENOENT' ? new ToolMissingError(command) : error));
    });
    return new Simulation(design, simulator, child, encode, options.peekTimeoutMs ?? 60_000);
  }

  /** The model process, e.g. to attach a debugger. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Clock cycles stepped so far. */
  get cycle(): number {
    return this.cycles;
  }

  /** Sets inputs (checked: the port exists, is an input, and the value fits its width). */
  poke(values: Readonly<Record<string, bigint | number>>): void {
    this.send({ poke: values });
  }

  step(cycles = 1): void {
    this.send({ step: cycles });
    this.cycles += cycles;
  }

  /** Evaluates the model without a clock edge (after pokes, to see combinational outputs). */
  eval(): void {
    this.send({ eval: true });
  }

  /** Reads a port (signed ports read negative when their top bit is set). */
  async peek(name: string): Promise<bigint> {
    const { line, peeks } = await this.ask(name);
    // Same parsing as batch runs: checks the port named, and refuses x/z bits from Icarus.
    return parseAnswers(this.design, line, peeks)[name]![0]!;
  }

  /**
   * Reads a port that may hold undefined bits: `unknown` marks the bits Icarus reported as x or z
   * (they read as 0 in `value`); Verilator is two-state, so there it is always 0.
   */
  async peekFourState(name: string): Promise<{ value: bigint; unknown: bigint }> {
    const { line, peeks } = await this.ask(name);
    const unknown: UnknownBits = {};
    const value = parseAnswers(this.design, line, peeks, '', unknown)[name]![0]!;
    return { value, unknown: unknown[name]?.[0] ?? 0n };
  }

  /** Sends one peek and waits for its answer line. */
  private async ask(name: string): Promise<{ line: string; peeks: string[] }> {
    const { script, peeks } = renderScript(this.design, [{ peek: [name] }]);
    this.assertOpen();
    const answer = new Promise<string>((resolve, reject) => this.pending.push({ resolve, reject }));
    this.write(script);
    // A model that never answers (wedged, or waiting on input) is killed rather than left behind.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.peekTimeoutMs);
    return { line: await answer.finally(() => clearTimeout(timer)), peeks };
  }

  /** Ends the model process (which completes any waveform); safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.exited !== undefined) return;
    const child = this.child;
    const done = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.write('quit\n', true);
    child.stdin.end();
    // A model wedged in a long step must not outlive the test: kill it after a grace period.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await done;
    clearTimeout(timer);
  }

  private assertOpen(): void {
    if (this.closed) throw new SimInputError(`simulation of '${this.design.top}' is closed`);
    if (this.exited !== undefined) throw this.exited;
  }

  /** Protocol text to the model, in its simulator's dialect; `quit` only when `ending`. */
  private write(script: string, ending = false): void {
    const text = ending ? script : script.replace(/quit\n$/, '');
    if (text !== '') this.child.stdin.write(this.encode(text));
  }

  private send(op: SimOp): void {
    // Render first: it validates names, directions and widths, throwing before anything is sent.
    const { script } = renderScript(this.design, [op]);
    if ('poke' in op) for (const [name, value] of Object.entries(op.poke)) portBits(findPort(this.design, name), value);
    this.assertOpen();
    this.write(script);
  }
}
