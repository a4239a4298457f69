// Dropout layers: active in training mode, the identity in eval mode. Each binds Python's
// (p=0.5, inplace=False) and calls the aten kernel, the in-place one where `inplace` asks for it.
import type { Tensor } from "../tensor/tensor.js";
import * as ops from "../generated/torch.js";
import { Module } from "./module.js";
import { bind, type ArgsOf } from "../binding/index.js";

type DropoutQualname =
  | "torch.nn.Dropout"
  | "torch.nn.Dropout1d"
  | "torch.nn.Dropout2d"
  | "torch.nn.Dropout3d"
  | "torch.nn.AlphaDropout"
  | "torch.nn.FeatureAlphaDropout";

abstract class DropoutNd extends Module {
  readonly p: number;
  readonly inplace: boolean;
  protected constructor(qualname: DropoutQualname, args: ArrayLike<unknown>) {
    super();
    const { p, inplace } = bind(qualname, args);
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`${this.constructor.name}: dropout probability has to be between 0 and 1, but got ${String(p)}`);
    }
    this.p = p;
    this.inplace = inplace;
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=${this.inplace ? "True" : "False"}`;
  }
  /** Runs a channel-wise kernel on an input given a batch dimension when it has none. */
  protected channelwise(input: Tensor, batchedDims: number, kernel: (x: Tensor) => Tensor): Tensor {
    const d = input.dim();
    if (d !== batchedDims && d !== batchedDims - 1) {
      throw new Error(`${this.constructor.name}: Expected ${batchedDims - 1}D or ${batchedDims}D input, but received a ${d}D input`);
    }
    if (d === batchedDims) return kernel(input);
    if (!this.inplace) return kernel(input.unsqueeze(0)).squeeze(0);
    kernel(input.unsqueeze_(0));
    return input.squeeze_(0);
  }
  protected featureKernel(x: Tensor): Tensor {
    return this.inplace ? ops.featureDropout_(x, this.p, this.training) : ops.featureDropout(x, this.p, this.training);
  }
}

/**
 * Zeroes elements with probability p during training, scaling the others by 1/(1−p)
 * (torch.nn.Dropout); the identity in eval mode.
 *
 * Args: p (0.5), inplace (false). Shape: any, output the same.
 *
 * Example:
 *   const drop = new nn.Dropout(0.2); // or new nn.Dropout({ p: 0.2 })
 */
export class Dropout extends DropoutNd {
  constructor(...args: ArgsOf<"torch.nn.Dropout">) {
    super("torch.nn.Dropout", args);
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.dropout_(input, this.p, this.training) : ops.dropout(input, this.p, this.training);
  }
}
/** Zeroes whole channels of (N, C, L) or (C, L) inputs (torch.nn.Dropout1d). Args: p (0.5), inplace. */
export class Dropout1d extends DropoutNd {
  constructor(...args: ArgsOf<"torch.nn.Dropout1d">) {
    super("torch.nn.Dropout1d", args);
  }
  override forward(input: Tensor): Tensor {
    return this.channelwise(input, 3, (x) => this.featureKernel(x));
  }
}
/**
 * Zeroes whole channels of (N, C, H, W) inputs (torch.nn.Dropout2d). As Python 1.13, a 3-d input
 * is taken as (N, C, L). Args: p (0.5), inplace.
 */
export class Dropout2d extends DropoutNd {
  constructor(...args: ArgsOf<"torch.nn.Dropout2d">) {
    super("torch.nn.Dropout2d", args);
  }
  override forward(input: Tensor): Tensor {
    return this.featureKernel(input);
  }
}
/** Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) inputs (torch.nn.Dropout3d). Args: p (0.5), inplace. */
export class Dropout3d extends DropoutNd {
  constructor(...args: ArgsOf<"torch.nn.Dropout3d">) {
    super("torch.nn.Dropout3d", args);
  }
  override forward(input: Tensor): Tensor {
    return this.channelwise(input, 5, (x) => this.featureKernel(x));
  }
}
/** Dropout that keeps zero mean and unit variance, for SELU networks (torch.nn.AlphaDropout). Args: p (0.5), inplace. */
export class AlphaDropout extends DropoutNd {
  constructor(...args: ArgsOf<"torch.nn.AlphaDropout">) {
    super("torch.nn.AlphaDropout", args);
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.alphaDropout_(input, this.p, this.training) : ops.alphaDropout(input, this.p, this.training);
  }
}
/** Alpha dropout of whole channels (torch.nn.FeatureAlphaDropout). Args: p (0.5), inplace. */
export class FeatureAlphaDropout extends DropoutNd {
  constructor(...args: ArgsOf<"torch.nn.FeatureAlphaDropout">) {
    super("torch.nn.FeatureAlphaDropout", args);
  }
  override forward(input: Tensor): Tensor {
    return this.inplace
      ? ops.featureAlphaDropout_(input, this.p, this.training)
      : ops.featureAlphaDropout(input, this.p, this.training);
  }
}
