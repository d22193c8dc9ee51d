// Example: an enabled up-counter with a wrap pulse. The smallest design that exercises
// registers, reset, enable, when/otherwise and the CLI.

import { z } from 'zod';
import { Bool, counter as counterLib, defineModule, emitVerilog, type ModuleDef, UInt } from '../../api/index.js';
import { defineGenerator } from '../registry.js';

export const counterConfig = z.strictObject({
  /** The counter counts 0 .. modulo-1. */
  modulo: z.number().int().min(2).max(2 ** 32).default(10).describe('counts 0 .. modulo-1, then wraps'),
});
export type CounterConfig = z.output<typeof counterConfig>;

export function buildCounter(config: CounterConfig): ModuleDef {
  return defineModule(
    'counter',
    (m) => {
      const enable = m.input('enable', Bool);
      const clear = m.input('clear', Bool);
      const count = m.output('count', UInt(Math.max(1, Math.ceil(Math.log2(config.modulo)))));
      const wrap = m.output('wrap', Bool);
      const c = counterLib(m, 'value', config.modulo, { enable, clear });
      count.assign(c.value);
      wrap.assign(c.wrap);
      return { enable, clear, count, wrap };
    },
    { params: config },
  );
}

export const counterGenerator = defineGenerator({
  name: 'counter',
  description: 'enabled up-counter with synchronous clear and a wrap pulse (example)',
  schema: counterConfig,
  generate: (config) => emitVerilog(buildCounter(config)),
});
