// Linear layers: Identity, Linear, Bilinear.
import type { Tensor, Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { empty } from "../tensor/creation.js";
import * as ops from "../generated/torch.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import * as init from "./init.js";
import { bind, type ArgsOf } from "../binding/index.js";

/** Where and how a layer allocates its parameters (PyTorch's factory kwargs). */
export interface FactoryOptions {
  device?: Device;
  dtype?: DType;
}

/**
 * A placeholder that returns its input unchanged (torch.nn.Identity).
 *
 * Shape: Input (*), Output (*), the same.
 */
export class Identity extends Module {
  /** Takes and ignores any arguments, as PyTorch's (a drop-in for a layer being removed). */
  constructor(..._args: unknown[]) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input;
  }
}

/**
 * Applies an affine map y = x Wᵀ + b (torch.nn.Linear).
 *
 * Args (positionally or by name, as Python's `Linear(in_features, out_features, bias=True,
 * device=None, dtype=None)`):
 *   inFeatures: size of each input sample.
 *   outFeatures: size of each output sample.
 *   bias: learn an additive bias. Default: true.
 *   device, dtype: where and how the parameters are allocated.
 *
 * Shape: Input (*, H_in), Output (*, H_out).
 *
 * Attributes:
 *   weight: (outFeatures, inFeatures), initialised from U(-√k, √k), k = 1 / inFeatures.
 *   bias: (outFeatures), initialised from U(-√k, √k).
 *
 * Example:
 *   const m = new nn.Linear(20, 30); // or new nn.Linear(20, 30, false), new nn.Linear(20, 30, { bias: false })
 *   m.forward(torch.randn([128, 20])).shape; // [128, 30]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(...args: ArgsOf<"torch.nn.Linear">) {
    super();
    const { inFeatures, outFeatures, bias, ...factoryArgs } = bind("torch.nn.Linear", args);
    checkPositiveInt(inFeatures, "Linear", "inFeatures");
    checkPositiveInt(outFeatures, "Linear", "outFeatures", true);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const factory = factoryOf(factoryArgs);
    this.weight = new Parameter(empty([outFeatures, inFeatures], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    this.resetParameters();
  }

  /** PyTorch's default initialisation (kaiming uniform with a = √5, bias from the fan-in bound). */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return ops.linear(input, this.weight, { bias: this.bias });
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}

/**
 * Applies a bilinear map y = x₁ᵀ A x₂ + b (torch.nn.Bilinear).
 *
 * Args: in1Features, in2Features, outFeatures, bias (default true).
 *
 * Shape: Input1 (*, H_in1), Input2 (*, H_in2), Output (*, H_out).
 *
 * Attributes: weight (outFeatures, in1Features, in2Features) and bias (outFeatures), both from
 * U(-√k, √k), k = 1 / in1Features.
 */
export class Bilinear extends Module {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(...args: ArgsOf<"torch.nn.Bilinear">) {
    super();
    const { in1Features, in2Features, outFeatures, bias, ...factoryArgs } = bind("torch.nn.Bilinear", args);
    checkPositiveInt(in1Features, "Bilinear", "in1Features");
    checkPositiveInt(in2Features, "Bilinear", "in2Features");
    checkPositiveInt(outFeatures, "Bilinear", "outFeatures");
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    const factory = factoryOf(factoryArgs);
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]!);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    return ops.bilinear(input1, input2, this.weight, { bias: this.bias });
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}

/** The factory keywords of a bound constructor (null = not given) as creation options. */
export function factoryOf(a: { device?: Device | null; dtype?: DType | null }): FactoryOptions {
  return { device: a.device ?? undefined, dtype: a.dtype ?? undefined };
}

/** Throws a RangeError naming the layer and parameter unless `value` is a positive (or zero) integer. */
export function checkPositiveInt(value: unknown, layer: string, name: string, allowZero = false): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RangeError(`${layer}: ${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got ${String(value)}`);
  }
}
