// The product folders and the imports between them, written once: tb/api/boundaries.test.ts holds
// the code to it, and the packaging test digests exactly these folders.

/**
 * Every product folder and what it imports, as the code stands. The public entry points in api/
 * are listed one by one, since each fronts a different folder. Data flows one way: contracts/ at
 * the bottom, then the DSL and the golden models, the generators on the DSL's public API, the tools,
 * the host library, and the command line at the top.
 */
export const FOLDER_GRAPH: Readonly<Record<string, readonly string[]>> = {
  contracts: [],
  dsl: ['contracts'],
  golden: ['contracts'],
  'api/dsl': ['dsl'],
  'api/index': ['api/dsl', 'generators'],
  'api/golden': ['contracts', 'golden'],
  'api/sim': ['sim', 'toolchain'],
  'api/synth': ['synth'],
  'api/generators': ['contracts', 'generators', 'host'],
  generators: ['api/dsl', 'api/index', 'contracts'],
  toolchain: ['dsl'],
  sim: ['dsl', 'toolchain'],
  synth: ['dsl', 'toolchain'],
  host: ['contracts', 'dsl', 'generators', 'golden', 'sim', 'synth', 'toolchain'],
  prove: ['contracts', 'dsl', 'generators', 'synth'],
  explore: ['contracts', 'dsl', 'generators', 'golden', 'host', 'synth'],
  cli: ['contracts', 'dsl', 'explore', 'generators', 'golden', 'host', 'prove', 'sim', 'synth', 'toolchain'],
};

/** The product folders (api/ once, for all its entry points). */
export const PRODUCT_FOLDERS: readonly string[] = [...new Set(Object.keys(FOLDER_GRAPH).map((unit) => unit.split('/')[0]!))];
