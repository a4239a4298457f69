// Flatten and Unflatten.
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";
import { bind, type ArgsOf } from "../binding/index.js";

/**
 * Flattens dimensions startDim..endDim into one (torch.nn.Flatten).
 *
 * Args: startDim (1), endDim (-1). Shape: (N, *dims) -> (N, ∏dims) with the defaults.
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(...args: ArgsOf<"torch.nn.Flatten">) {
    super();
    ({ startDim: this.startDim, endDim: this.endDim } = bind("torch.nn.Flatten", args));
  }
  override forward(input: Tensor): Tensor {
    return input.flatten({ startDim: this.startDim, endDim: this.endDim });
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Expands dimension `dim` into `unflattenedSize` (torch.nn.Unflatten).
 *
 * Shape: (*, S_dim, *) -> (*, U1, ..., Un, *), ∏U = S_dim.
 */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: number[];
  constructor(...args: ArgsOf<"torch.nn.Unflatten">) {
    super();
    const { dim, unflattenedSize } = bind("torch.nn.Unflatten", args);
    if (typeof dim !== "number") throw new TypeError("Unflatten(): named dimensions are not supported: 'dim' must be an int");
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }
  override forward(input: Tensor): Tensor {
    return input.unflatten(this.dim, this.unflattenedSize);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(", ")})`;
  }
}
