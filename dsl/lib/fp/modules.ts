// Module generators around the inline operators, so a design with hundreds of operators
// instantiates one module per operator kind and its Verilog stays hierarchical. Ports: `a`, `b`
// (or `value`, plus `delta` for a variable scale; `value` for exp, recip, rsqrt) in, `out` out; with stages > 0 also `enable`
// (and the implicit `clk`). Module names say the formats: `fp_add_fp32`, `fp_mul_fp16_fp16_fp32`.

import type { Expr } from '../../expr.js';
import type { ModuleBuilder, ModuleDef } from '../../builder.js';
import { moduleGenerator } from '../../elaborate.js';
import { Bool, SInt, UInt } from '../../shape.js';
import type { Signal } from '../../signal.js';
import { fpAdd } from './add.js';
import { fpLatency, type FpOptions } from './common.js';
import { fpConvert, fpFromInt } from './convert.js';
import { fpExp } from './exp.js';
import { fpWidth, type FpFormat } from '../../../contracts/fp-format.js';
import { fpMul } from './mul.js';
import { fpReciprocal } from './reciprocal.js';
import { fpRsqrt } from './rsqrt.js';
import { fpScale } from './scale.js';

interface PipelineParams {
  readonly flushSubnormals?: boolean;
  readonly stages?: number;
}

export interface FpAdderParams extends PipelineParams {
  readonly format: FpFormat;
}

export interface FpMultiplierParams extends PipelineParams {
  readonly a: FpFormat;
  readonly b: FpFormat;
  readonly out: FpFormat;
}

export interface FpConverterParams extends PipelineParams {
  readonly from: FpFormat;
  readonly to: FpFormat;
}

export interface FpIntConverterParams extends PipelineParams {
  /** Width of the integer input `value`. */
  readonly bits: number;
  readonly signed: boolean;
  readonly format: FpFormat;
}

/** A constant `delta`, or a `delta` input port of `deltaBits` bits (SInt). */
export interface FpScalerParams extends PipelineParams {
  readonly format: FpFormat;
  readonly delta?: number;
  readonly deltaBits?: number;
}

/** The function operators (exp, reciprocal, rsqrt): FP32 only for now. */
export interface FpFunctionParams extends PipelineParams {
  readonly format: FpFormat;
}

export interface FpBinaryIO {
  readonly a: Signal;
  readonly b: Signal;
  readonly out: Signal;
  /** Present when the operator has pipeline stages. */
  readonly enable?: Signal;
}

export interface FpUnaryIO {
  readonly value: Signal;
  readonly out: Signal;
  readonly enable?: Signal;
}

export interface FpScalerIO extends FpUnaryIO {
  /** Present when the delta is a port. */
  readonly delta?: Signal;
}

export const fpAdder = (params: FpAdderParams): ModuleDef<FpBinaryIO> =>
  generate(`fp_add_${formatTag(params.format)}${variantTag(params)}`, params, (m, p) => {
    const a = m.input('a', UInt(fpWidth(p.format)));
    const b = m.input('b', UInt(fpWidth(p.format)));
    const { options, enable } = pipelineOptions(m, p);
    const out = output(m, fpAdd(m, 'add', a, b, p.format, options));
    return { a, b, out, ...(enable ? { enable } : {}) };
  });

export const fpMultiplier = (params: FpMultiplierParams): ModuleDef<FpBinaryIO> =>
  generate(`fp_mul_${formatTag(params.a)}_${formatTag(params.b)}_${formatTag(params.out)}${variantTag(params)}`, params, (m, p) => {
    const a = m.input('a', UInt(fpWidth(p.a)));
    const b = m.input('b', UInt(fpWidth(p.b)));
    const { options, enable } = pipelineOptions(m, p);
    const out = output(m, fpMul(m, 'mul', a, b, { a: p.a, b: p.b, out: p.out }, options));
    return { a, b, out, ...(enable ? { enable } : {}) };
  });

export const fpConverter = (params: FpConverterParams): ModuleDef<FpUnaryIO> =>
  generate(`fp_convert_${formatTag(params.from)}_${formatTag(params.to)}${variantTag(params)}`, params, (m, p) => {
    const value = m.input('value', UInt(fpWidth(p.from)));
    const { options, enable } = pipelineOptions(m, p);
    const out = output(m, fpConvert(m, 'convert', value, p.from, p.to, options));
    return { value, out, ...(enable ? { enable } : {}) };
  });

