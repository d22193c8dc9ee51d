// What `lutforge list` says about each matrix engine is what its schema accepts: the generator's
// one-line description and its `act` parameter name exactly the activation formats the schema
// takes (found by asking the schema, not from a list kept here), and a baseline's parameters do
// not describe another engine's hardware.

import { describe, expect, it } from 'vitest';
import { ACT_FORMATS, type ActFormat } from '../../contracts/engine-widths.js';
import { matmulEngines } from '../../generators/engines.js';
import { safeJsonSchema, summarizeParameters } from '../../host/config.js';

/** How a one-line description writes each format (the papers' spelling). */
const DISPLAY_NAMES: Readonly<Record<ActFormat, string>> = { int8: 'INT8', int16: 'INT16', fp16: 'FP16', bf16: 'BF16', fp8e4m3: 'FP8' };

const mentions = (text: string, word: string): boolean => new RegExp(`\\b${word}\\b`).test(text);

describe.each([...matmulEngines.values()])('$name', ({ name, generator }) => {
  const accepted = ACT_FORMATS.filter((act) => generator.schema.safeParse({ act }).success);
  const parameters = summarizeParameters(safeJsonSchema(generator.schema));

  it('takes at least the integer formats', () => {
    expect(accepted).toEqual(expect.arrayContaining(['int8', 'int16']));
  });

  it('names in its description exactly the activation formats its schema accepts', () => {
    const named = ACT_FORMATS.filter((act) => mentions(generator.description, DISPLAY_NAMES[act]));
    expect(named).toEqual(accepted);
  });

  it('lists in its act parameter exactly the formats its schema accepts', () => {
    const act = parameters.find((parameter) => parameter.name === 'act');
    expect(ACT_FORMATS.filter((format) => mentions(act?.description ?? '', format))).toEqual(accepted);
    expect(ACT_FORMATS.filter((format) => (act?.type ?? '').includes(`"${format}"`))).toEqual(accepted);
  });

  it.skipIf(name === 'tensor-core')("does not describe its parameters by the tensor core's hardware", () => {
    for (const { name: parameter, description = '' } of parameters) {
      expect(description, parameter).not.toMatch(/tensor core|serial engines/);
      if (name === 'mac') expect(description, parameter).not.toMatch(/bit plane|table/);
    }
  });
});
