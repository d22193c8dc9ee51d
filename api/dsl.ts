// The hardware description language alone: shapes, values, modules, the checks' error kinds, the
// Verilog emitter, the reusable hardware library and the floating-point operators. `lutforge`
// (api/index.ts) is this plus `defineGenerator`; the generator registry's types read it from here,
// so the two never import each other.

export * from '../dsl/index.js';
export * from '../dsl/lib/index.js';
