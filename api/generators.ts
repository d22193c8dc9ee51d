// `lutforge/generators`: the generators of this repository as a library. Each family's registered
// generator (name, config schema, generate), its config type, the building blocks a variant is
// made of, the host-side packing of operands, and the runs that drive an engine in simulation:
// `runMatmul` multiplies matrices on a simulated LUT Tensor Core (or MAC or ADD baseline),
// `runLutLlmLayer` runs activations through a simulated LUT-LLM layer, `quantizeLayer` builds one,
// `measurePower` prices an engine's switching on a workload in mW and pJ per MAC.

export { registry } from '../generators/index.js';
export { createRegistry, defineGenerator, type GeneratorRegistry, type GeneratorSpec, type Throughput } from '../generators/registry.js';

// Matrix engines: the LUT Tensor Core and its baselines share one interface.
export { matmulEngines } from '../generators/engines.js';
export { MATMUL_ENGINE_NAMES, type MatmulEngine, type MatmulEngineName } from '../generators/matmul-engine/interface.js';
export { runMatmul, type MatmulRunOptions, type MatmulRunResult } from '../host/run-matmul.js';
// Power and energy per MAC of an engine on standard cells, from a gate-level run of a workload.
export { measurePower, type MemoryPower, type PowerOptions, type PowerReport } from '../host/power.js';
export { matmulGolden, workloadOperands, type WorkloadConfig } from '../host/matmul-workload.js';

// The LUT Tensor Core and the parts a variant is built from (the ADD baseline is one).
export { tensorCoreEngine, tensorCoreGenerator } from '../generators/lut-tensor-core/index.js';
export { tensorCoreConfig, type TensorCoreConfig } from '../generators/lut-tensor-core/config.js';
export { buildTensorCore, tableKindOf } from '../generators/lut-tensor-core/tensor-core.js';
export { serialEngine, type EngineIo, type SerialEngineParams } from '../generators/matmul-engine/serial-engine.js';
export { serialUnit, type LookupKind, type SerialUnitParams } from '../generators/matmul-engine/serial-unit.js';
export { serialTile, type SerialTileParams } from '../generators/matmul-engine/serial-tile.js';
export { tablePrecompute, type PrecomputeParams } from '../generators/matmul-engine/table-precompute.js';
export { operandLimits, packMac, packSerial, tileSteps, unpackResults, type SerialPackConfig } from '../contracts/serial-packing.js';
export { tileConfigFields } from '../generators/matmul-engine/tile-config.js';
export { serialEngineParams } from '../generators/matmul-engine/engine-params.js';

// What hardware, packing and golden models agree on (contracts/): table kinds, activation formats
// and the widths derived from them, the operands of a multiplication, the LUT-LLM layer's names.
export { TABLE_KINDS, tableEntries, type TableKind } from '../contracts/table-kind.js';
export { ACT_FORMATS, engineWidths, type ActFormat, type EngineWidths } from '../contracts/engine-widths.js';
export { OperandError, type MatmulDims, type MatmulOperands, type OperandLimits, type PackedRun } from '../contracts/matmul-operands.js';
export { DISTANCES, LLM_ACT_FORMATS, type Distance, type LlmActFormat } from '../contracts/lut-llm-layer.js';

// Baselines and the dot-product arrays of the paper's unit-level sweeps.
export { buildMacEngine, macConfig, macEngine, macGenerator, type MacConfig } from '../generators/baseline/mac.js';
export { addConfig, addEngine, addGenerator, buildAddEngine, type AddConfig } from '../generators/baseline/add.js';
export { dotProductGenerator } from '../generators/dot-product/index.js';
export { DOT_PRODUCT_KINDS, dotProductConfig, type DotProductConfig, type DotProductKind } from '../generators/dot-product/config.js';
export { buildDotProduct } from '../generators/dot-product/array.js';

// LUT-LLM.
export { lutLlmEngine, lutLlmGenerator } from '../generators/lut-llm/index.js';
export { lutLlmConfig, lutLlmShape, type LutLlmConfig } from '../generators/lut-llm/config.js';
export { buildLutLlmEngine } from '../generators/lut-llm/engine.js';
export { packLutLlm, unpackLutLlmRun } from '../generators/lut-llm/pack.js';
export { runLutLlmLayer, type LayerRunOptions, type LutLlmRunResult } from '../host/lut-llm/run-layer.js';
export { quantizeLayer, type QuantizeOptions } from '../host/lut-llm/quantize.js';
export { readLayer, writeLayer } from '../host/lut-llm/layer-files.js';

// The .npy files `lutforge run` and `lutforge quantize` read and write.
export { readNpy, writeNpy, type NpyArray, type NpyDtype } from '../host/npy.js';

// The small examples.
export { adderTreeConfig, adderTreeGenerator, buildAdderTree } from '../generators/examples/adder-tree.js';
export { buildCounter, counterConfig, counterGenerator } from '../generators/examples/counter.js';
export { buildFifo, fifoConfig, fifoGenerator } from '../generators/examples/fifo.js';
