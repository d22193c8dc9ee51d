// Generator configs come from a JSON file and/or `--set key=value` overrides. Everything the
// user can get wrong here becomes a one-line UsageError that names the file, the argument or the
// parameter path, so a failing script points straight at the offending input.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError, describeOsError } from './errors.js';

export type ConfigObject = Record<string, unknown>;

export interface ConfigSetting {
  /** Dotted key split into segments: `a.b=1` sets `{ a: { b: 1 } }`. */
  readonly path: readonly string[];
  readonly value: unknown;
}

/** `kind` names the file in messages: a space file is not a config file to the user reading them. */
export async function loadConfigFile(path: string, displayPath: string = path, kind = 'config file'): Promise<ConfigObject> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${kind} '${displayPath}': ${describeOsError(error)}`);
  }
  const parsed = parseJsonDocument(text, `${kind} '${displayPath}'`);
  if (!isPlainObject(parsed)) {
    throw new UsageError(`${kind} '${displayPath}' must hold a JSON object, not ${describeJsonKind(parsed)}`);
  }
  return parsed;
}

/**
 * JSON.parse for a file the user edits; a syntax error is a UsageError naming `what` (`config
 * file 'x.json'`) with the line and column of the mistake.
 */
export function parseJsonDocument(text: string, what: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(body);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    const { line, column } = lineAndColumn(body, jsonErrorOffset(body, problem));
    // V8 appends either "in JSON at position N" or a (possibly elided) quote of the input; both
    // are replaced by a line and column, which is what an editor can jump to.
    const reason = problem.replace(/( in JSON)? at position \d+.*$/s, '').replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
    throw new UsageError(`${what} is not valid JSON: ${reason} at line ${line}, column ${column}`);
  }
}

/**
 * Where JSON.parse gave up. Node 20 omits the position for some messages, so it is recovered by
 * bisecting on prefixes: a prefix of a document is "still fine" when parsing it only fails for
 * running out of input, and once a prefix holds the bad character every longer one does too.
 */
function jsonErrorOffset(text: string, message: string): number {
  const reported = /at position (\d+)/.exec(message);
  if (reported?.[1] !== undefined) return Number(reported[1]);
  const prefixHoldsError = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const prefixMessage = error instanceof Error ? error.message : '';
      if (prefixMessage.startsWith('Unexpected end of JSON input')) return false;
      const position = /at position (\d+)/.exec(prefixMessage)?.[1];
      // An unterminated string or number at the very end of the prefix is also just truncation.
      return position === undefined || Number(position) < length;
    }
  };
  let low = 0;
  let high = text.length;
  if (!prefixHoldsError(high)) return text.length;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (prefixHoldsError(middle)) high = middle;
    else low = middle;
  }
  return high - 1;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}

/** Parses one `--set key=value`; the value is JSON when it parses as JSON, else a plain string. */
export function parseSetArgument(argument: string): ConfigSetting {
  const equals = argument.indexOf('=');
  if (equals < 0) throw new UsageError(`--set ${argument}: expected key=value`);
  const key = argument.slice(0, equals);
  const rawValue = argument.slice(equals + 1);
  const path = key.split('.');
  if (path.some((segment) => segment === '')) {
    throw new UsageError(`--set ${argument}: the key '${key}' has an empty part`);
  }
  if (path.includes('__proto__')) throw new UsageError(`--set ${argument}: '__proto__' is not a parameter`);
  let value: unknown;
  try {
    value = JSON.parse(rawValue);
  } catch {
    value = rawValue;
  }
  // JSON.parse reads 1e999 as Infinity, which no JSON file can hold and the schema would report
  // as "expected number, received number (got null)".
  if (typeof value === 'number' && !Number.isFinite(value)) throw new UsageError(`--set ${argument}: '${rawValue}' is too large for a number`);
  return { path, value };
}

/** Applies settings in order onto a copy of `base`; later settings win, like later flags. */
export function mergeConfig(base: ConfigObject, settings: readonly ConfigSetting[]): ConfigObject {
  const merged: ConfigObject = structuredClone(base);
  for (const setting of settings) {
    let target = merged;
    setting.path.slice(0, -1).forEach((segment, depth) => {
      const existing = Object.hasOwn(target, segment) ? target[segment] : undefined;
      if (existing === undefined) {
        const child: ConfigObject = {};
        target[segment] = child;
        target = child;
      } else if (isPlainObject(existing)) {
        target = existing;
      } else {
        const parentKey = setting.path.slice(0, depth + 1).join('.');
        throw new UsageError(
          `--set ${setting.path.join('.')}: '${parentKey}' is ${describeJsonKind(existing)}, not an object`,
        );
      }
    });
    const leaf = setting.path[setting.path.length - 1];
    if (leaf !== undefined) target[leaf] = setting.value;
  }
  return merged;
}

/**
 * One line for all the problems zod found, each naming the parameter path, the problem and the
 * value received: `counter: config.width: Too big: expected number to be <=64 (got 5000)`.
 */
export function formatConfigError(generator: string, error: z.ZodError, input: unknown, schema?: z.ZodType): string {
  const jsonSchema = schema ? safeJsonSchema(schema) : undefined;
  const problems = error.issues.map((issue) => {
    const where = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(jsonSchemaAt(jsonSchema, issue.path)?.properties ?? {});
      const knownNote = known.length > 0 ? ` (known: ${known.join(', ')})` : '';
      if (issue.keys.length === 1) return `${formatPath([...issue.path, issue.keys[0] ?? ''])}: unknown parameter${knownNote}`;
      return `${where}: unknown parameters ${issue.keys.join(', ')}${knownNote}`;
    }
    const received = valueAt(input, issue.path);
    if (received === undefined && issue.code === 'invalid_type') {
      return `${where}: missing required parameter (expected ${issue.expected})`;
    }
    if (received === undefined) {
      // Not given, so a refinement judged the default: show the value it saw.
      const fallback = defaultAt(jsonSchema, issue.path);
      return `${where}: ${issue.message} (${fallback === undefined ? 'not set' : `got ${formatValue(fallback)}, the default`})`;
    }
    return `${where}: ${issue.message} (got ${formatValue(received)})`;
  });
  return `${generator}: ${problems.join('; ')}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    const name = String(segment);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`;
  }, 'config');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = typeof segment === 'symbol' ? segment : String(segment);
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function formatValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---- parameter summaries for `lutforge list` -------------------------------------------------

/** The JSON Schema subset `list` reads; zod's `toJSONSchema` output fits it. */
export interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchemaNode;
  readonly anyOf?: readonly JsonSchemaNode[];
}

export interface ParameterSummary {
  /** Dotted path, as accepted by `--set`. */
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  /** The default as JSON text, when the schema supplies one. */
  readonly defaultValue: string | undefined;
  readonly range: string | undefined;
  readonly description: string | undefined;
}

/** The input-side JSON Schema of a config, or undefined when zod cannot express the schema. */
export function safeJsonSchema(schema: z.ZodType): JsonSchemaNode | undefined {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  } catch {
    return undefined;
  }
}

export function summarizeParameters(schema: JsonSchemaNode | undefined, prefix = ''): ParameterSummary[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).flatMap(([key, node]) => {
    const name = prefix + key;
    if (node.properties && node.default === undefined) return summarizeParameters(node, `${name}.`);
    // z.int() alone reports the safe-integer limits as bounds: noise, not a constraint.
    const minimum = node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER ? node.minimum : undefined;
    const maximum = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
    const range = minimum !== undefined || maximum !== undefined ? `${minimum ?? ''}..${maximum ?? ''}` : undefined;
    return [
      {
        name,
        type: describeSchemaType(node),
        required: schema.required?.includes(key) ?? false,
        defaultValue: node.default === undefined ? undefined : JSON.stringify(node.default),
        range,
        description: node.description,
      },
    ];
  });
}

function describeSchemaType(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join('|');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.anyOf) return node.anyOf.map(describeSchemaType).join('|');
  if (node.type === 'array') return `${node.items ? describeSchemaType(node.items) : 'any'}[]`;
  if (Array.isArray(node.type)) return node.type.join('|');
  return typeof node.type === 'string' ? node.type : 'any';
}

/** The default the schema supplies at `path`: its own, or the part of an enclosing object's default. */
function defaultAt(schema: JsonSchemaNode | undefined, path: readonly PropertyKey[]): unknown {
  for (let depth = path.length; depth >= 0; depth--) {
    const fallback = jsonSchemaAt(schema, path.slice(0, depth))?.default;
    if (fallback === undefined) continue;
    const value = valueAt(fallback, path.slice(depth));
    if (value !== undefined) return value;
  }
  return undefined;
}

function jsonSchemaAt(schema: JsonSchemaNode | undefined, path: readonly PropertyKey[]): JsonSchemaNode | undefined {
  let node = schema;
  for (const segment of path) {
    node = typeof segment === 'number' ? node?.items : node?.properties?.[String(segment)];
  }
  return node;
}

// ---- small helpers ---------------------------------------------------------------------------

function isPlainObject(value: unknown): value is ConfigObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value} (${formatValue(value)})`;
}