export const fpIntConverter = (params: FpIntConverterParams): ModuleDef<FpUnaryIO> =>
  generate(`fp_from_${params.signed ? 'int' : 'uint'}${params.bits}_${formatTag(params.format)}${variantTag(params)}`, params, (m, p) => {
    const value = m.input('value', p.signed ? SInt(p.bits) : UInt(p.bits));
    const { options, enable } = pipelineOptions(m, p);
    const out = output(m, fpFromInt(m, 'convert', value, p.format, options));
    return { value, out, ...(enable ? { enable } : {}) };
  });

export const fpScaler = (params: FpScalerParams): ModuleDef<FpScalerIO> => {
  if ((params.delta === undefined) === (params.deltaBits === undefined)) {
    throw new RangeError('fpScaler needs exactly one of delta (a constant) and deltaBits (the width of a delta port)');
  }
  const by = params.delta === undefined ? `d${params.deltaBits}` : `by_${params.delta < 0 ? `m${-params.delta}` : params.delta}`;
  return generate(`fp_scale_${formatTag(params.format)}_${by}${variantTag(params)}`, params, (m, p) => {
    const value = m.input('value', UInt(fpWidth(p.format)));
    const delta = p.deltaBits === undefined ? undefined : m.input('delta', SInt(p.deltaBits));
    const { options, enable } = pipelineOptions(m, p);
    const out = output(m, fpScale(m, 'scale', value, delta ?? p.delta ?? 0, p.format, options));
    return { value, out, ...(delta ? { delta } : {}), ...(enable ? { enable } : {}) };
  });
};

export const fpExponential = (params: FpFunctionParams): ModuleDef<FpUnaryIO> => functionUnit('exp', fpExp, params);
export const fpReciprocalUnit = (params: FpFunctionParams): ModuleDef<FpUnaryIO> => functionUnit('recip', fpReciprocal, params);
export const fpRsqrtUnit = (params: FpFunctionParams): ModuleDef<FpUnaryIO> => functionUnit('rsqrt', fpRsqrt, params);

type FunctionBuilder = (m: ModuleBuilder, name: string, value: Expr, format: FpFormat, options: FpOptions) => Expr;

function functionUnit(kind: string, build: FunctionBuilder, params: FpFunctionParams): ModuleDef<FpUnaryIO> {
  return generate(`fp_${kind}_${formatTag(params.format)}${variantTag(params)}`, params, (m, p) => {
    const value = m.input('value', UInt(fpWidth(p.format)));
    const { options, enable } = pipelineOptions(m, p);
    const out = output(m, build(m, kind, value, p.format, options));
    return { value, out, ...(enable ? { enable } : {}) };
  });
}

// ---- helpers -----------------------------------------------------------------------------------------

// One moduleGenerator per module name (the name carries the formats), each deduplicating its
// parameter sets by value.
const generators = new Map<string, (params: PipelineParams) => ModuleDef<unknown>>();

function generate<P extends PipelineParams, IO>(name: string, params: P, body: (m: ModuleBuilder, params: P) => IO): ModuleDef<IO> {
  let generator = generators.get(name);
  if (!generator) {
    generator = moduleGenerator(name, body as (m: ModuleBuilder, params: PipelineParams) => unknown);
    generators.set(name, generator);
  }
  return generator(params) as ModuleDef<IO>;
}

/** The format's name as it may appear in a Verilog identifier. */
function formatTag(format: FpFormat): string {
  return format.name.replace(/[^A-Za-z0-9_]/g, '_');
}

function variantTag(params: PipelineParams): string {
  const stages = fpLatency({ stages: params.stages ?? 0 });
  return `${params.flushSubnormals === true ? '_ftz' : ''}${stages > 0 ? `_s${stages}` : ''}`;
}

function pipelineOptions(m: ModuleBuilder, params: PipelineParams): { options: FpOptions; enable: Signal | undefined } {
  const stages = fpLatency({ stages: params.stages ?? 0 });
  const enable = stages > 0 ? m.input('enable', Bool) : undefined;
  const options: FpOptions = { flushSubnormals: params.flushSubnormals === true, stages, ...(enable ? { enable } : {}) };
  return { options, enable };
}

function output(m: ModuleBuilder, value: Expr): Signal {
  const out = m.output('out', value.shape);
  out.assign(value);
  return out;
}
