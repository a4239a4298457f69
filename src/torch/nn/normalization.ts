// Normalization layers: LayerNorm, GroupNorm.
import type { Tensor } from "../tensor/tensor.js";
import { empty } from "../tensor/creation.js";
import { Module, pyFloat } from "./module.js";
import { Parameter } from "./parameter.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import { checkPositiveInt, type FactoryOptions } from "./linear.js";

/**
 * Layer normalization over the last dimensions (torch.nn.LayerNorm):
 * y = (x − E[x]) / √(Var[x] + eps) · γ + β, statistics over `normalizedShape`.
 *
 * Args: normalizedShape (int or list: the trailing shape); options eps (1e-5),
 * elementwiseAffine (true: weight of ones and bias of zeros, of normalizedShape).
 *
 * Shape: Input (N, *); Output the same.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: { eps?: number; elementwiseAffine?: boolean } & FactoryOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const factory = { device: options.device, dtype: options.dtype };
    this.weight = this.elementwiseAffine ? new Parameter(empty(this.normalizedShape, factory)) : null;
    this.bias = this.elementwiseAffine ? new Parameter(empty(this.normalizedShape, factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return F.layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    const shape = this.normalizedShape.length === 1 ? `(${this.normalizedShape[0]},)` : `(${this.normalizedShape.join(", ")})`;
    return `${shape}, eps=${pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? "True" : "False"}`;
  }
}

/**
 * Group normalization (torch.nn.GroupNorm): channels are split into `numGroups` groups, each
 * normalized over its channels and spatial positions; per-channel affine.
 *
 * Args: numGroups, numChannels (divisible by numGroups); options eps (1e-5), affine (true).
 *
 * Shape: Input (N, C, *); Output the same.
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options: { eps?: number; affine?: boolean } & FactoryOptions = {}) {
    super();
    checkPositiveInt(numGroups, "GroupNorm", "numGroups");
    checkPositiveInt(numChannels, "GroupNorm", "numChannels");
    if (numChannels % numGroups !== 0) throw new Error("num_channels must be divisible by num_groups");
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    const factory = { device: options.device, dtype: options.dtype };
    this.weight = this.affine ? new Parameter(empty([numChannels], factory)) : null;
    this.bias = this.affine ? new Parameter(empty([numChannels], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return F.groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${this.affine ? "True" : "False"}`;
  }
}
