// Module resolution hook (node:module register) for the `lutforge` command: a user's design file
// that imports 'lutforge' or 'lutforge/<entry>' from a folder where lutforge is not installed (the
// CLI installed globally, or run by `npx --package`) gets the entry points of the lutforge that
// runs it. Where the import resolves on its own (lutforge installed in the project), it is left
// alone.

/** @type {Map<string, string>} specifier -> URL of the running lutforge's entry point */
let entries = new Map();

/** @param {{ entries: Record<string, string> }} data */
export function initialize(data) {
  entries = new Map(Object.entries(data.entries));
}

/**
 * @param {string} specifier
 * @param {unknown} context
 * @param {(specifier: string, context?: unknown) => Promise<unknown>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const entry = entries.get(specifier);
    const notFound = error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND';
    if (entry === undefined || !notFound) throw error;
    return nextResolve(entry, context);
  }
}
