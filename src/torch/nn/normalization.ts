// Normalization layers: LayerNorm, GroupNorm, InstanceNorm1d/2d.
import type { Tensor } from "../tensor/tensor.js";
import { empty, ones, scalarTensor, zeros } from "../tensor/creation.js";
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

/**
 * Instance normalization (torch.nn.InstanceNorm1d/2d): each sample's channels normalized over
 * their own spatial positions. Defaults as PyTorch: affine false, trackRunningStats false.
 *
 * Shape: InstanceNorm1d (N, C, L) or (C, L); InstanceNorm2d (N, C, H, W) or (C, H, W).
 */
abstract class InstanceNormNd extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  constructor(
    numFeatures: number,
    options: { eps?: number; momentum?: number; affine?: boolean; trackRunningStats?: boolean } & FactoryOptions = {},
  ) {
    super();
    checkPositiveInt(numFeatures, this.constructor.name, "numFeatures");
    this.numFeatures = numFeatures;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    this.affine = options.affine ?? false;
    this.trackRunningStats = options.trackRunningStats ?? false;
    const factory = { device: options.device, dtype: options.dtype };
    this.weight = this.affine ? new Parameter(ones([numFeatures], factory)) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], factory)) : null;
    this.stateKeys({ runningMean: "running_mean", runningVar: "running_var", numBatchesTracked: "num_batches_tracked" });
    const track = this.trackRunningStats;
    this.registerBuffer("runningMean", track ? zeros([numFeatures], factory) : null);
    this.registerBuffer("runningVar", track ? ones([numFeatures], factory) : null);
    this.registerBuffer("numBatchesTracked", track ? scalarTensor(0, { dtype: "int64", device: options.device }) : null);
  }

  /** The number of dimensions of a batched input. */
  protected abstract readonly batchedDims: number;

  override forward(input: Tensor): Tensor {
    const d = input.dim();
    if (d !== this.batchedDims && d !== this.batchedDims - 1) {
      throw new Error(`expected ${this.batchedDims - 1}D or ${this.batchedDims}D input (got ${d}D input)`);
    }
    const batched = d === this.batchedDims;
    const x = batched ? input : input.unsqueeze(0);
    const out = F.instanceNorm(x, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: this.momentum,
      eps: this.eps,
    });
    return batched ? out : out.squeeze(0);
  }

  override extraRepr(): string {
    const py = (b: boolean): string => (b ? "True" : "False");
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

/** Instance normalization of (N, C, L) inputs (torch.nn.InstanceNorm1d). */
export class InstanceNorm1d extends InstanceNormNd {
  protected readonly batchedDims = 3;
}
/** Instance normalization of (N, C, H, W) inputs (torch.nn.InstanceNorm2d). */
export class InstanceNorm2d extends InstanceNormNd {
  protected readonly batchedDims = 4;
}
