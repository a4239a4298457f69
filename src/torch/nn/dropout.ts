// Dropout layers: active in training mode, the identity in eval mode.
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import * as F from "./functional.js";

abstract class DropoutNd extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(p = 0.5, options: { inplace?: boolean } = {}) {
    super();
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      throw new RangeError(`dropout probability has to be between 0 and 1, but got ${String(p)}`);
    }
    this.p = p;
    this.inplace = options.inplace ?? false;
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=${this.inplace ? "True" : "False"}`;
  }
}

/**
 * Zeroes elements with probability p during training, scaling the others by 1/(1−p)
 * (torch.nn.Dropout); the identity in eval mode.
 *
 * Args: p (0.5); options inplace (false). Shape: any, output the same.
 */
export class Dropout extends DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.dropout(input, { p: this.p, training: this.training, inplace: this.inplace });
  }
}
/** Zeroes whole channels of (N, C, L) inputs (torch.nn.Dropout1d). */
export class Dropout1d extends DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.featureDropout(input, { p: this.p, training: this.training });
  }
}
/** Zeroes whole channels of (N, C, H, W) inputs (torch.nn.Dropout2d). */
export class Dropout2d extends DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.featureDropout(input, { p: this.p, training: this.training });
  }
}
/** Zeroes whole channels of (N, C, D, H, W) inputs (torch.nn.Dropout3d). */
export class Dropout3d extends DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.featureDropout(input, { p: this.p, training: this.training });
  }
}
/** Dropout that keeps zero mean and unit variance, for SELU networks (torch.nn.AlphaDropout). */
export class AlphaDropout extends DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.alphaDropout(input, { p: this.p, training: this.training });
  }
}
