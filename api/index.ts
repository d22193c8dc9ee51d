// `import { ... } from 'lutforge'`: the hardware description language. Everything a design needs
// (shapes, values, modules, the checks' error kinds, the Verilog emitter), the reusable hardware
// library and the floating-point operators, and `defineGenerator` to make a design the CLI can
// build from a config. The generators in this repository import only this file (and
// `lutforge/golden` for types); tb/api/boundaries.test.ts holds them to it.

export * from './dsl.js';
export {
  createRegistry,
  defineGenerator,
  type GeneratorRegistry,
  type GeneratorSpec,
  type Throughput,
} from '../generators/registry.js';
// Generator configs are zod schemas; one zod for the library and its users keeps them compatible.
export { z } from 'zod';
