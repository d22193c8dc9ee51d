// Every registered generator's fuzz target, in the registry's order. A generator added to the
// registry without a target here fails the fuzzer's tests, so none goes unfuzzed.

import { registry } from '../../generators/index.js';
import { dotProductTarget } from './dot-product.js';
import { adderTreeTarget, counterTarget } from './examples.js';
import { fifoTarget } from './fifo.js';
import { lutLlmTarget } from './lut-llm.js';
import { lutLlmBlockTarget } from './lut-llm-block.js';
import { addTarget, macTarget, tensorCoreTarget } from './matmul.js';
import type { AnyTarget } from './types.js';

const byName = new Map<string, AnyTarget>(
  [tensorCoreTarget, macTarget, addTarget, lutLlmTarget, lutLlmBlockTarget, dotProductTarget, counterTarget, adderTreeTarget, fifoTarget].map((target) => [target.name, target]),
);

/** Targets in registry order. */
export const TARGETS: readonly AnyTarget[] = [...registry.keys()].flatMap((name) => {
  const target = byName.get(name);
  return target === undefined ? [] : [target];
});

export const TARGET_NAMES: readonly string[] = TARGETS.map((target) => target.name);

/** Generators of the registry that have no fuzz target (should be none). */
export function untargetedGenerators(): string[] {
  return [...registry.keys()].filter((name) => !byName.has(name));
}

export function targetNamed(name: string): AnyTarget {
  const target = byName.get(name);
  if (target === undefined) throw new RangeError(`no fuzz target for generator '${name}' (targets: ${TARGET_NAMES.join(', ')})`);
  return target;
}
