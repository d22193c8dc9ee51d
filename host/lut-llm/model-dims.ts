// A language model's dimensions, as the latency model (latency-model.ts) reads them: the sizes
// that fix its linear layers. They come from a JSON file, either one shipped with lutforge
// (host/lut-llm/models/, named without `.json`: `qwen3-1.7b`) or the user's, in lutforge's keys or
// as a Hugging Face `config.json` (hidden_size, ...), so a model card's file works as it is.

import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseJsonDocument } from '../config.js';
import { describeOsError, UsageError } from '../errors.js';

const size = (what: string) => z.number().int().min(1).max(1 << 20).describe(what);

/** lutforge's form: the six sizes, a display name and where they come from. */
export const modelDimsSchema = z.strictObject({
  name: z.string().min(1).optional().describe('display name'),
  source: z.string().optional().describe('where the figures come from'),
  hidden: size('hidden size: K of QKV and up+gate, N of O and down'),
  intermediate: size('intermediate (FFN) size: N of up and of gate, K of down'),
  heads: size('attention (query) heads'),
  kvHeads: size('key/value heads (grouped-query attention)'),
  headDim: size('dimension of a head'),
  layers: size('decoder layers'),
});
export type ModelDims = z.output<typeof modelDimsSchema>;

/** A Hugging Face config.json: only the keys that fix the linear layers are read, the rest ignored. */
const huggingFaceSchema = z
  .object({
    hidden_size: size('hidden size'),
    intermediate_size: size('intermediate size'),
    num_attention_heads: size('attention heads'),
    num_key_value_heads: size('key/value heads').optional(),
    head_dim: size('head dimension').optional(),
    num_hidden_layers: size('decoder layers'),
  })
  .transform(
    (hf): ModelDims => ({
      hidden: hf.hidden_size,
      intermediate: hf.intermediate_size,
      heads: hf.num_attention_heads,
      // Hugging Face's defaults when a config leaves them out: no grouping, hidden split evenly.
      kvHeads: hf.num_key_value_heads ?? hf.num_attention_heads,
      headDim: hf.head_dim ?? Math.floor(hf.hidden_size / hf.num_attention_heads),
      layers: hf.num_hidden_layers,
    }),
  );

const MODELS_DIR = new URL('./models/', import.meta.url);

/** The names `--dims` accepts besides a path: the shipped files without `.json`, sorted. */
export function shippedModels(): string[] {
  return readdirSync(MODELS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** Checks a parsed document; `what` names the file in the one-line error. */
export function parseModelDims(document: unknown, what: string): ModelDims {
  const isObject = typeof document === 'object' && document !== null && !Array.isArray(document);
  if (!isObject) throw new UsageError(`${what} must hold a JSON object with hidden, intermediate, heads, kvHeads, headDim and layers`);
  const schema = 'hidden_size' in document ? huggingFaceSchema : modelDimsSchema;
  const parsed = schema.safeParse(document);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')} (known: ${Object.keys(modelDimsSchema.shape).join(', ')})`;
    const received = key === '' ? undefined : (document as Record<string, unknown>)[key];
    return `${key}: ${received === undefined ? 'missing' : `${issue.message} (got ${JSON.stringify(received)})`}`;
  });
  throw new UsageError(`${what}: ${problems.join('; ')}`);
}

/**
 * The dimensions `--dims` names: a shipped model, else a JSON file (relative to `cwd`). Errors are
 * one line naming the file and the key.
 */
export async function readModelDims(nameOrPath: string, cwd: string): Promise<ModelDims & { readonly name: string }> {
  const shipped = shippedModels();
  const isShipped = shipped.includes(nameOrPath);
  const path = isShipped ? fileURLToPath(new URL(`${nameOrPath}.json`, MODELS_DIR)) : resolve(cwd, nameOrPath);
  const what = `dims file '${nameOrPath}'`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const looksLikeName = !/[/\\]/.test(nameOrPath) && !nameOrPath.endsWith('.json');
    const hint = looksLikeName ? ` and no shipped model is named so (shipped: ${shipped.join(', ')})` : '';
    throw new UsageError(`cannot read ${what}: ${describeOsError(error)}${hint}`);
  }
  const dims = parseModelDims(parseJsonDocument(text, what), what);
  return { ...dims, name: dims.name ?? nameOrPath };
}
