import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  formatConfigError,
  loadConfigFile,
  mergeConfig,
  parseSetArgument,
  safeJsonSchema,
  summarizeParameters,
} from '../../host/config.js';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';
import { UsageError } from '../../host/errors.js';

describe('parseSetArgument', () => {
  it.each([
    ['width=8', ['width'], 8],
    ['a.b.c=true', ['a', 'b', 'c'], true],
    ['name=counter', ['name'], 'counter'],
    ['name="8"', ['name'], '8'],
    ['taps=[1,2,3]', ['taps'], [1, 2, 3]],
    ['label=a=b', ['label'], 'a=b'],
    ['label=', ['label'], ''],
    ['nothing=null', ['nothing'], null],
  ])('%s', (argument, path, value) => {
    expect(parseSetArgument(argument)).toEqual({ path, value });
  });

  it.each([
    ['width', '--set width: expected key=value'],
    ['=3', "--set =3: the key '' has an empty part"],
    ['a..b=3', "--set a..b=3: the key 'a..b' has an empty part"],
    ['__proto__.x=1', "--set __proto__.x=1: '__proto__' is not a parameter"],
  ])('rejects %s', (argument, message) => {
    expect(() => parseSetArgument(argument)).toThrow(new UsageError(message));
  });
});

describe('mergeConfig', () => {
  it('sets nested keys without touching the base, later settings winning', () => {
    const base = { width: 4, options: { enable: true } };
    const merged = mergeConfig(base, [
      { path: ['options', 'label'], value: 'x' },
      { path: ['width'], value: 8 },
      { path: ['width'], value: 16 },
      { path: ['new', 'deep', 'key'], value: 1 },
    ]);
    expect(merged).toEqual({ width: 16, options: { enable: true, label: 'x' }, new: { deep: { key: 1 } } });
    expect(base).toEqual({ width: 4, options: { enable: true } });
  });

  it('refuses to descend into a value that is not an object', () => {
    expect(() => mergeConfig({ taps: [1, 2] }, [{ path: ['taps', 'x'], value: 1 }])).toThrow(
      "--set taps.x: 'taps' is an array, not an object",
    );
  });
});

describe('loadConfigFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  async function loadText(text: string): Promise<unknown> {
    await writeFile(join(dir, 'c.json'), text);
    return loadConfigFile(join(dir, 'c.json'), 'c.json');
  }

  it('reads an object, ignoring a byte-order mark', async () => {
    expect(await loadText('\uFEFF{"width": 8}')).toEqual({ width: 8 });
  });

  it.each([
    ['{"a": 1,\n "b": 2,\n}', "Expected double-quoted property name at line 3, column 1"],
    ['{"a": 1}\nx', 'Unexpected non-whitespace character after JSON at line 2, column 1'],
    ['{"a": tru}', "Unexpected token '}' at line 1, column 10"],
    ['{"a": "x', 'Unterminated string at line 1, column 9'],
    ['', 'Unexpected end of JSON input at line 1, column 1'],
    ['{\n  "a": ' + '1'.repeat(200) + 'x}', "Expected ',' or '}' after property value at line 2, column 208"],
  ])('names the file and the position for %j', async (text, problem) => {
    await expect(loadText(text)).rejects.toThrow(new UsageError(`config file 'c.json' is not valid JSON: ${problem}`));
  });

  it('rejects a document that is not an object', async () => {
    await expect(loadText('42')).rejects.toThrow("config file 'c.json' must hold a JSON object, not a number (42)");
  });
});

describe('formatConfigError', () => {
  const schema = z.strictObject({
    width: z.int().min(1).max(64),
    lanes: z.array(z.strictObject({ bits: z.int() })).default([]),
  });

  function messageFor(input: unknown): string {
    const result = schema.safeParse(input);
    if (result.success) throw new Error('expected the input to be rejected');
    return formatConfigError('tree', result.error, input, schema);
  }

  it('reports a missing parameter without a received value', () => {
    expect(messageFor({})).toBe('tree: config.width: missing required parameter (expected number)');
  });

  it('names array elements and truncates long values', () => {
    expect(messageFor({ width: 1, lanes: [{ bits: 1 }, { bits: 'x'.repeat(100) }] })).toBe(
      `tree: config.lanes[1].bits: Invalid input: expected number, received string (got "${'x'.repeat(56)}...)`,
    );
  });

  it('lists several unknown keys at once', () => {
    expect(messageFor({ width: 1, a: 1, b: 2 })).toBe('tree: config: unknown parameters a, b (known: width, lanes)');
  });
});

describe('formatConfigError on a refinement of a parameter left at its default', () => {
  // The tutorial's MAC unit (docs/tutorial/01-first-design.md): the accumulator must hold a product.
  const mac = z
    .strictObject({
      width: z.int().min(2).max(32).default(8),
      accBits: z.int().min(4).max(64).default(24),
      options: z.strictObject({ guard: z.int().default(0) }).default({ guard: 0 }),
    })
    .refine((config) => config.accBits >= 2 * config.width, { message: 'must hold one product', path: ['accBits'] })
    .refine((config) => config.width !== 2 || config.options.guard > 0, { message: 'must be positive for width 2', path: ['options', 'guard'] })
    .refine((config) => config.width !== 31, { message: 'is not supported', path: ['lanes'] });

  function messageFor(input: unknown): string {
    const result = mac.safeParse(input);
    if (result.success) throw new Error('expected the input to be rejected');
    return formatConfigError('mac', result.error, input, mac);
  }

  it('shows the default the refinement saw, never undefined', () => {
    expect(messageFor({ width: 13 })).toBe('mac: config.accBits: must hold one product (got 24, the default)');
  });

  it('finds a default inside the default of an enclosing object', () => {
    expect(messageFor({ width: 2, accBits: 8 })).toBe('mac: config.options.guard: must be positive for width 2 (got 0, the default)');
  });

  it('says a value is not set when the schema has no default for it', () => {
    expect(messageFor({ width: 31, accBits: 64 })).toBe('mac: config.lanes: is not supported (not set)');
  });

  it('shows the value given when there is one', () => {
    expect(messageFor({ width: 13, accBits: 20 })).toBe('mac: config.accBits: must hold one product (got 20)');
  });
});

describe('summarizeParameters', () => {
  it('flattens nested objects without defaults into dotted names', () => {
    const schema = z.strictObject({
      depth: z.int().min(2).default(16),
      memory: z.strictObject({ style: z.enum(['block', 'distributed']), registered: z.boolean().optional() }),
    });
    expect(summarizeParameters(safeJsonSchema(schema))).toEqual([
      { name: 'depth', type: 'integer', required: false, defaultValue: '16', range: '2..', description: undefined },
      { name: 'memory.style', type: '"block"|"distributed"', required: true, defaultValue: undefined, range: undefined, description: undefined },
      { name: 'memory.registered', type: 'boolean', required: false, defaultValue: undefined, range: undefined, description: undefined },
    ]);
  });
});
