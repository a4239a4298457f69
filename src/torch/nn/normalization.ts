// Normalization layers: LayerNorm, GroupNorm, InstanceNorm1d/2d/3d, LocalResponseNorm.
import type { Tensor } from "../tensor/tensor.js";
import { empty, ones, scalarTensor, zeros } from "../tensor/creation.js";
import { Module, pyFloat } from "./module.js";
import { Parameter } from "./parameter.js";
import * as F from "./functional.js";
import * as init from "./init.js";
import { checkPositiveInt, factoryOf } from "./linear.js";
import { defaultNumBatchesTracked } from "./batchnorm.js";
import * as ops from "../generated/torch.js";
import type { Device } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { bind, type ArgsOf } from "../binding/index.js";

/**
 * Layer normalization over the last dimensions (torch.nn.LayerNorm):
 * y = (x − E[x]) / √(Var[x] + eps) · γ + β, statistics over `normalizedShape`.
 *
 * Args (positionally or by name): normalizedShape (int or list: the trailing shape), eps
 * (1e-5), elementwiseAffine (true: weight of ones and bias of zeros, of normalizedShape),
 * device, dtype.
 *
 * Shape: Input (N, *); Output the same.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(...args: ArgsOf<"torch.nn.LayerNorm">) {
    super();
    const options = bind("torch.nn.LayerNorm", args);
    const { normalizedShape } = options;
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps;
    this.elementwiseAffine = options.elementwiseAffine;
    const factory = factoryOf(options);
    this.weight = this.elementwiseAffine ? new Parameter(empty(this.normalizedShape, factory)) : null;
    // torch 2.x's `bias` (absent from 1.13's signature, where it is always true).
    const bias = options.bias ?? true;
    this.bias = this.elementwiseAffine && bias ? new Parameter(empty(this.normalizedShape, factory)) : null;
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
 * Args: numGroups, numChannels (divisible by numGroups), eps (1e-5), affine (true), device, dtype.
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

  constructor(...args: ArgsOf<"torch.nn.GroupNorm">) {
    super();
    const options = bind("torch.nn.GroupNorm", args);
    const { numGroups, numChannels } = options;
    checkPositiveInt(numGroups, "GroupNorm", "numGroups");
    checkPositiveInt(numChannels, "GroupNorm", "numChannels");
    if (numChannels % numGroups !== 0) throw new Error("num_channels must be divisible by num_groups");
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = options.eps;
    this.affine = options.affine;
    const factory = factoryOf(options);
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
  static override readonly _version: number = 2;
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

  protected constructor(options: {
    numFeatures: number;
    eps: number;
    momentum: number;
    affine: boolean;
    trackRunningStats: boolean;
    device: Device | null;
    dtype: DType | null;
  }) {
    super();
    const { numFeatures } = options;
    checkPositiveInt(numFeatures, this.constructor.name, "numFeatures");
    this.numFeatures = numFeatures;
    this.eps = options.eps;
    this.momentum = options.momentum;
    this.affine = options.affine;
    this.trackRunningStats = options.trackRunningStats;
    const factory = factoryOf(options);
    this.weight = this.affine ? new Parameter(ones([numFeatures], factory)) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], factory)) : null;
    this.stateKeys({ runningMean: "running_mean", runningVar: "running_var", numBatchesTracked: "num_batches_tracked" });
    const track = this.trackRunningStats;
    this.registerBuffer("runningMean", track ? zeros([numFeatures], factory) : null);
    this.registerBuffer("runningVar", track ? ones([numFeatures], factory) : null);
    this.registerBuffer("numBatchesTracked", track ? scalarTensor(0, { dtype: "int64", device: factory.device }) : null);
  }

  protected override loadFromStateDict(
    stateDict: Record<string, unknown>,
    prefix: string,
    localMetadata: Record<string, unknown>,
    strict: boolean,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
  ): void {
    defaultNumBatchesTracked(this, stateDict, prefix, localMetadata);
    super.loadFromStateDict(stateDict, prefix, localMetadata, strict, missingKeys, unexpectedKeys, errorMsgs);
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

/**
 * Instance normalization of (N, C, L) or (C, L) inputs (torch.nn.InstanceNorm1d).
 *
 * Args: numFeatures, eps (1e-5), momentum (0.1), affine (false), trackRunningStats (false), device, dtype.
 */
export class InstanceNorm1d extends InstanceNormNd {
  protected readonly batchedDims = 3;
  constructor(...args: ArgsOf<"torch.nn.InstanceNorm1d">) {
    super(bind("torch.nn.InstanceNorm1d", args));
  }
}
/** Instance normalization of (N, C, H, W) or (C, H, W) inputs (torch.nn.InstanceNorm2d). Args as InstanceNorm1d. */
export class InstanceNorm2d extends InstanceNormNd {
  protected readonly batchedDims = 4;
  constructor(...args: ArgsOf<"torch.nn.InstanceNorm2d">) {
    super(bind("torch.nn.InstanceNorm2d", args));
  }
}
/** Instance normalization of (N, C, D, H, W) or (C, D, H, W) inputs (torch.nn.InstanceNorm3d). Args as InstanceNorm1d. */
export class InstanceNorm3d extends InstanceNormNd {
  protected readonly batchedDims = 5;
  constructor(...args: ArgsOf<"torch.nn.InstanceNorm3d">) {
    super(bind("torch.nn.InstanceNorm3d", args));
  }
}

/**
 * Local response normalization across channels (torch.nn.LocalResponseNorm):
 * b_c = a_c · (k + α/n · Σ_{c' near c} a_{c'}²)^(−β), over `size` neighbouring channels.
 *
 * Args: size, alpha (1e-4), beta (0.75), k (1). Shape: (N, C, *); Output the same.
 */
export class LocalResponseNorm extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  constructor(...args: ArgsOf<"torch.nn.LocalResponseNorm">) {
    super();
    ({ size: this.size, alpha: this.alpha, beta: this.beta, k: this.k } = bind("torch.nn.LocalResponseNorm", args));
  }
  override forward(input: Tensor): Tensor {
    return localResponseNorm(input, this.size, this.alpha, this.beta, this.k);
  }
  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}

/** Python's F.local_response_norm: the squared input averaged over channel windows by avg_pool. */
function localResponseNorm(input: Tensor, size: number, alpha: number, beta: number, k: number): Tensor {
  const dim = input.dim();
  if (dim < 3) throw new Error(`Expected 3D or higher dimensionality input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  let div = input.mul(input).unsqueeze(1);
  if (dim === 3) {
    div = ops.constantPadNd(div, [0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]);
    div = ops.avgPool2d(div, [size, 1], { stride: 1 }).squeeze(1);
  } else {
    const shape = input.shape;
    div = div.view([shape[0]!, 1, shape[1]!, shape[2]!, -1]);
    div = ops.constantPadNd(div, [0, 0, 0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]);
    div = ops.avgPool3d(div, [size, 1, 1], { stride: 1 }).squeeze(1);
    div = div.view(shape);
  }
  div = div.mul(alpha).add(k).pow(beta);
  return input.div(div);
}
